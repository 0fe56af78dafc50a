// Entry-time plausibility of a price against the inspector's recent prices of the same commodity:
// catches digit slips (x10, /10) and prices far from the recent median. Pure.
// Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/messages.h"

namespace pantau::common {

struct PlausibilityPolicy {
  // A price above `high_ratio` x the median or below `low_ratio` x the median is refused unless
  // confirmed. As fractions: numerator / 100.
  int64_t high_ratio_percent = 250;  // 2.5x
  int64_t low_ratio_percent = 35;    // 0.35x
  // Fewer recent prices than this: no median check (the plausible range still applies).
  size_t min_samples = 3;
};

// The median of `prices` (the lower middle for an even count), nullopt when empty.
std::optional<int64_t> MedianPrice(std::vector<int64_t> prices);

// Why `price_rupiah` looks implausible against `recent_prices`, or nullopt when it does not.
// Exact integer arithmetic; the ratio bounds are inclusive (exactly 2.5x passes).
std::optional<Message> CheckAgainstRecentMedian(int64_t price_rupiah, const std::vector<int64_t>& recent_prices,
                                                const PlausibilityPolicy& policy = {});

}  // namespace pantau::common
