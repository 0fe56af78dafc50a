#include "server/storage/rocks_storage.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "absl/strings/numbers.h"
#include "common/dates.h"
#include "common/reference_catalog.h"
#include "common/status_macros.h"
#include "common/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/backup_engine.h"
#include "rocksdb/utilities/options_util.h"
#include "rocksdb/write_batch.h"
#include "server/storage/key_codec.h"
#include "server/storage/rollup_maintenance.h"

namespace pantau::storage {
namespace {

// Column families, in the order of their handles.
constexpr const char* kRecordsCf = "records";
constexpr const char* kIndexCf = "index";
constexpr const char* kReferenceCf = "reference";
constexpr const char* kReferenceLogCf = "reference_log";
constexpr const char* kAccountsCf = "accounts";
constexpr const char* kRollupsCf = "rollups";
constexpr const char* kPhotosCf = "photos";
enum CfIndex {
  kDefault = 0, kRecords, kIndex, kReference, kReferenceLog, kAccounts, kRollups, kPhotos, kCfCount
};

constexpr const char* kFormatVersionKey = "format_version";
constexpr const char* kFormatVersion = "2";
// Format 1 had no price-days and price-months cells: a writable open rebuilds the roll-ups once
// and moves the store to format 2 (a read-only open reads it as it is; nothing read-only reads
// those cells).
constexpr const char* kFormatVersionWithoutPriceSums = "1";
// The UTC offset, in seconds as decimal text, of the zone whose local dates the roll-up days are.
constexpr const char* kRollupZoneKey = "rollup_zone_offset_seconds";

int OffsetSeconds(absl::TimeZone zone) { return zone.At(absl::UnixEpoch()).offset; }
constexpr const char* kReferenceSequenceKey = "reference/sequence";

std::string CountKey(common::RecordKind kind) { return StrCat("count/", common::KindName(kind)); }

// The one mapping from rocksdb::Status to absl::Status.
absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string message = StrCat(what, ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (s.IsBusy() || s.IsTryAgain() || s.IsTimedOut()) return absl::UnavailableError(message);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::FailedPreconditionError(
        StrCat(message, " (is another pantau-server using this data directory?)"));
  }
  if (s.IsIOError() && s.subcode() == rocksdb::Status::kNoSpace) {
    return absl::ResourceExhaustedError(message);
  }
  if (s.IsIOError()) return absl::UnavailableError(message);
  return absl::InternalError(message);
}

std::string Serialize(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  m.SerializeToCodedStream(&coded);
  return out;
}

// The memtable keeps an insert hint per index prefix (kind byte, value, 0x00): the entries of one
// prefix mostly arrive in time order, so most inserts land next to the previous one.
class IndexPrefixTransform final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "pantau.IndexPrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const void* zero = std::memchr(key.data() + 1, '\0', key.size() - 1);
    return rocksdb::Slice(key.data(),
                          static_cast<const char*>(zero) - key.data() + 1);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return key.size() > 1 && std::memchr(key.data() + 1, '\0', key.size() - 1) != nullptr;
  }
};

BackupInfo ToBackupInfo(const rocksdb::BackupInfo& info) {
  BackupInfo out;
  out.id = info.backup_id;
  out.created = absl::FromUnixSeconds(info.timestamp);
  out.bytes = info.size;
  out.files = info.number_files;
  return out;
}

// An advisory lock (flock) on `<backup folder>/pantau-backup.lock`, across processes and threads:
// making a backup and removing old ones hold it exclusively; listing, verifying and restoring hold
// it shared, so retention never deletes a backup while it is being read (a false alarm of damage).
// A folder where the lock file cannot be made (read-only media) is read without it: nothing can be
// writing there either.
class BackupFolderLock {
 public:
  static absl::StatusOr<BackupFolderLock> Take(const std::string& dir, bool exclusive) {
    BackupFolderLock lock;
    const std::string path = StrCat(dir, "/pantau-backup.lock");
    lock.fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock.fd_ < 0) lock.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (lock.fd_ < 0) {
      if (exclusive) return absl::UnavailableError(StrCat("cannot create the lock file ", path, ": ", std::strerror(errno)));
      return lock;
    }
    int rc;
    do {
      rc = ::flock(lock.fd_, exclusive ? LOCK_EX : LOCK_SH);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) return absl::UnavailableError(StrCat("cannot lock ", path, ": ", std::strerror(errno)));
    return lock;
  }
  BackupFolderLock(BackupFolderLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  BackupFolderLock& operator=(BackupFolderLock&&) = delete;
  ~BackupFolderLock() {
    if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the lock
  }

 private:
  BackupFolderLock() = default;
  int fd_ = -1;
};

absl::StatusOr<std::unique_ptr<rocksdb::BackupEngine>> OpenBackupEngine(const std::string& dir) {
  rocksdb::BackupEngineOptions options(dir);
  options.sync = true;  // a backup that returned is on disk
  rocksdb::BackupEngine* engine = nullptr;
  rocksdb::IOStatus s = rocksdb::BackupEngine::Open(options, rocksdb::Env::Default(), &engine);
  if (!s.ok()) return FromRocks(s, StrCat("opening the backup folder ", dir));
  return std::unique_ptr<rocksdb::BackupEngine>(engine);
}

absl::StatusOr<std::unique_ptr<rocksdb::BackupEngineReadOnly>> OpenBackupsReadOnly(const std::string& dir) {
  if (!std::filesystem::is_directory(dir)) return absl::NotFoundError(StrCat(dir, ": no such backup folder"));
  rocksdb::BackupEngineOptions options(dir);
  rocksdb::BackupEngineReadOnly* engine = nullptr;
  rocksdb::IOStatus s = rocksdb::BackupEngineReadOnly::Open(options, rocksdb::Env::Default(), &engine);
  if (!s.ok()) return FromRocks(s, StrCat("opening the backup folder ", dir));
  return std::unique_ptr<rocksdb::BackupEngineReadOnly>(engine);
}

class RocksDatabase {
 public:
  ~RocksDatabase() {
    for (auto* h : handles_) {
      if (h != nullptr) (void)db_->DestroyColumnFamilyHandle(h);  // best effort at close
    }
    if (db_ != nullptr) (void)db_->Close();  // best effort: the WAL is already synced
    delete db_;
  }

