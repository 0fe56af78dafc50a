#include "common/uttp_due.h"

#include <gtest/gtest.h>

#include "common/dates.h"
#include "common/rollups.h"

namespace pantau::common {
namespace {

TEST(AddMonthsClampedTest, KeepsTheDayOrTakesTheMonthsLast) {
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2024, 2, 29), 12), absl::CivilDay(2025, 2, 28));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2028, 2, 29), 48), absl::CivilDay(2032, 2, 29));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2026, 1, 31), 1), absl::CivilDay(2026, 2, 28));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2026, 3, 31), 1), absl::CivilDay(2026, 4, 30));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2026, 11, 28), 60), absl::CivilDay(2031, 11, 28));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2026, 12, 15), 12), absl::CivilDay(2027, 12, 15));
}

class UttpDueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::ReferenceEntity type;
    type.mutable_uttp_type()->set_code("timbangan");
    type.mutable_uttp_type()->set_reverification_interval_months(12);
    catalog_.Upsert(type);
  }
  void Instrument(const std::string& id, const std::string& registered, const std::string& retired = "") {
    v1::ReferenceEntity e;
    auto* u = e.mutable_uttp_instrument();
    u->set_id(id);
    u->set_type_code("timbangan");
    u->set_registered_on(registered);
    u->set_retired_on(retired);
    catalog_.Upsert(e);
  }
  // One verification of `id` on `day`.
  void Verified(const std::string& id, const std::string& day, bool sah) {
    const auto d = *ParseLocalDate(day);
    v1::RollupCell c;
    c.mutable_uttp()->set_tera_ulang(1);
    c.mutable_uttp()->add_verified_on(day);
    if (sah) {
      c.mutable_uttp()->set_sah(1);
      c.mutable_uttp()->add_sah_on(day);
    } else {
      c.mutable_uttp()->set_batal(1);
      c.mutable_uttp()->add_batal_on(day);
    }
    cells_.emplace_back(UttpCellKey(static_cast<int>(d.year()), id), c);
  }
  ReferenceCatalog catalog_;
  CellList cells_;
};

TEST_F(UttpDueTest, OverdueDueSoonAndValidOnTheBoundaries) {
  const absl::CivilDay as_of(2026, 11, 28);
  Instrument("T01", "2020-01-01");  // sah 2025-12-01 -> due 2026-12-01, in 3 days
  Verified("T01", "2025-12-01", true);
  Instrument("T02", "2020-01-01");  // sah 2025-11-01 -> due 2026-11-01, 27 days late
  Verified("T02", "2025-11-01", true);
  Instrument("T03", "2026-01-01");  // never verified: overdue since registration
  Instrument("T04", "2020-01-01");  // sah, then batal at a pengawasan: overdue since the batal
  Verified("T04", "2026-03-01", true);
  Verified("T04", "2026-09-01", false);
  Instrument("T05", "2020-01-01");  // valid until 2027-06-01
  Verified("T05", "2026-06-01", true);
  Instrument("T06", "2020-01-01", "2026-10-01");  // retired
  Instrument("T07", "2026-12-15");                // not yet registered
  Instrument("T08", "2020-01-01");  // due exactly today: still due, not late
  Verified("T08", "2025-11-28", true);
  Instrument("T09", "2020-01-01");  // due yesterday: one day late
  Verified("T09", "2025-11-27", true);
  Instrument("T10", "2020-01-01");  // due in exactly 30 days: inside the window
  Verified("T10", "2025-12-28", true);
  Instrument("T11", "2020-01-01");  // due in 31 days: outside
  Verified("T11", "2025-12-29", true);
  Instrument("T12", "2020-01-01");  // batal, then repaired and sah the same day: sah
  Verified("T12", "2026-11-20", false);
  Verified("T12", "2026-11-20", true);

  auto list = UttpDueList(cells_, catalog_, as_of, 30, /*include_valid=*/false);
  std::vector<std::pair<std::string, int64_t>> got;
  for (const auto& d : list) got.emplace_back(d.instrument, d.days);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, int64_t>>{
                     {"T03", 331}, {"T04", 88}, {"T02", 27}, {"T09", 1},  // terlambat
                     {"T08", 0}, {"T01", 3}, {"T10", 30}}));               // jatuh tempo
  EXPECT_EQ(list[0].status, DueStatus::kOverdue);
  EXPECT_FALSE(list[0].mark.last_sah);
  EXPECT_EQ(*list[1].mark.last_batal, absl::CivilDay(2026, 9, 1));
  EXPECT_EQ(*list[2].mark.next_due, absl::CivilDay(2026, 11, 1));
  EXPECT_EQ(list[4].status, DueStatus::kDueSoon);
  EXPECT_EQ(DueStatusName(list[6].status), "jatuh_tempo");

  auto all = UttpDueList(cells_, catalog_, as_of, 30, /*include_valid=*/true);
  ASSERT_EQ(all.size(), 10u);  // T05, T11, T12 valid; T06, T07 never listed
  EXPECT_EQ(all[7].instrument, "T11");
  EXPECT_EQ(all[7].status, DueStatus::kValid);
  EXPECT_EQ(all[9].instrument, "T12");
  EXPECT_TRUE(all[9].mark.valid);
}

TEST_F(UttpDueTest, MarkLooksOnlyAtVerificationsUpToTheDay) {
  Instrument("T01", "2020-01-01");
  Verified("T01", "2025-05-10", true);
  Verified("T01", "2026-05-10", false);
  // Before the batal the mark stands; after it, it does not.
  EXPECT_TRUE(MarkOn(cells_, "T01", 12, absl::CivilDay(2026, 5, 9)).valid);
  EXPECT_FALSE(MarkOn(cells_, "T01", 12, absl::CivilDay(2026, 5, 10)).valid);
  EXPECT_FALSE(MarkOn(cells_, "T01", 12, absl::CivilDay(2025, 5, 9)).valid);  // before any sah
  EXPECT_FALSE(MarkOn(cells_, "T02", 12, absl::CivilDay(2026, 5, 9)).valid);  // another instrument's cells
}

}  // namespace
}  // namespace pantau::common
