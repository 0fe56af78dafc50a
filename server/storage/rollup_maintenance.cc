#include "server/storage/rollup_maintenance.h"

#include "common/status_macros.h"

namespace pantau::storage {
namespace {

bool SameContribution(const std::optional<v1::Record>& a, const std::optional<v1::Record>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || a->SerializeAsString() == b->SerializeAsString();
}

}  // namespace

absl::Status UpdateRollupsForInsert(const v1::Record& inserted, RecordLookup& lookup,
                                    common::CellStore& cells, absl::TimeZone zone) {
  const std::string logical = common::LogicalId(inserted);
  PANTAU_ASSIGN_OR_RETURN(std::optional<v1::Record> original, lookup.Record(logical));
  PANTAU_ASSIGN_OR_RETURN(std::vector<v1::Record> targeting, lookup.Amendments(logical));
  std::vector<v1::Record> amendments, amendments_before;
  for (auto& r : targeting) {
    if (!common::IsAmendment(r) || common::LogicalId(r) != logical) continue;
    if (r.id() != inserted.id()) amendments_before.push_back(r);
    amendments.push_back(std::move(r));
  }
  const v1::Record* original_ptr = original ? &*original : nullptr;
  const v1::Record* original_before = original && original->id() != inserted.id() ? &*original : nullptr;
  const auto after = common::EffectiveRecord(original_ptr, amendments);
  const auto before = common::EffectiveRecord(original_before, amendments_before);
  if (SameContribution(before, after)) return absl::OkStatus();
  if (before) PANTAU_RETURN_IF_ERROR(common::ApplyContribution(*before, -1, zone, cells));
  if (after) PANTAU_RETURN_IF_ERROR(common::ApplyContribution(*after, +1, zone, cells));
  return absl::OkStatus();
}

absl::StatusOr<v1::RollupCell*> MemoryCellStore::Mutable(const std::string& key) { return &cells_[key]; }

absl::Status MemoryCellStore::Delete(const std::string& key) {
  cells_.erase(key);
  return absl::OkStatus();
}

void RollupRebuild::AddAmendmentsOf(const v1::Record& record) {
  if (common::IsAmendment(record)) amendments_[common::LogicalId(record)].push_back(record);
}

absl::Status RollupRebuild::AddOriginal(const v1::Record& record) {
  if (common::IsAmendment(record)) return absl::OkStatus();
  seen_[record.id()] = true;
  static const std::vector<v1::Record> kNone;
  auto it = amendments_.find(record.id());
  auto effective = common::EffectiveRecord(&record, it == amendments_.end() ? kNone : it->second);
  if (!effective) return absl::OkStatus();
  return common::ApplyContribution(*effective, +1, zone_, cells_);
}

absl::Status RollupRebuild::Finish() {
  for (const auto& [logical, amendments] : amendments_) {
    if (seen_.count(logical) > 0) continue;
    auto effective = common::EffectiveRecord(nullptr, amendments);
    if (effective) PANTAU_RETURN_IF_ERROR(common::ApplyContribution(*effective, +1, zone_, cells_));
  }
  return absl::OkStatus();
}

}  // namespace pantau::storage