  static absl::StatusOr<std::unique_ptr<RocksDatabase>> Open(const RocksOptions& o) {
    auto out = std::make_unique<RocksDatabase>();
    out->sync_writes_ = o.sync_writes;
    rocksdb::Options options;
    if (o.env != nullptr) options.env = o.env;
    options.create_if_missing = !o.read_only;
    options.create_missing_column_families = !o.read_only;
    options.IncreaseParallelism(2);
    options.max_background_jobs = 2;
    options.db_write_buffer_size = 128 << 20;  // bounds memtables across families
    options.keep_log_file_num = 5;
    // One writer at a time (the group-commit leader), so memtable insert hints can work.
    options.allow_concurrent_memtable_write = false;

    rocksdb::BlockBasedTableOptions table;
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.block_cache = rocksdb::NewLRUCache(32 << 20);
    rocksdb::ColumnFamilyOptions cf_options(options);
    cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    cf_options.write_buffer_size = 32 << 20;

    rocksdb::ColumnFamilyOptions records_options = cf_options;
    // Record ids are ULIDs, so new ids mostly sort after the last one: one hint for the family.
    records_options.memtable_insert_with_hint_prefix_extractor.reset(
        rocksdb::NewFixedPrefixTransform(0));
    rocksdb::ColumnFamilyOptions index_options = cf_options;
    index_options.memtable_insert_with_hint_prefix_extractor =
        std::make_shared<IndexPrefixTransform>();

    // Photos are large values written once: kept in blob files, so compaction does not rewrite
    // them.
    rocksdb::ColumnFamilyOptions photo_options = cf_options;
    photo_options.enable_blob_files = true;
    photo_options.min_blob_size = 4096;

    std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
        {rocksdb::kDefaultColumnFamilyName, cf_options}, {kRecordsCf, records_options},
        {kIndexCf, index_options},    {kReferenceCf, cf_options},
        {kReferenceLogCf, cf_options}, {kAccountsCf, cf_options},
        {kRollupsCf, cf_options}, {kPhotosCf, photo_options}};
    rocksdb::Status s;
    if (o.read_only) {
      s = rocksdb::DB::OpenForReadOnly(options, o.path, cfs, &out->handles_, &out->db_);
    } else {
      s = rocksdb::DB::Open(options, o.path, cfs, &out->handles_, &out->db_);
    }
    if (!s.ok()) return FromRocks(s, StrCat("opening ", o.path));

    std::string version;
    s = out->db_->Get(rocksdb::ReadOptions(), out->cf(kDefault), kFormatVersionKey, &version);
    if (s.IsNotFound() && !o.read_only) {
      PANTAU_RETURN_IF_ERROR(out->Write([&](rocksdb::WriteBatch& b) {
        return b.Put(out->cf(kDefault), kFormatVersionKey, kFormatVersion);
      }));
    } else if (!s.ok() && !s.IsNotFound()) {
      return FromRocks(s, "reading the format version");
    } else if (s.ok() && version == kFormatVersionWithoutPriceSums) {
      out->stored_version_ = version;
    } else if (s.ok() && version != kFormatVersion) {
      return absl::FailedPreconditionError(
          StrCat("data directory ", o.path, " has storage format ", version,
                 ", this build reads format ", kFormatVersion));
    }
    return out;
  }

  // The format the store had when opened ("" for a new store, which is written in this build's).
  const std::string& stored_version() const { return stored_version_; }

  rocksdb::DB* db() { return db_; }
  rocksdb::ColumnFamilyHandle* cf(CfIndex i) { return handles_[i]; }
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles() const { return handles_; }

  // Builds a batch with `fill` and writes it with a synced WAL.
  template <typename Fill>
  absl::Status Write(Fill fill) {
    rocksdb::WriteBatch batch;
    rocksdb::Status s = fill(batch);
    if (!s.ok()) return FromRocks(s, "building a write batch");
    return WriteSynced(batch);
  }

  absl::Status WriteSynced(rocksdb::WriteBatch& batch) {
    rocksdb::WriteOptions options;
    options.sync = sync_writes_;
    return FromRocks(db_->Write(options, &batch), "synced write");
  }

  // nullopt when absent.
  absl::StatusOr<std::optional<std::string>> Get(CfIndex cf_index, std::string_view key) {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(cf_index),
                                 rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) return FromRocks(s, "read");
    return value;
  }

  RocksDatabase() = default;
  RocksDatabase(const RocksDatabase&) = delete;
  RocksDatabase& operator=(const RocksDatabase&) = delete;

 private:
  rocksdb::DB* db_ = nullptr;
  bool sync_writes_ = true;
  std::string stored_version_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// In the index family: 'a', then the id of a record that has corrections or voids.
std::string AmendedMarkerKey(std::string_view logical_id) { return StrCat("a", logical_id); }

// The StoredRecord's bytes. With the record's bytes at hand, field 1 (the record) is written
// from them and the other fields are appended: the same bytes a full serialisation gives, since
// fields are written in number order, without serialising the record twice.
std::string StoredBytes(const RecordWrite& write) {
  if (write.record_bytes.empty()) return Serialize(write.stored);
  v1::StoredRecord rest;
  *rest.mutable_received_at() = write.stored.received_at();
  rest.set_content_sha256(write.stored.content_sha256());
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
        v1::StoredRecord::kRecordFieldNumber,
        google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    coded.WriteVarint32(static_cast<uint32_t>(write.record_bytes.size()));
    coded.WriteRaw(write.record_bytes.data(), static_cast<int>(write.record_bytes.size()));
  }
  out.append(Serialize(rest));
  return out;
}

class RocksRecordStore final : public RecordStore {
 public:
  RocksRecordStore(RocksDatabase& db, size_t max_group_records, absl::TimeZone zone)
      : db_(db), max_group_records_(max_group_records), zone_(zone) {}

