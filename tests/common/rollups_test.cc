#include "common/rollups.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>

#include "common/dates.h"
#include "tests/testing/test_support.h"

namespace pantau::common {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::PriceRecord;
using ::pantau::testing::TestUlid;

class MapCells final : public CellStore {
 public:
  absl::StatusOr<v1::RollupCell*> Mutable(const std::string& key) override { return &cells[key]; }
  absl::Status Delete(const std::string& key) override {
    cells.erase(key);
    return absl::OkStatus();
  }
  std::map<std::string, v1::RollupCell> cells;
};

const absl::TimeZone kWita = ZoneWithoutDeployment();

TEST(RollupKeysTest, KeysSortByFamilyThenDayThenCodesAndParseBack) {
  const absl::CivilDay d1(2026, 11, 24), d2(2026, 11, 25);
  EXPECT_LT(PriceCellKey(d1, "zz", "zz"), PriceCellKey(d2, "aa", "aa"));
  EXPECT_LT(PriceCellKey(d1, "beras", "pasar_a"), PriceCellKey(d1, "beras", "pasar_b"));
  EXPECT_LT(DayKey(RollupFamily::kPrice, d1), PriceCellKey(d1, "", ""));
  EXPECT_LT(PriceCellKey(absl::CivilDay(1969, 12, 31), "a", "a"), PriceCellKey(absl::CivilDay(1970, 1, 1), "a", "a"));
  auto parts = ParseCellKey(PriceCellKey(d1, "beras_medium", "pasar_marabahan"));
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->family, RollupFamily::kPrice);
  EXPECT_EQ(parts->day, d1);
  EXPECT_EQ(parts->codes, (std::vector<std::string>{"beras_medium", "pasar_marabahan"}));
  auto uttp = ParseCellKey(UttpCellKey(2026, "UTTP-1"));
  EXPECT_EQ(uttp->year, 2026);
  EXPECT_EQ(uttp->codes, (std::vector<std::string>{"UTTP-1"}));
}

// 23:59 and 00:00 WITA fall on different days; 16:00 UTC is already the next day in WITA.
TEST(RollupTest, DaysAreLocalDatesAtMidnightBoundaries) {
  MapCells cells;
  const absl::Time before = absl::FromCivil(absl::CivilMinute(2026, 11, 24, 23, 59), kWita);
  const absl::Time midnight = absl::FromCivil(absl::CivilMinute(2026, 11, 25, 0, 0), kWita);
  ASSERT_THAT(ApplyContribution(PriceRecord(TestUlid(1, 1), 13000, before), +1, kWita, cells), IsOk());
  ASSERT_THAT(ApplyContribution(PriceRecord(TestUlid(1, 2), 14000, midnight), +1, kWita, cells), IsOk());
  EXPECT_EQ(cells.cells.count(PriceCellKey(absl::CivilDay(2026, 11, 24), "beras_medium", "pasar_marabahan")), 1u);
  EXPECT_EQ(cells.cells.count(PriceCellKey(absl::CivilDay(2026, 11, 25), "beras_medium", "pasar_marabahan")), 1u);
}

TEST(RollupTest, PriceCellsKeepEveryPriceSortedAndRemoveExactlyOne) {
  MapCells cells;
  const auto key = PriceCellKey(absl::CivilDay(2026, 11, 24), "beras_medium", "pasar_marabahan");
  std::vector<v1::Record> records;
  for (int64_t price : {13300, 13100, 13300, 12900}) {
    records.push_back(PriceRecord(TestUlid(1, static_cast<uint32_t>(records.size())), price));
    ASSERT_THAT(ApplyContribution(records.back(), +1, kWita, cells), IsOk());
  }
  const auto& cell = cells.cells.at(key).price();
  EXPECT_EQ(std::vector<int64_t>(cell.prices_rupiah().begin(), cell.prices_rupiah().end()),
            (std::vector<int64_t>{12900, 13100, 13300, 13300}));
  ASSERT_EQ(cell.traders_size(), 1);
  EXPECT_EQ(cell.traders(0).count(), 4);
  ASSERT_THAT(ApplyContribution(records[0], -1, kWita, cells), IsOk());
  const auto& after = cells.cells.at(key).price();
  EXPECT_EQ(std::vector<int64_t>(after.prices_rupiah().begin(), after.prices_rupiah().end()),
            (std::vector<int64_t>{12900, 13100, 13300}));
  for (size_t i = 1; i < records.size(); ++i) ASSERT_THAT(ApplyContribution(records[i], -1, kWita, cells), IsOk());
  EXPECT_TRUE(cells.cells.empty());  // an empty cell is deleted, as a rebuild would never make it
  EXPECT_EQ(ApplyContribution(records[0], -1, kWita, cells).code(), absl::StatusCode::kInternal);
}

