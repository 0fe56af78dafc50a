// In-memory Storage: the same contract as the RocksDB backend without durability across process
// restarts. For tests of the layers above storage. Thread-safety: fully thread-safe.
#pragma once

#include <memory>

#include "common/dates.h"
#include "server/storage/storage.h"

namespace pantau::storage {

// Roll-up days are local dates in `zone` (UTC+8 unless told: the tests' deployment is in WITA).
std::unique_ptr<Storage> NewMemoryStorage(absl::TimeZone zone = common::ZoneWithoutDeployment());

}  // namespace pantau::storage
