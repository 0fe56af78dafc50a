#include "common/early_warning.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace pantau::common {
namespace {

// The median of `values` (reordered): the middle one, or the mean of the middle two. A selection,
// not a sort: the rule takes two medians of up to a window of changes on every day of every series.
double Median(std::vector<double>& values) {
  const size_t n = values.size();
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(values.begin(), middle, values.end());
  if (n % 2 == 1) return *middle;
  // The largest of the lower half is the other middle value.
  return (*std::max_element(values.begin(), middle) + *middle) / 2;
}

// Months since year 0: consecutive calendar months are consecutive numbers.
int MonthIndex(int year, int month) { return year * 12 + (month - 1); }

}  // namespace

std::vector<SuddenChange> SuddenChanges(const std::vector<DayMean>& days, const SuddenChangeSettings& settings) {
  std::vector<SuddenChange> out;
  std::vector<double> changes;  // log changes so far, oldest first
  std::vector<double> scratch;  // a window's changes, then their deviations
  const double floor = std::log1p(settings.floor_percent / 100);
  const DayMean* previous = nullptr;
  for (const DayMean& d : days) {
    if (d.count <= 0 || d.sum <= 0) continue;  // no sample, or no price to take a ratio of
    if (previous != nullptr) {
      // Means as exact ratios: (sum_i / count_i) / (sum_{i-1} / count_{i-1}).
      const double ratio = (static_cast<double>(d.sum) * static_cast<double>(previous->count)) /
                           (static_cast<double>(previous->sum) * static_cast<double>(d.count));
      const double r = std::log(ratio);
      const size_t from = changes.size() > static_cast<size_t>(settings.window)
                              ? changes.size() - static_cast<size_t>(settings.window)
                              : 0;
      const size_t learnable = changes.size() - from;
      bool alert = std::abs(r) >= floor;
      double threshold = floor;
      int64_t learnt = 0;
      if (alert && learnable >= static_cast<size_t>(settings.min_history) && settings.min_history > 0) {
        // The window's changes, copied only for a change beyond the floor (the rest never alert).
        scratch.assign(changes.begin() + static_cast<std::ptrdiff_t>(from), changes.end());
        const double median = Median(scratch);
        for (double& h : scratch) h = std::abs(h - median);
        const double spread = settings.mad_multiple * 1.4826 * Median(scratch);
        alert = std::abs(r - median) > spread;
        threshold = std::max(floor, spread);
        learnt = static_cast<int64_t>(learnable);
      }
      if (alert) out.push_back(SuddenChange{d.day, previous->day, ratio, threshold, learnt});
      changes.push_back(r);
    }
    previous = &d;
  }
  return out;
}

AlpsBand AlpsBandOf(double alps) {
  if (alps >= 2) return AlpsBand::kCrisis;
  if (alps >= 1) return AlpsBand::kAlert;
  if (alps >= 0.25) return AlpsBand::kStress;
  return AlpsBand::kNormal;
}

std::string_view AlpsBandName(AlpsBand band) {
  switch (band) {
    case AlpsBand::kStress:
      return "stress";
    case AlpsBand::kAlert:
      return "alert";
    case AlpsBand::kCrisis:
      return "crisis";
    case AlpsBand::kNormal:
      break;
  }
  return "normal";
}

