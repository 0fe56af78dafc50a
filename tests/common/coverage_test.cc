#include "common/coverage.h"

#include <gtest/gtest.h>

#include "common/rollups.h"

namespace pantau::common {
namespace {

TEST(WeekdaysTest, IndonesianNamesAndEveryDay) {
  EXPECT_EQ(*ParseWeekdays({"Selasa"}), (std::set<absl::Weekday>{absl::Weekday::tuesday}));
  EXPECT_EQ(*ParseWeekdays({"jum'at", "senin"}),
            (std::set<absl::Weekday>{absl::Weekday::friday, absl::Weekday::monday}));
  EXPECT_EQ(ParseWeekdays({"setiap_hari"})->size(), 7u);
  auto wrong = ParseWeekdays({"tuesday"});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("\"tuesday\""), std::string_view::npos);
  EXPECT_EQ(WeekdayName(absl::Weekday::tuesday), "selasa");
}

TEST(CoverageTest, WeeklyTuesdayCheckInNovember2026) {
  // Tuesdays of November 2026: 3, 10, 17, 24.
  const absl::CivilDay first(2026, 11, 1), last(2026, 11, 30);
  const std::set<absl::Weekday> tuesday = {absl::Weekday::tuesday};
  EXPECT_EQ(ScheduledDays(first, last, tuesday),
            (std::vector<absl::CivilDay>{absl::CivilDay(2026, 11, 3), absl::CivilDay(2026, 11, 10), absl::CivilDay(2026, 11, 17), absl::CivilDay(2026, 11, 24)}));
  std::vector<std::string> keys = {
      PriceCellKey(absl::CivilDay(2026, 11, 3), "beras_medium", "pasar_a"),
      PriceCellKey(absl::CivilDay(2026, 11, 10), "beras_medium", "pasar_a"),
      PriceCellKey(absl::CivilDay(2026, 11, 23), "beras_medium", "pasar_a"),  // a Monday: not scheduled
      PriceCellKey(absl::CivilDay(2026, 11, 24), "beras_medium", "pasar_a"),
      PriceCellKey(absl::CivilDay(2026, 11, 17), "gula_konsumsi", "pasar_a"),
      PriceCellKey(absl::CivilDay(2026, 10, 27), "gula_konsumsi", "pasar_b"),  // before the period
      PriceCellKey(absl::CivilDay(2026, 11, 17), "cabe_hiyung", "pasar_a"),    // not asked for
  };
  auto cells = Coverage(keys, {"pasar_a", "pasar_b"}, {"beras_medium", "gula_konsumsi"}, first, last, tuesday);
  ASSERT_EQ(cells.size(), 4u);
  EXPECT_EQ(cells[0].market, "pasar_a");
  EXPECT_EQ(cells[0].commodity, "beras_medium");
  EXPECT_EQ(cells[0].scheduled, 4);
  EXPECT_EQ(cells[0].covered, 3);
  EXPECT_EQ(cells[0].missing, (std::vector<absl::CivilDay>{absl::CivilDay(2026, 11, 17)}));
  EXPECT_EQ(cells[0].unscheduled_with_data, 1);
  EXPECT_EQ(cells[1].commodity, "gula_konsumsi");
  EXPECT_EQ(cells[1].covered, 1);
  EXPECT_EQ(cells[1].missing.size(), 3u);
  EXPECT_EQ(cells[2].market, "pasar_b");
  EXPECT_EQ(cells[2].covered, 0);
  EXPECT_EQ(cells[3].covered, 0);
  EXPECT_EQ(cells[3].missing.size(), 4u);
  EXPECT_EQ(cells[3].unscheduled_with_data, 0);
}

TEST(CoverageTest, DaysSeenStayAscendingAndOnceWhateverTheOrderTheyCome) {
  std::vector<absl::CivilDay> days;
  for (int d : {10, 3, 24, 10, 17, 3, 30, 1}) AddDaySeen(days, absl::CivilDay(2026, 11, d));
  EXPECT_EQ(days, (std::vector<absl::CivilDay>{absl::CivilDay(2026, 11, 1), absl::CivilDay(2026, 11, 3),
                                               absl::CivilDay(2026, 11, 10), absl::CivilDay(2026, 11, 17),
                                               absl::CivilDay(2026, 11, 24), absl::CivilDay(2026, 11, 30)}));
  // The days drive the coverage as the price-days cells give them: Tuesdays 3, 10, 17 and 24.
  DaysSeen seen;
  seen[{"pasar_a", "beras_medium"}] = days;
  auto cells = CoverageOfDays(seen, {"pasar_a"}, {"beras_medium"}, absl::CivilDay(2026, 11, 1),
                              absl::CivilDay(2026, 11, 30), {absl::Weekday::tuesday});
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0].covered, 4);
  EXPECT_TRUE(cells[0].missing.empty());
  EXPECT_EQ(cells[0].unscheduled_with_data, 2);  // Sunday 1 and Monday 30
}

TEST(CoverageTest, PeriodWithoutScheduledDays) {
  // 2026-11-25 (Wednesday) to 2026-11-30 (Monday) holds no Tuesday.
  auto cells = Coverage({}, {"pasar_a"}, {"beras_medium"}, absl::CivilDay(2026, 11, 25), absl::CivilDay(2026, 11, 30),
                        {absl::Weekday::tuesday});
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0].scheduled, 0);
  EXPECT_EQ(cells[0].covered, 0);
  EXPECT_TRUE(cells[0].missing.empty());
}

}  // namespace
}  // namespace pantau::common
