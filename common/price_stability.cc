#include "common/price_stability.h"

#include <map>

#include "absl/numeric/int128.h"
#include "common/rollups.h"

namespace pantau::common {
namespace {

// floor(sqrt(x)).
uint64_t IntegerSqrt(absl::uint128 x) {
  uint64_t low = 0, high = UINT64_MAX;
  while (low < high) {
    const uint64_t mid = low + (high - low) / 2 + 1;
    if (absl::uint128(mid) * mid <= x) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  return low;
}

struct Sums {
  absl::int128 sum = 0;
  int64_t count = 0;
};

}  // namespace

int64_t RoundedMean(absl::int128 sum, int64_t count) {
  return static_cast<int64_t>((2 * sum + count) / (absl::int128(2) * count));
}

std::optional<int64_t> KvHundredths(const std::vector<int64_t>& values) {
  const int64_t n = static_cast<int64_t>(values.size());
  if (n < 2) return std::nullopt;
  absl::int128 s = 0, q = 0;
  for (int64_t v : values) {
    s += v;
    q += absl::int128(v) * v;
  }
  if (s <= 0) return std::nullopt;
  // KV x 100 = sqrt(X), X = 10^8 x n (nQ - S^2) / ((n - 1) S^2); rounded half up it is
  // floor((floor(sqrt(4X)) + 1) / 2), and floor(sqrt(4X)) = isqrt(floor(4X)).
  const absl::int128 spread = absl::int128(n) * q - s * s;  // >= 0 (Cauchy-Schwarz)
  const absl::int128 numerator = absl::int128(400000000) * n * spread;
  const absl::int128 denominator = absl::int128(n - 1) * s * s;
  const uint64_t root = IntegerSqrt(static_cast<absl::uint128>(numerator / denominator));
  return static_cast<int64_t>((root + 1) / 2);
}

Stability PriceStability(const CellList& price_cells, absl::CivilDay first, absl::CivilDay last,
                         PriceBucket bucket, std::string_view market) {
  // commodity -> bucket label -> sums; commodity -> market -> sums.
  std::map<std::string, std::map<std::string, Sums>> by_period;
  std::map<std::string, std::map<std::string, Sums>> by_market;
  for (const auto& [key, cell] : price_cells) {
    auto parts = ParseCellKey(key);
    if (!parts || parts->family != RollupFamily::kPrice || parts->codes.size() != 2) continue;
    if (parts->day < first || parts->day > last) continue;
    if (!market.empty() && parts->codes[1] != market) continue;
    Sums cell_sums;
    for (int64_t p : cell.price().prices_rupiah()) cell_sums.sum += p;
    cell_sums.count = cell.price().prices_rupiah_size();
    if (cell_sums.count == 0) continue;
    for (Sums* s : {&by_period[parts->codes[0]][BucketOf(parts->day, bucket).label],
                    &by_market[parts->codes[0]][parts->codes[1]]}) {
      s->sum += cell_sums.sum;
      s->count += cell_sums.count;
    }
  }
  Stability out;
  int64_t kv_sum = 0;
  for (const auto& [commodity, periods] : by_period) {
    StabilityRow row;
    row.commodity = commodity;
    for (const auto& [label, s] : periods) {  // labels of one bucket kind sort in time order
      row.periods.push_back(label);
      row.period_means.push_back(RoundedMean(s.sum, s.count));
    }
    row.kv_hundredths = KvHundredths(row.period_means);
    if (row.kv_hundredths) {
      kv_sum += *row.kv_hundredths;
      ++out.commodities_with_kv;
    }
    for (const auto& [m, s] : by_market[commodity]) {
      const int64_t mean = RoundedMean(s.sum, s.count);
      row.markets.push_back(m);
      row.market_means.push_back(mean);
    }
    // Cheapest and dearest: the first market with the least and the greatest mean.
    size_t lo = 0, hi = 0;
    for (size_t i = 1; i < row.market_means.size(); ++i) {
      if (row.market_means[i] < row.market_means[lo]) lo = i;
      if (row.market_means[i] > row.market_means[hi]) hi = i;
    }
    row.cheapest_market = row.markets[lo];
    row.dearest_market = row.markets[hi];
    row.gap_rupiah = row.market_means[hi] - row.market_means[lo];
    if (row.market_means[lo] > 0) row.gap_percent = Ratio{100 * row.gap_rupiah, row.market_means[lo]};
    row.disparity_kv_hundredths = KvHundredths(row.market_means);
    out.rows.push_back(std::move(row));
  }
  if (out.commodities_with_kv > 0) out.mean_kv_percent = Ratio{kv_sum, 100 * out.commodities_with_kv};
  return out;
}

}  // namespace pantau::common