AlpsResult Alps(std::vector<MonthlyPrice> series) {
  std::sort(series.begin(), series.end(), [](const MonthlyPrice& a, const MonthlyPrice& b) {
    return MonthIndex(a.year, a.month) < MonthIndex(b.year, b.month);
  });
  AlpsResult result;
  result.observed_months = static_cast<int>(series.size());
  std::array<int, 12> per_month{};
  for (const auto& p : series) {
    if (p.month >= 1 && p.month <= 12) ++per_month[static_cast<size_t>(p.month - 1)];
  }
  if (result.observed_months < kAlpsMinMonths ||
      std::any_of(per_month.begin(), per_month.end(), [](int n) { return n == 0; })) {
    return result;
  }
  result.enough_history = true;
  // OLS of price on t and 12 month dummies without a constant. With every dummy present the
  // trend is the within-month estimator (Frisch–Waugh): α = Σ (t − t̄_m)(y − ȳ_m) / Σ (t − t̄_m)²,
  // and β_m = ȳ_m − α t̄_m; t counts months from the first one (the origin changes no fitted value).
  const int origin = MonthIndex(series.front().year, series.front().month);
  std::array<long double, 12> t_mean{}, y_mean{};
  for (const auto& p : series) {
    const size_t m = static_cast<size_t>(p.month - 1);
    t_mean[m] += MonthIndex(p.year, p.month) - origin;
    y_mean[m] += p.price;
  }
  for (size_t m = 0; m < 12; ++m) {
    t_mean[m] /= per_month[m];
    y_mean[m] /= per_month[m];
  }
  long double sxy = 0, sxx = 0;
  for (const auto& p : series) {
    const size_t m = static_cast<size_t>(p.month - 1);
    const long double dt = (MonthIndex(p.year, p.month) - origin) - t_mean[m];
    sxy += dt * (p.price - y_mean[m]);
    sxx += dt * dt;
  }
  const long double alpha = sxx > 0 ? sxy / sxx : 0;
  result.trend_per_month = static_cast<double>(alpha);
  for (size_t m = 0; m < 12; ++m) result.month_effects[m] = static_cast<double>(y_mean[m] - alpha * t_mean[m]);
  std::vector<long double> residuals;
  long double sum = 0;
  for (const auto& p : series) {
    const size_t m = static_cast<size_t>(p.month - 1);
    const long double estimated = alpha * (MonthIndex(p.year, p.month) - origin) + result.month_effects[m];
    residuals.push_back(p.price - estimated);
    sum += residuals.back();
    result.points.push_back(AlpsPoint{p.year, p.month, p.price, static_cast<double>(estimated), 0, AlpsBand::kNormal});
  }
  const long double mean = sum / static_cast<long double>(residuals.size());
  long double squares = 0;
  for (long double e : residuals) squares += (e - mean) * (e - mean);
  const long double sd = std::sqrt(squares / static_cast<long double>(residuals.size() - 1));
  result.residual_sd = static_cast<double>(sd);
  // A perfect fit (all residuals 0 up to rounding) has no spread to measure against: ALPS 0.
  const bool perfect = sd <= 1e-9L * std::max<long double>(1, std::abs(mean) + std::abs(y_mean[0]));
  for (size_t i = 0; i < residuals.size(); ++i) {
    const double alps = perfect ? 0 : static_cast<double>(residuals[i] / sd);
    result.points[i].alps = alps;
    result.points[i].band = AlpsBandOf(alps);
  }
  return result;
}

IfpaBand IfpaBandOf(double ifpa) {
  if (ifpa >= 1) return IfpaBand::kAbnormallyHigh;
  if (ifpa >= 0.5) return IfpaBand::kModeratelyHigh;
  if (ifpa <= -1) return IfpaBand::kAbnormallyLow;
  if (ifpa <= -0.5) return IfpaBand::kModeratelyLow;
  return IfpaBand::kNormal;
}

std::string_view IfpaBandName(IfpaBand band) {
  switch (band) {
    case IfpaBand::kAbnormallyLow:
      return "abnormally_low";
    case IfpaBand::kModeratelyLow:
      return "moderately_low";
    case IfpaBand::kModeratelyHigh:
      return "moderately_high";
    case IfpaBand::kAbnormallyHigh:
      return "abnormally_high";
    case IfpaBand::kNormal:
      break;
  }
  return "normal";
}

