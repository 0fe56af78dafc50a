// RocksDB Storage: the durable backend (layout in FORMAT.md).
//
// Durability contract: every write that returns OK has been written with a synced WAL
// (WriteOptions::sync), so it survives a crash of the process or the machine at any instant
// after the call returns. Record appends from concurrent callers are grouped into one synced
// write (group commit, as leveldb's writer queue), so concurrent pushes share fsyncs.
// Thread-safety: fully thread-safe. One process at a time may open a data directory (RocksDB's
// LOCK file); a second Open fails with FAILED_PRECONDITION.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/storage/storage.h"

namespace rocksdb {
class Env;
}  // namespace rocksdb

namespace pantau::storage {

struct RocksOptions {
  std::string path;
  // The environment RocksDB works in (files, threads, clock); null: the machine's. Tests pass one
  // whose file system forgets what was not synced, to simulate a power cut.
  rocksdb::Env* env = nullptr;
  // Every write is synced before it returns (acknowledged means durable). Never false in a
  // server; false only so that the power-cut test can prove it notices the difference.
  bool sync_writes = true;
  // Most records in one group commit.
  size_t max_group_records = 4000;
  // Open read-only (stats while the server is stopped). Fails if the store does not exist.
  bool read_only = false;
  // Roll-up days are local dates in this zone, the deployment's. The store remembers the zone its
  // roll-ups were built in; unset: that one (UTC+8 for a store from before it was remembered).
  // A zone other than the remembered one is taken by a store without records; a store with
  // records refuses it (FAILED_PRECONDITION naming both zones and `rebuild-rollups`) unless
  // `rebuilding_rollups`: the caller calls RebuildRollups next, which remembers the new zone.
  // A read-only store always works in its remembered zone.
  std::optional<absl::TimeZone> zone;
  bool rebuilding_rollups = false;
};

absl::StatusOr<std::unique_ptr<Storage>> OpenRocksStorage(const RocksOptions& options);

// Backups (Storage::Backup makes them, from the running server). Oldest first.
absl::StatusOr<std::vector<BackupInfo>> ListBackups(const std::string& backup_dir);
// Reads every file of backup `id` and checks its size and checksum. DATA_LOSS when one differs.
absl::Status VerifyBackup(const std::string& backup_dir, uint32_t id);
// Restores backup `id` (0: the newest) into `data_dir`, which must be empty or absent; the backup
// is verified first. FAILED_PRECONDITION for a non-empty folder, NOT_FOUND for no such backup.
absl::StatusOr<BackupInfo> RestoreBackup(const std::string& backup_dir, uint32_t id, const std::string& data_dir);

}  // namespace pantau::storage
