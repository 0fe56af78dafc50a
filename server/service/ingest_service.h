// Ingest of pushed batches: validation, authorship, content fingerprint, one atomic durable append,
// one result per record. Every record kind takes this one path.
// Thread-safety: thread-safe; Push blocks until the batch is durable (run it on an Executor).
#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <cstdint>

#include "absl/status/statusor.h"
#include "common/dates.h"
#include "common/metrology.h"
#include "common/validation.h"
#include "pantau/v1/admin_service.pb.h"
#include "pantau/v1/sync_service.pb.h"
#include "server/service/account_service.h"
#include "server/service/clock.h"
#include "server/service/metrics.h"
#include "server/service/reference_service.h"
#include "server/storage/storage.h"

namespace pantau::service {

struct IngestOptions {
  common::ValidationPolicy policy;
  // A batch with more records is refused whole with RESOURCE_EXHAUSTED.
  size_t max_batch_records = 1000;
  // How UTTP verdicts are computed (MPE multipliers per verification kind, limits).
  common::MetrologySettings metrology;
  // Audit findings: local days in this zone. The HET in force is looked for in the outlet's price
  // zones (reference data: outlets.csv, else deployment.csv). A running server sets the
  // deployment's time zone (RunningServer::Start).
  absl::TimeZone zone = common::ZoneWithoutDeployment();
};

// Running totals of results, for stats and metrics.
struct IngestCounters {
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> duplicate{0};
  std::atomic<uint64_t> conflict{0};
  std::atomic<uint64_t> invalid{0};
  std::atomic<uint64_t> batches{0};
};

// Record counts per kind, as the admin RPC and `pantau-server stats` report them.
absl::StatusOr<v1::GetRecordCountsResponse> CountRecords(storage::RecordStore& records);

class IngestService {
 public:
  IngestService(storage::RecordStore& records, ReferenceService& reference, const Clock& clock,
                IngestOptions options)
      : records_(records), reference_(reference), clock_(clock), options_(std::move(options)) {}

  // Answers one batch: a result per record, in order. The author of every stored record is
  // `pusher`, whatever the record claims. Returns only after the accepted records are durable.
  // RESOURCE_EXHAUSTED for an oversized batch; a storage failure fails the whole batch (nothing
  // of it acknowledged, so the laptop retries it).
  // The request is taken by value: its records are moved into storage, not copied.
  absl::StatusOr<v1::PushResponse> Push(const Principal& pusher, v1::PushRequest request);

  const IngestCounters& counters() const { return counters_; }
  // Records stored per kind (AdminService.GetRecordCounts).
  absl::StatusOr<v1::GetRecordCountsResponse> CountRecords() { return service::CountRecords(records_); }
  // Results and batch latencies go to `metrics` too (set before serving; may stay unset).
  void set_metrics(Metrics* metrics) { metrics_ = metrics; }
  const IngestOptions& options() const { return options_; }

 private:
  // Checks that need what is already stored: a follow-up's action must be on the ladder of the
  // audited outlet's kind.
  using BatchAudits = std::map<std::string, v1::OutletAudit, std::less<>>;
  absl::StatusOr<std::vector<v1::FieldError>> CheckAgainstStored(const v1::Record& record,
                                                                const common::ReferenceCatalog& catalog,
                                                                const BatchAudits& batch);
  // A correction or void changes a record that is stored (or earlier in this batch), whose author
  // is the pusher unless the pusher is a supervisor or admin, and whose place is in the pusher's
  // scope. `batch` maps the ids of this batch's accepted records to their place in `writes`.
  using BatchIds = std::map<std::string, size_t, std::less<>>;
  absl::StatusOr<std::vector<v1::FieldError>> CheckChangeRights(const v1::Record& record, const Principal& pusher,
                                                                const common::ReferenceCatalog& catalog,
                                                                const BatchIds& batch,
                                                                const std::vector<storage::RecordWrite>& writes);
  // The audit `audit_id`: earlier in this batch, or stored; nullopt when neither.
  absl::StatusOr<std::optional<v1::OutletAudit>> AuditOf(std::string_view audit_id, const BatchAudits& batch);
  // Sets a follow-up's audit_outlet_code from its audit; false when there is nothing to set.
  absl::StatusOr<bool> AttachAuditOutlet(v1::Record& record, const BatchAudits& batch);

  storage::RecordStore& records_;
  ReferenceService& reference_;
  const Clock& clock_;
  const IngestOptions options_;
  IngestCounters counters_;
  Metrics* metrics_ = nullptr;
};

// The refusal of a record outside the kecamatan assigned to `pusher` (empty when it is inside,
// the pusher has no assignment, or the record's place is unknown). docs/security.md.
std::vector<v1::FieldError> ScopeErrors(const v1::Record& record, const Principal& pusher,
                                        const common::ReferenceCatalog& catalog);

// SHA-256 of the deterministic serialisation of `record`: equal for equal content.
std::string RecordFingerprint(const v1::Record& record);

}  // namespace pantau::service