  absl::Status LoadCounts() {
    for (auto kind : common::AllRecordKinds()) {
      PANTAU_ASSIGN_OR_RETURN(auto value, db_.Get(kDefault, CountKey(kind)));
      if (value) {
        auto count = DecodeUint64(*value);
        if (!count) return absl::DataLossError(StrCat("bad record count for ", CountKey(kind)));
        counts_[static_cast<size_t>(kind)] = *count;
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<AppendOutcome>> Append(std::vector<RecordWrite> writes) override {
    Writer self;
    self.writes = &writes;
    std::unique_lock lock(mu_);
    writers_.push_back(&self);
    while (!self.done && &self != writers_.front()) self.cv.wait(lock);
    if (self.done) {
      if (!self.status.ok()) return self.status;
      return std::move(self.outcomes);
    }
    // Leader: take the writers queued now (up to the group limit) and commit them together.
    std::vector<Writer*> group;
    size_t records = 0;
    for (Writer* w : writers_) {
      if (!group.empty() && records + w->writes->size() > max_group_records_) break;
      group.push_back(w);
      records += w->writes->size();
    }
    lock.unlock();

    // Only the leader runs this, so the checks below see every earlier commit and nothing can
    // interleave between check and write.
    bool write_failed = false;
    absl::Status status = CommitGroup(group, write_failed);
    for (Writer* w : group) w->status = status;
    if (!status.ok() && !write_failed && group.size() > 1) {
      // The group failed before anything was written (a stored record that does not decode, a
      // roll-up that cannot be updated): one writer's records, not the store. Each writer is
      // committed on its own, so only the one at fault gets the error.
      for (Writer* w : group) {
        bool failed = false;
        w->status = CommitGroup({w}, failed);
      }
    }

    lock.lock();
    for (Writer* w : group) {
      writers_.pop_front();
      w->done = true;
      if (w != &self) w->cv.notify_one();
    }
    if (!writers_.empty()) writers_.front()->cv.notify_one();
    lock.unlock();
    if (!self.status.ok()) return self.status;
    return std::move(self.outcomes);
  }

  absl::StatusOr<std::optional<v1::StoredRecord>> Get(std::string_view id) override {
    PANTAU_ASSIGN_OR_RETURN(auto value, db_.Get(kRecords, id));
    if (!value) return std::nullopt;
    v1::StoredRecord record;
    if (!record.ParseFromString(*value)) {
      return absl::DataLossError(StrCat("record ", id, " does not decode"));
    }
    return record;
  }

  absl::StatusOr<RecordCounts> CountByKind() override {
    std::lock_guard lock(counts_mu_);
    return counts_;
  }

  absl::Status ScanIndex(common::IndexKind kind, std::string_view value, absl::Time from,
                         absl::Time to, const RecordVisitor& visit) override {
    const std::string prefix = IndexPrefix(kind, value);
    const std::string lower = prefix + EncodeTimeMicros(from);
    const std::string upper = prefix + EncodeTimeMicros(to);
    rocksdb::ReadOptions read;
    rocksdb::Slice upper_slice(upper);
    read.iterate_upper_bound = &upper_slice;
    const rocksdb::Snapshot* snapshot = db_.db()->GetSnapshot();
    read.snapshot = snapshot;
    std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(read, db_.cf(kIndex)));
    absl::Status status;
    for (it->Seek(lower); it->Valid(); it->Next()) {
      std::string_view id = RecordIdOfIndexKey(std::string_view(it->key().data(), it->key().size()));
      std::string bytes;
      rocksdb::Status s = db_.db()->Get(read, db_.cf(kRecords), ToSlice(id), &bytes);
      if (!s.ok()) {
        status = FromRocks(s, StrCat("index entry without record ", id));
        break;
      }
      v1::StoredRecord record;
      if (!record.ParseFromString(bytes)) {
        status = absl::DataLossError(StrCat("record ", id, " does not decode"));
        break;
      }
      if (!visit(record)) break;
    }
    if (status.ok()) status = FromRocks(it->status(), "index scan");
    it.reset();
    db_.db()->ReleaseSnapshot(snapshot);
    return status;
  }

  absl::Status ScanAll(const RecordVisitor& visit) override {
    std::unique_ptr<rocksdb::Iterator> it(
        db_.db()->NewIterator(rocksdb::ReadOptions(), db_.cf(kRecords)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      v1::StoredRecord record;
      if (!record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError(StrCat("record ", it->key().ToString(), " does not decode"));
      }
      if (!visit(record)) break;
    }
    return FromRocks(it->status(), "record scan");
  }

  absl::Status ScanRollups(
      std::string_view from, std::string_view to,
      const std::function<bool(std::string_view, const v1::RollupCell&)>& visit,
      const std::function<bool(std::string_view)>& want) override {
    rocksdb::ReadOptions read;
    rocksdb::Slice upper(to.data(), to.size());
    read.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(read, db_.cf(kRollups)));
    for (it->Seek(ToSlice(from)); it->Valid(); it->Next()) {
      if (want && !want(it->key().ToStringView())) continue;
      v1::RollupCell cell;
      if (!cell.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError("a roll-up cell does not decode");
      }
      if (!visit(it->key().ToStringView(), cell)) break;
    }
    return FromRocks(it->status(), "roll-up scan");
  }

  absl::TimeZone zone() const override { return zone_; }

  // A format-1 store gets its price-days and price-months cells: every roll-up is recomputed from
  // the records, then the version moves to 2. A crash in between leaves format 1, and the next
  // open does it again.
  absl::Status UpgradeFromFormat1() {
    PANTAU_RETURN_IF_ERROR(RebuildRollups());
    return db_.Write([&](rocksdb::WriteBatch& b) { return b.Put(db_.cf(kDefault), kFormatVersionKey, kFormatVersion); });
  }

  absl::Status RebuildRollups() override {
    RollupRebuild rebuild(zone_);
    PANTAU_RETURN_IF_ERROR(ScanAll([&](const v1::StoredRecord& r) {
      rebuild.AddAmendmentsOf(r.record());
      return true;
    }));
    absl::Status added;
    PANTAU_RETURN_IF_ERROR(ScanAll([&](const v1::StoredRecord& r) {
      added = rebuild.AddOriginal(r.record());
      return added.ok();
    }));
    PANTAU_RETURN_IF_ERROR(added);
    PANTAU_RETURN_IF_ERROR(rebuild.Finish());
    rocksdb::WriteBatch batch;
    // Every cell key starts with an upper-case family letter: [0x00, 0xFF) covers them all.
    PANTAU_RETURN_IF_ERROR(FromRocks(
        batch.DeleteRange(db_.cf(kRollups), std::string(1, '\0'), std::string(1, '\xff')),
        "building a write batch"));
    for (const auto& [key, cell] : rebuild.cells().cells()) {
      PANTAU_RETURN_IF_ERROR(
          FromRocks(batch.Put(db_.cf(kRollups), key, Serialize(cell)), "building a write batch"));
    }
    PANTAU_RETURN_IF_ERROR(FromRocks(batch.Put(db_.cf(kDefault), kRollupZoneKey, StrCat(OffsetSeconds(zone_))),
                                     "building a write batch"));
    return db_.WriteSynced(batch);
  }

 private:
  struct Writer {
    std::vector<RecordWrite>* writes = nullptr;
    std::vector<AppendOutcome> outcomes;
    absl::Status status;
    bool done = false;
    std::condition_variable cv;
  };

  // What the roll-up update reads while a group is being committed: the database, plus what this
  // group has added so far (kept in memory; nothing of the group is in the database yet). Cells
  // written by the group stay in an overlay and go into the batch at the end.
  class GroupView final : public RecordLookup, public common::CellStore {
   public:
    explicit GroupView(RocksDatabase& db) : db_(db) {}

    void AddRecord(const v1::Record& record) {
      records_[record.id()] = &record;
      if (common::IsAmendment(record)) amendments_[common::LogicalId(record)].push_back(&record);
    }

    absl::StatusOr<std::optional<v1::Record>> Record(std::string_view id) override {
      if (auto it = records_.find(std::string(id)); it != records_.end()) return *it->second;
      PANTAU_ASSIGN_OR_RETURN(auto bytes, db_.Get(kRecords, id));
      if (!bytes) return std::nullopt;
      v1::StoredRecord stored;
      if (!stored.ParseFromString(*bytes)) return absl::DataLossError(StrCat("record ", id, " does not decode"));
      return std::move(*stored.mutable_record());
    }

    absl::StatusOr<std::vector<v1::Record>> Amendments(std::string_view logical_id) override {
      std::vector<v1::Record> out;
      if (auto it = amendments_.find(std::string(logical_id)); it != amendments_.end()) {
        for (const v1::Record* r : it->second) out.push_back(*r);
      }
      // Most records are never amended: a point lookup of the marker (bloom-filtered) answers
      // those without an index scan.
      PANTAU_ASSIGN_OR_RETURN(auto marked, db_.Get(kIndex, AmendedMarkerKey(logical_id)));
      if (!marked) return out;
      std::vector<std::string> ids;
      {
        const std::string prefix = IndexPrefix(common::IndexKind::kTarget, logical_id);
        std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(rocksdb::ReadOptions(), db_.cf(kIndex)));
        for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
          ids.emplace_back(RecordIdOfIndexKey(it->key().ToStringView()));
        }
        PANTAU_RETURN_IF_ERROR(FromRocks(it->status(), "target index scan"));
      }
      for (const auto& id : ids) {
        PANTAU_ASSIGN_OR_RETURN(auto bytes, db_.Get(kRecords, id));
        v1::StoredRecord stored;
        if (bytes && stored.ParseFromString(*bytes) && common::IsAmendment(stored.record())) {
          out.push_back(std::move(*stored.mutable_record()));
        }
      }
      return out;
    }

    absl::StatusOr<v1::RollupCell*> Mutable(const std::string& key) override {
      auto it = cells_.find(key);
      if (it == cells_.end()) {
        PANTAU_ASSIGN_OR_RETURN(auto bytes, db_.Get(kRollups, key));
        v1::RollupCell cell;
        if (bytes && !cell.ParseFromString(*bytes)) return absl::DataLossError("a roll-up cell does not decode");
        it = cells_.emplace(key, std::move(cell)).first;
      } else if (!it->second) {
        it->second.emplace();  // deleted earlier in this group: starts empty again
      }
      return &*it->second;
    }
    absl::Status Delete(const std::string& key) override {
      cells_[key] = std::nullopt;
      return absl::OkStatus();
    }

    // The group's cell changes, into `batch`.
    absl::Status WriteCells(rocksdb::WriteBatch& batch) {
      for (const auto& [key, cell] : cells_) {
        rocksdb::Status s = cell ? batch.Put(db_.cf(kRollups), key, Serialize(*cell))
                                 : batch.Delete(db_.cf(kRollups), key);
        if (!s.ok()) return FromRocks(s, "building a write batch");
      }
      return absl::OkStatus();
    }

   private:
    RocksDatabase& db_;
    std::unordered_map<std::string, const v1::Record*> records_;
    std::unordered_map<std::string, std::vector<const v1::Record*>> amendments_;
    std::map<std::string, std::optional<v1::RollupCell>> cells_;
  };

