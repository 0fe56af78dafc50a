// The laptop's own durable state, in a RocksDB under the home folder: the outbox (every record the
// inspector made, with its delivery state), the reference data pulled from the server with its
// cursor, and the settings. Every write is synced before it returns: a record that `pantau`
// reported saved survives a crash or a flat battery at any later instant.
// Thread-safety: one LaptopStore per process (RocksDB's LOCK file refuses a second process);
// thread-safe within it: changes are applied one at a time (the app saves a price while a sync
// applies the server's answers), reads see whole changes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/reference_catalog.h"
#include "pantau/v1/laptop.pb.h"
#include "pantau/v1/sync_service.pb.h"

namespace rocksdb {
class Env;
}  // namespace rocksdb

namespace pantau::client {

struct LaptopSettings {
  std::string server;      // HOST:PORT
  std::string token_file;  // path of the file holding the bearer token
  std::string account;     // account name the server reported at login
  std::string device_id;   // this laptop's id, made at the first run
  std::string ca_file;     // CA certificate (PEM) the server is verified against; empty: plaintext to loopback
  // The kecamatan assigned to the account, as the last pull said (empty: all, or never pulled).
  std::vector<std::string> kecamatan_codes;
};

struct OutboxCounts {
  uint64_t pending = 0;
  uint64_t acknowledged = 0;
  uint64_t needs_attention = 0;
};

class LaptopStore {
 public:
  // Opens (creating when missing) the store in `home`/db. FAILED_PRECONDITION when another
  // `pantau` is using the same home folder.
  static absl::StatusOr<std::unique_ptr<LaptopStore>> Open(const std::string& home);
  // The same in a given RocksDB environment (tests: a file system that simulates a power cut);
  // `sync_writes` false only to prove such a test notices a missing sync.
  static absl::StatusOr<std::unique_ptr<LaptopStore>> Open(const std::string& home, rocksdb::Env* env,
                                                           bool sync_writes = true);
  virtual ~LaptopStore() = default;

  // Settings; the device id is generated and saved on the first call.
  virtual absl::StatusOr<LaptopSettings> Settings() = 0;
  virtual absl::Status SaveSettings(const LaptopSettings& settings) = 0;

  // Saves a new record as pending. ALREADY_EXISTS when its id is in the outbox.
  virtual absl::Status Add(const v1::Record& record, absl::Time now) = 0;
  // Saves records not yet in the outbox as pending, in one write; returns how many were new.
  virtual absl::StatusOr<size_t> AddNew(const std::vector<v1::Record>& records, absl::Time now) = 0;
  virtual absl::StatusOr<std::optional<v1::OutboxEntry>> Get(std::string_view id) = 0;

  // Up to `n` pending records with id > `after` ("" = from the start), in id (creation) order.
  virtual absl::StatusOr<std::vector<v1::Record>> NextPending(std::string_view after, size_t n) = 0;
  // Records the server's answer to a batch of `records` (same order as sent) in one synced write:
  // ACCEPTED and DUPLICATE -> acknowledged; INVALID and CONFLICT -> needs attention, with the
  // reasons. INVALID_ARGUMENT when the answer does not match the batch (nothing changed).
  virtual absl::Status ApplyResults(const std::vector<v1::Record>& records,
                                    const v1::PushResponse& response, absl::Time now) = 0;
  // Makes a record that needs attention because it was refused (INVALID) pending again, to be
  // sent as it is once what refused it has changed on the server (reference data, the
  // account's kecamatan). One synced write. NOT_FOUND for an unknown id; FAILED_PRECONDITION when
  // it does not need attention, or was a CONFLICT (its id is taken: resending cannot help).
  virtual absl::Status Requeue(std::string_view id, absl::Time now) = 0;
  // Settles a refused record (INVALID or CONFLICT) the server never stored: `replacement`, when
  // given, is saved as a new pending record and the refused one is marked RESOLVED with its id;
  // without one the refused record is dropped (RESOLVED, `reason` kept). One synced write: the
  // attention count falls by one exactly when the new record is there. NOT_FOUND for an unknown
  // id; FAILED_PRECONDITION when it does not need attention; ALREADY_EXISTS when the
  // replacement's id is taken.
  virtual absl::Status Resolve(std::string_view id, const v1::Record* replacement, const std::string& reason,
                               absl::Time now) = 0;
  // Makes every record the server acknowledged at or after `since` pending again (after the
  // server was restored from a backup older than them; the server stores each once, so the
  // ones it still has come back DUPLICATE). One synced write; returns how many.
  virtual absl::StatusOr<uint64_t> ResendDeliveredSince(absl::Time since, absl::Time now) = 0;
  virtual absl::StatusOr<OutboxCounts> Counts() = 0;
  // Entries needing attention, oldest first.
  virtual absl::Status ScanAttention(const std::function<bool(const v1::OutboxEntry&)>& visit) = 0;
  // Entries whose record was created at or after `since`, oldest first.
  virtual absl::Status ScanSince(absl::Time since,
                                 const std::function<bool(const v1::OutboxEntry&)>& visit) = 0;

  // Reference data: the cursor (last change applied), applying a pulled message, the catalog.
  virtual absl::StatusOr<uint64_t> ReferenceCursor() = 0;
  // Applies `changes` (ascending sequences) and advances the cursor, in one synced write.
  virtual absl::Status ApplyReferenceChanges(const std::vector<v1::ReferenceChange>& changes,
                                             absl::Time now) = 0;
  virtual absl::StatusOr<common::ReferenceCatalog> LoadCatalog() = 0;

  // When the last complete sync (push then pull) and the last complete pull ended; nullopt: never.
  virtual absl::Status SetLastSync(absl::Time t) = 0;
  virtual absl::StatusOr<std::optional<absl::Time>> LastSync() = 0;
  virtual absl::StatusOr<std::optional<absl::Time>> LastPull() = 0;
  // The scheduled price checks the server last said this inspector missed (a pull's
  // missing_observations, at most 100, and how many there were in all), replacing the list before.
  struct MissedChecks {
    std::vector<v1::PriceAlert> alerts;
    int64_t total = 0;
  };
  virtual absl::Status SaveMissingObservations(const MissedChecks& missed) = 0;
  virtual absl::StatusOr<MissedChecks> MissingObservations() = 0;
};

}  // namespace pantau::client
