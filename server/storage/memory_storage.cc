#include "server/storage/memory_storage.h"

#include <map>
#include <mutex>

#include "common/dates.h"
#include "common/reference_catalog.h"
#include "common/status_macros.h"
#include "common/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "server/storage/key_codec.h"
#include "server/storage/rollup_maintenance.h"

namespace pantau::storage {
namespace {

class MemoryRecordStore final : public RecordStore, private RecordLookup {
 public:
  explicit MemoryRecordStore(absl::TimeZone zone) : zone_(zone) {}

  absl::TimeZone zone() const override { return zone_; }

  absl::StatusOr<std::vector<AppendOutcome>> Append(std::vector<RecordWrite> writes) override {
    std::lock_guard lock(mu_);
    // Cells change only when the whole call succeeds: work on a copy.
    MemoryCellStore cells = cells_;
    std::vector<AppendOutcome> outcomes;
    outcomes.reserve(writes.size());
    for (auto& w : writes) {
      const std::string& id = w.stored.record().id();
      auto it = records_.find(id);
      if (it != records_.end()) {
        outcomes.push_back(it->second.content_sha256() == w.stored.content_sha256()
                               ? AppendOutcome::kDuplicate
                               : AppendOutcome::kConflict);
        continue;
      }
      const absl::Time observed = common::FromTimestamp(w.stored.record().observed_at());
      for (const auto& entry : w.index) index_.emplace(IndexKey(entry.kind, entry.value, observed, id), id);
      counts_[static_cast<size_t>(w.kind)]++;
      auto inserted = records_.emplace(id, std::move(w.stored)).first;
      PANTAU_RETURN_IF_ERROR(UpdateRollupsForInsert(inserted->second.record(), *this, cells, zone_));
      outcomes.push_back(AppendOutcome::kInserted);
    }
    cells_ = std::move(cells);
    return outcomes;
  }

  absl::Status ScanRollups(
      std::string_view from, std::string_view to,
      const std::function<bool(std::string_view, const v1::RollupCell&)>& visit,
      const std::function<bool(std::string_view)>& want) override {
    std::vector<std::pair<std::string, v1::RollupCell>> found;
    {
      std::lock_guard lock(mu_);
      for (auto it = cells_.cells().lower_bound(std::string(from));
           it != cells_.cells().end() && it->first < to; ++it) {
        if (!want || want(it->first)) found.emplace_back(it->first, it->second);
      }
    }
    for (const auto& [key, cell] : found) {
      if (!visit(key, cell)) break;
    }
    return absl::OkStatus();
  }

