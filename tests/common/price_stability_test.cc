#include "common/price_stability.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "common/rollups.h"

namespace pantau::common {
namespace {

v1::RollupCell Cell(std::vector<int64_t> prices) {
  v1::RollupCell c;
  std::sort(prices.begin(), prices.end());
  for (auto p : prices) c.mutable_price()->add_prices_rupiah(p);
  return c;
}

TEST(KvTest, HandComputedValues) {
  EXPECT_EQ(KvHundredths({100, 110, 120}), 909);  // SD 10 / mean 110 = 9.0909 %
  EXPECT_EQ(KvHundredths({13000, 13000, 13000}), 0);
  EXPECT_EQ(KvHundredths({17000, 18000}), 404);  // 707.1 / 17500 = 4.0406 %
  EXPECT_FALSE(KvHundredths({}));
  EXPECT_FALSE(KvHundredths({13000}));  // one value has no spread to speak of
  EXPECT_FALSE(KvHundredths({0, 0}));   // no mean to divide by
}

TEST(KvTest, HalfwayRoundsUpExactly) {
  // SD 1 / mean 800 = 0.125 %: exactly halfway between 0.12 and 0.13.
  EXPECT_EQ(KvHundredths({799, 800, 801}), 13);
  // Just below halfway: SD 10 / mean 8001 = 0.12498 %.
  EXPECT_EQ(KvHundredths({7991, 8001, 8011}), 12);
  // Just above: SD 1 / mean 799 = 0.12516 %.
  EXPECT_EQ(KvHundredths({798, 799, 800}), 13);
}

TEST(KvTest, AgreesWithFloatingPointAwayFromHalfway) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::vector<int64_t> v(2 + rng() % 50);
    const int64_t base = 1000 + static_cast<int64_t>(rng() % 200000);
    for (auto& x : v) x = base + static_cast<int64_t>(rng() % (base / 2 + 1));
    double mean = 0, ss = 0;
    for (auto x : v) mean += static_cast<double>(x);
    mean /= static_cast<double>(v.size());
    for (auto x : v) ss += (static_cast<double>(x) - mean) * (static_cast<double>(x) - mean);
    const double kv100 = std::sqrt(ss / static_cast<double>(v.size() - 1)) / mean * 10000;
    if (std::abs(kv100 - std::floor(kv100) - 0.5) < 1e-6) continue;  // too close to call in floating point
    EXPECT_EQ(*KvHundredths(v), static_cast<int64_t>(std::floor(kv100 + 0.5))) << round;
  }
}

TEST(RoundedMeanTest, HalfUp) {
  EXPECT_EQ(RoundedMean(32900, 3), 10967);  // 10966.67
  EXPECT_EQ(RoundedMean(5, 2), 3);          // 2.5
  EXPECT_EQ(RoundedMean(31200, 3), 10400);
}

TEST(PriceStabilityTest, MonthlySeriesKvMeanAndDisparity) {
  CellList cells = {
      {PriceCellKey(absl::CivilDay(2026, 1, 5), "beras_medium", "pasar_a"), Cell({10000, 10200})},
      {PriceCellKey(absl::CivilDay(2026, 1, 6), "beras_medium", "pasar_b"), Cell({11000})},
      {PriceCellKey(absl::CivilDay(2026, 2, 2), "beras_medium", "pasar_a"), Cell({10400})},
      {PriceCellKey(absl::CivilDay(2026, 3, 2), "beras_medium", "pasar_a"), Cell({10600})},
      {PriceCellKey(absl::CivilDay(2026, 3, 3), "beras_medium", "pasar_b"), Cell({11000, 11300})},
      {PriceCellKey(absl::CivilDay(2026, 1, 5), "gula_konsumsi", "pasar_a"), Cell({17000})},
      {PriceCellKey(absl::CivilDay(2026, 2, 2), "gula_konsumsi", "pasar_a"), Cell({18000})},
      {PriceCellKey(absl::CivilDay(2026, 3, 2), "minyakita", "pasar_a"), Cell({15700})},
      // Outside the period: ignored.
      {PriceCellKey(absl::CivilDay(2025, 12, 31), "beras_medium", "pasar_a"), Cell({90000})},
      {PriceCellKey(absl::CivilDay(2027, 1, 1), "beras_medium", "pasar_a"), Cell({90000})},
  };
  const Stability s = PriceStability(cells, absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 12, 31),
                                     PriceBucket::kMonth, "");
  ASSERT_EQ(s.rows.size(), 3u);
  const StabilityRow& beras = s.rows[0];
  EXPECT_EQ(beras.commodity, "beras_medium");
  EXPECT_EQ(beras.periods, (std::vector<std::string>{"2026-01", "2026-02", "2026-03"}));
  // January (10000 + 10200 + 11000) / 3; March 32900 / 3 = 10966.67 -> 10967.
  EXPECT_EQ(beras.period_means, (std::vector<int64_t>{10400, 10400, 10967}));
  EXPECT_EQ(beras.kv_hundredths, 309);  // 3.0915 %
  EXPECT_EQ(beras.markets, (std::vector<std::string>{"pasar_a", "pasar_b"}));
  EXPECT_EQ(beras.market_means, (std::vector<int64_t>{10300, 11100}));
  EXPECT_EQ(beras.cheapest_market, "pasar_a");
  EXPECT_EQ(beras.dearest_market, "pasar_b");
  EXPECT_EQ(beras.gap_rupiah, 800);
  EXPECT_EQ(FormatRatio(*beras.gap_percent, 2), "7.77");
  EXPECT_EQ(beras.disparity_kv_hundredths, 529);  // 565.69 / 10700

  const StabilityRow& gula = s.rows[1];
  EXPECT_EQ(gula.kv_hundredths, 404);
  EXPECT_FALSE(gula.disparity_kv_hundredths);  // one market
  EXPECT_EQ(gula.gap_rupiah, 0);
  EXPECT_FALSE(s.rows[2].kv_hundredths);  // minyakita: one month only

  // Yearly figure: mean of the KVs of the commodities that have one: (3.09 + 4.04) / 2.
  EXPECT_EQ(s.commodities_with_kv, 2);
  EXPECT_EQ(FormatRatio(*s.mean_kv_percent, 2), "3.57");

  // One market only: pasar_b's series is January 11000, March 11150.
  const Stability b = PriceStability(cells, absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 12, 31),
                                     PriceBucket::kMonth, "pasar_b");
  ASSERT_EQ(b.rows.size(), 1u);
  EXPECT_EQ(b.rows[0].period_means, (std::vector<int64_t>{11000, 11150}));
  EXPECT_EQ(b.rows[0].kv_hundredths, KvHundredths({11000, 11150}));
}

TEST(PriceStabilityTest, EmptyPeriodHasNoRowsAndNoMean) {
  const Stability s = PriceStability({}, absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 12, 31),
                                     PriceBucket::kMonth, "");
  EXPECT_TRUE(s.rows.empty());
  EXPECT_FALSE(s.mean_kv_percent);  // missing, never 0 %
}

}  // namespace
}  // namespace pantau::common
