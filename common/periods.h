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
// As above, and also the words people say, relative to `today` (the deployment's local date):
// hari-ini, kemarin, minggu-ini, minggu-lalu, bulan-ini, bulan-lalu, triwulan-ini, triwulan-lalu,
// tahun-ini, tahun-lalu (a space or '_' for '-', any case). The period's label is the concrete one
// ("2026-12"), so an answer never says "bulan-ini".
std::optional<Period> ParsePeriod(std::string_view label, absl::CivilDay today);
// The words ParsePeriod(label, today) takes, for messages: "bulan-ini, bulan-lalu, ...".
std::string_view RelativePeriodWords();

}  // namespace pantau::common
