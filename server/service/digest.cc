#include "server/service/digest.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include "common/text.h"

namespace pantau::service {

std::string Sha256(std::string_view data) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string HexEncode(std::string_view bytes) { return common::HexText(bytes); }

absl::StatusOr<std::string> SecureRandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return absl::InternalError("the secure random source failed");
  }
  return out;
}

}  // namespace pantau::service
