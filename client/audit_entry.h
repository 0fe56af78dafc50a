// Entering an outlet audit on the laptop: answers typed as text for a checklist item, the
// checklist walked at a terminal prompt, and the findings shown before saving. The rules are
// common/checklists.h, the same the server applies. Thread-safety: stateless.
#pragma once

#include <iosfwd>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/checklists.h"
#include "common/reference_catalog.h"

namespace pantau::client {

// An answer typed for `item`: yes/no items take yes, ya, no, tidak; counts a whole number;
// prices "19000", "19.000" or "Rp 19.000"; weights "7950" or "7950 g"; photos a SHA-256 in hex;
// any item "tidak dapat diperiksa: REASON". INVALID_ARGUMENT saying what the item expects.
absl::StatusOr<v1::ChecklistAnswer> AnswerFor(const v1::ChecklistItem& item, const std::string& text);

// "Tidak dapat diperiksa": `item` could not be checked, for `reason`.
v1::ChecklistAnswer NotChecked(const std::string& item, const std::string& reason);

// An answer typed without a checklist to say its type: yes / no, "Rp N", "N g", or a count.
absl::StatusOr<v1::ChecklistAnswer> UntypedAnswer(const std::string& item, const std::string& text);

// Asks every item of `checklist` not yet answered in `audit` on `out`, reading lines from `in`:
// an empty or wrong answer is asked again; "-" and a reason mark it tidak dapat diperiksa. Stock balances are rules,
// not questions.
void WalkChecklist(const v1::Checklist& checklist, v1::OutletAudit& audit, std::istream& in, std::ostream& out);

// An audit as the inspector gives it, in the words typed: the CLI's flags and the app's form.
struct AuditAnswers {
  std::vector<std::pair<std::string, std::string>> typed;        // item -> text, as AnswerFor reads it
  std::vector<std::pair<std::string, std::string>> not_checked;  // item -> why it could not be checked
};

// Fills `audit` (outlet code set) for `day`: its kind from the outlet, the checklist (the version
// named, else the one in force), and the answers. Returns the checklist, nullptr when the laptop
// has none for this kind; `problems` gets one (field, reason) per answer that cannot be read, the
// field "answers.ITEM" so a form shows it beside the item.
const v1::Checklist* FillAudit(v1::OutletAudit& audit, const AuditAnswers& answers,
                               const common::ReferenceCatalog& catalog, absl::CivilDay day,
                               std::vector<std::pair<std::string, common::Message>>& problems);

// The findings the rules give for `audit` on `day` (the server runs the same), written into it
// with `observed` (findings the inspector saw that no rule covers), each once.
std::vector<common::Finding> SettleFindings(v1::OutletAudit& audit, const v1::Checklist* checklist,
                                            const common::ReferenceCatalog& catalog, absl::CivilDay day,
                                            const std::vector<std::string>& observed);

// "findings: none" or one line per finding with its reason.
std::string FindingLines(const std::vector<common::Finding>& findings);

}  // namespace pantau::client