WeightedStats RisingWeightStats(const std::vector<double>& values) {
  const double n = static_cast<double>(values.size());
  const double total = n * (n + 1) / 2;  // Σk
  double mean = 0;
  for (size_t k = 0; k < values.size(); ++k) mean += static_cast<double>(k + 1) / total * values[k];
  double squares = 0;
  for (size_t k = 0; k < values.size(); ++k) {
    squares += static_cast<double>(k + 1) / total * (values[k] - mean) * (values[k] - mean);
  }
  // Σw = 1: σ_w = sqrt(Σ w (x − x̄)² / ((N − 1) / N)).
  return WeightedStats{mean, std::sqrt(squares * n / (n - 1))};
}

std::vector<IfpaPoint> Ifpa(const std::vector<MonthlyPrice>& series, const IfpaSettings& settings, int from_month) {
  // Dense by month index from the first month observed: a series is a few hundred months.
  int lo = std::numeric_limits<int>::max(), hi = std::numeric_limits<int>::min();
  for (const auto& p : series) {
    if (p.price > 0 && p.month >= 1 && p.month <= 12) {
      lo = std::min(lo, MonthIndex(p.year, p.month));
      hi = std::max(hi, MonthIndex(p.year, p.month));
    }
  }
  std::vector<IfpaPoint> out;
  if (lo > hi) return out;
  // Dense arrays, not a tree: a few hundred months per series, a few hundred series per query.
  const size_t months = static_cast<size_t>(hi - lo + 1);
  auto at = [lo](int t) { return static_cast<size_t>(t - lo); };
  std::vector<double> price(months, 0);  // 0: not observed
  for (const auto& p : series) {
    if (p.price > 0 && p.month >= 1 && p.month <= 12) price[at(MonthIndex(p.year, p.month))] = p.price;
  }
  // Both growth rates, where the months they need were observed.
  std::vector<double> cqgr(months), cagr(months);
  std::vector<bool> has_rates(months, false);
  int first = -1;  // the first month with rates
  for (int t = lo + 12; t <= hi; ++t) {
    const double now = price[at(t)];
    const double quarter = price[at(t - 3)];
    const double year = price[at(t - 12)];
    if (now <= 0 || quarter <= 0 || year <= 0) continue;
    cqgr[at(t)] = std::cbrt(now / quarter) - 1;
    cagr[at(t)] = std::pow(now / year, 1.0 / 12) - 1;
    has_rates[at(t)] = true;
    if (first < 0) first = t;
  }
  if (first < 0) return out;
  std::vector<double> quarterly, annual;
  for (int t = std::max(first, from_month); t <= hi; ++t) {
    if (!has_rates[at(t)]) continue;
    // The same calendar month in earlier years, oldest first.
    quarterly.clear();
    annual.clear();
    for (int earlier = first + (t - first) % 12; earlier < t; earlier += 12) {
      if (!has_rates[at(earlier)]) continue;
      quarterly.push_back(cqgr[at(earlier)]);
      annual.push_back(cagr[at(earlier)]);
    }
    if (static_cast<int>(quarterly.size()) < std::max(settings.min_years, 2)) continue;
    const WeightedStats q = RisingWeightStats(quarterly);
    const WeightedStats a = RisingWeightStats(annual);
    if (q.sd <= 0 || a.sd <= 0) continue;
    IfpaPoint point;
    point.year = t / 12;
    point.month = t % 12 + 1;
    point.cqgr = cqgr[at(t)];
    point.cagr = cagr[at(t)];
    point.ipa_quarterly = (point.cqgr - q.mean) / q.sd;
    point.ipa_annual = (point.cagr - a.mean) / a.sd;
    point.ifpa = settings.gamma * point.ipa_quarterly + (1 - settings.gamma) * point.ipa_annual;
    point.band = IfpaBandOf(point.ifpa);
    point.earlier_years = static_cast<int>(quarterly.size());
    out.push_back(point);
  }
  return out;
}

}  // namespace pantau::common
