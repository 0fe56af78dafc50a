// ULIDs: the record ids laptops generate at creation. 26 characters of Crockford base32, the first
// 10 encoding milliseconds since the Unix epoch, the last 16 encoding 80 random bits, so that text
// order is creation-time order. Pure functions: the caller supplies the time and the randomness.
// Thread-safety: stateless.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace pantau::common {

inline constexpr size_t kUlidLength = 26;

// Formats a ULID from `unix_ms` (< 2^48) and 10 random bytes.
std::string FormatUlid(uint64_t unix_ms, const std::array<uint8_t, 10>& random);

// True when `text` is 26 upper-case Crockford base32 characters whose first one is 0-7.
bool IsValidUlid(std::string_view text);

// The milliseconds since the epoch that a valid ULID carries. REQUIRES: IsValidUlid(text).
uint64_t UlidUnixMs(std::string_view text);

}  // namespace pantau::common