  // Builds the group's write batch and writes it synced. `write_failed` tells a failure of the
  // write itself (the store) from one found while building (a record of the group).
  absl::Status CommitGroup(const std::vector<Writer*>& group, bool& write_failed) {
    write_failed = false;
    rocksdb::WriteBatch batch;
    GroupView view(db_);
    RecordCounts counts;
    {
      std::lock_guard lock(counts_mu_);
      counts = counts_;
    }
    // What is stored already, for every id of the group, in one MultiGet.
    std::vector<rocksdb::Slice> keys;
    for (Writer* w : group) {
      for (const RecordWrite& write : *w->writes) keys.emplace_back(write.stored.record().id());
    }
    std::vector<rocksdb::PinnableSlice> values(keys.size());
    std::vector<rocksdb::Status> statuses(keys.size());
    db_.db()->MultiGet(rocksdb::ReadOptions(), db_.cf(kRecords), keys.size(), keys.data(),
                       values.data(), statuses.data());
    // Content hashes of ids inserted earlier in this group.
    std::unordered_map<std::string, std::string> inserted;
    bool any_inserted = false;
    size_t position = 0;
    for (Writer* w : group) {
      w->outcomes.clear();
      w->outcomes.reserve(w->writes->size());
      for (RecordWrite& write : *w->writes) {
        const size_t k = position++;
        const std::string& id = write.stored.record().id();
        std::optional<std::string> existing_hash;
        if (auto it = inserted.find(id); it != inserted.end()) {
          existing_hash = it->second;
        } else if (statuses[k].ok()) {
          v1::StoredRecord existing;
          if (!existing.ParseFromArray(values[k].data(), static_cast<int>(values[k].size()))) {
            return absl::DataLossError(StrCat("record ", id, " does not decode"));
          }
          existing_hash = existing.content_sha256();
        } else if (!statuses[k].IsNotFound()) {
          return FromRocks(statuses[k], "duplicate check");
        }
        if (existing_hash) {
          w->outcomes.push_back(*existing_hash == write.stored.content_sha256()
                                    ? AppendOutcome::kDuplicate
                                    : AppendOutcome::kConflict);
          continue;
        }
        const absl::Time observed = common::FromTimestamp(write.stored.record().observed_at());
        rocksdb::Status s = batch.Put(db_.cf(kRecords), ToSlice(id), StoredBytes(write));
        for (const auto& entry : write.index) {
          if (!s.ok()) break;
          s = batch.Put(db_.cf(kIndex), IndexKey(entry.kind, entry.value, observed, id),
                        rocksdb::Slice());
        }
        if (s.ok() && common::IsAmendment(write.stored.record())) {
          s = batch.Put(db_.cf(kIndex), AmendedMarkerKey(common::LogicalId(write.stored.record())),
                        rocksdb::Slice());
        }
        if (!s.ok()) return FromRocks(s, "building a write batch");
        view.AddRecord(write.stored.record());
        PANTAU_RETURN_IF_ERROR(UpdateRollupsForInsert(write.stored.record(), view, view, zone_));
        counts[static_cast<size_t>(write.kind)]++;
        inserted.emplace(id, write.stored.content_sha256());
        w->outcomes.push_back(AppendOutcome::kInserted);
        any_inserted = true;
      }
    }
    if (!any_inserted) return absl::OkStatus();
    for (auto kind : common::AllRecordKinds()) {
      rocksdb::Status s = batch.Put(db_.cf(kDefault), CountKey(kind),
                                    EncodeUint64(counts[static_cast<size_t>(kind)]));
      if (!s.ok()) return FromRocks(s, "building a write batch");
    }
    PANTAU_RETURN_IF_ERROR(view.WriteCells(batch));
    if (absl::Status written = db_.WriteSynced(batch); !written.ok()) {
      write_failed = true;
      return written;
    }
    if (observer_) observer_(inserted.size());
    std::lock_guard lock(counts_mu_);
    counts_ = counts;
    return absl::OkStatus();
  }

 public:
  void SetObserver(SyncedWriteObserver observer) { observer_ = std::move(observer); }

 private:
  RocksDatabase& db_;
  SyncedWriteObserver observer_;  // set before writes start
  const size_t max_group_records_;
  const absl::TimeZone zone_;

  std::mutex mu_;
  std::deque<Writer*> writers_;  // guarded by mu_; the front one is the leader

  std::mutex counts_mu_;
  RecordCounts counts_{};  // guarded by counts_mu_; written only by the leader
};

class RocksReferenceStore final : public ReferenceStore {
 public:
  explicit RocksReferenceStore(RocksDatabase& db) : db_(db) {}

