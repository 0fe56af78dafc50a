#include "common/violations.h"

#include <set>

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
  std::vector<ViolationCase> out;
  for (const auto& finding : EffectiveFindings(audit.outlet_audit())) {
    ViolationCase c;
    c.audit_id = audit.id();
    c.audit_day = audit_day;
    c.finding = finding;
    c.due = audit_day + default_due_days;
    const v1::Record* latest = nullptr;
    std::optional<absl::CivilDay> latest_date;
    for (const auto& r : follow_ups) {
      const v1::FollowUp& f = r.follow_up();
      if (!f.finding_code().empty() && f.finding_code() != finding) continue;
      ++c.actions;
      auto date = ParseLocalDate(f.action_date());
      if (latest == nullptr || (date && (!latest_date || *date > *latest_date)) ||
          (date == latest_date && r.id() > latest->id())) {
        latest = &r;
        latest_date = date;
      }
    }
    if (latest != nullptr) {
      const v1::FollowUp& f = latest->follow_up();
      c.last_action_code = f.action_code();
      c.last_action_date = latest_date;
      auto due = ParseLocalDate(f.due_date());
      c.due = due ? *due : latest_date.value_or(audit_day) + default_due_days;
      if (f.status() == v1::FOLLOW_UP_STATUS_CLOSED) c.status = CaseStatus::kClosed;
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
