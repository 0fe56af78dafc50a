#include "tests/testing/power_cut_fs.h"

#include <algorithm>

#include <filesystem>
#include <system_error>

#include "rocksdb/db.h"

namespace pantau::testing {
namespace {

class TrackedFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  TrackedFile(std::unique_ptr<rocksdb::FSWritableFile> file, PowerCutFileSystem& fs, std::string name, uint64_t size)
      : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs), name_(std::move(name)), size_(size) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
    auto s = target()->Append(data, options, dbg);
    if (s.ok()) Grow(data.size());
    return s;
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& info, rocksdb::IODebugContext* dbg) override {
    auto s = target()->Append(data, options, info, dbg);
    if (s.ok()) Grow(data.size());
    return s;
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const rocksdb::IOOptions& options,
                                     rocksdb::IODebugContext* dbg) override {
    auto s = target()->PositionedAppend(data, offset, options, dbg);
    if (s.ok()) Reach(offset + data.size());
    return s;
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const rocksdb::IOOptions& options,
                                     const rocksdb::DataVerificationInfo& info, rocksdb::IODebugContext* dbg) override {
    auto s = target()->PositionedAppend(data, offset, options, info, dbg);
    if (s.ok()) Reach(offset + data.size());
    return s;
  }
  rocksdb::IOStatus Truncate(uint64_t size, const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    auto s = target()->Truncate(size, options, dbg);
    if (s.ok()) {
      size_ = size;
      fs_.Truncated(name_, size);
    }
    return s;
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    auto s = target()->Sync(options, dbg);
    if (s.ok()) fs_.Synced(name_);
    return s;
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    auto s = target()->Fsync(options, dbg);
    if (s.ok()) fs_.Synced(name_);
    return s;
  }
  // Closing a file does not make it durable; neither does RangeSync (no metadata, no guarantee).

 private:
  void Grow(uint64_t n) {
    size_ += n;
    fs_.Appended(name_, size_);
  }
  void Reach(uint64_t end) {
    if (end > size_) size_ = end;
    fs_.Appended(name_, size_);
  }

  PowerCutFileSystem& fs_;
  const std::string name_;
  uint64_t size_;
};

}  // namespace

PowerCutFileSystem::PowerCutFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}

rocksdb::IOStatus PowerCutFileSystem::Track(const std::string& fname, uint64_t existing,
                                            std::unique_ptr<rocksdb::FSWritableFile>* result) {
  {
    std::lock_guard lock(mu_);
    State& state = files_[fname];
    state.size = existing;
    state.synced = std::min(state.synced, existing);
    if (existing > 0 && state.synced == 0) state.synced = existing;  // what was there before counts as on disk
  }
  *result = std::make_unique<TrackedFile>(std::move(*result), *this, fname, existing);
  return rocksdb::IOStatus::OK();
}

rocksdb::IOStatus PowerCutFileSystem::NewWritableFile(const std::string& fname, const rocksdb::FileOptions& options,
                                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                      rocksdb::IODebugContext* dbg) {
  auto s = target()->NewWritableFile(fname, options, result, dbg);
  if (!s.ok()) return s;
  {
    std::lock_guard lock(mu_);
    files_[fname] = State{};
  }
  return Track(fname, 0, result);
}

rocksdb::IOStatus PowerCutFileSystem::ReopenWritableFile(const std::string& fname, const rocksdb::FileOptions& options,
                                                         std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                         rocksdb::IODebugContext* dbg) {
  std::error_code ec;
  const uint64_t existing = std::filesystem::exists(fname, ec) ? std::filesystem::file_size(fname, ec) : 0;
  auto s = target()->ReopenWritableFile(fname, options, result, dbg);
  if (!s.ok()) return s;
  return Track(fname, existing, result);
}

rocksdb::IOStatus PowerCutFileSystem::ReuseWritableFile(const std::string& fname, const std::string& old_fname,
                                                        const rocksdb::FileOptions& options,
                                                        std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                        rocksdb::IODebugContext* dbg) {
  auto s = target()->ReuseWritableFile(fname, old_fname, options, result, dbg);
  if (!s.ok()) return s;
  {
    std::lock_guard lock(mu_);
    files_.erase(old_fname);
    files_[fname] = State{};
  }
  return Track(fname, 0, result);
}

rocksdb::IOStatus PowerCutFileSystem::RenameFile(const std::string& src, const std::string& target_name,
                                                 const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) {
  auto s = target()->RenameFile(src, target_name, options, dbg);
  if (s.ok()) {
    std::lock_guard lock(mu_);
    auto it = files_.find(src);
    if (it != files_.end()) {
      files_[target_name] = it->second;
      files_.erase(src);
    } else {
      files_.erase(target_name);
    }
  }
  return s;
}

rocksdb::IOStatus PowerCutFileSystem::DeleteFile(const std::string& fname, const rocksdb::IOOptions& options,
                                                 rocksdb::IODebugContext* dbg) {
  auto s = target()->DeleteFile(fname, options, dbg);
  if (s.ok()) {
    std::lock_guard lock(mu_);
    files_.erase(fname);
  }
  return s;
}

void PowerCutFileSystem::Appended(const std::string& fname, uint64_t size) {
  std::lock_guard lock(mu_);
  files_[fname].size = size;
}

void PowerCutFileSystem::Synced(const std::string& fname) {
  std::lock_guard lock(mu_);
  State& state = files_[fname];
  state.synced = state.size;
}

void PowerCutFileSystem::Truncated(const std::string& fname, uint64_t size) {
  std::lock_guard lock(mu_);
  State& state = files_[fname];
  state.size = size;
  state.synced = std::min(state.synced, size);
}

uint64_t PowerCutFileSystem::PowerCut() {
  std::lock_guard lock(mu_);
  uint64_t dropped = 0;
  for (const auto& [name, state] : files_) {
    std::error_code ec;
    if (!std::filesystem::exists(name, ec)) continue;
    const uint64_t on_disk = std::filesystem::file_size(name, ec);
    if (ec || on_disk <= state.synced) continue;
    dropped += on_disk - state.synced;
    std::filesystem::resize_file(name, state.synced, ec);
  }
  files_.clear();
  return dropped;
}

rocksdb::Status PutRaw(const std::string& db_dir, const std::vector<RawPut>& puts) {
  std::vector<std::string> families;
  rocksdb::Status status = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), db_dir, &families);
  if (!status.ok()) return status;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& f : families) descriptors.emplace_back(f, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  status = rocksdb::DB::Open(rocksdb::DBOptions(), db_dir, descriptors, &handles, &raw);
  if (!status.ok()) return status;
  for (const auto& put : puts) {
    const auto it = std::find(families.begin(), families.end(), put.family);
    if (it == families.end()) {
      status = rocksdb::Status::InvalidArgument("no column family " + put.family);
      break;
    }
    status = raw->Put(rocksdb::WriteOptions(), handles[static_cast<size_t>(it - families.begin())], put.key, put.value);
    if (!status.ok()) break;
  }
  for (auto* h : handles) (void)raw->DestroyColumnFamilyHandle(h);
  delete raw;
  return status;
}

}  // namespace pantau::testing