  absl::Status LoadSequence() {
    PANTAU_ASSIGN_OR_RETURN(auto value, db_.Get(kDefault, kReferenceSequenceKey));
    if (value) {
      auto seq = DecodeUint64(*value);
      if (!seq) return absl::DataLossError("bad reference sequence");
      sequence_ = *seq;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<v1::ReferenceChange>> Apply(
      const std::vector<v1::ReferenceEntity>& upserts,
      const std::vector<v1::ReferenceEntity>& removals, absl::Time now) override {
    std::lock_guard lock(mu_);
    std::vector<std::string> upsert_keys, removal_keys;
    for (const auto& e : upserts) {
      PANTAU_ASSIGN_OR_RETURN(auto key, common::ReferenceKey(e));
      upsert_keys.push_back(std::move(key));
    }
    for (const auto& e : removals) {
      PANTAU_ASSIGN_OR_RETURN(auto key, common::ReferenceKey(e));
      removal_keys.push_back(std::move(key));
    }
    rocksdb::WriteBatch batch;
    std::vector<v1::ReferenceChange> changes;
    // Later entries of the same call see earlier ones.
    std::unordered_map<std::string, std::optional<std::string>> pending;
    uint64_t sequence = sequence_;
    auto current = [&](const std::string& key) -> absl::StatusOr<std::optional<std::string>> {
      if (auto it = pending.find(key); it != pending.end()) return it->second;
      return db_.Get(kReference, key);
    };
    auto add_change = [&](const v1::ReferenceEntity& entity, bool removed) -> absl::Status {
      v1::ReferenceChange& c = changes.emplace_back();
      c.set_sequence(++sequence);
      *c.mutable_entity() = entity;
      c.set_removed(removed);
      *c.mutable_changed_at() = common::ToTimestamp(now);
      return FromRocks(batch.Put(db_.cf(kReferenceLog), EncodeUint64(sequence), Serialize(c)),
                       "building a write batch");
    };
    for (size_t i = 0; i < upserts.size(); ++i) {
      std::string bytes = Serialize(upserts[i]);
      PANTAU_ASSIGN_OR_RETURN(auto stored, current(upsert_keys[i]));
      if (stored && *stored == bytes) continue;
      PANTAU_RETURN_IF_ERROR(FromRocks(batch.Put(db_.cf(kReference), upsert_keys[i], bytes),
                                       "building a write batch"));
      pending[upsert_keys[i]] = bytes;
      PANTAU_RETURN_IF_ERROR(add_change(upserts[i], false));
    }
    for (size_t i = 0; i < removals.size(); ++i) {
      PANTAU_ASSIGN_OR_RETURN(auto stored, current(removal_keys[i]));
      if (!stored) continue;
      v1::ReferenceEntity last;
      if (!last.ParseFromString(*stored)) {
        return absl::DataLossError(StrCat("reference entity ", removal_keys[i], " does not decode"));
      }
      PANTAU_RETURN_IF_ERROR(
          FromRocks(batch.Delete(db_.cf(kReference), removal_keys[i]), "building a write batch"));
      pending[removal_keys[i]] = std::nullopt;
      PANTAU_RETURN_IF_ERROR(add_change(last, true));
    }
    if (changes.empty()) return changes;
    PANTAU_RETURN_IF_ERROR(FromRocks(
        batch.Put(db_.cf(kDefault), kReferenceSequenceKey, EncodeUint64(sequence)), "batch"));
    PANTAU_RETURN_IF_ERROR(db_.WriteSynced(batch));
    sequence_ = sequence;
    return changes;
  }

  absl::Status ScanChanges(uint64_t after,
                           const std::function<bool(const v1::ReferenceChange&)>& visit) override {
    std::unique_ptr<rocksdb::Iterator> it(
        db_.db()->NewIterator(rocksdb::ReadOptions(), db_.cf(kReferenceLog)));
    if (after == std::numeric_limits<uint64_t>::max()) return absl::OkStatus();  // nothing after it (after + 1 wraps)
    for (it->Seek(EncodeUint64(after + 1)); it->Valid(); it->Next()) {
      v1::ReferenceChange change;
      if (!change.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError("a reference change does not decode");
      }
      if (!visit(change)) break;
    }
    return FromRocks(it->status(), "reference change scan");
  }

  absl::StatusOr<uint64_t> LastSequence() override {
    std::lock_guard lock(mu_);
    return sequence_;
  }

 private:
  RocksDatabase& db_;
  std::mutex mu_;
  uint64_t sequence_ = 0;  // guarded by mu_
};

// The audit log lives in the accounts family under "audit/" + big-endian sequence, so that a
// data directory of an earlier version opens (also read-only) without a new family.
class RocksAuditLog final : public AuditLog {
 public:
  explicit RocksAuditLog(RocksDatabase& db) : db_(db) {}

  absl::Status Load() {
    std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(rocksdb::ReadOptions(), db_.cf(kAccounts)));
    it->SeekForPrev(Key(~uint64_t{0}));
    if (it->Valid() && it->key().starts_with(kPrefix)) {
      std::string_view key(it->key().data(), it->key().size());
      auto sequence = DecodeUint64(key.substr(kPrefix.size()));
      if (!sequence) return absl::DataLossError("an audit log key does not decode");
      sequence_ = *sequence;
    }
    return FromRocks(it->status(), "reading the audit log");
  }

  absl::StatusOr<uint64_t> Append(v1::AuditEntry entry) override { return AppendWith(std::move(entry), {}); }

  // Appends `entry` in one durable write together with what `more` adds to the batch; the
  // sequence is used only when the write succeeds.
  absl::StatusOr<uint64_t> AppendWith(v1::AuditEntry entry,
                                      const std::function<rocksdb::Status(rocksdb::WriteBatch&)>& more) {
    std::lock_guard lock(mu_);
    entry.set_sequence(sequence_ + 1);
    PANTAU_RETURN_IF_ERROR(db_.Write([&](rocksdb::WriteBatch& b) {
      rocksdb::Status s = b.Put(db_.cf(kAccounts), Key(entry.sequence()), Serialize(entry));
      if (s.ok() && more) s = more(b);
      return s;
    }));
    return ++sequence_;
  }

  absl::StatusOr<std::vector<v1::AuditEntry>> Scan(uint64_t after, size_t limit) override {
    std::vector<v1::AuditEntry> out;
    std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(rocksdb::ReadOptions(), db_.cf(kAccounts)));
    for (it->Seek(Key(after + 1)); it->Valid() && it->key().starts_with(kPrefix) && out.size() < limit;
         it->Next()) {
      v1::AuditEntry& entry = out.emplace_back();
      if (!entry.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError("an audit log entry does not decode");
      }
    }
    PANTAU_RETURN_IF_ERROR(FromRocks(it->status(), "audit log scan"));
    return out;
  }

  absl::StatusOr<uint64_t> LastSequence() override {
    std::lock_guard lock(mu_);
    return sequence_;
  }

 private:
  static constexpr std::string_view kPrefix = "audit/";
  static std::string Key(uint64_t sequence) { return StrCat(kPrefix, EncodeUint64(sequence)); }

  RocksDatabase& db_;
  std::mutex mu_;
  uint64_t sequence_ = 0;  // guarded by mu_
};

class RocksAccountStore final : public AccountStore {
 public:
  RocksAccountStore(RocksDatabase& db, RocksAuditLog& audit) : db_(db), audit_(audit) {}

