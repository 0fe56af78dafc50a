// Building field records from what an inspector types, and checking them offline with the same
// validators the server runs, plus the laptop-only plausibility check against recent prices.
// Pure apart from the id randomness. Thread-safety: stateless.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/plausibility.h"
#include "common/reference_catalog.h"
#include "common/validation.h"
#include "pantau/v1/records.pb.h"

namespace pantau::client {

struct EntryContext {
  const common::ReferenceCatalog& catalog;
  const common::ValidationPolicy& policy;
  std::string account;
  std::string device_id;
  absl::Time now;  // the laptop clock
};

// "--pack 5 kg", "--pack 500 gr", "--pack 1,5 liter" -> thousandths of `commodity_unit`. The unit
// as people write it (common::CanonicalUnit). INVALID_ARGUMENT naming the problem when the
// quantity is not a number with at most three decimals, the unit is unknown (the accepted ones
// listed) or does not convert.
absl::StatusOr<int64_t> PackSizeMilliUnits(const std::string& quantity, const std::string& unit,
                                           const std::string& commodity_unit);

struct PriceInput {
  std::string market;
  std::string commodity;
  std::string trader;
  int64_t price_rupiah = 0;  // per the commodity's unit, or per pack when `pack_quantity` is set
  std::string pack_quantity, pack_unit;
  std::optional<absl::Time> observed;
  std::string confirm_reason;
  std::string note;
};

// A price-sample record with a fresh id (or `id` when given), the envelope filled from `ctx`.
// A pack price is converted to the commodity's unit; both are kept.
absl::StatusOr<v1::Record> BuildPriceSample(const PriceInput& input, const EntryContext& ctx,
                                            const std::string& id = "");

// The envelope (id, author, device, times) around a body the caller sets.
absl::StatusOr<v1::Record> NewRecord(const EntryContext& ctx, std::optional<absl::Time> observed);

// Every problem of `record` as the server would report it, plus, for price samples without a
// confirmation, the check against `recent_prices` of the same commodity.
std::vector<v1::FieldError> CheckBeforeSaving(const v1::Record& record, const EntryContext& ctx,
                                              const std::vector<int64_t>& recent_prices);

}  // namespace pantau::client
