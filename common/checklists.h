// Outlet audit checklists as reference data, and the rules that turn answers into findings:
// a yes/no answer that is a finding, a count or weight outside its bounds, a selling price above
// the HET in force on the audit day, a stock balance that does not add up (received != sold +
// on hand). The same functions run on the laptop (findings shown before saving) and on the
// server (authoritative, stored with the audit). Pure. Thread-safety: stateless.
#pragma once

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/messages.h"
#include "common/reference_catalog.h"
#include "pantau/v1/records.pb.h"
#include "pantau/v1/sync_service.pb.h"

namespace pantau::common {

// What is wrong with a checklist as reference data ("" items, unknown stock items, ...): empty
// when it is sound.
std::vector<std::string> ChecklistProblems(const v1::Checklist& checklist);

// The checklist an audit follows: the version it names, else the one in force on its day.
const v1::Checklist* ChecklistFor(const v1::OutletAudit& audit, const ReferenceCatalog& catalog,
                                  absl::CivilDay day);

// Problems of the answers against the checklist: an item not on it, an answer of the wrong type
// ("harga_jual: expects a price in Rupiah"), as (field, reason) pairs for the validator.
std::vector<std::pair<std::string, Message>> AnswerProblems(const v1::OutletAudit& audit,
                                                           const v1::Checklist& checklist);

struct Finding {
  std::string code;    // "harga_di_atas_het"
  std::string item;    // the checklist item (or stock rule) that gave it
  Message reason;      // for people: "harga_jual: Rp 19.000 is above the HET of Rp 18.500 ..."
};

// The findings of `audit`'s answers under `checklist` on local day `day`; reference prices are
// looked for in `zones` in order. An unanswered item gives no finding. One finding per item.
std::vector<Finding> EvaluateChecklist(const v1::Checklist& checklist, const v1::OutletAudit& audit,
                                       const ReferenceCatalog& catalog, absl::CivilDay day,
                                       const std::vector<std::string>& zones);

// The findings that count for an audit: those its rules gave on the server and those the laptop
// listed (observed ones no rule covers included), each once, in code order.
std::vector<std::string> EffectiveFindings(const v1::OutletAudit& audit);

// What is wrong with follow-up `f` of `audit` (fields prefixed with `at`): an action on another
// kind of outlet's ladder (the ladder of this one listed), a finding the audit did not find (its
// findings listed). An empty finding code follows up all of them. The server checks every
// follow-up whose audit it holds; the laptop, those of audits it holds.
std::vector<v1::FieldError> FollowUpProblems(const v1::FollowUp& f, const std::string& at, const v1::OutletAudit& audit,
                                             const ReferenceCatalog& catalog);

// Computes the findings of the outlet audit `record` holds (itself or a correction's
// replacement) and records them in computed_findings, finding_reasons and checklist_applied.
// The HET is looked for in the audited outlet's price zones (ReferenceCatalog::PriceZonesOfOutlet).
// False, and `record` untouched, when it holds no audit.
bool AttachComputedFindings(v1::Record& record, const ReferenceCatalog& catalog, absl::CivilDay day);

}  // namespace pantau::common
