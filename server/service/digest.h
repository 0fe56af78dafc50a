// SHA-256 and secure random bytes (OpenSSL). Thread-safety: thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace pantau::service {

// The 32-byte SHA-256 digest of `data`.
std::string Sha256(std::string_view data);
// Lower-case hex of `bytes`.
std::string HexEncode(std::string_view bytes);
// `n` bytes from the operating system's secure random source.
absl::StatusOr<std::string> SecureRandomBytes(size_t n);

}  // namespace pantau::service
