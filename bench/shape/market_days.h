// The record shape the benchmarks share: every day, in each of the five bundled markets, every
// bundled commodity priced at three traders; record i lies i / PerDay() days before `end`, so a
// price cell holds three samples. Thread-safety: stateless.
#pragma once

#include <cstddef>

#include "absl/time/time.h"
#include "pantau/v1/records.pb.h"

namespace pantau::bench {

// Records per day of the shape (5 markets x 31 commodities x 3 traders).
size_t PerDay();

// Record number `i` of the shape, with device "bench-laptop", observed (and created) on its day.
v1::Record MarketDayRecord(size_t i, absl::Time end);

}  // namespace pantau::bench
