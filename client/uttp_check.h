// UTTP verifications as JSON for `pantau uttp check` and `pantau uttp add --input`, and the
// computed verdict as JSON and as lines for a terminal. The verdict itself is common/metrology.
// Thread-safety: stateless.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/metrology.h"
#include "common/reference_catalog.h"
#include "pantau/v1/records.pb.h"

namespace pantau::client {

struct CheckInput {
  v1::UttpVerification verification;
  v1::UttpCategory category = v1::UTTP_CATEGORY_UNSPECIFIED;
};

// Reads the input of `pantau uttp check` (README "Checking a UTTP verdict"):
//   {"instrument": "nawi" | "fuel_dispenser" | "water_meter",
//    "kind": "tera" | "tera_ulang" | "pengawasan",
//    "class" (or "accuracy_class"), "max_mg", "min_mg", "e_mg", "d_mg",
//    "ranges": [{"max_mg", "e_mg"}], "points": [{"load_mg", "indication_mg", "changepoint_mg"}],
//    "eccentricity": [...points], "repeatability": [...points], "zero_changepoint_mg",
//    "mmq_ml", "runs": [{"flow", "zone", "above_30c", "actual_ml", "indication_ml"}]}
// `instrument` may be left out when `require_instrument` is false (the registry says it). An
// unknown key, a wrong type or a missing required key is INVALID_ARGUMENT naming the key.
absl::StatusOr<CheckInput> ParseCheckInput(const std::string& json_text, bool require_instrument = true);

// {"instrument", "kind", "points" or "runs" (each with its error and MPE in the input's unit and
// "pass"), "auxiliary", "reasons", "verdict": "sah" | "batal" | null}, two-space indented.
std::string VerdictJson(const CheckInput& input, const common::VerdictResult& result);

// One line per test and a last line with the verdict and its reasons, for a terminal.
std::string VerdictLines(const v1::UttpVerification& u, const common::VerdictResult& result, bool has_rule);

// Class, Max and e from the instrument's registry entry (uttp_instruments.csv) where `u` leaves
// them unset: the inspector types only what differs from the registry.
void PrefillFromRegistry(v1::UttpVerification& u, const common::ReferenceCatalog& catalog);

// Test specs typed on the command line: "LOAD:INDICATION[:CHANGEPOINT]" each a mass ("3kg",
// "2996 g", "500 mg"; a bare number is milligrams, common::ParseMassMg),
// "FLOW:ACTUAL_ML:INDICATION_ML" (FLOW max|mid|min, or a water meter's zone lower|upper), and
// "MAX_MG:E_MG" for a partial range.
absl::StatusOr<v1::WeighingPoint> ParsePointSpec(const std::string& spec, const std::string& flag);
absl::StatusOr<v1::VolumeRun> ParseRunSpec(const std::string& spec);
absl::StatusOr<v1::WeighingRange> ParseRangeSpec(const std::string& spec);

}  // namespace pantau::client
