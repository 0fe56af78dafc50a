// Evidence photos: content-addressed uploads that resume where they stopped, checked against
// their SHA-256 before they are kept, stored once, read back by supervisors.
// Thread-safety: thread-safe (the store serialises each upload step).
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "pantau/v1/sync_service.pb.h"
#include "server/service/principal.h"
#include "server/storage/storage.h"

namespace pantau::service {

class PhotoService {
 public:
  // Photos larger than `max_photo_bytes` are refused.
  PhotoService(storage::PhotoStore& store, int64_t max_photo_bytes) : store_(store), max_bytes_(max_photo_bytes) {}

  int64_t max_photo_bytes() const { return max_bytes_; }

  // INVALID_ARGUMENT for a malformed SHA-256.
  absl::StatusOr<v1::PhotoStatusResponse> Status(const std::string& sha256);

  // Takes one chunk. When the photo is whole its SHA-256 is checked: a match stores it (once), a
  // mismatch drops what was received and is INVALID_ARGUMENT. INVALID_ARGUMENT for a photo over
  // the limit; FAILED_PRECONDITION for a chunk that does not continue the upload (ask Status).
  absl::StatusOr<v1::PhotoReceipt> Receive(const v1::PhotoChunk& chunk);

  // OK when `who` may read photos by hash: an account limited to kecamatan or to a bidang other
  // than perdagangan is refused (a photo names no place; docs/security.md).
  static absl::Status Admit(const Principal& who);

  // The stored photo, or nullopt.
  absl::StatusOr<std::optional<std::string>> Get(const std::string& sha256);

 private:
  storage::PhotoStore& store_;
  const int64_t max_bytes_;
};

// True for 64 lower-case hex digits.
bool IsSha256Hex(std::string_view text);

}  // namespace pantau::service
