// Supervisor reads: the IKK table for any period, from the roll-ups and the reference data.
// Thread-safety: thread-safe; calls read a store snapshot per scan and a catalog snapshot.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/indicators.h"
#include "pantau/v1/query_service.pb.h"
#include "server/service/reference_service.h"
#include "server/storage/storage.h"

namespace pantau::service {

// Choices among the documented alternative definitions (docs/indicators.md).
struct IkkSettings {
  common::UttpDefinition uttp_definition = common::UttpDefinition::kVerifiedInYear;
  // Zones searched, in order, for the reference price of a commodity: rice zone 2 (Kalimantan),
  // the province, then national prices.
  std::vector<std::string> price_zones = {"2", "kalsel", "nasional"};
};

// An exact value with its text: percentages always with 2 decimals, other values as integers
// when whole, else rounded half up to 2 places.
v1::ExactValue ToExactValue(common::Ratio r, bool percent = false);

class QueryService {
 public:
  QueryService(storage::RecordStore& records, ReferenceService& reference, IkkSettings settings)
      : records_(records), reference_(reference), settings_(settings) {}

  // INVALID_ARGUMENT for a period label that is not one.
  absl::StatusOr<v1::GetIndicatorTableResponse> IndicatorTable(std::string_view period_label);

  // INVALID_ARGUMENT for an unknown commodity, bad dates or bucket. Changes look back up to
  // 400 days before `from` for the previous observation.
  absl::StatusOr<v1::GetPriceStatisticsResponse> PriceStatistics(
      const v1::GetPriceStatisticsRequest& request);

 private:
  // Cells with keys in [from, to), decoding only those `want` accepts (all when empty).
  absl::StatusOr<common::CellList> Cells(std::string from, std::string to,
                                         const std::function<bool(std::string_view)>& want = {});
  // Only the keys of the cells in [from, to): nothing decoded.
  absl::StatusOr<std::vector<std::string>> Keys(std::string from, std::string to);

  storage::RecordStore& records_;
  ReferenceService& reference_;
  const IkkSettings settings_;
};

}  // namespace pantau::service
