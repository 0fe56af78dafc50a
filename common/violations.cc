#include "common/violations.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "common/checklists.h"
#include "common/dates.h"

namespace pantau::common {

std::string CaseStatusName(CaseStatus status) {
  switch (status) {
    case CaseStatus::kOpen:
      return "terbuka";
    case CaseStatus::kOverdue:
      return "terlambat";
    case CaseStatus::kClosed:
      return "selesai";
  }
  return "";
}

std::vector<ViolationCase> ViolationCases(const v1::Record& audit, absl::CivilDay audit_day,
                                          const std::vector<v1::Record>& follow_ups,
                                          absl::CivilDay as_of, int default_due_days) {
  // The actions known on `as_of`: those dated on or before it, oldest first (then by record id).
  struct Action {
    absl::CivilDay date;
    const v1::Record* record;
  };
  std::vector<Action> known;
  for (const auto& r : follow_ups) {
    const absl::CivilDay date = ParseLocalDate(r.follow_up().action_date()).value_or(audit_day);
    if (date <= as_of) known.push_back({date, &r});
  }
  std::sort(known.begin(), known.end(), [](const Action& a, const Action& b) {
    return std::tie(a.date, a.record->id()) < std::tie(b.date, b.record->id());
  });
  std::vector<ViolationCase> out;
  for (const auto& finding : EffectiveFindings(audit.outlet_audit())) {
    ViolationCase c;
    c.audit_id = audit.id();
    c.audit_day = audit_day;
    c.finding = finding;
    c.due = audit_day + default_due_days;
    for (const Action& a : known) {
      const v1::FollowUp& f = a.record->follow_up();
      if (!f.finding_code().empty() && f.finding_code() != finding) continue;
      ++c.actions;
      c.last_action_code = f.action_code();
      c.last_action_date = a.date;
      if (f.status() == v1::FOLLOW_UP_STATUS_CLOSED) {
        // Closed: late when closed after the date it was due by then.
        c.status = CaseStatus::kClosed;
        c.days_late = a.date > c.due ? a.date - c.due : 0;
      } else {
        // Open (again): due on this action's due date, else its date + the default.
        c.status = CaseStatus::kOpen;
        c.days_late = 0;
        auto due = ParseLocalDate(f.due_date());
        c.due = due ? *due : a.date + default_due_days;
      }
    }
    if (c.status != CaseStatus::kClosed && as_of > c.due) {
      c.status = CaseStatus::kOverdue;
      c.days_overdue = as_of - c.due;
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace pantau::common
