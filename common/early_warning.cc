#include "common/early_warning.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

namespace pantau::common {
namespace {

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Months since year 0: consecutive calendar months are consecutive numbers.
int MonthIndex(int year, int month) { return year * 12 + (month - 1); }

}  // namespace

std::vector<SuddenChange> SuddenChanges(const std::vector<DayMean>& days, const SuddenChangeSettings& settings) {
  std::vector<SuddenChange> out;
  std::vector<double> changes;  // log changes so far, oldest first
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
      const std::vector<double> history(changes.begin() + static_cast<std::ptrdiff_t>(from), changes.end());
      bool alert = std::abs(r) >= floor;
      double threshold = floor;
      int64_t learnt = 0;
      if (alert && history.size() >= static_cast<size_t>(settings.min_history) && settings.min_history > 0) {
        const double median = Median(history);
        std::vector<double> deviations;
        for (double h : history) deviations.push_back(std::abs(h - median));
        const double spread = settings.mad_multiple * 1.4826 * Median(deviations);
        alert = std::abs(r - median) > spread;
        threshold = std::max(floor, spread);
        learnt = static_cast<int64_t>(history.size());
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
  std::map<int, std::pair<double, double>> rates;  // month index -> (CQGR, CAGR)
  if (lo <= hi) {
    std::vector<double> price(static_cast<size_t>(hi - lo + 1), 0);  // 0: not observed
    for (const auto& p : series) {
      if (p.price > 0 && p.month >= 1 && p.month <= 12) price[static_cast<size_t>(MonthIndex(p.year, p.month) - lo)] = p.price;
    }
    // Both growth rates, where the months they need were observed.
    for (int t = lo + 12; t <= hi; ++t) {
      const double now = price[static_cast<size_t>(t - lo)];
      const double quarter = price[static_cast<size_t>(t - 3 - lo)];
      const double year = price[static_cast<size_t>(t - 12 - lo)];
      if (now <= 0 || quarter <= 0 || year <= 0) continue;
      rates.emplace_hint(rates.end(), t, std::make_pair(std::cbrt(now / quarter) - 1, std::pow(now / year, 1.0 / 12) - 1));
    }
  }
  std::vector<IfpaPoint> out;
  if (rates.empty()) return out;
  const int first = rates.begin()->first;
  for (const auto& [t, rate] : rates) {
    if (t < from_month) continue;
    // The same calendar month in earlier years, oldest first.
    std::vector<double> quarterly, annual;
    for (int earlier = first + (t - first) % 12; earlier < t; earlier += 12) {
      auto r = rates.find(earlier);
      if (r == rates.end()) continue;
      quarterly.push_back(r->second.first);
      annual.push_back(r->second.second);
    }
    if (static_cast<int>(quarterly.size()) < std::max(settings.min_years, 2)) continue;
    const WeightedStats q = RisingWeightStats(quarterly);
    const WeightedStats a = RisingWeightStats(annual);
    if (q.sd <= 0 || a.sd <= 0) continue;
    IfpaPoint point;
    point.year = t / 12;
    point.month = t % 12 + 1;
    point.cqgr = rate.first;
    point.cagr = rate.second;
    point.ipa_quarterly = (rate.first - q.mean) / q.sd;
    point.ipa_annual = (rate.second - a.mean) / a.sd;
    point.ifpa = settings.gamma * point.ipa_quarterly + (1 - settings.gamma) * point.ipa_annual;
    point.band = IfpaBandOf(point.ifpa);
    point.earlier_years = static_cast<int>(quarterly.size());
    out.push_back(point);
  }
  return out;
}

}  // namespace pantau::common
