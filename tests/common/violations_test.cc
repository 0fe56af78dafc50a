#include "common/violations.h"

#include <gtest/gtest.h>

namespace pantau::common {
namespace {

v1::Record Audit(std::vector<std::string> findings) {
  v1::Record r;
  r.set_id("01AUDIT");
  for (auto& f : findings) r.mutable_outlet_audit()->add_findings(f);
  return r;
}

v1::Record Action(std::string id, std::string finding, std::string action, std::string date,
                  std::string due, bool closed) {
  v1::Record r;
  r.set_id(id);
  auto* f = r.mutable_follow_up();
  f->set_audit_record_id("01AUDIT");
  f->set_finding_code(finding);
  f->set_action_code(action);
  f->set_action_date(date);
  f->set_due_date(due);
  f->set_status(closed ? v1::FOLLOW_UP_STATUS_CLOSED : v1::FOLLOW_UP_STATUS_OPEN);
  return r;
}

const absl::CivilDay kAuditDay(2026, 11, 2);

TEST(ViolationsTest, OneCasePerFindingWithTheLatestActionDeciding) {
  const auto audit = Audit({"harga_di_atas_het", "papan_nama_tidak_ada", "harga_di_atas_het"});
  std::vector<v1::Record> actions = {
      Action("01F2", "harga_di_atas_het", "teguran_tertulis", "2026-11-12", "2026-11-26", false),
      Action("01F1", "harga_di_atas_het", "teguran_lisan", "2026-11-03", "2026-11-10", false),
  };
  auto cases = ViolationCases(audit, kAuditDay, actions, absl::CivilDay(2026, 11, 28), 14);
  ASSERT_EQ(cases.size(), 2u);  // the repeated finding is one case
  EXPECT_EQ(cases[0].finding, "harga_di_atas_het");
  EXPECT_EQ(cases[0].actions, 2);
  EXPECT_EQ(cases[0].last_action_code, "teguran_tertulis");
  EXPECT_EQ(cases[0].due, absl::CivilDay(2026, 11, 26));
  EXPECT_EQ(cases[0].status, CaseStatus::kOverdue);
  EXPECT_EQ(cases[0].days_overdue, 2);
  // No action at all: due 14 days after the audit (2026-11-16).
  EXPECT_EQ(cases[1].actions, 0);
  EXPECT_EQ(cases[1].due, absl::CivilDay(2026, 11, 16));
  EXPECT_EQ(cases[1].days_overdue, 12);

  // An action without a finding code applies to every finding; closing closes both.
  actions.push_back(Action("01F3", "", "pembinaan", "2026-11-20", "", true));
  cases = ViolationCases(audit, kAuditDay, actions, absl::CivilDay(2026, 11, 28), 14);
  EXPECT_EQ(cases[0].status, CaseStatus::kClosed);
  EXPECT_EQ(cases[0].actions, 3);
  EXPECT_EQ(cases[1].status, CaseStatus::kClosed);
  EXPECT_EQ(CaseStatusName(cases[1].status), "selesai");
}

TEST(ViolationsTest, OverdueStartsTheDayAfterTheDueDate) {
  const auto audit = Audit({"stok_tidak_sesuai"});
  std::vector<v1::Record> actions = {
      Action("01F1", "stok_tidak_sesuai", "teguran_lisan", "2026-11-03", "2026-11-10", false)};
  auto on_due = ViolationCases(audit, kAuditDay, actions, absl::CivilDay(2026, 11, 10), 14);
  EXPECT_EQ(on_due[0].status, CaseStatus::kOpen);
  EXPECT_EQ(CaseStatusName(on_due[0].status), "terbuka");
  auto day_after = ViolationCases(audit, kAuditDay, actions, absl::CivilDay(2026, 11, 11), 14);
  EXPECT_EQ(day_after[0].status, CaseStatus::kOverdue);
  EXPECT_EQ(day_after[0].days_overdue, 1);
  // No due date on the action: action date + 14 days.
  actions[0].mutable_follow_up()->clear_due_date();
  EXPECT_EQ(ViolationCases(audit, kAuditDay, actions, absl::CivilDay(2026, 11, 11), 14)[0].due,
            absl::CivilDay(2026, 11, 17));
}

TEST(ViolationsTest, SameDayActionsAreOrderedById) {
  const auto audit = Audit({"harga_di_atas_het"});
  std::vector<v1::Record> actions = {
      Action("01F9", "harga_di_atas_het", "teguran_tertulis", "2026-11-05", "", true),
      Action("01F1", "harga_di_atas_het", "teguran_lisan", "2026-11-05", "", false),
  };
  auto cases = ViolationCases(audit, kAuditDay, actions, absl::CivilDay(2026, 11, 28), 14);
  EXPECT_EQ(cases[0].last_action_code, "teguran_tertulis");
  EXPECT_EQ(cases[0].status, CaseStatus::kClosed);
}

TEST(ViolationsTest, AuditWithoutFindingsHasNoCase) {
  EXPECT_TRUE(ViolationCases(Audit({}), kAuditDay, {}, absl::CivilDay(2026, 11, 28), 14).empty());
}

// As of a day, only the actions dated on or before it are known; a case closed after its due date
// is selesai, late by the days between; closed on time it is not late; reopened it is due again.
TEST(ViolationsTest, AsOfADayUsesOnlyTheActionsKnownThenAndClosedLateShowsTheDays) {
  const auto audit = Audit({"harga_di_atas_het"});
  std::vector<v1::Record> actions = {
      Action("01F1", "harga_di_atas_het", "teguran_lisan", "2026-11-05", "2026-11-12", false),
      Action("01F2", "harga_di_atas_het", "teguran_tertulis", "2026-11-20", "", true),
      Action("01F3", "harga_di_atas_het", "laporan_pertamina", "2026-11-25", "2026-12-01", false),
  };
  auto at = [&](int day) { return ViolationCases(audit, kAuditDay, actions, absl::CivilDay(2026, 11, day), 14)[0]; };
  // 4 November: no action yet, due audit day + 14 (16 November).
  auto c = at(4);
  EXPECT_EQ(c.actions, 0);
  EXPECT_EQ(c.status, CaseStatus::kOpen);
  EXPECT_EQ(c.due, absl::CivilDay(2026, 11, 16));
  // 12 November: the first action, due that day: still open at the boundary.
  c = at(12);
  EXPECT_EQ(c.actions, 1);
  EXPECT_EQ(c.status, CaseStatus::kOpen);
  EXPECT_EQ(c.due, absl::CivilDay(2026, 11, 12));
  // 13 November: one day past it.
  c = at(13);
  EXPECT_EQ(c.status, CaseStatus::kOverdue);
  EXPECT_EQ(c.days_overdue, 1);
  // 20 November: closed, 8 days after the 12th.
  c = at(20);
  EXPECT_EQ(c.actions, 2);
  EXPECT_EQ(c.status, CaseStatus::kClosed);
  EXPECT_EQ(c.days_late, 8);
  EXPECT_EQ(c.last_action_code, "teguran_tertulis");
  // 25 November: reopened by a later action, due 1 December.
  c = at(25);
  EXPECT_EQ(c.actions, 3);
  EXPECT_EQ(c.status, CaseStatus::kOpen);
  EXPECT_EQ(c.days_late, 0);
  EXPECT_EQ(c.due, absl::CivilDay(2026, 12, 1));

  // Closed on the due date itself: on time; the day after: one day late.
  for (auto [date, late] : {std::pair{"2026-11-12", 0}, std::pair{"2026-11-13", 1}}) {
    std::vector<v1::Record> two = {actions[0], Action("01F9", "harga_di_atas_het", "teguran_tertulis", date, "", true)};
    auto closed = ViolationCases(audit, kAuditDay, two, absl::CivilDay(2026, 11, 30), 14)[0];
    EXPECT_EQ(closed.status, CaseStatus::kClosed) << date;
    EXPECT_EQ(closed.days_late, late) << date;
  }
}

}  // namespace
}  // namespace pantau::common
