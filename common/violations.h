// Violations found by outlet audits and where their follow-up stands: one case per finding of an
// effective audit, with the effective follow-up actions recorded on it. Pure; the day the
// overdue test is made on is passed in. Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "pantau/v1/records.pb.h"

namespace pantau::common {

enum class CaseStatus { kOpen, kOverdue, kClosed };
std::string CaseStatusName(CaseStatus status);  // "terbuka", "terlambat", "selesai"

struct ViolationCase {
  std::string audit_id;
  absl::CivilDay audit_day;
  std::string finding;
  int64_t actions = 0;
  std::string last_action_code;
  std::optional<absl::CivilDay> last_action_date;
  absl::CivilDay due;
  CaseStatus status = CaseStatus::kOpen;
  int64_t days_overdue = 0;
  // Closed after its due date: the days between the due date and the closing action (0: on time).
  int64_t days_late = 0;
};

// The cases of `audit` (an effective outlet audit observed on local day `audit_day`), one per
// distinct finding code (common/checklists.h EffectiveFindings: computed by the server's rules or
// listed by the laptop). `follow_ups` are the effective follow-up records whose audit_record_id is
// the audit's id; one with an empty finding_code applies to every finding. Only actions dated on
// or before `as_of` are known on that day. They are taken in order (action date, then record id):
// an open action makes the case due on its due date (else its date + `default_due_days`); with no
// action it is due on audit day + `default_due_days`. The latest action decides the status:
// closed -> selesai, late by `days_late` when it closed after the date due by then; otherwise
// terlambat once `as_of` is past the due date.
std::vector<ViolationCase> ViolationCases(const v1::Record& audit, absl::CivilDay audit_day,
                                          const std::vector<v1::Record>& follow_ups,
                                          absl::CivilDay as_of, int default_due_days);

}  // namespace pantau::common
