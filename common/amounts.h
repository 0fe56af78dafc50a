// Amounts as people write them, one reading for the CLI, the app and CSV import: Rupiah with the
// Indonesian thousands dot ("13.100", "Rp 13.100"), decimals with a dot or a comma ("1,5"), and
// units by their usual names ("kilo", "gr", "ltr"). Pure. Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace pantau::common {

// Whole Rupiah: "13100", "13.100", "Rp 13.100", "Rp13.100", "rp 13.100" (a leading "Rp", spaces
// around, dots only as thousands separators: groups of three digits). nullopt for anything else
// ("13,5", "13.10", "-5", "", more than 15 digits).
std::optional<int64_t> ParseRupiahText(std::string_view text);

// Thousandths: "5" -> 5000, "0.25" -> 250, "1,5" -> 1500 (a dot or a comma, at most three
// decimals, no sign). nullopt otherwise.
std::optional<int64_t> ParseMilliText(std::string_view text);
// 87500 -> "87.5", 20000 -> "20": the inverse of ParseMilliText (non-negative values).
std::string FormatMilliText(int64_t milli);

// The unit a person wrote, as Pantau names it: kg (kg, kilo, kilogram), g (g, gr, gram), liter (l,
// liter, litre, ltr), ml (ml, mililiter); any case. nullopt for another word.
std::optional<std::string> CanonicalUnit(std::string_view text);

// "kg, kilo, kilogram, g, gr, gram, liter, l, ...": the units accepted, for messages.
std::string AcceptedUnits();

struct PackSize {
  int64_t milli = 0;  // thousandths of `unit`
  std::string unit;   // canonical
};

// "5 kg", "5kg", "500 gr", "1,5 liter": a positive quantity and a unit. INVALID_ARGUMENT naming
// what is wrong (and the accepted units) otherwise.
absl::StatusOr<PackSize> ParsePackText(std::string_view text);

// A mass as typed at a scale's test: "3 kg", "3kg", "2996 g", "2996,5 g", "500 mg" -> whole
// milligrams. Without a unit the number is milligrams when `bare_is_mg` (the CLI's
// LOAD_MG:INDICATION_MG), else refused. INVALID_ARGUMENT naming the problem: not a number, an
// unknown unit (kg, g, mg), a fraction of a milligram, above 10^15 mg.
absl::StatusOr<int64_t> ParseMassMg(std::string_view text, bool bare_is_mg = false);

// Whole milligrams as a person reads them: "30 kg", "5 g", "500 mg" (the largest unit that keeps
// the number whole). For forms prefilled from the registry.
std::string FormatMassText(int64_t mg);

}  // namespace pantau::common