  absl::Status Create(const v1::Account& account) override {
    std::lock_guard lock(mu_);
    PANTAU_ASSIGN_OR_RETURN(auto existing, db_.Get(kAccounts, NameKey(account.name())));
    if (existing) {
      return absl::AlreadyExistsError(StrCat("account \"", account.name(), "\" already exists"));
    }
    return db_.Write([&](rocksdb::WriteBatch& b) {
      rocksdb::Status s = b.Put(db_.cf(kAccounts), NameKey(account.name()), Serialize(account));
      if (s.ok()) s = b.Put(db_.cf(kAccounts), TokenKey(account.token_sha256()), account.name());
      return s;
    });
  }

  absl::StatusOr<std::optional<v1::Account>> FindByTokenHash(std::string_view hash) override {
    PANTAU_ASSIGN_OR_RETURN(auto name, db_.Get(kAccounts, TokenKey(hash)));
    if (!name) return std::nullopt;
    return FindByName(*name);
  }

  absl::StatusOr<std::optional<v1::Account>> FindByName(std::string_view name) override {
    PANTAU_ASSIGN_OR_RETURN(auto bytes, db_.Get(kAccounts, NameKey(name)));
    if (!bytes) return std::nullopt;
    v1::Account account;
    if (!account.ParseFromString(*bytes)) return absl::DataLossError("an account does not decode");
    return account;
  }

  absl::Status Update(const v1::Account& account) override {
    std::lock_guard lock(mu_);
    PANTAU_ASSIGN_OR_RETURN(auto stored, FindByName(account.name()));
    if (!stored) return absl::NotFoundError(StrCat("no account \"", account.name(), "\""));
    return db_.Write([&](rocksdb::WriteBatch& b) {
      rocksdb::Status s = b.Put(db_.cf(kAccounts), NameKey(account.name()), Serialize(account));
      if (s.ok() && stored->token_sha256() != account.token_sha256()) {
        s = b.Delete(db_.cf(kAccounts), TokenKey(stored->token_sha256()));
        if (s.ok()) s = b.Put(db_.cf(kAccounts), TokenKey(account.token_sha256()), account.name());
      }
      return s;
    });
  }

  absl::StatusOr<v1::Account> Change(std::string_view name, const std::function<absl::Status(v1::Account&)>& change,
                                     v1::AuditEntry audit) override {
    std::lock_guard lock(mu_);
    PANTAU_ASSIGN_OR_RETURN(auto stored, FindByName(name));
    if (!stored) return absl::NotFoundError(StrCat("no account \"", name, "\""));
    v1::Account account = *stored;
    PANTAU_RETURN_IF_ERROR(change(account));
    account.set_name(stored->name());
    PANTAU_RETURN_IF_ERROR(audit_.AppendWith(std::move(audit), [&](rocksdb::WriteBatch& b) {
      rocksdb::Status s = b.Put(db_.cf(kAccounts), NameKey(account.name()), Serialize(account));
      if (s.ok() && stored->token_sha256() != account.token_sha256()) {
        s = b.Delete(db_.cf(kAccounts), TokenKey(stored->token_sha256()));
        if (s.ok()) s = b.Put(db_.cf(kAccounts), TokenKey(account.token_sha256()), account.name());
      }
      return s;
    }).status());
    return account;
  }

  absl::StatusOr<std::vector<v1::Account>> List() override {
    std::vector<v1::Account> out;
    std::unique_ptr<rocksdb::Iterator> it(
        db_.db()->NewIterator(rocksdb::ReadOptions(), db_.cf(kAccounts)));
    for (it->Seek("name/"); it->Valid() && it->key().starts_with("name/"); it->Next()) {
      v1::Account& account = out.emplace_back();
      if (!account.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError("an account does not decode");
      }
    }
    PANTAU_RETURN_IF_ERROR(FromRocks(it->status(), "account scan"));
    return out;
  }

  absl::Status PutDeviceContact(const v1::DeviceContact& contact) override {
    return db_.Write([&](rocksdb::WriteBatch& b) {
      return b.Put(db_.cf(kAccounts), StrCat(kContactPrefix, contact.device_id()), Serialize(contact));
    });
  }

  absl::StatusOr<std::vector<v1::DeviceContact>> ListDeviceContacts() override {
    std::vector<v1::DeviceContact> out;
    std::unique_ptr<rocksdb::Iterator> it(
        db_.db()->NewIterator(rocksdb::ReadOptions(), db_.cf(kAccounts)));
    for (it->Seek(kContactPrefix); it->Valid() && it->key().starts_with(kContactPrefix); it->Next()) {
      v1::DeviceContact& contact = out.emplace_back();
      if (!contact.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError("a laptop's last contact does not decode");
      }
    }
    PANTAU_RETURN_IF_ERROR(FromRocks(it->status(), "laptop contact scan"));
    return out;
  }

 private:
  static constexpr std::string_view kContactPrefix = "contact/";
  static std::string NameKey(std::string_view name) { return StrCat("name/", name); }
  static std::string TokenKey(std::string_view hash) { return StrCat("token/", hash); }

  RocksDatabase& db_;
  RocksAuditLog& audit_;
  std::mutex mu_;  // serialises Create's, Update's and Change's check and write
};

// Photos: "p" + sha256 -> the whole photo; "u" + sha256 -> the announced total (decimal);
// "v" + sha256 + big-endian u64 offset -> one received part.
class RocksPhotoStore final : public PhotoStore {
 public:
  explicit RocksPhotoStore(RocksDatabase& db) : db_(db) {}

  absl::StatusOr<PhotoState> State(std::string_view sha256) override {
    std::lock_guard lock(mu_);
    return StateLocked(sha256);
  }

  absl::StatusOr<PhotoState> AppendPart(std::string_view sha256, int64_t total_bytes, int64_t offset,
                                        std::string_view data) override {
    std::lock_guard lock(mu_);
    PANTAU_ASSIGN_OR_RETURN(PhotoState state, StateLocked(sha256));
    if (state.complete) return state;
    PANTAU_RETURN_IF_ERROR(CheckPhotoPart(state, total_bytes, offset, data.size()));
    PANTAU_RETURN_IF_ERROR(db_.Write([&](rocksdb::WriteBatch& b) {
      rocksdb::Status s = b.Put(db_.cf(kPhotos), StrCat("u", sha256), StrCat(total_bytes));
      if (s.ok()) s = b.Put(db_.cf(kPhotos), PartKey(sha256, offset), data);
      return s;
    }));
    state.total_bytes = total_bytes;
    state.received_bytes += static_cast<int64_t>(data.size());
    return state;
  }

  absl::StatusOr<std::string> ReadParts(std::string_view sha256) override {
    std::lock_guard lock(mu_);
    std::string out;
    PANTAU_RETURN_IF_ERROR(ScanParts(sha256, [&](std::string_view part) { out.append(part); }));
    return out;
  }

  absl::Status Finish(std::string_view sha256, std::string_view bytes) override {
    std::lock_guard lock(mu_);
    return db_.Write([&](rocksdb::WriteBatch& b) {
      rocksdb::Status s = b.Put(db_.cf(kPhotos), StrCat("p", sha256), bytes);
      if (s.ok()) s = DropParts(b, sha256);
      return s;
    });
  }

  absl::Status Discard(std::string_view sha256) override {
    std::lock_guard lock(mu_);
    return db_.Write([&](rocksdb::WriteBatch& b) { return DropParts(b, sha256); });
  }