  absl::Status RebuildRollups() override {
    std::lock_guard lock(mu_);
    RollupRebuild rebuild(zone_);
    for (const auto& [id, r] : records_) rebuild.AddAmendmentsOf(r.record());
    for (const auto& [id, r] : records_) PANTAU_RETURN_IF_ERROR(rebuild.AddOriginal(r.record()));
    PANTAU_RETURN_IF_ERROR(rebuild.Finish());
    cells_.cells() = rebuild.cells().cells();
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<v1::StoredRecord>> Get(std::string_view id) override {
    std::lock_guard lock(mu_);
    auto it = records_.find(id);
    if (it == records_.end()) return std::nullopt;
    return it->second;
  }

  absl::StatusOr<RecordCounts> CountByKind() override {
    std::lock_guard lock(mu_);
    return counts_;
  }

  absl::Status ScanIndex(common::IndexKind kind, std::string_view value, absl::Time from,
                         absl::Time to, const RecordVisitor& visit) override {
    std::vector<v1::StoredRecord> found;
    {
      std::lock_guard lock(mu_);
      const std::string prefix = IndexPrefix(kind, value);
      const std::string lower = prefix + EncodeTimeMicros(from);
      const std::string upper = prefix + EncodeTimeMicros(to);
      for (auto it = index_.lower_bound(lower); it != index_.end() && it->first < upper; ++it) {
        found.push_back(records_.at(it->second));
      }
    }
    for (const auto& r : found) {
      if (!visit(r)) break;
    }
    return absl::OkStatus();
  }

  absl::Status ScanAll(const RecordVisitor& visit) override {
    std::vector<v1::StoredRecord> all;
    {
      std::lock_guard lock(mu_);
      for (const auto& [id, r] : records_) all.push_back(r);
    }
    for (const auto& r : all) {
      if (!visit(r)) break;
    }
    return absl::OkStatus();
  }

 private:
  // RecordLookup, for the roll-up update; called with mu_ held.
  absl::StatusOr<std::optional<v1::Record>> Record(std::string_view id) override {
    auto it = records_.find(id);
    if (it == records_.end()) return std::nullopt;
    return it->second.record();
  }
  absl::StatusOr<std::vector<v1::Record>> Amendments(std::string_view logical_id) override {
    std::vector<v1::Record> out;
    const std::string prefix = IndexPrefix(common::IndexKind::kTarget, logical_id);
    for (auto it = index_.lower_bound(prefix);
         it != index_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      const v1::Record& r = records_.at(it->second).record();
      if (common::IsAmendment(r)) out.push_back(r);
    }
    return out;
  }

  const absl::TimeZone zone_;
  std::mutex mu_;
  std::map<std::string, v1::StoredRecord, std::less<>> records_;  // guarded by mu_
  std::map<std::string, std::string> index_;                       // guarded by mu_
  RecordCounts counts_{};                                          // guarded by mu_
  MemoryCellStore cells_;                                          // guarded by mu_
};

class MemoryReferenceStore final : public ReferenceStore {
 public:
  absl::StatusOr<std::vector<v1::ReferenceChange>> Apply(
      const std::vector<v1::ReferenceEntity>& upserts,
      const std::vector<v1::ReferenceEntity>& removals, absl::Time now) override {
    std::lock_guard lock(mu_);
    // Keys first, so that a bad entity stores nothing.
    std::vector<std::string> upsert_keys, removal_keys;
    for (const auto& e : upserts) {
      auto key = common::ReferenceKey(e);
      if (!key.ok()) return key.status();
      upsert_keys.push_back(*key);
    }
    for (const auto& e : removals) {
      auto key = common::ReferenceKey(e);
      if (!key.ok()) return key.status();
      removal_keys.push_back(*key);
    }
    std::vector<v1::ReferenceChange> changes;
    auto record = [&](const v1::ReferenceEntity& entity, bool removed) {
      v1::ReferenceChange& c = changes.emplace_back();
      c.set_sequence(++sequence_);
      *c.mutable_entity() = entity;
      c.set_removed(removed);
      *c.mutable_changed_at() = common::ToTimestamp(now);
      log_.push_back(c);
    };
    for (size_t i = 0; i < upserts.size(); ++i) {
      auto it = current_.find(upsert_keys[i]);
      if (it != current_.end() &&
          google::protobuf::util::MessageDifferencer::Equals(it->second, upserts[i])) {
        continue;
      }
      current_[upsert_keys[i]] = upserts[i];
      record(upserts[i], false);
    }
    for (size_t i = 0; i < removals.size(); ++i) {
      auto it = current_.find(removal_keys[i]);
      if (it == current_.end()) continue;
      v1::ReferenceEntity last = it->second;
      current_.erase(it);
      record(last, true);
    }
    return changes;
  }

