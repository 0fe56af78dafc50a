// Price statistics of one commodity in one market, by day, ISO week or month, from the price
// roll-up cells: mean and median of the raw trader samples, min, max, traders, the change against
// the previous valid observation, and the reference price (HET/HAP) in force. Pure; exact.
// Thread-safety: stateless.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/indicators.h"
#include "common/periods.h"
#include "common/reference_catalog.h"

namespace pantau::common {

enum class PriceBucket { kDay, kWeek, kMonth };

// The day, ISO week or month `day` falls in.
Period BucketOf(absl::CivilDay day, PriceBucket bucket);

struct PricePoint {
  std::string label;  // "2026-11-24", "2026-W48", "2026-11"
  absl::CivilDay first, last;
  int64_t samples = 0;
  int64_t traders = 0;
  Ratio mean;    // Rupiah per unit
  Ratio median;  // the middle sample, or the mean of the two middle ones
  int64_t min_rupiah = 0, max_rupiah = 0;
  // Against the previous bucket with samples (a missing bucket is skipped, never read as 0).
  std::optional<std::string> previous_label;
  std::optional<Ratio> change_rupiah;   // mean - previous mean (may be negative)
  std::optional<Ratio> change_percent;  // 100 x change / previous mean
  // The reference price in force on the bucket's last day, and how far the mean is above it.
  std::optional<int64_t> reference_rupiah;
  std::string reference_kind;  // "HET" or "HAP"
  std::string reference_regulation;
  std::optional<Ratio> above_reference_percent;
};

// The series of one commodity in one market. `cells` are that commodity's price cells (any
// markets, any days, any order); buckets without samples are absent. `zones` are searched in
// order for a reference price (HET first, then HAP): the market's (ReferenceCatalog::PriceZonesOfMarket).
std::vector<PricePoint> PriceSeries(const CellList& cells, std::string_view commodity,
                                    std::string_view market, PriceBucket bucket,
                                    const ReferenceCatalog& catalog,
                                    const std::vector<std::string>& zones);

}  // namespace pantau::common
