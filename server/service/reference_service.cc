#include "server/service/reference_service.h"

#include <algorithm>

#include "common/dates.h"
#include "common/status_macros.h"
#include "common/str_cat.h"
#include "common/validation.h"

namespace pantau::service {

absl::StatusOr<std::unique_ptr<ReferenceService>> ReferenceService::Create(
    storage::ReferenceStore& store, const Clock& clock) {
  auto service = std::make_unique<ReferenceService>(store, clock);
  auto catalog = std::make_shared<common::ReferenceCatalog>();
  PANTAU_RETURN_IF_ERROR(store.ScanChanges(0, [&](const v1::ReferenceChange& c) {
    catalog->Apply(c);
    return true;
  }));
  service->catalog_ = std::move(catalog);
  return service;
}

std::shared_ptr<const common::ReferenceCatalog> ReferenceService::catalog() const {
  std::lock_guard lock(catalog_mu_);
  return catalog_;
}

absl::StatusOr<ReferencePutResult> ReferenceService::Put(
    const std::vector<v1::ReferenceEntity>& upserts,
    const std::vector<v1::ReferenceEntity>& removals) {
  std::vector<std::string> problems;
  for (size_t i = 0; i < upserts.size(); ++i) {
    for (const auto& e : common::ValidateReferenceEntity(upserts[i])) {
      auto key = common::ReferenceKey(upserts[i]);
      problems.push_back(StrCat(key.ok() ? *key : StrCat("entity #", i + 1), ": ", e.field(),
                                ": ", e.reason()));
    }
  }
  for (size_t i = 0; i < removals.size(); ++i) {
    if (!common::ReferenceKey(removals[i]).ok()) {
      problems.push_back(StrCat("removal #", i + 1, ": the entity has no type or code"));
    }
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(
        StrCat("reference data refused, nothing stored: ", common::ListProblems(problems, "; ")));
  }
  std::lock_guard write_lock(write_mu_);
  {
    // Referential integrity of the result: only problems this change makes.
    const auto current = catalog();
    common::ReferenceCatalog after = *current;
    for (const auto& e : upserts) after.Upsert(e);
    for (const auto& e : removals) after.Remove(e);
    problems = common::NewIntegrityProblems(*current, after, [](const std::string& key) { return key; });
    if (!problems.empty()) {
      return absl::InvalidArgumentError(
          StrCat("reference data refused, nothing stored: ", common::ListProblems(problems, "; ")));
    }
  }
  PANTAU_RETURN_IF_ERROR(CheckZoneKept(upserts, removals));
  return Commit(upserts, removals);
}

absl::Status ReferenceService::CheckZoneKept(const std::vector<v1::ReferenceEntity>& upserts,
                                             const std::vector<v1::ReferenceEntity>& removals) const {
  if (!fixed_zone_) return absl::OkStatus();
  auto is_deployment = [](const v1::ReferenceEntity& e) { return e.has_deployment(); };
  if (std::none_of(upserts.begin(), upserts.end(), is_deployment) &&
      std::none_of(removals.begin(), removals.end(), is_deployment)) {
    return absl::OkStatus();
  }
  common::ReferenceCatalog after = *catalog();
  for (const auto& e : upserts) after.Upsert(e);
  for (const auto& e : removals) after.Remove(e);
  const absl::TimeZone wanted = after.TimeZone();
  if (wanted == *fixed_zone_) return absl::OkStatus();
  return absl::FailedPreconditionError(StrCat(
      "nothing applied: the deployment's time zone would change from ", common::ZoneName(*fixed_zone_), " to ",
      common::ZoneName(wanted), ", which recounts every day of every record; a running server cannot. Stop it, run "
      "`pantau-server import-reference --data-dir DIR FOLDER`, then `pantau-server rebuild-rollups --data-dir DIR`, "
      "and start it again"));
}

absl::StatusOr<ReferencePutResult> ReferenceService::Commit(const std::vector<v1::ReferenceEntity>& upserts,
                                                            const std::vector<v1::ReferenceEntity>& removals) {
  PANTAU_ASSIGN_OR_RETURN(auto changes, store_.Apply(upserts, removals, clock_.Now()));
  ReferencePutResult result;
  result.changed = static_cast<uint32_t>(changes.size());
  if (!changes.empty()) {
    auto next = std::make_shared<common::ReferenceCatalog>(*catalog());
    for (const auto& c : changes) next->Apply(c);
    std::lock_guard lock(catalog_mu_);
    catalog_ = std::move(next);
  }
  PANTAU_ASSIGN_OR_RETURN(result.last_sequence, store_.LastSequence());
  return result;
}

absl::StatusOr<ReferenceApplyResult> ReferenceService::ApplyFiles(
    const std::vector<common::ReferenceFile>& files, common::Retire retire, bool dry_run,
    const std::multimap<std::string, std::string>& kecamatan_in_use) {
  std::lock_guard write_lock(write_mu_);  // planned against exactly the data it replaces
  ReferenceApplyResult result;
  result.plan = common::PlanReferenceChange(*catalog(), files, retire, kecamatan_in_use);
  if (!result.plan.problems.empty()) {
    return absl::InvalidArgumentError(
        StrCat("nothing applied; fix these first:\n  ", common::ListProblems(result.plan.problems, "\n  ")));
  }
  PANTAU_RETURN_IF_ERROR(CheckZoneKept(result.plan.upserts, result.plan.removals));
  if (dry_run || (result.plan.upserts.empty() && result.plan.removals.empty())) {
    result.last_sequence = catalog()->sequence();
    return result;
  }
  PANTAU_ASSIGN_OR_RETURN(auto committed, Commit(result.plan.upserts, result.plan.removals));
  result.applied = true;
  result.last_sequence = committed.last_sequence;
  return result;
}

absl::Status ReferenceService::ScanChanges(
    uint64_t after_sequence, const std::function<bool(const v1::ReferenceChange&)>& visit) {
  return store_.ScanChanges(after_sequence, visit);
}

absl::StatusOr<v1::Device> ReferenceService::RegisterDevice(const Principal& principal,
                                                            std::string_view device_id,
                                                            std::string_view description) {
  if (device_id.empty() || device_id.size() > 64) {
    return absl::InvalidArgumentError("device_id: 1 to 64 bytes are required");
  }
  for (char c : device_id) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7F || c == '/' || c == '|') {
      return absl::InvalidArgumentError(
          "device_id: use letters, digits and punctuation without spaces, '/' or '|'");
    }
  }
  if (description.size() > 200) {
    return absl::InvalidArgumentError("description: at most 200 bytes");
  }
  std::lock_guard write_lock(write_mu_);
  if (const v1::Device* existing = catalog()->FindDevice(device_id)) {
    if (existing->account_name() != principal.name) {
      return absl::FailedPreconditionError(
          StrCat("laptop \"", device_id, "\" is registered to another inspector; ask the admin"));
    }
    return *existing;
  }
  v1::ReferenceEntity entity;
  v1::Device* device = entity.mutable_device();
  device->set_id(std::string(device_id));
  device->set_account_name(principal.name);
  device->set_description(std::string(description));
  PANTAU_ASSIGN_OR_RETURN(auto changes, store_.Apply({entity}, {}, clock_.Now()));
  auto next = std::make_shared<common::ReferenceCatalog>(*catalog());
  for (const auto& c : changes) next->Apply(c);
  {
    std::lock_guard lock(catalog_mu_);
    catalog_ = std::move(next);
  }
  return *device;
}

}  // namespace pantau::service
