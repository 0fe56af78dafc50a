// The server's storage, behind interfaces: field records with their secondary indexes,
// reference data with its change log, accounts, photos and the audit log. Two implementations: RocksDB (durable,
// rocks_storage.h) and in-memory (memory_storage.h), held to one contract test suite.
// Thread-safety: every method of every store may be called concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/record_kinds.h"
#include "pantau/v1/admin_service.pb.h"
#include "pantau/v1/records.pb.h"
#include "pantau/v1/reference.pb.h"
#include "pantau/v1/rollups.pb.h"

namespace pantau::storage {

enum class AppendOutcome { kInserted, kDuplicate, kConflict };

// One record to append, prepared by the caller.
struct RecordWrite {
  // REQUIRES: stored.record().id() non-empty and stored.content_sha256() set.
  v1::StoredRecord stored;
  common::RecordKind kind;
  std::vector<common::IndexEntry> index;
  // Optional: the deterministic serialisation of stored.record(), when the caller has it, so
  // that the store need not serialise the record again.
  std::string record_bytes;
};

using RecordCounts = std::array<uint64_t, common::kRecordKindCount>;
using RecordVisitor = std::function<bool(const v1::StoredRecord&)>;  // false stops the scan

class RecordStore {
 public:
  virtual ~RecordStore() = default;

  // For each write, in order: stores it with its index entries when its id is new (kInserted);
  // kDuplicate when the id is stored with the same content_sha256; kConflict when it is stored
  // with a different one (the stored record is untouched). The check and the write are one atomic
  // step with respect to every other Append, and to earlier writes of the same call. On OK, every
  // inserted record is durable (fsynced). On error nothing of this call is stored.
  virtual absl::StatusOr<std::vector<AppendOutcome>> Append(std::vector<RecordWrite> writes) = 0;

  // The stored record with `id`, or nullopt.
  virtual absl::StatusOr<std::optional<v1::StoredRecord>> Get(std::string_view id) = 0;

  // Records stored, per kind (indexed by common::RecordKind).
  virtual absl::StatusOr<RecordCounts> CountByKind() = 0;

  // Records with index entry (kind, value), observed in [from, to), in (observed time, id) order.
  virtual absl::Status ScanIndex(common::IndexKind kind, std::string_view value, absl::Time from,
                                 absl::Time to, const RecordVisitor& visit) = 0;

  // Every record, in id order.
  virtual absl::Status ScanAll(const RecordVisitor& visit) = 0;

  // Roll-up cells with keys in [from, to) (common/rollups.h), in key order. Every Append updates
  // them in the same atomic write as the records, so they never lag an acknowledged record.
  // With `want`, only cells whose key it accepts are decoded and visited: a scan that needs
  // only keys (which cells exist) never decodes a value.
  virtual absl::Status ScanRollups(
      std::string_view from, std::string_view to,
      const std::function<bool(std::string_view key, const v1::RollupCell& cell)>& visit,
      const std::function<bool(std::string_view key)>& want = {}) = 0;

  // Recomputes every roll-up cell from the stored records and replaces them all in one write.
  // The result equals the incrementally maintained cells byte for byte.
  // REQUIRES: no concurrent Append (run it while the server is stopped).
  virtual absl::Status RebuildRollups() = 0;

  // The zone whose local dates the roll-up days are (the deployment's time zone).
  virtual absl::TimeZone zone() const = 0;
};

class ReferenceStore {
 public:
  virtual ~ReferenceStore() = default;

  // Upserts `upserts` and removes `removals` (matched by common::ReferenceKey) in one atomic,
  // durable step. Each entity that really changes gets the next sequence number; an upsert equal
  // to the stored entity, or a removal of an absent one, is skipped. Returns the changes made.
  // INVALID_ARGUMENT (and nothing stored) when an entity has no key.
  virtual absl::StatusOr<std::vector<v1::ReferenceChange>> Apply(
      const std::vector<v1::ReferenceEntity>& upserts,
      const std::vector<v1::ReferenceEntity>& removals, absl::Time now) = 0;

  // Changes with sequence > `after`, ascending; `visit` returns false to stop.
  virtual absl::Status ScanChanges(uint64_t after,
                                   const std::function<bool(const v1::ReferenceChange&)>& visit) = 0;

  // The highest sequence given so far (0 when none).
  virtual absl::StatusOr<uint64_t> LastSequence() = 0;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Stores a new account. ALREADY_EXISTS when the name is taken.
  virtual absl::Status Create(const v1::Account& account) = 0;
  // The account whose token hashes to `token_sha256`, or nullopt.
  virtual absl::StatusOr<std::optional<v1::Account>> FindByTokenHash(
      std::string_view token_sha256) = 0;
  virtual absl::StatusOr<std::optional<v1::Account>> FindByName(std::string_view name) = 0;
  // All accounts, by name.
  virtual absl::StatusOr<std::vector<v1::Account>> List() = 0;
  // Replaces the stored account of the same name in one durable step; when its token hash
  // changed, the old hash finds nothing from then on. NOT_FOUND when there is no such account.
  virtual absl::Status Update(const v1::Account& account) = 0;
  // Reads the account `name`, lets `change` modify it, and writes it and `audit` (appended to the
  // audit log with the next sequence) in one durable write, all under the store's lock: two
  // changes at once never undo each other, and no change is stored without its audit entry.
  // NOT_FOUND when there is no such account; an error of `change` writes nothing and is returned.
  // The name cannot change. Returns the account as stored.
  virtual absl::StatusOr<v1::Account> Change(std::string_view name,
                                             const std::function<absl::Status(v1::Account&)>& change,
                                             v1::AuditEntry audit) = 0;
  // A laptop's last contact, replacing the one before (durably).
  virtual absl::Status PutDeviceContact(const v1::DeviceContact& contact) = 0;
  // Every laptop's last contact, by device id.
  virtual absl::StatusOr<std::vector<v1::DeviceContact>> ListDeviceContacts() = 0;
};

// The append-only audit log: entries are numbered 1, 2, ... in the order they are appended, and
// never changed or removed.
class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Stores `entry` durably with the next sequence number (entry.sequence is ignored) and
  // returns that number.
  virtual absl::StatusOr<uint64_t> Append(v1::AuditEntry entry) = 0;
  // Up to `limit` entries with sequence > `after`, ascending.
  virtual absl::StatusOr<std::vector<v1::AuditEntry>> Scan(uint64_t after, size_t limit) = 0;
  // The highest sequence given so far (0 when none).
  virtual absl::StatusOr<uint64_t> LastSequence() = 0;
};