  absl::Status ScanChanges(uint64_t after,
                           const std::function<bool(const v1::ReferenceChange&)>& visit) override {
    std::vector<v1::ReferenceChange> found;
    {
      std::lock_guard lock(mu_);
      // Sequences start at 1 without gaps: change n is log_[n - 1].
      for (size_t i = after; i < log_.size(); ++i) found.push_back(log_[i]);
    }
    for (const auto& c : found) {
      if (!visit(c)) break;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<uint64_t> LastSequence() override {
    std::lock_guard lock(mu_);
    return sequence_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, v1::ReferenceEntity> current_;  // guarded by mu_
  std::vector<v1::ReferenceChange> log_;                 // guarded by mu_
  uint64_t sequence_ = 0;                                // guarded by mu_
};

class MemoryAuditLog final : public AuditLog {
 public:
  absl::StatusOr<uint64_t> Append(v1::AuditEntry entry) override {
    std::lock_guard lock(mu_);
    entry.set_sequence(entries_.size() + 1);
    entries_.push_back(std::move(entry));
    return entries_.size();
  }
  absl::StatusOr<std::vector<v1::AuditEntry>> Scan(uint64_t after, size_t limit) override {
    std::lock_guard lock(mu_);
    std::vector<v1::AuditEntry> out;
    for (uint64_t i = after; i < entries_.size() && out.size() < limit; ++i) out.push_back(entries_[i]);
    return out;
  }
  absl::StatusOr<uint64_t> LastSequence() override {
    std::lock_guard lock(mu_);
    return entries_.size();
  }

 private:
  std::mutex mu_;
  std::vector<v1::AuditEntry> entries_;  // guarded by mu_; entry i has sequence i + 1
};

class MemoryAccountStore final : public AccountStore {
 public:
  explicit MemoryAccountStore(MemoryAuditLog& audit) : audit_(audit) {}
  absl::Status Create(const v1::Account& account) override {
    std::lock_guard lock(mu_);
    if (by_name_.count(account.name()) > 0) {
      return absl::AlreadyExistsError(StrCat("account \"", account.name(), "\" already exists"));
    }
    by_name_[account.name()] = account;
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<v1::Account>> FindByTokenHash(std::string_view hash) override {
    std::lock_guard lock(mu_);
    for (const auto& [name, account] : by_name_) {
      if (account.token_sha256() == hash) return account;
    }
    return std::nullopt;
  }
  absl::StatusOr<std::optional<v1::Account>> FindByName(std::string_view name) override {
    std::lock_guard lock(mu_);
    auto it = by_name_.find(name);
    if (it == by_name_.end()) return std::nullopt;
    return it->second;
  }
  absl::Status Update(const v1::Account& account) override {
    std::lock_guard lock(mu_);
    auto it = by_name_.find(account.name());
    if (it == by_name_.end()) return absl::NotFoundError(StrCat("no account \"", account.name(), "\""));
    it->second = account;
    return absl::OkStatus();
  }
  absl::StatusOr<v1::Account> Change(std::string_view name, const std::function<absl::Status(v1::Account&)>& change,
                                     v1::AuditEntry audit) override {
    std::lock_guard lock(mu_);
    auto it = by_name_.find(name);
    if (it == by_name_.end()) return absl::NotFoundError(StrCat("no account \"", name, "\""));
    v1::Account account = it->second;
    PANTAU_RETURN_IF_ERROR(change(account));
    account.set_name(it->second.name());
    PANTAU_RETURN_IF_ERROR(audit_.Append(std::move(audit)).status());  // in memory nothing fails between the two
    it->second = account;
    return account;
  }
  absl::StatusOr<std::vector<v1::Account>> List() override {
    std::lock_guard lock(mu_);
    std::vector<v1::Account> out;
    for (const auto& [name, account] : by_name_) out.push_back(account);
    return out;
  }
  absl::Status PutDeviceContact(const v1::DeviceContact& contact) override {
    std::lock_guard lock(mu_);
    contacts_[contact.device_id()] = contact;
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<v1::DeviceContact>> ListDeviceContacts() override {
    std::lock_guard lock(mu_);
    std::vector<v1::DeviceContact> out;
    for (const auto& [id, contact] : contacts_) out.push_back(contact);
    return out;
  }

 private:
  MemoryAuditLog& audit_;
  std::mutex mu_;
  std::map<std::string, v1::Account, std::less<>> by_name_;         // guarded by mu_
  std::map<std::string, v1::DeviceContact, std::less<>> contacts_;  // guarded by mu_
};

class MemoryPhotoStore final : public PhotoStore {
 public:
  absl::StatusOr<PhotoState> State(std::string_view sha256) override {
    std::lock_guard lock(mu_);
    return StateLocked(sha256);
  }
  absl::StatusOr<PhotoState> AppendPart(std::string_view sha256, int64_t total_bytes, int64_t offset,
                                        std::string_view data) override {
    std::lock_guard lock(mu_);
    PhotoState state = StateLocked(sha256);
    if (state.complete) return state;
    PANTAU_RETURN_IF_ERROR(CheckPhotoPart(state, total_bytes, offset, data.size()));
    Upload& u = uploads_[std::string(sha256)];
    u.total = total_bytes;
    u.bytes.append(data);
    return StateLocked(sha256);
  }
  absl::StatusOr<std::string> ReadParts(std::string_view sha256) override {
    std::lock_guard lock(mu_);
    auto it = uploads_.find(sha256);
    return it == uploads_.end() ? std::string() : it->second.bytes;
  }
  absl::Status Finish(std::string_view sha256, std::string_view bytes) override {
    std::lock_guard lock(mu_);
    photos_[std::string(sha256)] = std::string(bytes);
    if (auto it = uploads_.find(sha256); it != uploads_.end()) uploads_.erase(it);
    return absl::OkStatus();
  }
  absl::Status Discard(std::string_view sha256) override {
    std::lock_guard lock(mu_);
    if (auto it = uploads_.find(sha256); it != uploads_.end()) uploads_.erase(it);
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<std::string>> Read(std::string_view sha256) override {
    std::lock_guard lock(mu_);
    auto it = photos_.find(sha256);
    if (it == photos_.end()) return std::nullopt;
    return it->second;
  }

 private:
  struct Upload {
    int64_t total = 0;
    std::string bytes;
  };
  PhotoState StateLocked(std::string_view sha256) {
    PhotoState state;
    if (auto it = photos_.find(sha256); it != photos_.end()) {
      state.complete = true;
      state.received_bytes = state.total_bytes = static_cast<int64_t>(it->second.size());
    } else if (auto up = uploads_.find(sha256); up != uploads_.end()) {
      state.total_bytes = up->second.total;
      state.received_bytes = static_cast<int64_t>(up->second.bytes.size());
    }
    return state;
  }
  std::mutex mu_;
  std::map<std::string, std::string, std::less<>> photos_;  // guarded by mu_
  std::map<std::string, Upload, std::less<>> uploads_;      // guarded by mu_
};

class MemoryDeliveryLog final : public DeliveryLog {
 public:
  absl::StatusOr<bool> Delivered(std::string_view id) override {
    std::lock_guard lock(mu_);
    return delivered_.count(id) > 0;
  }
  absl::Status MarkDelivered(std::string_view id, absl::Time at) override {
    std::lock_guard lock(mu_);
    delivered_.emplace(std::string(id), at);
    return absl::OkStatus();
  }

 private:
  std::mutex mu_;
  std::map<std::string, absl::Time, std::less<>> delivered_;  // guarded by mu_
};

class MemoryStorage final : public Storage {
 public:
  explicit MemoryStorage(absl::TimeZone zone) : records_(zone) {}
  RecordStore& records() override { return records_; }
  ReferenceStore& reference() override { return reference_; }
  AccountStore& accounts() override { return accounts_; }
  PhotoStore& photos() override { return photos_; }
  AuditLog& audit() override { return audit_; }
  DeliveryLog& deliveries() override { return deliveries_; }

 private:
  MemoryRecordStore records_;
  MemoryReferenceStore reference_;
  MemoryAuditLog audit_;  // before the accounts, which append to it
  MemoryAccountStore accounts_{audit_};
  MemoryPhotoStore photos_;
  MemoryDeliveryLog deliveries_;
};

}  // namespace

std::unique_ptr<Storage> NewMemoryStorage(absl::TimeZone zone) {
  return std::make_unique<MemoryStorage>(zone);
}

}  // namespace pantau::storage
