// The early-warning rules on series whose answers are worked out by hand in the comments: a HET
// run and its margin at, just inside and just outside the boundary; sudden changes against a calm
// and a volatile history; ALPS on a regression solved by hand; IFPA on growth rates chosen so the
// weighted statistics can be done on paper; every band at, just inside and just outside its cuts.
#include "common/early_warning.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>

namespace pantau::common {
namespace {

DayMean Day(int d, int64_t sum, int64_t count = 1) { return DayMean{absl::CivilDay(2026, 11, d), sum, count}; }

TEST(HetBreachTest, ConsecutiveObservedDaysAboveTheReferenceByMoreThanTheMargin) {
  // HET Rp 13.100 from 1 November; none before.
  auto het = [](absl::CivilDay day) -> std::optional<int64_t> {
    if (day < absl::CivilDay(2026, 11, 1)) return std::nullopt;
    return 13100;
  };
  // 1 Nov: 13.200 (above). 2 Nov: no sample. 3 Nov: mean 13.150 (26.300 / 2, above). 4 Nov: exactly
  // 13.100 (not above: ends the run). 5 Nov: 13.101 (above by Rp 1). 6 Nov: 13.300.
  const std::vector<DayMean> days = {Day(1, 13200), Day(3, 26300, 2), Day(4, 13100), Day(5, 13101), Day(6, 13300)};
  auto runs = HetBreaches(days, het, /*margin_basis_points=*/0, /*min_days=*/1);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].first_day, absl::CivilDay(2026, 11, 1));
  EXPECT_EQ(runs[0].last_day, absl::CivilDay(2026, 11, 3));  // the missing 2nd neither breaks nor counts
  EXPECT_EQ(runs[0].observed_days, 2);
  EXPECT_EQ(runs[0].last_sum, 26300);
  EXPECT_EQ(runs[0].last_count, 2);
  EXPECT_EQ(runs[0].reference_rupiah, 13100);
  EXPECT_EQ(runs[1].first_day, absl::CivilDay(2026, 11, 5));
  EXPECT_EQ(runs[1].observed_days, 2);
  // Three observed days at least: none.
  EXPECT_TRUE(HetBreaches(days, het, 0, 3).empty());

  // A margin of 0,1 % (10 basis points): the line is 13.100 × 1,001 = 13.113,1. A mean of exactly
  // 13.113,1 (131.131 / 10) is not above it; 13.113,2 (131.132 / 10) is; 13.113 is not.
  for (auto [sum, above] : {std::pair<int64_t, bool>{131131, false}, {131132, true}, {131130, false}}) {
    auto at_line = HetBreaches({Day(10, sum, 10)}, het, 10, 1);
    EXPECT_EQ(at_line.size(), above ? 1u : 0u) << sum;
  }
  // No reference in force: never a breach.
  EXPECT_TRUE(HetBreaches({DayMean{absl::CivilDay(2026, 10, 31), 99999, 1}}, het, 0, 1).empty());
}

// Beras: a calm history (±1 % a day) makes a 54 % jump an alert; cabai: a history of ±20 % swings
// makes the same jump normal. A change is always against the previous observation.
TEST(SuddenChangeTest, TheSeriesOwnHistoryDecidesWhatIsNormalAndAFloorStopsSmallChanges) {
  std::vector<DayMean> beras;
  for (int d = 1; d <= 7; ++d) beras.push_back(Day(d, d % 2 == 1 ? 10000 : 10100));
  // The 8th and 9th have no sample: the 10th's 15.554 is compared with the 7th's 10.000 (+55,54 %).
  beras.push_back(Day(10, 15554));
  auto alerts = SuddenChanges(beras);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].day, absl::CivilDay(2026, 11, 10));
  EXPECT_EQ(alerts[0].previous_day, absl::CivilDay(2026, 11, 7));
  EXPECT_NEAR(alerts[0].ratio, 1.5554, 1e-12);
  // Six changes of ±ln 1,01: median 0, MAD 0,00995; 3 × 1,4826 × 0,00995 = 0,0443 is below the
  // floor ln 1,1 = 0,0953, which is the threshold.
  EXPECT_EQ(alerts[0].history, 6);
  EXPECT_NEAR(alerts[0].threshold, std::log1p(0.10), 1e-12);

  std::vector<DayMean> cabai;
  for (int d = 1; d <= 7; ++d) cabai.push_back(Day(d, d % 2 == 1 ? 40000 : 48000));
  cabai.push_back(Day(8, 61600));  // 40.000 → 61.600: +54 %
  // Six changes of ±ln 1,2 = ±0,1823: MAD 0,1823, spread 3 × 1,4826 × 0,1823 = 0,811 > ln 1,54 = 0,432:
  // the 8th is normal for cabai. (The first swings, before six changes were known, passed the floor.)
  auto swings = SuddenChanges(cabai);
  ASSERT_EQ(swings.size(), 6u);
  for (const auto& s : swings) EXPECT_EQ(s.history, 0);
  EXPECT_EQ(swings.back().day, absl::CivilDay(2026, 11, 7));

  // Without history the floor alone decides: +9 % is not an alert, +11 % is, and so is −10 % in
  // log size (a fall to 1 / 1,11).
  EXPECT_TRUE(SuddenChanges({Day(1, 10000), Day(2, 10900)}).empty());
  auto up = SuddenChanges({Day(1, 10000), Day(2, 11100)});
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].history, 0);
  EXPECT_EQ(SuddenChanges({Day(1, 11100), Day(2, 10000)}).size(), 1u);
  // A day without a sample is skipped, never a zero price.
  EXPECT_TRUE(SuddenChanges({Day(1, 10000), Day(2, 0, 0), Day(3, 10050)}).empty());
}