// What the server has handed to outside systems (the alert webhook): ids marked durably once
// delivered, asked before each delivery so that a restart delivers nothing twice.
class DeliveryLog {
 public:
  virtual ~DeliveryLog() = default;
  virtual absl::StatusOr<bool> Delivered(std::string_view id) = 0;
  // Marks `id` delivered at `at`, in a synced write.
  virtual absl::Status MarkDelivered(std::string_view id, absl::Time at) = 0;
};

// What the store holds of one photo.
struct PhotoState {
  int64_t received_bytes = 0;  // parts of an upload in progress, or the whole photo
  int64_t total_bytes = 0;     // as announced by the upload (0 when nothing is held)
  bool complete = false;
};

// Evidence photos by SHA-256 (lower-case hex): uploads in parts, kept across restarts, and whole
// photos stored once. Checking the SHA-256 is the caller's (service) job.
class PhotoStore {
 public:
  virtual ~PhotoStore() = default;
  virtual absl::StatusOr<PhotoState> State(std::string_view sha256) = 0;
  // Adds `data` at `offset` of the upload of `sha256` whose size is `total_bytes`, durably.
  // FAILED_PRECONDITION when `offset` is not the bytes received so far, or the total differs
  // from the upload's; INVALID_ARGUMENT past the total. A complete photo takes nothing more.
  virtual absl::StatusOr<PhotoState> AppendPart(std::string_view sha256, int64_t total_bytes, int64_t offset,
                                                std::string_view data) = 0;
  // The parts received so far, concatenated.
  virtual absl::StatusOr<std::string> ReadParts(std::string_view sha256) = 0;
  // Stores `bytes` as the whole photo and drops its parts, in one synced write.
  virtual absl::Status Finish(std::string_view sha256, std::string_view bytes) = 0;
  // Drops the parts of an upload.
  virtual absl::Status Discard(std::string_view sha256) = 0;
  // The whole photo, or nullopt.
  virtual absl::StatusOr<std::optional<std::string>> Read(std::string_view sha256) = 0;
};

// The rule both backends apply to a part: it continues the upload exactly and stays within the
// announced total. OK, FAILED_PRECONDITION or INVALID_ARGUMENT as PhotoStore::AppendPart says.
absl::Status CheckPhotoPart(const PhotoState& state, int64_t total_bytes, int64_t offset, size_t size);

// What an operator watches of the store (metrics). Zero where a backend has no such figure.
struct StoreFigures {
  uint64_t live_data_bytes = 0;           // estimated size of the live data
  uint64_t memtable_bytes = 0;            // all memtables, all families
  uint64_t pending_compaction_bytes = 0;  // estimated bytes compaction still has to rewrite
  uint64_t write_stalls = 0;              // writes stopped or slowed since the store opened
  bool writes_stopped = false;            // writes stopped right now
};

// One backup of the store, as its backup folder lists it.
struct BackupInfo {
  uint32_t id = 0;
  absl::Time created;
  uint64_t bytes = 0;
  uint32_t files = 0;
};

// Told of every synced write of records, with the number of records in it (group commit).
using SyncedWriteObserver = std::function<void(size_t records)>;

// One storage backend: the stores over one database.
class Storage {
 public:
  virtual ~Storage() = default;
  virtual RecordStore& records() = 0;
  virtual ReferenceStore& reference() = 0;
  virtual AccountStore& accounts() = 0;
  virtual PhotoStore& photos() = 0;
  virtual AuditLog& audit() = 0;
  virtual DeliveryLog& deliveries() = 0;

  virtual StoreFigures Figures() { return {}; }
  // OK when the store takes writes; otherwise why not (read-only, a background error such as a
  // full disk).
  virtual absl::Status Writable() { return absl::OkStatus(); }
  // A consistent backup into `backup_dir` while writes go on; then only the newest `keep` backups
  // are kept there (0: all). UNIMPLEMENTED for a backend without backups.
  virtual absl::StatusOr<BackupInfo> Backup(const std::string& backup_dir, int keep) {
    (void)backup_dir;
    (void)keep;
    return absl::UnimplementedError("this store has no backups (in-memory)");
  }
  // Set once, before writes start.
  virtual void SetSyncedWriteObserver(SyncedWriteObserver observer) { (void)observer; }
};

}  // namespace pantau::storage