  absl::StatusOr<std::optional<std::string>> Read(std::string_view sha256) override {
    return db_.Get(kPhotos, StrCat("p", sha256));
  }

 private:
  static std::string PartKey(std::string_view sha256, int64_t offset) {
    std::string key = StrCat("v", sha256);
    for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>((static_cast<uint64_t>(offset) >> shift) & 0xff));
    return key;
  }

  absl::Status ScanParts(std::string_view sha256, const std::function<void(std::string_view)>& visit) {
    const std::string prefix = StrCat("v", sha256);
    std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(rocksdb::ReadOptions(), db_.cf(kPhotos)));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      visit(std::string_view(it->value().data(), it->value().size()));
    }
    return FromRocks(it->status(), "reading photo parts");
  }

  rocksdb::Status DropParts(rocksdb::WriteBatch& b, std::string_view sha256) {
    const std::string prefix = StrCat("v", sha256);
    std::string end = prefix;
    end.push_back('\xff');
    rocksdb::Status s = b.DeleteRange(db_.cf(kPhotos), prefix, end + std::string(8, '\xff'));
    if (s.ok()) s = b.Delete(db_.cf(kPhotos), StrCat("u", sha256));
    return s;
  }

  absl::StatusOr<PhotoState> StateLocked(std::string_view sha256) {
    PhotoState state;
    PANTAU_ASSIGN_OR_RETURN(auto whole, db_.Get(kPhotos, StrCat("p", sha256)));
    if (whole) {
      state.complete = true;
      state.received_bytes = state.total_bytes = static_cast<int64_t>(whole->size());
      return state;
    }
    PANTAU_ASSIGN_OR_RETURN(auto total, db_.Get(kPhotos, StrCat("u", sha256)));
    if (!total) return state;
    state.total_bytes = std::atoll(total->c_str());
    PANTAU_RETURN_IF_ERROR(
        ScanParts(sha256, [&](std::string_view part) { state.received_bytes += static_cast<int64_t>(part.size()); }));
    return state;
  }

  RocksDatabase& db_;
  std::mutex mu_;  // one upload step at a time: the offset check and the write are one step
};

// Delivery marks in the default family: `delivered/<id>` -> microseconds since the epoch.
class RocksDeliveryLog final : public DeliveryLog {
 public:
  explicit RocksDeliveryLog(RocksDatabase& db) : db_(db) {}
  absl::StatusOr<bool> Delivered(std::string_view id) override {
    std::string value;
    const rocksdb::Status s = db_.db()->Get(rocksdb::ReadOptions(), db_.cf(kDefault), Key(id), &value);
    if (s.IsNotFound()) return false;
    PANTAU_RETURN_IF_ERROR(FromRocks(s, "delivery mark"));
    return true;
  }
  absl::Status MarkDelivered(std::string_view id, absl::Time at) override {
    return db_.Write([&](rocksdb::WriteBatch& b) {
      return b.Put(db_.cf(kDefault), Key(id), std::to_string(absl::ToUnixMicros(at)));
    });
  }

 private:
  static std::string Key(std::string_view id) { return StrCat("delivered/", id); }
  RocksDatabase& db_;
};

class RocksStorage final : public Storage {
 public:
  RocksStorage(std::unique_ptr<RocksDatabase> db, size_t max_group_records, absl::TimeZone zone)
      : db_(std::move(db)),
        records_(*db_, max_group_records, zone),
        reference_(*db_),
        audit_(*db_),
        accounts_(*db_, audit_),
        photos_(*db_),
        deliveries_(*db_) {}

  absl::Status Load() {
    PANTAU_RETURN_IF_ERROR(records_.LoadCounts());
    PANTAU_RETURN_IF_ERROR(audit_.Load());
    return reference_.LoadSequence();
  }

  RecordStore& records() override { return records_; }
  ReferenceStore& reference() override { return reference_; }
  AccountStore& accounts() override { return accounts_; }
  PhotoStore& photos() override { return photos_; }
  AuditLog& audit() override { return audit_; }
  DeliveryLog& deliveries() override { return deliveries_; }
  absl::Status UpgradeFromFormat1() { return records_.UpgradeFromFormat1(); }

  StoreFigures Figures() override {
    rocksdb::DB* db = db_->db();
    StoreFigures out;
    auto sum = [&](const std::string& property) {
      uint64_t total = 0;
      for (auto* cf : db_->handles()) {
        uint64_t value = 0;
        if (db->GetIntProperty(cf, property, &value)) total += value;
      }
      return total;
    };
    out.live_data_bytes = sum(rocksdb::DB::Properties::kEstimateLiveDataSize);
    out.memtable_bytes = sum(rocksdb::DB::Properties::kCurSizeAllMemTables);
    out.pending_compaction_bytes = sum(rocksdb::DB::Properties::kEstimatePendingCompactionBytes);
    for (auto* cf : db_->handles()) {
      std::map<std::string, std::string> stats;
      if (!db->GetMapProperty(cf, rocksdb::DB::Properties::kCFStats, &stats)) continue;
      for (const char* key : {"io_stalls.total_stop", "io_stalls.total_slowdown"}) {
        auto it = stats.find(key);
        if (it != stats.end()) out.write_stalls += std::strtoull(it->second.c_str(), nullptr, 10);
      }
    }
    uint64_t stopped = 0;
    out.writes_stopped = db->GetIntProperty(rocksdb::DB::Properties::kIsWriteStopped, &stopped) && stopped != 0;
    return out;
  }

