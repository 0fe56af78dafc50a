// Reference data: admin changes, the catalog the validators read, the change feed laptops pull,
// and device registration. Thread-safety: thread-safe; changes are applied one at a time, so the
// catalog always reflects a prefix of the change sequence.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/reference_catalog.h"
#include "common/reference_change.h"
#include "server/service/principal.h"
#include "server/service/clock.h"
#include "server/storage/storage.h"

namespace pantau::service {

struct ReferencePutResult {
  uint32_t changed = 0;
  uint64_t last_sequence = 0;
};

struct ReferenceApplyResult {
  common::ReferencePlan plan;  // its problems are empty
  bool applied = false;        // false for a dry run
  uint64_t last_sequence = 0;
};

class ReferenceService {
 public:
  // Builds the catalog from the stored change log.
  static absl::StatusOr<std::unique_ptr<ReferenceService>> Create(storage::ReferenceStore& store,
                                                                  const Clock& clock);

  // A consistent snapshot of the catalog; stays valid however long the caller holds it.
  std::shared_ptr<const common::ReferenceCatalog> catalog() const;

  // Validates every entity and the referential integrity of the result (INVALID_ARGUMENT naming
  // each problem; nothing stored), then applies them atomically.
  absl::StatusOr<ReferencePutResult> Put(const std::vector<v1::ReferenceEntity>& upserts,
                                         const std::vector<v1::ReferenceEntity>& removals);

  // Brings the reference data to what a folder's `files` say (common::PlanReferenceChange) in one
  // atomic step, planned against the data in force at that moment. Any problem (a bad row, a
  // broken reference, a kecamatan still named by `kecamatan_in_use`) fails it with
  // INVALID_ARGUMENT listing every problem with its file and line, and nothing is stored; a dry
  // run plans and stores nothing.
  absl::StatusOr<ReferenceApplyResult> ApplyFiles(const std::vector<common::ReferenceFile>& files,
                                                  common::Retire retire, bool dry_run,
                                                  const std::multimap<std::string, std::string>& kecamatan_in_use = {});

  // Changes after `after_sequence`, ascending; `visit` returns false to stop.
  absl::Status ScanChanges(uint64_t after_sequence,
                           const std::function<bool(const v1::ReferenceChange&)>& visit);

  // Binds `device_id` to `principal`. Idempotent for the same inspector; FAILED_PRECONDITION when
  // the device belongs to someone else.
  absl::StatusOr<v1::Device> RegisterDevice(const Principal& principal, std::string_view device_id,
                                            std::string_view description);

  ReferenceService(storage::ReferenceStore& store, const Clock& clock)
      : store_(store), clock_(clock) {}

  // The deployment's time zone is fixed to `zone` from now on: a change naming another is refused
  // with FAILED_PRECONDITION (the roll-ups and every service count days in it; a running server
  // cannot recount them). Set once by the running server, before it serves.
  void set_fixed_zone(absl::TimeZone zone) { fixed_zone_ = zone; }

 private:
  // FAILED_PRECONDITION when the change would give the deployment another time zone than the
  // fixed one. REQUIRES: write_mu_ held.
  absl::Status CheckZoneKept(const std::vector<v1::ReferenceEntity>& upserts,
                             const std::vector<v1::ReferenceEntity>& removals) const;

  // Stores the changes and swaps in the catalog they make. REQUIRES: write_mu_ held.
  absl::StatusOr<ReferencePutResult> Commit(const std::vector<v1::ReferenceEntity>& upserts,
                                            const std::vector<v1::ReferenceEntity>& removals);

  storage::ReferenceStore& store_;
  const Clock& clock_;

  std::mutex write_mu_;  // serialises Put: catalog order follows sequence order
  mutable std::mutex catalog_mu_;
  std::shared_ptr<const common::ReferenceCatalog> catalog_;  // guarded by catalog_mu_
  std::optional<absl::TimeZone> fixed_zone_;
};

}  // namespace pantau::service