// 36 months, January 2023 to December 2025: price = 10.000 + 50 t + 100 m (t = 0..35 months from
// January 2023, m the calendar month), plus residuals +30, −60, +30 in the three Januaries. Those
// residuals sum to 0 within January and Σ t e = −12·30 + 0 + 12·30 = 0 (t − t̄ = −12, 0, 12), so
// they are orthogonal to the trend and every dummy: OLS returns α = 50, β_m = 10.000 + 100 m, and
// the residuals exactly. Their sample SD is √((30² + 60² + 30²) / 35) = √(5.400 / 35) = 12,42118;
// ALPS of January 2023 and 2025 is 30 / 12,42118 = 2,41523 (crisis), of January 2024 −4,83046
// (normal), 0 elsewhere.
TEST(AlpsTest, AHandSolvedRegressionGivesTheTrendSeasonsAndBands) {
  std::vector<MonthlyPrice> series;
  for (int t = 0; t < 36; ++t) {
    const int year = 2023 + t / 12, month = t % 12 + 1;
    double residual = 0;
    if (month == 1) residual = year == 2024 ? -60 : 30;
    series.push_back({year, month, 10000 + 50.0 * t + 100.0 * month + residual});
  }
  std::reverse(series.begin(), series.end());  // any order
  AlpsResult result = Alps(series);
  ASSERT_TRUE(result.enough_history);
  EXPECT_EQ(result.observed_months, 36);
  EXPECT_NEAR(result.trend_per_month, 50, 1e-9);
  for (int m = 1; m <= 12; ++m) EXPECT_NEAR(result.month_effects[m - 1], 10000 + 100 * m, 1e-7) << m;
  EXPECT_NEAR(result.residual_sd, std::sqrt(5400.0 / 35), 1e-9);
  ASSERT_EQ(result.points.size(), 36u);
  EXPECT_EQ(result.points[0].year, 2023);  // in time order
  EXPECT_NEAR(result.points[0].estimated, 10100, 1e-7);
  EXPECT_NEAR(result.points[0].alps, 30 / std::sqrt(5400.0 / 35), 1e-9);
  EXPECT_NEAR(result.points[0].alps, 2.41523, 1e-5);
  EXPECT_EQ(result.points[0].band, AlpsBand::kCrisis);
  EXPECT_NEAR(result.points[12].alps, -4.83046, 1e-5);
  EXPECT_EQ(result.points[12].band, AlpsBand::kNormal);
  EXPECT_EQ(result.points[24].band, AlpsBand::kCrisis);
  EXPECT_NEAR(result.points[5].alps, 0, 1e-9);

  // 35 months: no figure at all. 40 months with March never observed: none either.
  series.pop_back();
  AlpsResult short_history = Alps(series);
  EXPECT_FALSE(short_history.enough_history);
  EXPECT_TRUE(short_history.points.empty());
  std::vector<MonthlyPrice> no_march;
  for (int t = 0; t < 44; ++t) {
    if (t % 12 != 2) no_march.push_back({2020 + t / 12, t % 12 + 1, 1000.0 + t});
  }
  ASSERT_GE(no_march.size(), 36u);
  EXPECT_FALSE(Alps(no_march).enough_history);
  // A perfect fit has no spread: ALPS 0, normal.
  std::vector<MonthlyPrice> exact;
  for (int t = 0; t < 36; ++t) exact.push_back({2023 + t / 12, t % 12 + 1, 5000.0 + 10 * t});
  AlpsResult flat = Alps(exact);
  ASSERT_TRUE(flat.enough_history);
  for (const auto& p : flat.points) EXPECT_EQ(p.band, AlpsBand::kNormal);
}

TEST(AlpsTest, BandsAtJustInsideAndJustOutsideEachCut) {
  EXPECT_EQ(AlpsBandOf(-3), AlpsBand::kNormal);
  EXPECT_EQ(AlpsBandOf(0.2499), AlpsBand::kNormal);
  EXPECT_EQ(AlpsBandOf(0.25), AlpsBand::kStress);
  EXPECT_EQ(AlpsBandOf(0.9999), AlpsBand::kStress);
  EXPECT_EQ(AlpsBandOf(1), AlpsBand::kAlert);
  EXPECT_EQ(AlpsBandOf(1.9999), AlpsBand::kAlert);
  EXPECT_EQ(AlpsBandOf(2), AlpsBand::kCrisis);
  EXPECT_EQ(AlpsBandName(AlpsBand::kStress), "stress");
}

