// Legal metrology verdicts (sah / batal) of UTTP verifications, computed exactly in integers from
// the instrument's class, intervals and test results (DOMAIN.md "Legal metrology"; sources in
// research/uttp-and-subsidised-goods.md §2):
//   - non-automatic weighing instruments (OIML R 76-1): MPE by accuracy class, interval e and
//     load, inclusive upper bounds, |E| <= MPE passes; multi-interval instruments; the
//     change-point rounding correction P = I + e/2 - dL, E = P - L; eccentricity, repeatability
//     and zero-setting; metadata checks (e and d of the form 1, 2 or 5 x 10^k, class against e,
//     n = Max / e within the class's limits, Min);
//   - fuel dispensers (OIML R 117 line A; Indonesian BKD +-0.5 %): MPE as a percent of the
//     delivered volume, the small-volume rules and Emin, three flow rates, a repeatability limit;
//   - water meters (OIML R 49): class 1 and 2, lower and upper zones, above 30 degrees C.
// No floating point: errors and MPEs are exact rationals (halves of a milligram after a
// change-point correction). Pure. Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/indicators.h"
#include "common/messages.h"
#include "common/reference_catalog.h"
#include "pantau/v1/records.pb.h"
#include "pantau/v1/reference.pb.h"

namespace pantau::common {

// The MPE multiplier of each verification kind, and the other limits that are settings.
struct MetrologySettings {
  // Weighing instruments. OIML R 76-1 3.5.2: the MPE in service is twice the MPE on
  // verification. Tera (initial) and tera ulang (subsequent verification) use 1x; pengawasan (an
  // in-service inspection) 2x. Whether Indonesian tera ulang uses 1x or 2x is unconfirmed
  // (DOMAIN.md): change it here.
  int nawi_tera = 1, nawi_tera_ulang = 1, nawi_pengawasan = 2;
  // Fuel dispensers and water meters: Indonesian pengawasan of pumps uses the same +-0.5 % as
  // tera ulang (research §2.3), so 1x for every kind.
  int volume_tera = 1, volume_tera_ulang = 1, volume_pengawasan = 1;
  // Fuel dispensers: the largest spread of the relative errors at one flow rate, in thousandths
  // of a percent: 100 = 0.1 % (ketidaktetapan, Diklat Penera 2014; pengawasan Pontianak 2024).
  int64_t dispenser_repeatability_milli_percent = 100;
  // Tera and tera ulang of a fuel dispenser need runs at all three flow rates (max, mid, min).
  bool dispenser_three_flows = true;
};

// The accuracy classes of weighing instruments.
enum class NawiClass { kI, kII, kIII, kIIII };
std::optional<NawiClass> ParseNawiClass(std::string_view text);  // "I", "II", "III", "IIII"

// The MPE on verification (multiplier 1) for a load of `load` in units of `e` (any unit, the
// same for both), as a number of half intervals: 1 (0.5 e), 2 (1 e) or 3 (1.5 e). Upper bounds
// are inclusive: class III, e = 2 g, 1 000 g (500 e) -> 1; 1 002 g (501 e) -> 2.
int MpeHalfIntervals(NawiClass cls, int64_t load, int64_t e);

// True when `value` is 1, 2 or 5 x 10^k.
bool IsOneTwoFiveDecade(int64_t value);

// One checked test: a point, a run, or an auxiliary test.
struct CheckedTest {
  std::string test;  // "point", "run", "eccentricity", "repeatability", "zero"
  int index = 0;     // position in its input list
  std::string flow;  // runs: "max", "mid", "min"; water meters: the zone
  Ratio error;       // signed, in the input's unit (mg or mL); repeatability: the spread
  Ratio mpe;         // absolute value; repeatability of dispensers: the limit in mL at that run
  bool pass = false;
};

struct VerdictResult {
  std::vector<CheckedTest> points;     // weighing points or runs, in input order
  std::vector<CheckedTest> auxiliary;  // eccentricity, repeatability, zero
  // Every reason for a batal, for people: the failed tests, metadata and missing data.
  std::vector<Message> reasons;
  bool sah = false;

  std::vector<std::string> ReasonsIn(Language language = Language::kEnglish) const;
};

// The verdict of `u` for an instrument of `category` (weighing, fuel dispenser, water meter).
// For any other category nothing is computed: reasons say so and sah is false. The fields named
// _mg and _ml hold milligrams and millilitres; with `units_per_base` > 1 they hold that finer
// unit instead (10: tenths of a milligram), which gives the same verdict — a property the tests
// check to show that no step depends on the unit.
VerdictResult ComputeVerdict(const v1::UttpVerification& u, v1::UttpCategory category,
                             const MetrologySettings& settings, int64_t units_per_base = 1);

// True for the categories a rule computes verdicts for: weighing instruments, fuel dispensers,
// water meters.
bool HasVerdictRule(v1::UttpCategory category);

// The category of the instrument `u` names (registry -> type), or UNSPECIFIED when unknown.
v1::UttpCategory CategoryOf(const v1::UttpVerification& u, const ReferenceCatalog& catalog);

// Computes the verdict of the UTTP verification `record` holds (itself, or a correction's
// replacement) and records it in its computed_verdict (left unspecified where no rule exists) and
// verdict_reasons. nullopt, and `record` untouched, when it holds no verification.
std::optional<VerdictResult> AttachComputedVerdict(v1::Record& record, const ReferenceCatalog& catalog,
                                                   const MetrologySettings& settings);

// Exact decimal text of a ratio whose denominator divides a power of ten ("2.5", "-0.015",
// "100"); other ratios to 5 decimals.
std::string DecimalText(Ratio r);

}  // namespace pantau::common
