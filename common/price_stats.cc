#include "common/price_stats.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/numeric/int128.h"
#include "common/dates.h"
#include "common/periods.h"

namespace pantau::common {
namespace {

struct Accumulator {
  absl::CivilDay first, last;
  std::vector<int64_t> prices;
  std::set<std::string> traders;
};

}  // namespace

Period BucketOf(absl::CivilDay day, PriceBucket bucket) {
  if (bucket == PriceBucket::kWeek) return IsoWeekOf(day);
  if (bucket == PriceBucket::kMonth) return *MonthPeriod(static_cast<int>(day.year()), day.month());
  return DayPeriod(day);
}

std::vector<PricePoint> PriceSeries(const CellList& cells, std::string_view commodity,
                                    std::string_view market, PriceBucket bucket,
                                    const ReferenceCatalog& catalog,
                                    const std::vector<std::string>& zones) {
  std::map<std::string, Accumulator> buckets;  // label order is time order for each bucket kind
  for (const auto& [key, cell] : cells) {
    auto parts = ParseCellKey(key);
    if (!parts || parts->family != RollupFamily::kPrice || parts->codes.size() != 2 ||
        parts->codes[0] != commodity || parts->codes[1] != market) {
      continue;
    }
    const Period period = BucketOf(parts->day, bucket);
    Accumulator& a = buckets[period.label];
    a.first = period.first;
    a.last = period.last;
    for (int64_t p : cell.price().prices_rupiah()) a.prices.push_back(p);
    // Samples without a trader's name are samples, never a distinct trader.
    for (const auto& t : cell.price().traders()) {
      if (!t.trader().empty()) a.traders.insert(t.trader());
    }
  }
  std::vector<PricePoint> out;
  const PricePoint* previous = nullptr;
  for (auto& [label, a] : buckets) {
    if (a.prices.empty()) continue;
    std::sort(a.prices.begin(), a.prices.end());
    PricePoint p;
    p.label = label;
    p.first = a.first;
    p.last = a.last;
    p.samples = static_cast<int64_t>(a.prices.size());
    p.traders = static_cast<int64_t>(a.traders.size());
    // Sums and products in 128 bits (docs/security.md): nothing here can wrap.
    absl::int128 sum = 0;
    for (int64_t v : a.prices) sum += v;
    p.mean = RatioOf(sum, p.samples);
    const size_t n = a.prices.size();
    p.median = n % 2 == 1 ? Whole(a.prices[n / 2])
                          : RatioOf(absl::int128(a.prices[n / 2 - 1]) + a.prices[n / 2], 2);
    p.min_rupiah = a.prices.front();
    p.max_rupiah = a.prices.back();
    if (previous != nullptr) {
      p.previous_label = previous->label;
      // mean - prev = sum/n - psum/pn = (sum*pn - psum*n) / (n*pn)
      const Ratio& m = p.mean;
      const Ratio& pm = previous->mean;
      const absl::int128 difference =
          absl::int128(m.numerator) * pm.denominator - absl::int128(pm.numerator) * m.denominator;
      p.change_rupiah = RatioOf(difference, absl::int128(m.denominator) * pm.denominator);
      // 100 * change / prev = 100 * (m - pm) / pm = 100 * (mn*pd - pn*md) / (md * pn)
      if (pm.numerator != 0) {
        p.change_percent = RatioOf(100 * difference, absl::int128(m.denominator) * pm.numerator);
      }
    }
    if (const v1::ReferencePrice* ref = catalog.ReferencePriceFor(commodity, zones, a.last)) {
      p.reference_rupiah = ref->price_rupiah();
      p.reference_kind = ref->kind() == v1::REFERENCE_PRICE_KIND_HET ? "HET" : "HAP";
      p.reference_regulation = ref->regulation();
      // 100 * (mean - ref) / ref
      p.above_reference_percent =
          RatioOf(100 * (absl::int128(p.mean.numerator) - absl::int128(ref->price_rupiah()) * p.mean.denominator),
                  absl::int128(p.mean.denominator) * ref->price_rupiah());
    }
    out.push_back(p);
    previous = &out.back();
  }
  return out;
}

}  // namespace pantau::common
