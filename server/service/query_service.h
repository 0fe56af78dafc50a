// Supervisor reads: the IKK table for any period, price statistics and stability, schedule
// coverage, violations, UTTP due lists (from the roll-ups and the reference data; violations from
// the audit and follow-up records), and the record export.
// Thread-safety: thread-safe; calls read a store snapshot per scan and a catalog snapshot.
#pragma once

#include <functional>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/dates.h"
#include "common/early_warning.h"
#include "common/indicators.h"
#include "pantau/v1/query_service.pb.h"
#include "server/service/clock.h"
#include "server/service/principal.h"
#include "server/service/reference_service.h"
#include "server/storage/storage.h"

namespace pantau::service {

// Row 22: violations followed up, each once (the dinas's formula), or every action taken.
enum class FollowUpCount { kViolations, kActions };

// Choices among the documented alternative definitions (docs/indicators.md).
// The early-warning rules' settings ([alerts] in the server's TOML; docs/early-warning.md).
struct AlertSettings {
  int64_t het_margin_basis_points = 0;  // a day's mean must exceed the HET/HAP by more than this
  int64_t het_min_days = 1;             // consecutive observed days above before an alert
  common::SuddenChangeSettings change;
  common::IfpaSettings ifpa;
  int history_days = 120;  // days before the period read for change history and HET runs
};

struct IkkSettings {
  FollowUpCount follow_up_count = FollowUpCount::kViolations;
  common::UttpDefinition uttp_definition = common::UttpDefinition::kVerifiedInYear;
  // The price schedule coverage is measured against when a request names none: the weekly
  // Tuesday check of Barito Kuala's markets.
  std::vector<std::string> price_schedule = {"selasa"};
  // A finding without a follow-up action, or an action without a due date, is due this many
  // days later.
  int follow_up_due_days = 14;
  // UTTP due lists look this many days ahead unless asked otherwise.
  int uttp_due_window_days = 30;
  // Local dates ("today", export ranges) are in this zone. A running server sets the
  // deployment's (RunningServer::Start).
  absl::TimeZone zone = common::ZoneWithoutDeployment();
  AlertSettings alerts;
};

// An exact value with its text: percentages always with 2 decimals, other values as integers
// when whole, else rounded half up to 2 places.
v1::ExactValue ToExactValue(common::Ratio r, bool percent = false);

class QueryService {
 public:
  // `clock` gives "today" for due lists and violations when a request names no day.
  QueryService(storage::RecordStore& records, ReferenceService& reference, const Clock& clock,
               IkkSettings settings)
      : records_(records), reference_(reference), clock_(clock), settings_(std::move(settings)) {}

  // Every query answers for `who` (default: no limit; the RPC layer checks roles): an account
  // limited to bidang sees only those IKK rows, and field-record queries only with perdagangan;
  // one limited to kecamatan sees only the markets, outlets and instruments there, and is
  // refused (PERMISSION_DENIED) what covers the whole kabupaten. docs/security.md.

  // Who this deployment serves (deployment.csv), as in force now; empty when none is loaded.
  // The zone whose local dates every period and "today" are (the deployment's).
  absl::TimeZone zone() const { return settings_.zone; }

  // The reference data in force (names for the dashboard's pickers).
  std::shared_ptr<const common::ReferenceCatalog> Catalog() const { return reference_.catalog(); }
  v1::Deployment Deployment() const {
    const auto catalog = reference_.catalog();
    const v1::Deployment* d = catalog->FindDeployment();
    return d != nullptr ? *d : v1::Deployment();
  }

  // INVALID_ARGUMENT for a period label that is not one.
  absl::StatusOr<v1::GetIndicatorTableResponse> IndicatorTable(std::string_view period_label,
                                                               const Principal& who = {});

  // INVALID_ARGUMENT for an unknown commodity, bad dates or bucket. Changes look back up to
  // 400 days before `from` for the previous observation.
  absl::StatusOr<v1::GetPriceStatisticsResponse> PriceStatistics(
      const v1::GetPriceStatisticsRequest& request, const Principal& who = {});

  // KV antar waktu per commodity, their mean, and the disparity between markets. At most three
  // years at a time.
  absl::StatusOr<v1::GetPriceStabilityResponse> PriceStability(
      const v1::GetPriceStabilityRequest& request, const Principal& who = {});

  // Coverage of the price schedule by market x commodity. At most 366 days at a time.
  absl::StatusOr<v1::GetCoverageResponse> Coverage(const v1::GetCoverageRequest& request, const Principal& who = {});

  // Every finding of the effective outlet audits of the period, with its follow-up status.
  absl::StatusOr<v1::ListViolationsResponse> Violations(const v1::ListViolationsRequest& request, const Principal& who = {});

  // Instruments in service whose tera ulang is overdue or due within the window.
  absl::StatusOr<v1::ListUttpDueResponse> UttpDue(const v1::ListUttpDueRequest& request, const Principal& who = {});

  // UTTP verifications of a period (effective versions), with verdicts and discrepancies.
  absl::StatusOr<v1::ListUttpVerificationsResponse> UttpVerifications(
      const v1::ListUttpVerificationsRequest& request, const Principal& who = {});

  // The outlet audits of a period (effective versions), optionally of one outlet kind: the records
  // behind IKK row 21. A scoped supervisor sees its outlets only.
  absl::StatusOr<v1::ListAuditsResponse> Audits(const v1::ListAuditsRequest& request, const Principal& who = {});

