// Price early warning (docs/early-warning.md): the rules that turn a market × commodity price series
// into alerts, as pure functions over series the caller reads from the roll-ups.
//
//   - HET/HAP breach: a day's mean above the reference price in force by more than a margin, and
//     the run of consecutive observed days it belongs to (exact: integers only);
//   - sudden change: a change between consecutive observations (a missing day never enters a
//     change) beyond what the series' own recent changes make normal — a multiple of the median
//     absolute deviation of its log changes — and never below a floor;
//   - ALPS (WFP, Technical Guidance Note, April 2014): OLS of monthly prices on a time trend and
//     12 month dummies without a constant; ALPS = residual / sample SD of the residuals;
//   - IFPA (FAO GIEWS, SDG 2.c.1, Baquedano 2015 as ONS implements it): compound quarterly and
//     annual growth rates, each standardised against the same calendar month of earlier years
//     (weights rising towards the target year), combined with γ = 0.4.
//
// Too short a history gives no number, never a guess: ALPS needs 36 observed months covering every
// calendar month; IFPA needs the growth rates of a calendar month in `min_years` earlier years.
// Thread-safety: stateless.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/time/civil_time.h"

namespace pantau::common {

// ---- Daily series (from the price roll-up cells) ----

// The samples of one market × commodity on one local day: their sum and count (the exact mean is
// sum / count).
struct DayMean {
  absl::CivilDay day;
  absl::int128 sum = 0;  // whole Rupiah (128 bits: a day of prices at the ceiling cannot wrap)
  int64_t count = 0;
};

// A run of consecutive observed days whose mean is above the reference price by more than the
// margin. A day without a sample neither breaks nor extends a run; a day above without a reference
// in force, or not above, ends it.
struct HetBreach {
  absl::CivilDay first_day;
  absl::CivilDay last_day;
  int64_t observed_days = 0;
  // The last day's figures.
  absl::int128 last_sum = 0;
  int64_t last_count = 0;
  int64_t reference_rupiah = 0;
};

// The runs of `days` (ascending, one entry per observed day) above the reference by more than
// `margin_basis_points` (100 = 1 %): mean × 10 000 > reference × (10 000 + margin), in 128 bits.
// Only runs of at least `min_days` observed days are returned, in day order. `reference_on(day)`
// is the reference in force on that day, or nullopt.
template <typename ReferenceOn>
std::vector<HetBreach> HetBreaches(const std::vector<DayMean>& days, ReferenceOn reference_on,
                                   int64_t margin_basis_points, int64_t min_days);

// A change between two consecutive observations beyond the series' usual changes.
struct SuddenChange {
  absl::CivilDay day;
  absl::CivilDay previous_day;
  double ratio = 1;        // this mean / the previous one
  double threshold = 0;    // the size of log change that was exceeded (|ln ratio| > threshold)
  int64_t history = 0;     // changes the threshold was learnt from (0: the floor alone)
};

struct SuddenChangeSettings {
  int window = 12;          // the previous changes the usual size is learnt from
  int min_history = 6;      // fewer than this: the floor alone decides
  double mad_multiple = 3;  // k: deviation from the median change > k × 1.4826 × MAD
  double floor_percent = 10;  // a change smaller than this (up or down) is never an alert
};

// Each observation i ≥ 1 of `days` (ascending) whose log change r = ln(mean_i / mean_{i−1}) is at
// least ln(1 + floor/100) in size (up, or down by the same log size) and, once `min_history`
// earlier changes exist, deviates from their median by more than k × 1.4826 × MAD of the last
// `window` of them (1.4826 × MAD estimates a standard deviation robustly).
std::vector<SuddenChange> SuddenChanges(const std::vector<DayMean>& days, const SuddenChangeSettings& settings = {});

// ---- Monthly series (ALPS, IFPA) ----

struct MonthlyPrice {
  int year = 0;
  int month = 0;  // 1..12
  double price = 0;
};

enum class AlpsBand { kNormal, kStress, kAlert, kCrisis };
// normal < 0.25 ≤ stress < 1 ≤ alert < 2 ≤ crisis; a negative value is normal.
AlpsBand AlpsBandOf(double alps);
std::string_view AlpsBandName(AlpsBand band);  // "normal", "stress", "alert", "crisis"

inline constexpr int kAlpsMinMonths = 36;

struct AlpsPoint {
  int year = 0;
  int month = 0;
  double price = 0;
  double estimated = 0;  // the seasonal trend's price for that month
  double alps = 0;
  AlpsBand band = AlpsBand::kNormal;
};

struct AlpsResult {
  // False with fewer than kAlpsMinMonths observed months or a calendar month never observed: no
  // figure is given ("riwayat belum cukup").
  bool enough_history = false;
  int observed_months = 0;
  double trend_per_month = 0;            // α
  std::array<double, 12> month_effects{};  // β_1..β_12 (with the trend measured from the first month)
  double residual_sd = 0;                // sample SD (n − 1) of the residuals
  std::vector<AlpsPoint> points;         // one per observed month, in time order
};

// ALPS over `series` (any order; one price per month, months may be missing), estimated on the
// whole series. A residual SD of 0 (a perfect fit) gives ALPS 0 everywhere.
AlpsResult Alps(std::vector<MonthlyPrice> series);

enum class IfpaBand { kAbnormallyLow, kModeratelyLow, kNormal, kModeratelyHigh, kAbnormallyHigh };
// ≤ −1 abnormally low; (−1, −0.5] moderately low; (−0.5, 0.5) normal; [0.5, 1) moderately high;
// ≥ 1 abnormally high.
IfpaBand IfpaBandOf(double ifpa);
std::string_view IfpaBandName(IfpaBand band);

struct IfpaSettings {
  double gamma = 0.4;  // weight of the quarterly IPA (ONS, SDG 2.c.1 metadata)
  int min_years = 3;   // earlier years of the same calendar month needed
};

struct IfpaPoint {
  int year = 0;
  int month = 0;
  double cqgr = 0;   // (P_t / P_{t−3})^(1/3) − 1
  double cagr = 0;   // (P_t / P_{t−12})^(1/12) − 1
  double ipa_quarterly = 0;
  double ipa_annual = 0;
  double ifpa = 0;
  IfpaBand band = IfpaBand::kNormal;
  int earlier_years = 0;
};

// Weighted mean and SD of `values` (oldest first) with weights k / Σk, k = 1..N (Baquedano eq. 4–5:
// σ_w = sqrt(Σ w (x − x̄)² / (Σ w × (N − 1) / N))). REQUIRES: at least 2 values.
struct WeightedStats {
  double mean = 0;
  double sd = 0;
};
WeightedStats RisingWeightStats(const std::vector<double>& values);

// IFPA of every month of `series` that has both growth rates and, for its calendar month, both
// rates in at least `min_years` earlier years (with a non-zero spread); months without are left out
// ("riwayat belum cukup"). Prices must be positive (others are ignored). Months before
// `from_month` (year × 12 + month − 1) are history only: no point is computed for them.
std::vector<IfpaPoint> Ifpa(const std::vector<MonthlyPrice>& series, const IfpaSettings& settings = {},
                            int from_month = std::numeric_limits<int>::min());

// ---- Template definition ----

template <typename ReferenceOn>
std::vector<HetBreach> HetBreaches(const std::vector<DayMean>& days, ReferenceOn reference_on,
                                   int64_t margin_basis_points, int64_t min_days) {
  std::vector<HetBreach> out;
  std::optional<HetBreach> run;
  auto close = [&] {
    if (run && run->observed_days >= min_days) out.push_back(*run);
    run.reset();
  };
  for (const DayMean& d : days) {
    if (d.count <= 0) continue;
    const std::optional<int64_t> reference = reference_on(d.day);
    const bool above = reference && *reference > 0 &&
                       d.sum * 10000 >
                           absl::int128(*reference) * (10000 + margin_basis_points) * d.count;
    if (!above) {
      close();
      continue;
    }
    if (!run) run = HetBreach{d.day, d.day, 0, 0, 0, 0};
    run->last_day = d.day;
    ++run->observed_days;
    run->last_sum = d.sum;
    run->last_count = d.count;
    run->reference_rupiah = *reference;
  }
  close();
  return out;
}

}  // namespace pantau::common
