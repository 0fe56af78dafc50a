// Byte layouts of the RocksDB keys (described in FORMAT.md). Integers are big-endian so that
// byte order is numeric order. Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "common/record_kinds.h"

namespace pantau::storage {

// 8 bytes, big-endian.
std::string EncodeUint64(uint64_t value);
std::optional<uint64_t> DecodeUint64(std::string_view bytes);

// A time as 8 bytes that sort in time order: microseconds since the epoch, offset by 2^63.
std::string EncodeTimeMicros(absl::Time t);

// Index key: kind byte, value, 0x00, encoded observed time, record id.
std::string IndexKey(common::IndexKind kind, std::string_view value, absl::Time observed,
                     std::string_view record_id);
// The prefix shared by all index keys of (kind, value): kind byte, value, 0x00.
std::string IndexPrefix(common::IndexKind kind, std::string_view value);
// The record id at the end of an index key, or "" when the key is malformed.
std::string_view RecordIdOfIndexKey(std::string_view key);

}  // namespace pantau::storage
