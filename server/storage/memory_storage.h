// In-memory Storage: the same contract as the RocksDB backend without durability across process
// restarts. For tests of the layers above storage. Thread-safety: fully thread-safe.
#pragma once

#include <memory>

#include "server/storage/storage.h"

namespace pantau::storage {

// Roll-up days are local dates in `zone` (WITA by default).
std::unique_ptr<Storage> NewMemoryStorage(absl::TimeZone zone = absl::FixedTimeZone(8 * 60 * 60));

}  // namespace pantau::storage
