// Roll-ups of the effective field records: which cells a record contributes to and how, and what
// the effective version of a record is once corrections and voids are taken into account. Pure:
// cells are read and written through the CellStore the caller provides.
// Thread-safety: stateless.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "pantau/v1/records.pb.h"
#include "pantau/v1/rollups.pb.h"

namespace pantau::common {

// Cell families; the first byte of every cell key.
enum class RollupFamily : char {
  kPrice = 'P',     // day, commodity, market
  kAudit = 'A',     // day, outlet
  kFollowUp = 'F',  // day, action code, audited outlet ("" when unknown)
  kUttp = 'U',      // year, instrument
  kPriceMonths = 'M',  // year, commodity, market: the sums of each month
  kPriceDays = 'D',    // month, commodity, market: the sums of each day
};

// Keys sort by family, then time (big-endian day number since 1970-01-01, or year), then codes.
std::string PriceCellKey(absl::CivilDay day, std::string_view commodity, std::string_view market);
std::string AuditCellKey(absl::CivilDay day, std::string_view outlet);
std::string FollowUpCellKey(absl::CivilDay day, std::string_view action_code, std::string_view outlet = "");
std::string UttpCellKey(int year, std::string_view instrument);
std::string PriceMonthsCellKey(int year, std::string_view commodity, std::string_view market);
std::string PriceDaysCellKey(absl::CivilMonth month, std::string_view commodity, std::string_view market);
// The first key of `family` on `day` (for price, audit, follow-up cells): scans of a period run
// from DayKey(first day) to DayKey(last day + 1).
std::string DayKey(RollupFamily family, absl::CivilDay day);
std::string YearKey(int year);
// The first key of the price-months family in `year`, of the price-days family in `month`.
std::string PriceMonthsKey(int year);
std::string PriceDaysKey(absl::CivilMonth month);

// A cell key taken apart. `codes` holds the codes after the time part, in key order.
struct CellKeyParts {
  RollupFamily family;
  absl::CivilDay day;      // price, audit, follow-up cells
  int year = 0;            // UTTP and price-months cells
  absl::CivilMonth month;  // price-days cells
  std::vector<std::string> codes;
};
std::optional<CellKeyParts> ParseCellKey(std::string_view key);
// The family and time of a cell key alone (`codes` left empty): for scans that visit thousands of
// cells and find their codes by the key's bytes.
std::optional<CellKeyParts> ParseCellKeyTime(std::string_view key);

// A PriceSum's 128-bit sum, and the other way.
absl::int128 SumOf(const v1::PriceSum& s);
void SetSum(v1::PriceSum& s, absl::int128 sum);

// The logical record a record belongs to: a correction's or void's target, else its own id.
std::string LogicalId(const v1::Record& record);
bool IsAmendment(const v1::Record& record);

// The version of a logical record that counts: nothing when any void targets it; else the latest
// correction (greatest id) with its replacement as the body and its observed time; else the
// original. `original` may be null (it has not arrived yet).
std::optional<v1::Record> EffectiveRecord(const v1::Record* original,
                                          const std::vector<v1::Record>& amendments);

// Where cells live. Implemented by the storage backends.
class CellStore {
 public:
  virtual ~CellStore() = default;
  // The cell at `key`, to be changed in place; an empty cell when there is none yet. The
  // pointer stays valid until the next call. A caller that fails leaves the store to be
  // discarded (both backends apply a write's cells only when all of it succeeded).
  virtual absl::StatusOr<v1::RollupCell*> Mutable(const std::string& key) = 0;
  virtual absl::Status Delete(const std::string& key) = 0;
};

// Adds (`sign` = +1) or removes (-1) the contribution of an effective record to its cells, with
// days in `zone`. Removing what is not there is INTERNAL (a broken invariant). A cell left empty
// is deleted, so cells stay canonical.
absl::Status ApplyContribution(const v1::Record& effective, int sign, absl::TimeZone zone,
                               CellStore& cells);

}  // namespace pantau::common
