#include "common/price_stats.h"

#include <gtest/gtest.h>

#include "tests/testing/test_support.h"

namespace pantau::common {
namespace {

v1::RollupCell Cell(std::vector<int64_t> prices, std::vector<std::string> traders) {
  v1::RollupCell c;
  std::sort(prices.begin(), prices.end());
  for (auto p : prices) c.mutable_price()->add_prices_rupiah(p);
  std::sort(traders.begin(), traders.end());
  for (const auto& t : traders) {
    auto* tc = c.mutable_price()->add_traders();
    tc->set_trader(t);
    tc->set_count(1);
  }
  return c;
}

class PriceStatsTest : public ::testing::Test {
 protected:
  PriceStatsTest() { catalog_.Upsert(pantau::testing::BerasMediumHet()); }
  ReferenceCatalog catalog_;
  const std::vector<std::string> zones_ = {"2", "kalsel", "nasional"};
};

// Samples without a trader's name (the roll-up keeps them under "") are samples, not a trader.
TEST_F(PriceStatsTest, SamplesWithoutATraderNameAreNotADistinctTrader) {
  const absl::CivilDay mon(2026, 11, 23);
  v1::RollupCell cell = Cell({13000, 13100, 13200}, {"Ani"});
  auto* nameless = cell.mutable_price()->add_traders();
  nameless->set_trader("");
  nameless->set_count(2);
  CellList cells = {{PriceCellKey(mon, "beras_medium", "pasar_a"), cell}};
  auto series = PriceSeries(cells, "beras_medium", "pasar_a", PriceBucket::kDay, catalog_, zones_);
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].samples, 3);
  EXPECT_EQ(series[0].traders, 1);
}

TEST_F(PriceStatsTest, DailyStatisticsChangesAcrossAMissingDayAndTheHet) {
  const absl::CivilDay mon(2026, 11, 23);
  CellList cells = {
      {PriceCellKey(mon, "beras_medium", "pasar_a"), Cell({13000, 13100, 13300}, {"Ani", "Budi", "Ina"})},
      // Tuesday has no samples: Wednesday compares with Monday, and says so.
      {PriceCellKey(mon + 2, "beras_medium", "pasar_a"), Cell({13500, 13700}, {"Ani", "Budi"})},
      {PriceCellKey(mon + 3, "beras_medium", "pasar_a"), Cell({13000}, {"Ani"})},
      {PriceCellKey(mon, "beras_medium", "pasar_b"), Cell({99999}, {"X"})},  // another market
      {PriceCellKey(mon, "gula_konsumsi", "pasar_a"), Cell({17500}, {"Ani"})},
  };
  auto series = PriceSeries(cells, "beras_medium", "pasar_a", PriceBucket::kDay, catalog_, zones_);
  ASSERT_EQ(series.size(), 3u);
  const auto& monday = series[0];
  EXPECT_EQ(monday.label, "2026-11-23");
  EXPECT_EQ(monday.samples, 3);
  EXPECT_EQ(monday.traders, 3);
  EXPECT_EQ(FormatRatio(monday.mean, 2), "13133.33");
  EXPECT_EQ(FormatRatio(monday.median, 0), "13100");
  EXPECT_EQ(monday.min_rupiah, 13000);
  EXPECT_EQ(monday.max_rupiah, 13300);
  EXPECT_FALSE(monday.previous_label);
  EXPECT_EQ(*monday.reference_rupiah, 13100);
  EXPECT_EQ(monday.reference_kind, "HET");
  EXPECT_EQ(FormatRatio(*monday.above_reference_percent, 2), "0.25");  // 33.33 / 13100

  const auto& wednesday = series[1];
  EXPECT_EQ(*wednesday.previous_label, "2026-11-23");
  EXPECT_EQ(FormatRatio(wednesday.median, 0), "13600");  // mean of the two middle samples
  EXPECT_EQ(FormatRatio(*wednesday.change_rupiah, 2), "466.67");
  EXPECT_EQ(FormatRatio(*wednesday.change_percent, 2), "3.55");

  const auto& thursday = series[2];
  EXPECT_EQ(FormatRatio(*thursday.change_rupiah, 0), "-600");
  EXPECT_EQ(FormatRatio(*thursday.change_percent, 2), "-4.41");
}

TEST_F(PriceStatsTest, WeeksAndMonthsPoolTheRawSamples) {
  CellList cells = {
      {PriceCellKey(absl::CivilDay(2026, 11, 23), "beras_medium", "pasar_a"), Cell({13000, 13200}, {"Ani", "Budi"})},
      {PriceCellKey(absl::CivilDay(2026, 11, 29), "beras_medium", "pasar_a"), Cell({13400}, {"Ani"})},
      {PriceCellKey(absl::CivilDay(2026, 11, 30), "beras_medium", "pasar_a"), Cell({13600}, {"Ina"})},
  };
  auto weeks = PriceSeries(cells, "beras_medium", "pasar_a", PriceBucket::kWeek, catalog_, zones_);
  ASSERT_EQ(weeks.size(), 2u);
  EXPECT_EQ(weeks[0].label, "2026-W48");
  EXPECT_EQ(weeks[0].samples, 3);
  EXPECT_EQ(weeks[0].traders, 2);
  EXPECT_EQ(FormatRatio(weeks[0].mean, 0), "13200");
  EXPECT_EQ(weeks[1].label, "2026-W49");
  auto months = PriceSeries(cells, "beras_medium", "pasar_a", PriceBucket::kMonth, catalog_, zones_);
  ASSERT_EQ(months.size(), 1u);
  EXPECT_EQ(months[0].samples, 4);
  EXPECT_EQ(months[0].traders, 3);
  EXPECT_EQ(FormatRatio(months[0].median, 0), "13300");
}

TEST_F(PriceStatsTest, NoSamplesNoPointsAndNoReferenceWithoutOne) {
  EXPECT_TRUE(PriceSeries({}, "beras_medium", "pasar_a", PriceBucket::kDay, catalog_, zones_).empty());
  CellList cells = {{PriceCellKey(absl::CivilDay(2026, 11, 23), "telur_itik", "pasar_a"), Cell({3000}, {"Ani"})}};
  auto series = PriceSeries(cells, "telur_itik", "pasar_a", PriceBucket::kDay, catalog_, zones_);
  ASSERT_EQ(series.size(), 1u);
  EXPECT_FALSE(series[0].reference_rupiah);
  EXPECT_FALSE(series[0].above_reference_percent);
}

TEST(RatioSignTest, NegativeValuesRoundAwayFromZero) {
  EXPECT_EQ(FormatRatio({-1, 8}, 2), "-0.13");
  EXPECT_EQ(FormatRatio({-1, 1000}, 2), "0.00");
  EXPECT_EQ(FormatRatio({5, -2}, 1), "-2.5");
}

}  // namespace
}  // namespace pantau::common
