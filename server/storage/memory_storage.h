// In-memory Storage: the same contract as the RocksDB backend without durability across process
// restarts. For tests of the layers above storage. Thread-safety: fully thread-safe.
#pragma once

#include <memory>

#include "server/storage/storage.h"

namespace pantau::storage {

std::unique_ptr<Storage> NewMemoryStorage();

}  // namespace pantau::storage
