// Reporting periods in local dates of the deployment: day, ISO week, month, quarter, year.
// Pure. Thread-safety: stateless.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"

namespace pantau::common {

enum class PeriodKind { kDay, kIsoWeek, kMonth, kQuarter, kYear };

struct Period {
  PeriodKind kind;
  absl::CivilDay first;  // inclusive
  absl::CivilDay last;   // inclusive
  std::string label;     // "2026-11-24", "2026-W48", "2026-11", "2026-Q4", "2026"
  bool operator==(const Period&) const = default;
};

Period DayPeriod(absl::CivilDay day);
// ISO 8601 week `week` of ISO year `iso_year` (Monday to Sunday; week 1 holds 4 January).
std::optional<Period> IsoWeekPeriod(int iso_year, int week);
std::optional<Period> MonthPeriod(int year, int month);
std::optional<Period> QuarterPeriod(int year, int quarter);
Period YearPeriod(int year);

// The ISO week containing `day`.
Period IsoWeekOf(absl::CivilDay day);

// Parses a label as above. nullopt when it is not one.
std::optional<Period> ParsePeriod(std::string_view label);

}  // namespace pantau::common
