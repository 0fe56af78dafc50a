#include "client/laptop_store.h"

#include <filesystem>
#include <map>
#include <mutex>

#include "client/record_ids.h"
#include "common/text.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "absl/strings/str_split.h"
#include "common/str_cat.h"
#include "common/ulid.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace pantau::client {
namespace {

enum Cf { kMeta = 0, kOutbox, kPending, kAttention, kReference, kCfCount };
const char* const kCfNames[kCfCount] = {"default", "outbox",
                                        "pending", "attention", "reference"};

constexpr char kPendingCount[] = "count/pending";
constexpr char kAcknowledgedCount[] = "count/acknowledged";
constexpr char kAttentionCount[] = "count/needs_attention";
constexpr char kCursorKey[] = "reference/cursor";
constexpr char kLastSyncKey[] = "time/last_sync";
constexpr char kLastPullKey[] = "time/last_pull";
constexpr char kMissingKey[] = "alerts/missing_observations";

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string message = StrCat(what, ": ", s.ToString());
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::FailedPreconditionError(
        StrCat(message, " (is another pantau running with this home folder?)"));
  }
  if (s.IsCorruption()) return absl::DataLossError(message);
  return absl::UnavailableError(message);
}

std::string EncodeU64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xFF);
  return out;
}
uint64_t DecodeU64(std::string_view s) {
  uint64_t v = 0;
  for (char c : s) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

class RocksLaptopStore final : public LaptopStore {
 public:
  ~RocksLaptopStore() override {
    for (auto* h : handles_) (void)db_->DestroyColumnFamilyHandle(h);  // best effort at close
    delete db_;
  }

  absl::Status Open(const std::string& home, rocksdb::Env* env, bool sync_writes) {
    std::error_code ec;
    std::filesystem::create_directories(home, ec);
    if (ec) return absl::UnavailableError(StrCat(home, ": ", ec.message()));
    sync_writes_ = sync_writes;
    rocksdb::Options options;
    if (env != nullptr) options.env = env;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    options.keep_log_file_num = 3;
    options.max_background_jobs = 1;
    rocksdb::ColumnFamilyOptions cf(options);
    cf.write_buffer_size = 8 << 20;  // a laptop: small memtables keep memory low
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const char* name : kCfNames) cfs.emplace_back(name, cf);
    PANTAU_RETURN_IF_ERROR(FromRocks(
        rocksdb::DB::Open(options, home + "/db", cfs, &handles_, &db_), StrCat("opening ", home)));
    return absl::OkStatus();
  }

  absl::StatusOr<LaptopSettings> Settings() override {
    LaptopSettings s;
    PANTAU_ASSIGN_OR_RETURN(s.server, GetString(kMeta, "settings/server"));
    PANTAU_ASSIGN_OR_RETURN(s.token_file, GetString(kMeta, "settings/token_file"));
    PANTAU_ASSIGN_OR_RETURN(s.account, GetString(kMeta, "settings/account"));
    PANTAU_ASSIGN_OR_RETURN(s.device_id, GetString(kMeta, "settings/device_id"));
    PANTAU_ASSIGN_OR_RETURN(s.ca_file, GetString(kMeta, "settings/ca_file"));
    PANTAU_ASSIGN_OR_RETURN(std::string kecamatan, GetString(kMeta, "settings/kecamatan"));
    if (!kecamatan.empty()) s.kecamatan_codes = absl::StrSplit(kecamatan, ',');
    if (s.device_id.empty()) {
      PANTAU_ASSIGN_OR_RETURN(std::string random, RandomBytes(6));
      s.device_id = StrCat("laptop-", common::HexText(random));
      rocksdb::WriteBatch batch;
      PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), "settings/device_id", s.device_id)));
      PANTAU_RETURN_IF_ERROR(Write(batch));
    }
    return s;
  }

  absl::Status SaveSettings(const LaptopSettings& s) override {
    std::lock_guard lock(write_mu_);  // counters are read, then written back
    rocksdb::WriteBatch batch;
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), "settings/server", s.server)));
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), "settings/token_file", s.token_file)));
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), "settings/account", s.account)));
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), "settings/ca_file", s.ca_file)));
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), "settings/kecamatan", StrJoin(s.kecamatan_codes, ","))));
    if (!s.device_id.empty()) {
      PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), "settings/device_id", s.device_id)));
    }
    return Write(batch);
  }

  absl::Status Add(const v1::Record& record, absl::Time now) override {
    PANTAU_ASSIGN_OR_RETURN(auto existing, Get(record.id()));
    if (existing) {
      return absl::AlreadyExistsError(StrCat("record ", record.id(), " is already saved"));
    }
    PANTAU_ASSIGN_OR_RETURN(size_t added, AddNew({record}, now));
    (void)added;  // exactly one: checked above, and this process is the only writer
    return absl::OkStatus();
  }

  absl::StatusOr<size_t> AddNew(const std::vector<v1::Record>& records, absl::Time now) override {
    std::lock_guard lock(write_mu_);  // counters are read, then written back
    rocksdb::WriteBatch batch;
    size_t added = 0;
    std::map<std::string, bool> seen;
    for (const auto& record : records) {
      if (seen.count(record.id()) > 0) continue;
      seen[record.id()] = true;
      PANTAU_ASSIGN_OR_RETURN(auto existing, GetString(kOutbox, record.id()));
      if (!existing.empty()) continue;
      v1::OutboxEntry entry;
      *entry.mutable_record() = record;
      entry.set_state(v1::OUTBOX_STATE_PENDING);
      *entry.mutable_state_changed_at() = common::ToTimestamp(now);
      PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kOutbox), record.id(), entry.SerializeAsString())));
      PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kPending), record.id(), rocksdb::Slice())));
      ++added;
    }
    if (added == 0) return added;
    PANTAU_ASSIGN_OR_RETURN(uint64_t pending, GetCount(kPendingCount));
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), kPendingCount, EncodeU64(pending + added))));
    PANTAU_RETURN_IF_ERROR(Write(batch));
    return added;
  }

  absl::StatusOr<std::optional<v1::OutboxEntry>> Get(std::string_view id) override {
    PANTAU_ASSIGN_OR_RETURN(auto bytes, GetString(kOutbox, id));
    if (bytes.empty()) return std::nullopt;
    v1::OutboxEntry entry;
    if (!entry.ParseFromString(bytes)) return absl::DataLossError(StrCat("outbox entry ", id));
    return entry;
  }

  absl::StatusOr<std::vector<v1::Record>> NextPending(std::string_view after, size_t n) override {
    std::vector<v1::Record> out;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kPending)));
    if (after.empty()) {
      it->SeekToFirst();
    } else {
      it->Seek(rocksdb::Slice(after.data(), after.size()));
      if (it->Valid() && it->key() == rocksdb::Slice(after.data(), after.size())) it->Next();
    }
    for (; it->Valid() && out.size() < n; it->Next()) {
      PANTAU_ASSIGN_OR_RETURN(auto entry, Get(it->key().ToStringView()));
      if (!entry) return absl::DataLossError(StrCat("pending ", it->key().ToString(), " has no entry"));
      out.push_back(std::move(*entry->mutable_record()));
    }
    PANTAU_RETURN_IF_ERROR(FromRocks(it->status(), "pending scan"));
    return out;
  }

  absl::Status ApplyResults(const std::vector<v1::Record>& records,
                            const v1::PushResponse& response, absl::Time now) override {
    std::lock_guard lock(write_mu_);  // counters are read, then written back
    if (static_cast<size_t>(response.results_size()) != records.size()) {
      return absl::InvalidArgumentError(StrCat("the server answered ", response.results_size(),
                                               " results for a batch of ", records.size()));
    }
    rocksdb::WriteBatch batch;
    uint64_t acknowledged = 0, attention = 0, left_pending = 0;
    for (size_t i = 0; i < records.size(); ++i) {
      const v1::RecordResult& result = response.results(static_cast<int>(i));
      if (result.record_id() != records[i].id()) {
        return absl::InvalidArgumentError(StrCat("result ", i, " is for ", result.record_id(),
                                                 ", not ", records[i].id()));
      }
      PANTAU_ASSIGN_OR_RETURN(auto entry, Get(records[i].id()));
      if (!entry || entry->state() != v1::OUTBOX_STATE_PENDING) continue;  // answered before
      entry->set_outcome(result.outcome());
      *entry->mutable_state_changed_at() = common::ToTimestamp(now);
      switch (result.outcome()) {
        case v1::PUSH_OUTCOME_ACCEPTED:
        case v1::PUSH_OUTCOME_DUPLICATE:
          entry->set_state(v1::OUTBOX_STATE_ACKNOWLEDGED);
          ++acknowledged;
          break;
        case v1::PUSH_OUTCOME_INVALID:
        case v1::PUSH_OUTCOME_CONFLICT:
          entry->set_state(v1::OUTBOX_STATE_NEEDS_ATTENTION);
          *entry->mutable_errors() = result.errors();
          entry->set_message(result.message());
          PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kAttention), records[i].id(), rocksdb::Slice())));
          ++attention;
          break;
        default:
          ++left_pending;  // an outcome this client does not know: keep it pending
          continue;
      }
      PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kOutbox), records[i].id(), entry->SerializeAsString())));
      PANTAU_RETURN_IF_ERROR(Check(batch.Delete(cf(kPending), records[i].id())));
    }
    if (acknowledged + attention == 0) return absl::OkStatus();
    PANTAU_ASSIGN_OR_RETURN(uint64_t pending, GetCount(kPendingCount));
    PANTAU_ASSIGN_OR_RETURN(uint64_t acked, GetCount(kAcknowledgedCount));
    PANTAU_ASSIGN_OR_RETURN(uint64_t flagged, GetCount(kAttentionCount));
    PANTAU_RETURN_IF_ERROR(
        Check(batch.Put(cf(kMeta), kPendingCount, EncodeU64(pending - acknowledged - attention))));
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), kAcknowledgedCount, EncodeU64(acked + acknowledged))));
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), kAttentionCount, EncodeU64(flagged + attention))));
    (void)left_pending;
    return Write(batch);
  }

  absl::Status Requeue(std::string_view id, absl::Time now) override {
    std::lock_guard lock(write_mu_);  // counters are read, then written back
    PANTAU_ASSIGN_OR_RETURN(auto entry, Get(id));
    if (!entry) return absl::NotFoundError(StrCat("no record ", id, " on this laptop"));
    if (entry->state() != v1::OUTBOX_STATE_NEEDS_ATTENTION) {
      return absl::FailedPreconditionError(StrCat("record ", id, " does not need attention"));
    }
    if (entry->outcome() == v1::PUSH_OUTCOME_CONFLICT) {
      return absl::FailedPreconditionError(StrCat(
          "record ", id, " conflicts with a different record of the same id on the server; sending it again "
          "cannot help: enter it anew"));
    }
    entry->set_state(v1::OUTBOX_STATE_PENDING);
    entry->set_outcome(v1::PUSH_OUTCOME_UNSPECIFIED);
    entry->clear_errors();
    entry->clear_message();
    *entry->mutable_state_changed_at() = common::ToTimestamp(now);
    rocksdb::WriteBatch batch;
    const std::string key(id);
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kOutbox), key, entry->SerializeAsString())));
    PANTAU_RETURN_IF_ERROR(Check(batch.Delete(cf(kAttention), key)));
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kPending), key, rocksdb::Slice())));
    PANTAU_ASSIGN_OR_RETURN(uint64_t pending, GetCount(kPendingCount));
    PANTAU_ASSIGN_OR_RETURN(uint64_t flagged, GetCount(kAttentionCount));
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), kPendingCount, EncodeU64(pending + 1))));
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), kAttentionCount, EncodeU64(flagged - 1))));
    return Write(batch);
  }

  absl::Status Resolve(std::string_view id, const v1::Record* replacement, const std::string& reason,
                       absl::Time now) override {
    std::lock_guard lock(write_mu_);  // counters are read, then written back
    PANTAU_ASSIGN_OR_RETURN(auto entry, Get(id));
    if (!entry) return absl::NotFoundError(StrCat("no record ", id, " on this laptop"));
    if (entry->state() != v1::OUTBOX_STATE_NEEDS_ATTENTION) {
      return absl::FailedPreconditionError(StrCat("record ", id, " does not need attention"));
    }
    rocksdb::WriteBatch batch;
    const std::string key(id);
    PANTAU_ASSIGN_OR_RETURN(uint64_t pending, GetCount(kPendingCount));
    if (replacement != nullptr) {
      PANTAU_ASSIGN_OR_RETURN(auto taken, GetString(kOutbox, replacement->id()));
      if (!taken.empty()) return absl::AlreadyExistsError(StrCat("record ", replacement->id(), " is already saved"));
      v1::OutboxEntry added;
      *added.mutable_record() = *replacement;
      added.set_state(v1::OUTBOX_STATE_PENDING);
      *added.mutable_state_changed_at() = common::ToTimestamp(now);
      PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kOutbox), replacement->id(), added.SerializeAsString())));
      PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kPending), replacement->id(), rocksdb::Slice())));
      PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), kPendingCount, EncodeU64(pending + 1))));
      entry->set_replaced_by(replacement->id());
    }
    entry->set_state(v1::OUTBOX_STATE_RESOLVED);
    entry->set_resolution_reason(reason);
    *entry->mutable_state_changed_at() = common::ToTimestamp(now);
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kOutbox), key, entry->SerializeAsString())));
    PANTAU_RETURN_IF_ERROR(Check(batch.Delete(cf(kAttention), key)));
    PANTAU_ASSIGN_OR_RETURN(uint64_t flagged, GetCount(kAttentionCount));
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), kAttentionCount, EncodeU64(flagged - 1))));
    return Write(batch);
  }

  absl::StatusOr<uint64_t> ResendDeliveredSince(absl::Time since, absl::Time now) override {
    std::lock_guard lock(write_mu_);  // counters are read, then written back
    rocksdb::WriteBatch batch;
    uint64_t resent = 0;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kOutbox)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      v1::OutboxEntry entry;
      if (!entry.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError(StrCat("outbox entry ", it->key().ToString(), " does not decode"));
      }
      if (entry.state() != v1::OUTBOX_STATE_ACKNOWLEDGED || common::FromTimestamp(entry.state_changed_at()) < since) {
        continue;
      }
      entry.set_state(v1::OUTBOX_STATE_PENDING);
      entry.set_outcome(v1::PUSH_OUTCOME_UNSPECIFIED);
      *entry.mutable_state_changed_at() = common::ToTimestamp(now);
      PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kOutbox), it->key(), entry.SerializeAsString())));
      PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kPending), it->key(), rocksdb::Slice())));
      ++resent;
    }
    PANTAU_RETURN_IF_ERROR(Check(it->status()));
    if (resent == 0) return resent;
    PANTAU_ASSIGN_OR_RETURN(uint64_t pending, GetCount(kPendingCount));
    PANTAU_ASSIGN_OR_RETURN(uint64_t acked, GetCount(kAcknowledgedCount));
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), kPendingCount, EncodeU64(pending + resent))));
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), kAcknowledgedCount, EncodeU64(acked - resent))));
    PANTAU_RETURN_IF_ERROR(Write(batch));
    return resent;
  }

  absl::StatusOr<OutboxCounts> Counts() override {
    OutboxCounts c;
    PANTAU_ASSIGN_OR_RETURN(c.pending, GetCount(kPendingCount));
    PANTAU_ASSIGN_OR_RETURN(c.acknowledged, GetCount(kAcknowledgedCount));
    PANTAU_ASSIGN_OR_RETURN(c.needs_attention, GetCount(kAttentionCount));
    return c;
  }

  absl::Status ScanAttention(const std::function<bool(const v1::OutboxEntry&)>& visit) override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kAttention)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      PANTAU_ASSIGN_OR_RETURN(auto entry, Get(it->key().ToStringView()));
      if (entry && !visit(*entry)) break;
    }
    return FromRocks(it->status(), "attention scan");
  }

  absl::Status ScanSince(absl::Time since,
                         const std::function<bool(const v1::OutboxEntry&)>& visit) override {
    std::array<uint8_t, 10> zero{};
    const std::string start =
        common::FormatUlid(static_cast<uint64_t>(std::max<int64_t>(0, absl::ToUnixMillis(since))), zero);
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kOutbox)));
    for (it->Seek(start); it->Valid(); it->Next()) {
      v1::OutboxEntry entry;
      if (!entry.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError("an outbox entry does not decode");
      }
      if (!visit(entry)) break;
    }
    return FromRocks(it->status(), "outbox scan");
  }

  absl::StatusOr<uint64_t> ReferenceCursor() override { return GetCount(kCursorKey); }

  absl::Status ApplyReferenceChanges(const std::vector<v1::ReferenceChange>& changes,
                                     absl::Time now) override {
    std::lock_guard lock(write_mu_);  // counters are read, then written back
    rocksdb::WriteBatch batch;
    PANTAU_ASSIGN_OR_RETURN(uint64_t cursor, GetCount(kCursorKey));
    for (const auto& c : changes) {
      if (c.sequence() <= cursor) continue;  // already applied
      auto key = common::ReferenceKey(c.entity());
      if (key.ok()) {
        if (c.removed()) {
          PANTAU_RETURN_IF_ERROR(Check(batch.Delete(cf(kReference), *key)));
        } else {
          PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kReference), *key, c.entity().SerializeAsString())));
        }
      }
      cursor = c.sequence();
    }
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), kCursorKey, EncodeU64(cursor))));
    PANTAU_RETURN_IF_ERROR(
        Check(batch.Put(cf(kMeta), kLastPullKey, EncodeU64(static_cast<uint64_t>(absl::ToUnixMicros(now))))));
    return Write(batch);
  }

  absl::StatusOr<common::ReferenceCatalog> LoadCatalog() override {
    common::ReferenceCatalog catalog;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kReference)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      v1::ReferenceEntity entity;
      if (!entity.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError("a reference entity does not decode");
      }
      catalog.Upsert(entity);
    }
    PANTAU_RETURN_IF_ERROR(FromRocks(it->status(), "reference scan"));
    return catalog;
  }

  absl::Status SetLastSync(absl::Time t) override {
    std::lock_guard lock(write_mu_);  // counters are read, then written back
    rocksdb::WriteBatch batch;
    PANTAU_RETURN_IF_ERROR(
        Check(batch.Put(cf(kMeta), kLastSyncKey, EncodeU64(static_cast<uint64_t>(absl::ToUnixMicros(t))))));
    return Write(batch);
  }
  absl::StatusOr<std::optional<absl::Time>> LastSync() override { return GetTime(kLastSyncKey); }
  absl::StatusOr<std::optional<absl::Time>> LastPull() override { return GetTime(kLastPullKey); }

  absl::Status SaveMissingObservations(const MissedChecks& missed) override {
    v1::PullResponse holder;  // its missing_observations fields, as the server sent them
    for (const auto& a : missed.alerts) *holder.add_missing_observations() = a;
    holder.set_missing_observations_total(std::max<int64_t>(missed.total, static_cast<int64_t>(missed.alerts.size())));
    std::lock_guard lock(write_mu_);
    rocksdb::WriteBatch batch;
    PANTAU_RETURN_IF_ERROR(Check(batch.Put(cf(kMeta), kMissingKey, holder.SerializeAsString())));
    return Write(batch);
  }

  absl::StatusOr<MissedChecks> MissingObservations() override {
    PANTAU_ASSIGN_OR_RETURN(std::string value, GetString(kMeta, kMissingKey));
    v1::PullResponse holder;
    if (!holder.ParseFromString(value)) return absl::DataLossError("the missed price checks do not decode");
    return MissedChecks{{holder.missing_observations().begin(), holder.missing_observations().end()},
                        holder.missing_observations_total()};
  }

 private:
  rocksdb::ColumnFamilyHandle* cf(Cf i) { return handles_[i]; }

  static absl::Status Check(const rocksdb::Status& s) { return FromRocks(s, "building a write"); }

  absl::Status Write(rocksdb::WriteBatch& batch) {
    rocksdb::WriteOptions options;
    options.sync = sync_writes_;
    return FromRocks(db_->Write(options, &batch), "synced write");
  }

  // "" when absent.
  absl::StatusOr<std::string> GetString(Cf family, std::string_view key) {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(family),
                                 rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return std::string();
    PANTAU_RETURN_IF_ERROR(FromRocks(s, "read"));
    return value;
  }

  absl::StatusOr<uint64_t> GetCount(const char* key) {
    PANTAU_ASSIGN_OR_RETURN(std::string value, GetString(kMeta, key));
    return value.empty() ? 0 : DecodeU64(value);
  }

  absl::StatusOr<std::optional<absl::Time>> GetTime(const char* key) {
    PANTAU_ASSIGN_OR_RETURN(std::string value, GetString(kMeta, key));
    if (value.empty()) return std::nullopt;
    return absl::FromUnixMicros(static_cast<int64_t>(DecodeU64(value)));
  }

  // One writer at a time: each change reads a counter and writes it back in the same batch (the
  // app saves while a sync applies answers).
  std::mutex write_mu_;
  rocksdb::DB* db_ = nullptr;
  bool sync_writes_ = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<LaptopStore>> LaptopStore::Open(const std::string& home) {
  return Open(home, nullptr, true);
}

absl::StatusOr<std::unique_ptr<LaptopStore>> LaptopStore::Open(const std::string& home, rocksdb::Env* env,
                                                               bool sync_writes) {
  auto store = std::make_unique<RocksLaptopStore>();
  PANTAU_RETURN_IF_ERROR(store->Open(home, env, sync_writes));
  return std::unique_ptr<LaptopStore>(std::move(store));
}

}  // namespace pantau::client
