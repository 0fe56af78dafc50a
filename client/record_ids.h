// Record ids made on the laptop: ULIDs from the laptop clock and the OS's secure randomness, or
// derived deterministically from content (bulk import). Thread-safety: thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace pantau::client {

// A fresh ULID for a record created at `now`.
absl::StatusOr<std::string> NewRecordId(absl::Time now);

// A ULID whose time part is `observed` and whose 80 random bits are the first 80 bits of
// SHA-256(`content_key`): the same content always gets the same id.
std::string DeterministicRecordId(absl::Time observed, std::string_view content_key);

// `n` bytes from the OS's secure random source.
absl::StatusOr<std::string> RandomBytes(size_t n);
// 2 * `bytes` hex digits from the secure random source (secrets, session ids); "" if it failed.
std::string RandomHex(size_t bytes);

}  // namespace pantau::client
