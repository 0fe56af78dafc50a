// Price stability of the bahan pokok (DOMAIN.md, research/prices.md §1.5): koefisien variasi
// antar waktu of each commodity over a period, their mean (the yearly figure), and the disparity
// between markets. Exact: every figure is computed in integers and rounded half up once.
// Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "common/indicators.h"
#include "common/price_stats.h"
#include "common/reference_catalog.h"

namespace pantau::common {

// sum / count rounded half up to a whole number, in 128 bits (a sum of a year's prices cannot
// wrap). REQUIRES: sum >= 0, count > 0, and the mean fits 64 bits (it is at most the largest value).
int64_t RoundedMean(absl::int128 sum, int64_t count);

// Koefisien variasi = sample standard deviation (n - 1) / mean x 100 of `values`, in hundredths
// of a percent, rounded half up: {100, 110, 120} -> 909 (9.09 %). Computed exactly: the square
// root is an integer square root of an exact rational. nullopt with fewer than two values or a
// mean that is not positive.
std::optional<int64_t> KvHundredths(const std::vector<int64_t>& values);

struct StabilityRow {
  std::string commodity;
  // The series: one mean per bucket with samples (whole Rupiah, half up), in time order.
  std::vector<std::string> periods;
  std::vector<int64_t> period_means;
  std::optional<int64_t> kv_hundredths;
  // Disparity between markets over the whole period.
  std::vector<std::string> markets;
  std::vector<int64_t> market_means;
  std::optional<int64_t> disparity_kv_hundredths;
  std::string cheapest_market, dearest_market;
  int64_t gap_rupiah = 0;
  std::optional<Ratio> gap_percent;  // 100 x gap / cheapest mean
};

struct Stability {
  std::vector<StabilityRow> rows;  // by commodity code, commodities with samples only
  // Mean of the rows' KVs as rounded (hundredths / 100 / count), over rows that have one.
  std::optional<Ratio> mean_kv_percent;
  int64_t commodities_with_kv = 0;
};

// Over the price cells of [first, last] (cells outside are ignored), every market or only
// `market` when it is not empty.
Stability PriceStability(const CellList& price_cells, absl::CivilDay first, absl::CivilDay last,
                         PriceBucket bucket, std::string_view market);

}  // namespace pantau::common
