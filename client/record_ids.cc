#include "client/record_ids.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <cstring>

#include "common/ulid.h"

namespace pantau::client {

absl::StatusOr<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return absl::InternalError("the secure random source failed");
  }
  return out;
}

std::string HexOf(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string RandomHex(size_t bytes) {
  auto random = RandomBytes(bytes);
  return random.ok() ? HexOf(*random) : "";
}

absl::StatusOr<std::string> NewRecordId(absl::Time now) {
  auto random = RandomBytes(10);
  if (!random.ok()) return random.status();
  std::array<uint8_t, 10> bytes;
  std::memcpy(bytes.data(), random->data(), 10);
  return common::FormatUlid(static_cast<uint64_t>(absl::ToUnixMillis(now)), bytes);
}

std::string DeterministicRecordId(absl::Time observed, std::string_view content_key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(content_key.data()), content_key.size(), digest);
  std::array<uint8_t, 10> bytes;
  std::memcpy(bytes.data(), digest, 10);
  return common::FormatUlid(static_cast<uint64_t>(absl::ToUnixMillis(observed)), bytes);
}

}  // namespace pantau::client