  // Price early warning over a period: HET/HAP breaches, sudden changes, ALPS, IFPA and missing
  // observations, per market × commodity and (for regency-wide accounts) across the kabupaten.
  absl::StatusOr<v1::ListAlertsResponse> Alerts(const v1::ListAlertsRequest& request, const Principal& who = {});

  // The scheduled price checks of the `days` days up to yesterday with no sample, at the markets
  // assigned to `inspector` (the alerts of kind tidak_teramati addressed to it): what a pull tells
  // the inspector's laptop.
  absl::StatusOr<std::vector<v1::PriceAlert>> MissingObservationsFor(const Principal& inspector, int days = 7);

  // An inspector account as the field activity lists it.
  struct Inspector {
    std::string name;
    v1::AccountScope scope;
  };
  // What the account service knows of the field: the inspector accounts and each laptop's last
  // contact (its last sync).
  struct FieldDirectory {
    std::vector<Inspector> inspectors;
    std::vector<v1::DeviceContact> contacts;
  };
  // Where the directory comes from (the account service, set by the composition root); without
  // one, the inspectors are those the registered laptops name, and no sync is known.
  void SetFieldDirectory(std::function<absl::StatusOr<FieldDirectory>()> directory) {
    directory_ = std::move(directory);
  }
  // Each registered laptop: when a record from it was last accepted, how many this week, its last
  // sync with the refused records then waiting on it, quiet or not; inspectors without a laptop. A supervisor limited to kecamatan sees the inspectors
  // assigned there (or anywhere) and counts only the records it may see.
  absl::StatusOr<v1::GetFieldActivityResponse> FieldActivity(const v1::GetFieldActivityRequest& request,
                                                             const Principal& who = {});

  // The export, a chunk at a time: where the previous chunk ended.
  struct ExportCursor {
    absl::Time observed = absl::InfinitePast();
    std::string id;  // empty: nothing sent yet
  };
  // INVALID_ARGUMENT for bad dates or an unknown kind; checked before the first chunk.
  absl::Status CheckExport(const v1::ExportRecordsRequest& request, const Principal& who = {}) const;
  // Fills `out` with up to `max_records` records after `cursor` and moves the cursor. True when
  // the export is complete (this chunk, possibly empty, is the last).
  absl::StatusOr<bool> ExportChunk(const v1::ExportRecordsRequest& request, ExportCursor& cursor,
                           int max_records, v1::ExportRecordsResponse* out, const Principal& who = {});

  // The deployment's today: the clock's day in the deployment's time zone (never the caller's).
  absl::CivilDay Today() const;

 private:
  // Cells with keys in [from, to), decoding only those `want` accepts (all when empty).
  absl::StatusOr<common::CellList> Cells(std::string from, std::string to,
                                         const std::function<bool(std::string_view)>& want = {});
  // Only the keys of the cells in [from, to): nothing decoded.
  absl::StatusOr<std::vector<std::string>> Keys(std::string from, std::string to);
  // The effective version of the logical record `id` (nullopt when voided or never stored), and
  // the follow-ups that target it.
  absl::StatusOr<std::optional<v1::Record>> Effective(std::string_view id,
                                                      std::vector<v1::Record>* follow_ups);
  // `text` as a local date, or Today() when empty; INVALID_ARGUMENT naming as_of otherwise.
  absl::StatusOr<absl::CivilDay> AsOf(const std::string& text) const;
  // PERMISSION_DENIED when `who` may not see `what` (docs/security.md).
  absl::Status Admit(const Principal& who, std::string_view what, bool field_records, bool regency_wide) const;
  absl::Status AdmitMarket(const Principal& who, std::string_view market) const;
  // Whether `who` sees the market, outlet or instrument `code`.
  static bool Sees(const Principal& who, const common::ReferenceCatalog& catalog, std::string_view what,
                   std::string_view code);
  absl::StatusOr<bool> SeesRecord(const Principal& who, const common::ReferenceCatalog& catalog,
                                  const v1::Record& record);
  // The price cell keys of the samples `inspector` recorded on local days [first, last] (effective
  // versions, markets `who` sees); `markets` narrowed to the inspector's kecamatan. INVALID_ARGUMENT
  // for a name that is no inspector account.
  absl::StatusOr<std::set<std::string>> InspectorPriceCells(const std::string& inspector, absl::CivilDay first,
                                                            absl::CivilDay last, const Principal& who,
                                                            const common::ReferenceCatalog& catalog,
                                                            std::vector<std::string>& markets);
  // The effective version (common::EffectiveRecord) of each of those logical records whose
  // effective observed day is in [first, last] too, with its logical id; voided ones left out.
  absl::StatusOr<std::vector<std::pair<std::string, v1::Record>>> EffectiveObserved(
      common::IndexKind kind, const std::set<std::string>& values, absl::CivilDay first, absl::CivilDay last);
  // The logical records with an index entry (kind, one of `values`) observed on local days
  // [first, last]: originals and amendments both name their logical record.
  absl::StatusOr<std::set<std::string>> LogicalIds(common::IndexKind kind, const std::set<std::string>& values,
                                                   absl::CivilDay first, absl::CivilDay last);

  storage::RecordStore& records_;
  ReferenceService& reference_;
  const Clock& clock_;
  std::function<absl::StatusOr<FieldDirectory>()> directory_;
  const IkkSettings settings_;
};

}  // namespace pantau::service