TEST(RollupKeysTest, PriceSumKeysSortByFamilyThenTimeAndParseBack) {
  EXPECT_LT(PriceDaysCellKey(absl::CivilMonth(2026, 10), "zz", "zz"), PriceDaysCellKey(absl::CivilMonth(2026, 11), "aa", "aa"));
  EXPECT_LT(PriceDaysCellKey(absl::CivilMonth(1969, 12), "a", "a"), PriceDaysCellKey(absl::CivilMonth(1970, 1), "a", "a"));
  EXPECT_LT(PriceDaysKey(absl::CivilMonth(2026, 11)), PriceDaysCellKey(absl::CivilMonth(2026, 11), "", ""));
  EXPECT_LT(PriceDaysCellKey(absl::CivilMonth(2026, 11), "", ""), PriceDaysKey(absl::CivilMonth(2026, 12)));
  EXPECT_LT(PriceMonthsCellKey(2025, "zz", "zz"), PriceMonthsKey(2026));
  EXPECT_LT(PriceMonthsKey(2026), PriceMonthsCellKey(2026, "aa", "aa"));
  auto days = ParseCellKey(PriceDaysCellKey(absl::CivilMonth(2026, 11), "beras_medium", "pasar_marabahan"));
  ASSERT_TRUE(days);
  EXPECT_EQ(days->family, RollupFamily::kPriceDays);
  EXPECT_EQ(days->month, absl::CivilMonth(2026, 11));
  EXPECT_EQ(days->codes, (std::vector<std::string>{"beras_medium", "pasar_marabahan"}));
  auto months = ParseCellKey(PriceMonthsCellKey(2026, "beras_medium", "pasar_marabahan"));
  ASSERT_TRUE(months);
  EXPECT_EQ(months->family, RollupFamily::kPriceMonths);
  EXPECT_EQ(months->year, 2026);
  EXPECT_EQ(months->codes, (std::vector<std::string>{"beras_medium", "pasar_marabahan"}));
}

