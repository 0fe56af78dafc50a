#include "client/record_ids.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>

#include "common/text.h"
#include "common/ulid.h"

namespace pantau::client {

absl::StatusOr<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return absl::InternalError("the secure random source failed");
  }
  return out;
}

std::string RandomHex(size_t bytes) {
  auto random = RandomBytes(bytes);
  return random.ok() ? common::HexText(*random) : "";
}

absl::StatusOr<std::string> NewRecordId(absl::Time now) {
  // Monotonic within a millisecond (as the ULID specification describes): a second id of the same
  // millisecond is the previous one plus 1, so records made in one millisecond (a price and its
  // correction) list in the order they were made.
  static std::mutex mu;
  static uint64_t last_ms = 0;
  static std::array<uint8_t, 10> last{};
  const auto ms = static_cast<uint64_t>(std::max<int64_t>(0, absl::ToUnixMillis(now)));
  std::lock_guard lock(mu);
  std::array<uint8_t, 10> bytes;
  bool carried = true;
  if (ms == last_ms) {
    bytes = last;
    for (int i = 9; i >= 0 && carried; --i) carried = ++bytes[i] == 0;
  }
  if (carried) {  // a new millisecond, or the 80 random bits ran over: fresh randomness
    auto random = RandomBytes(10);
    if (!random.ok()) return random.status();
    std::memcpy(bytes.data(), random->data(), 10);
  }
  last_ms = ms;
  last = bytes;
  return common::FormatUlid(ms, bytes);
}

std::string DeterministicRecordId(absl::Time observed, std::string_view content_key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(content_key.data()), content_key.size(), digest);
  std::array<uint8_t, 10> bytes;
  std::memcpy(bytes.data(), digest, 10);
  return common::FormatUlid(static_cast<uint64_t>(absl::ToUnixMillis(observed)), bytes);
}

}  // namespace pantau::client