  absl::Status Writable() override {
    if (read_only_) return absl::FailedPreconditionError("the store is open read-only");
    uint64_t errors = 0;
    if (db_->db()->GetIntProperty(rocksdb::DB::Properties::kBackgroundErrors, &errors) && errors > 0) {
      return absl::UnavailableError(StrCat(errors, " background error(s) in the store (disk full or failing?); "
                                           "writes are refused until the server is restarted"));
    }
    uint64_t stopped = 0;
    if (db_->db()->GetIntProperty(rocksdb::DB::Properties::kIsWriteStopped, &stopped) && stopped != 0) {
      return absl::UnavailableError("writes are stopped while compaction catches up");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<BackupInfo> Backup(const std::string& backup_dir, int keep) override {
    std::lock_guard lock(backup_mu_);  // one backup at a time into a folder
    std::error_code ec;
    std::filesystem::create_directories(backup_dir, ec);
    PANTAU_ASSIGN_OR_RETURN(auto folder, BackupFolderLock::Take(backup_dir, /*exclusive=*/true));
    PANTAU_ASSIGN_OR_RETURN(auto engine, OpenBackupEngine(backup_dir));
    rocksdb::CreateBackupOptions options;
    options.flush_before_backup = true;  // the backup is the SST files alone, no WAL to replay
    rocksdb::BackupID id = 0;
    rocksdb::IOStatus s = engine->CreateNewBackupWithMetadata(options, db_->db(), StrCat("pantau format ", kFormatVersion), &id);
    if (!s.ok()) return FromRocks(s, StrCat("backing up into ", backup_dir));
    if (keep > 0) {
      s = engine->PurgeOldBackups(static_cast<uint32_t>(keep));
      if (!s.ok()) return FromRocks(s, StrCat("removing old backups from ", backup_dir));
    }
    rocksdb::BackupInfo info;
    rocksdb::Status got = engine->GetBackupInfo(id, &info);
    if (!got.ok()) return FromRocks(got, "reading the new backup's details");
    return ToBackupInfo(info);
  }

  void SetSyncedWriteObserver(SyncedWriteObserver observer) override { records_.SetObserver(std::move(observer)); }

  void set_read_only(bool read_only) { read_only_ = read_only; }

 private:
  std::mutex backup_mu_;
  bool read_only_ = false;
  // Declared first so that it is destroyed last, after the stores that use it.
  std::unique_ptr<RocksDatabase> db_;
  RocksRecordStore records_;
  RocksReferenceStore reference_;
  RocksAuditLog audit_;  // before the accounts, which append to it
  RocksAccountStore accounts_;
  RocksPhotoStore photos_;
  RocksDeliveryLog deliveries_;
};

}  // namespace

namespace {

// The zone the store works in (RocksOptions::zone says how it is chosen); remembers it when it is
// new.
absl::StatusOr<absl::TimeZone> SettleRollupZone(RocksDatabase& db, const RocksOptions& options) {
  PANTAU_ASSIGN_OR_RETURN(auto stored, db.Get(kDefault, kRollupZoneKey));
  int remembered = 8 * 60 * 60;  // every store built its roll-ups in UTC+8 before the zone was kept
  if (stored && !absl::SimpleAtoi(*stored, &remembered)) {
    return absl::DataLossError(StrCat("the roll-up zone \"", *stored, "\" does not decode"));
  }
  const absl::TimeZone remembered_zone = absl::FixedTimeZone(remembered);
  if (options.read_only || !options.zone) return remembered_zone;
  const absl::TimeZone wanted = *options.zone;
  if (stored && OffsetSeconds(wanted) == remembered) return wanted;
  std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(rocksdb::ReadOptions(), db.cf(kRecords)));
  it->SeekToFirst();
  PANTAU_RETURN_IF_ERROR(FromRocks(it->status(), "looking for records"));
  const bool has_records = it->Valid();
  if (has_records && OffsetSeconds(wanted) != remembered) {
    if (options.rebuilding_rollups) return wanted;  // RebuildRollups remembers it
    return absl::FailedPreconditionError(StrCat(
        "the roll-ups of ", options.path, " count days in ", common::ZoneName(remembered_zone),
        " but the deployment's time zone is ", common::ZoneName(wanted),
        ": with the server stopped, run `pantau-server rebuild-rollups --data-dir ", options.path,
        "` once to recount them"));
  }
  PANTAU_RETURN_IF_ERROR(db.Write([&](rocksdb::WriteBatch& b) {
    return b.Put(db.cf(kDefault), kRollupZoneKey, StrCat(OffsetSeconds(wanted)));
  }));
  return wanted;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Storage>> OpenRocksStorage(const RocksOptions& options) {
  PANTAU_ASSIGN_OR_RETURN(auto db, RocksDatabase::Open(options));
  PANTAU_ASSIGN_OR_RETURN(const absl::TimeZone zone, SettleRollupZone(*db, options));
  const bool upgrade = !options.read_only && db->stored_version() == kFormatVersionWithoutPriceSums;
  auto storage = std::make_unique<RocksStorage>(std::move(db), options.max_group_records, zone);
  PANTAU_RETURN_IF_ERROR(storage->Load());
  if (upgrade) PANTAU_RETURN_IF_ERROR(storage->UpgradeFromFormat1());
  storage->set_read_only(options.read_only);
  return std::unique_ptr<Storage>(std::move(storage));
}

absl::StatusOr<std::vector<BackupInfo>> ListBackups(const std::string& backup_dir) {
  if (!std::filesystem::is_directory(backup_dir)) return absl::NotFoundError(StrCat(backup_dir, ": no such backup folder"));
  PANTAU_ASSIGN_OR_RETURN(auto folder, BackupFolderLock::Take(backup_dir, /*exclusive=*/false));
  PANTAU_ASSIGN_OR_RETURN(auto engine, OpenBackupsReadOnly(backup_dir));
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  std::vector<BackupInfo> out;
  for (const auto& i : infos) out.push_back(ToBackupInfo(i));
  return out;
}

absl::Status VerifyBackup(const std::string& backup_dir, uint32_t id) {
  if (!std::filesystem::is_directory(backup_dir)) return absl::NotFoundError(StrCat(backup_dir, ": no such backup folder"));
  PANTAU_ASSIGN_OR_RETURN(auto folder, BackupFolderLock::Take(backup_dir, /*exclusive=*/false));
  PANTAU_ASSIGN_OR_RETURN(auto engine, OpenBackupsReadOnly(backup_dir));
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  if (std::none_of(infos.begin(), infos.end(), [&](const rocksdb::BackupInfo& i) { return i.backup_id == id; })) {
    return absl::NotFoundError(StrCat(backup_dir, " has no backup ", id, " (removed by retention, or never made)"));
  }
  rocksdb::IOStatus s = engine->VerifyBackup(id, /*verify_with_checksum=*/true);
  if (!s.ok()) return absl::DataLossError(StrCat("backup ", id, " in ", backup_dir, " is damaged: ", s.ToString()));
  return absl::OkStatus();
}

absl::StatusOr<BackupInfo> RestoreBackup(const std::string& backup_dir, uint32_t id, const std::string& data_dir) {
  std::error_code ec;
  if (std::filesystem::exists(data_dir, ec) && !std::filesystem::is_empty(data_dir, ec)) {
    return absl::FailedPreconditionError(
        StrCat(data_dir, " is not empty: restore into a new folder, then point the server at it"));
  }
  if (!std::filesystem::is_directory(backup_dir)) return absl::NotFoundError(StrCat(backup_dir, ": no such backup folder"));
  PANTAU_ASSIGN_OR_RETURN(auto folder, BackupFolderLock::Take(backup_dir, /*exclusive=*/false));
  PANTAU_ASSIGN_OR_RETURN(auto engine, OpenBackupsReadOnly(backup_dir));
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  if (infos.empty()) return absl::NotFoundError(StrCat(backup_dir, " holds no backup"));
  if (id == 0) id = infos.back().backup_id;
  const rocksdb::BackupInfo* chosen = nullptr;
  for (const auto& i : infos) {
    if (i.backup_id == id) chosen = &i;
  }
  if (chosen == nullptr) return absl::NotFoundError(StrCat(backup_dir, " has no backup ", id));
  rocksdb::IOStatus s = engine->VerifyBackup(id, /*verify_with_checksum=*/true);
  if (!s.ok()) return absl::DataLossError(StrCat("backup ", id, " in ", backup_dir, " is damaged: ", s.ToString()));
  std::filesystem::create_directories(data_dir, ec);
  s = engine->RestoreDBFromBackup(rocksdb::RestoreOptions(), id, data_dir, data_dir);
  if (!s.ok()) return FromRocks(s, StrCat("restoring backup ", id, " into ", data_dir));
  return ToBackupInfo(*chosen);
}

}  // namespace pantau::storage