// The alert rules' cells: each day's and each month's sum and count, exact at the ceiling, and a
// removal takes back exactly what was added.
TEST(RollupTest, DayAndMonthSumsAreExactAndRemoveExactlyOne) {
  MapCells cells;
  const absl::Time nov24 = absl::FromCivil(absl::CivilMinute(2026, 11, 24, 9, 0), kWita);
  const absl::Time nov25 = absl::FromCivil(absl::CivilMinute(2026, 11, 25, 9, 0), kWita);
  const absl::Time dec1 = absl::FromCivil(absl::CivilMinute(2026, 12, 1, 9, 0), kWita);
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  std::vector<v1::Record> records = {PriceRecord(TestUlid(2, 1), 13000, nov24), PriceRecord(TestUlid(2, 2), 14000, nov24),
                                     PriceRecord(TestUlid(2, 3), kMax, nov25), PriceRecord(TestUlid(2, 4), kMax, nov25),
                                     PriceRecord(TestUlid(2, 5), 12500, dec1)};
  for (const auto& r : records) ASSERT_THAT(ApplyContribution(r, +1, kWita, cells), IsOk());
  const auto november = PriceDaysCellKey(absl::CivilMonth(2026, 11), "beras_medium", "pasar_marabahan");
  const auto year = PriceMonthsCellKey(2026, "beras_medium", "pasar_marabahan");
  ASSERT_EQ(cells.cells.count(november), 1u);
  const auto& days = cells.cells.at(november).price_days();
  ASSERT_EQ(days.days_size(), 2);
  EXPECT_EQ(days.days(0).index(), 24);
  EXPECT_EQ(days.days(0).count(), 2);
  EXPECT_EQ(SumOf(days.days(0)), absl::int128(27000));
  EXPECT_EQ(days.days(1).index(), 25);
  EXPECT_EQ(SumOf(days.days(1)), absl::int128(kMax) * 2);  // past 64 bits, kept whole
  const auto& months = cells.cells.at(year).price_months();
  ASSERT_EQ(months.months_size(), 2);
  EXPECT_EQ(months.months(0).index(), 11);
  EXPECT_EQ(months.months(0).count(), 4);
  EXPECT_EQ(SumOf(months.months(0)), absl::int128(kMax) * 2 + 27000);
  EXPECT_EQ(months.months(1).index(), 12);
  EXPECT_EQ(SumOf(months.months(1)), absl::int128(12500));
  EXPECT_EQ(cells.cells.at(PriceDaysCellKey(absl::CivilMonth(2026, 12), "beras_medium", "pasar_marabahan"))
                .price_days().days(0).index(), 1);

  ASSERT_THAT(ApplyContribution(records[2], -1, kWita, cells), IsOk());
  EXPECT_EQ(SumOf(cells.cells.at(november).price_days().days(1)), absl::int128(kMax));
  EXPECT_EQ(cells.cells.at(year).price_months().months(0).count(), 3);
  for (size_t i : {0u, 1u, 3u, 4u}) ASSERT_THAT(ApplyContribution(records[i], -1, kWita, cells), IsOk());
  EXPECT_TRUE(cells.cells.empty());  // every day, month and cell left empty is gone
  EXPECT_EQ(ApplyContribution(records[0], -1, kWita, cells).code(), absl::StatusCode::kInternal);
}

TEST(EffectiveRecordTest, LatestCorrectionWinsAVoidRemovesAndOrderDoesNotMatter) {
  const auto original = PriceRecord(TestUlid(1, 1), 13000);
  auto correction = [&](uint32_t n, int64_t price) {
    v1::Record r = PriceRecord(TestUlid(2, n), 0);
    v1::Correction* c = r.mutable_correction();
    c->set_target_id(original.id());
    c->set_reason("salah ketik");
    *c->mutable_price_sample() = original.price_sample();
    c->mutable_price_sample()->set_price_rupiah(price);
    return r;
  };
  v1::Record voided = PriceRecord(TestUlid(3, 1), 0);
  voided.mutable_void_()->set_target_id(original.id());
  voided.mutable_void_()->set_reason("dobel");

  EXPECT_EQ(EffectiveRecord(&original, {})->price_sample().price_rupiah(), 13000);
  auto c1 = correction(1, 13100), c2 = correction(2, 13200);
  EXPECT_EQ(EffectiveRecord(&original, {c2, c1})->price_sample().price_rupiah(), 13200);
  EXPECT_EQ(EffectiveRecord(&original, {c1, c2})->price_sample().price_rupiah(), 13200);
  EXPECT_EQ(EffectiveRecord(&original, {c1})->id(), original.id());
  // The correction arrived before the original: it already counts.
  EXPECT_EQ(EffectiveRecord(nullptr, {c1})->price_sample().price_rupiah(), 13100);
  EXPECT_FALSE(EffectiveRecord(&original, {c1, voided}));
  EXPECT_FALSE(EffectiveRecord(nullptr, {voided}));
  EXPECT_FALSE(EffectiveRecord(&voided, {}));  // an amendment is never an original
}

}  // namespace
}  // namespace pantau::common