// Weights 1/6, 2/6, 3/6 on 0,01, 0,02, 0,03: mean 0,14 / 6 = 0,023333; deviations −0,013333,
// −0,003333, 0,006667; Σ w d² = (1,7778e−4 + 2 × 1,1111e−5 + 3 × 4,4444e−5) / 6 = 5,5556e−5;
// × N / (N − 1) = 1,5: 8,3333e−5; σ = 0,0091287.
TEST(IfpaTest, RisingWeightsGiveTheNewestYearMost) {
  WeightedStats s = RisingWeightStats({0.01, 0.02, 0.03});
  EXPECT_NEAR(s.mean, 0.14 / 6, 1e-15);
  EXPECT_NEAR(s.sd, std::sqrt(5.0 / 60000), 1e-12);  // 8,3333e−5 = 5 / 60 000
  EXPECT_NEAR(s.sd, 0.0091287, 1e-7);
}

// January 2024 against the Januaries of 2021–2023. Prices are built so that the growth rates are
// exact: January_y = January_{y−1} × (1 + a_y)^12 and October_{y−1} = January_y / (1 + q_y)^3, with
// q = 0,01, 0,02, 0,03 then 0,05 and a = 0,002, 0,004, 0,006 then 0,004.
// IPA_q = (0,05 − 0,023333) / 0,0091287 = 2,921187; the annual rates are a fifth of 0,01..0,03,
// so IPA_a = (0,004 − 0,0046667) / 0,0018257 = −0,365148; IFPA = 0,4 × 2,921187 + 0,6 × −0,365148
// = 0,949386: moderately high.
TEST(IfpaTest, CompoundGrowthAgainstTheSameMonthOfEarlierYears) {
  const double q[] = {0.01, 0.02, 0.03, 0.05};
  const double a[] = {0.002, 0.004, 0.006, 0.004};
  std::vector<MonthlyPrice> series = {{2020, 1, 1000}};
  double january = 1000;
  for (int i = 0; i < 4; ++i) {
    january *= std::pow(1 + a[i], 12);
    series.push_back({2021 + i, 1, january});
    series.push_back({2020 + i, 10, january / std::pow(1 + q[i], 3)});
  }
  auto points = Ifpa(series);
  ASSERT_EQ(points.size(), 1u);  // January 2024 only: earlier Januaries have fewer than 3 before them
  const IfpaPoint& p = points[0];
  EXPECT_EQ(p.year, 2024);
  EXPECT_EQ(p.month, 1);
  EXPECT_EQ(p.earlier_years, 3);
  EXPECT_NEAR(p.cqgr, 0.05, 1e-12);
  EXPECT_NEAR(p.cagr, 0.004, 1e-12);
  EXPECT_NEAR(p.ipa_quarterly, 2.921187, 1e-6);
  EXPECT_NEAR(p.ipa_annual, -0.365148, 1e-6);
  EXPECT_NEAR(p.ifpa, 0.949386, 1e-6);
  EXPECT_EQ(p.band, IfpaBand::kModeratelyHigh);
  // With two earlier years enough, January 2023 has a figure too (against 2021 and 2022).
  IfpaSettings lenient;
  lenient.min_years = 2;
  EXPECT_EQ(Ifpa(series, lenient).size(), 2u);
  // Asked from 2024 on, the earlier months are history only: January 2024 alone, the same figure.
  const auto from_2024 = Ifpa(series, lenient, 2024 * 12);
  ASSERT_EQ(from_2024.size(), 1u);
  EXPECT_EQ(from_2024[0].year, 2024);
  EXPECT_NEAR(from_2024[0].ifpa, Ifpa(series, lenient)[1].ifpa, 1e-15);
  // γ = 1 is the quarterly IPA alone.
  IfpaSettings quarterly;
  quarterly.gamma = 1;
  EXPECT_NEAR(Ifpa(series, quarterly)[0].ifpa, 2.921187, 1e-6);
  // Without October 2023 January 2024 has no quarterly rate: nothing.
  series.pop_back();
  EXPECT_TRUE(Ifpa(series).empty());
}

TEST(IfpaTest, BandsAtJustInsideAndJustOutsideEachCut) {
  EXPECT_EQ(IfpaBandOf(1), IfpaBand::kAbnormallyHigh);
  EXPECT_EQ(IfpaBandOf(0.9999), IfpaBand::kModeratelyHigh);
  EXPECT_EQ(IfpaBandOf(0.5), IfpaBand::kModeratelyHigh);
  EXPECT_EQ(IfpaBandOf(0.4999), IfpaBand::kNormal);
  EXPECT_EQ(IfpaBandOf(-0.4999), IfpaBand::kNormal);
  EXPECT_EQ(IfpaBandOf(-0.5), IfpaBand::kModeratelyLow);
  EXPECT_EQ(IfpaBandOf(-0.9999), IfpaBand::kModeratelyLow);
  EXPECT_EQ(IfpaBandOf(-1), IfpaBand::kAbnormallyLow);
  EXPECT_EQ(IfpaBandName(IfpaBand::kModeratelyHigh), "moderately_high");
}

}  // namespace
}  // namespace pantau::common
