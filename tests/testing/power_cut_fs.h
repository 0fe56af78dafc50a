// A RocksDB file system that remembers, for every file written through it, how much of it was
// synced (Sync or Fsync), and on PowerCut() cuts each file back to that size: what the disk would
// hold after the power failed with everything unsynced still in the page cache. (leveldb's
// db/fault_injection_test.cc does the same with an Env; RocksDB's FaultInjectionTestFS is not
// shipped by Debian.) Files renamed or deleted are followed. Call PowerCut() with the database
// closed. For tests only. Thread-safety: thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rocksdb/env.h"
#include "rocksdb/file_system.h"

namespace pantau::testing {

class PowerCutFileSystem : public rocksdb::FileSystemWrapper {
 public:
  PowerCutFileSystem();

  static const char* kClassName() { return "PantauPowerCutFileSystem"; }
  const char* Name() const override { return kClassName(); }

  rocksdb::IOStatus NewWritableFile(const std::string& fname, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& fname, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(const std::string& fname, const std::string& old_fname,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& src, const std::string& target, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteFile(const std::string& fname, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;

  // Cuts every tracked file back to what was synced; returns the bytes dropped.
  uint64_t PowerCut();

  // Bookkeeping of the files' wrappers.
  void Appended(const std::string& fname, uint64_t size);
  void Synced(const std::string& fname);
  void Truncated(const std::string& fname, uint64_t size);

 private:
  struct State {
    uint64_t size = 0;    // written
    uint64_t synced = 0;  // of which synced
  };
  rocksdb::IOStatus Track(const std::string& fname, uint64_t existing, std::unique_ptr<rocksdb::FSWritableFile>* result);

  std::mutex mu_;
  std::map<std::string, State> files_;  // guarded by mu_
};

// An Env over a PowerCutFileSystem (threads and clock of the machine).
struct PowerCutEnv {
  std::shared_ptr<PowerCutFileSystem> fs = std::make_shared<PowerCutFileSystem>();
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
};

// Damage on disk, made to order: writes each (column family, key, value) straight into the
// closed RocksDB database at `db_dir`, bypassing the code under test (for values that do not
// decode, or entries an index names that are not there). A family not in the database is an error.
struct RawPut {
  std::string family;
  std::string key;
  std::string value;
};
rocksdb::Status PutRaw(const std::string& db_dir, const std::vector<RawPut>& puts);

}  // namespace pantau::testing
