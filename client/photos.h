// Evidence photos on the laptop, content-addressed: a photo is copied into HOME/photos/<sha256>
// (written to a temporary name, fsynced, renamed), referenced by that SHA-256 from an audit's
// photo item, and uploaded by `pantau sync` on a stream of its own that resumes from what the
// server already holds; HOME/photos/<sha256>.sent marks one the server holds whole.
// Thread-safety: one `pantau` at a time per home (the laptop store's lock).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pantau/v1/sync_service.grpc.pb.h"

namespace pantau::client {

// The largest photo a laptop keeps (and the server takes): 8 MiB.
inline constexpr int64_t kMaxPhotoBytes = 8 << 20;

// The lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

class LaptopPhotos {
 public:
  explicit LaptopPhotos(std::string home) : dir_(std::move(home) + "/photos") {}

  // Copies the photo at `path` in; returns its SHA-256. INVALID_ARGUMENT when it is empty or over
  // `max_bytes`; the same photo twice is kept once.
  absl::StatusOr<std::string> Add(const std::string& path, int64_t max_bytes);
  // The same for a photo's bytes (the app's upload); errors name "the photo".
  absl::StatusOr<std::string> AddBytes(std::string_view bytes, int64_t max_bytes, const std::string& name = "the photo");
  // Photos the server does not hold whole yet, by SHA-256.
  std::vector<std::string> Pending() const;
  absl::StatusOr<std::string> Read(const std::string& sha256) const;
  absl::Status MarkSent(const std::string& sha256);

 private:
  std::string dir_;
};

struct PhotoSyncSummary {
  int photos_sent = 0;      // now held whole by the server
  int64_t bytes_sent = 0;   // sent by this run (resumed uploads send only the rest)
  absl::Status status;      // the first failure; the rest wait for the next sync
};

// Uploads every pending photo in chunks of `chunk_bytes`, each resumed at the server's offset.
PhotoSyncSummary SyncPhotos(LaptopPhotos& photos, v1::SyncService::StubInterface& stub, const std::string& token,
                            size_t chunk_bytes = 64 << 10);

}  // namespace pantau::client
