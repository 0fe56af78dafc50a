// UTTP due lists: when each registered instrument's tera ulang falls due, from the UTTP roll-up
// cells (days of sah and batal verdicts) and the registry. Next due = the latest sah tera or tera
// ulang + the type's re-verification interval (DOMAIN.md). Pure. Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/indicators.h"
#include "common/reference_catalog.h"

namespace pantau::common {

// `day` + `months`, the day of the month kept, or the month's last day when it is shorter:
// 2024-02-29 + 12 -> 2025-02-28, 2026-01-31 + 1 -> 2026-02-28.
absl::CivilDay AddMonthsClamped(absl::CivilDay day, int months);

// The state of one instrument's mark on a day.
struct MarkState {
  std::optional<absl::CivilDay> last_sah;    // latest sah tera / tera ulang on or before the day
  std::optional<absl::CivilDay> last_batal;  // a batal after last_sah (or with none), on or before
  std::optional<absl::CivilDay> next_due;    // last_sah + interval
  // A sah mark, no batal after it, and the day not after next_due.
  bool valid = false;
};
// From the instrument's UTTP cells (any years, any order; cells of other instruments ignored).
// A sah and a batal on the same day count as repaired and passed (sah).
MarkState MarkOn(const CellList& uttp_cells, std::string_view instrument, int interval_months,
                 absl::CivilDay day);

// Registered on or before `day` and not retired on or before it.
bool InServiceOn(const v1::UttpInstrument& instrument, absl::CivilDay day);

enum class DueStatus { kOverdue, kDueSoon, kValid };
std::string DueStatusName(DueStatus status);  // "terlambat", "jatuh_tempo", "berlaku"

struct UttpDue {
  std::string instrument;
  MarkState mark;
  DueStatus status = DueStatus::kOverdue;
  // kOverdue: days since next_due (or since the batal, or since registration when never sah);
  // otherwise days until next_due.
  int64_t days = 0;
};

// Every instrument in service on `as_of`: overdue (past next_due, never sah, or batal), due
// within `within_days` (next_due - as_of <= within_days, due today included), or valid beyond
// (listed only with `include_valid`). Overdue first, most overdue first; then by next_due, id.
std::vector<UttpDue> UttpDueList(const CellList& uttp_cells, const ReferenceCatalog& catalog,
                                 absl::CivilDay as_of, int within_days, bool include_valid);

}  // namespace pantau::common
