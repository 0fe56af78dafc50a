// Coverage of the price schedule: which market x commodity has price samples on the days the
// schedule asks for (e.g. the weekly Tuesday check, "selasa"). Pure. Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace pantau::common {

// Indonesian weekday names ("senin" ... "minggu"; "jumat" or "jum'at") or "setiap_hari" (every
// day); case does not matter. INVALID_ARGUMENT naming the word otherwise.
absl::StatusOr<std::set<absl::Weekday>> ParseWeekdays(const std::vector<std::string>& names);
// "senin" ... "minggu".
std::string WeekdayName(absl::Weekday day);

// The days of [first, last] that fall on `weekdays`, ascending.
std::vector<absl::CivilDay> ScheduledDays(absl::CivilDay first, absl::CivilDay last,
                                          const std::set<absl::Weekday>& weekdays);

struct CoverageCell {
  std::string market, commodity;
  int64_t scheduled = 0;
  int64_t covered = 0;
  std::vector<absl::CivilDay> missing;
  int64_t unscheduled_with_data = 0;
};

// One cell per market x commodity (in that order), from the keys of the price cells of
// [first, last] (a cell exists only while it holds a sample).
std::vector<CoverageCell> Coverage(const std::vector<std::string>& price_cell_keys,
                                   const std::vector<std::string>& markets,
                                   const std::vector<std::string>& commodities,
                                   absl::CivilDay first, absl::CivilDay last,
                                   const std::set<absl::Weekday>& weekdays);
// The same from the days with samples of each (market, commodity), as the price-days cells give them:
// ascending, each once (AddDaySeen keeps them so).
using DaysSeen = std::map<std::pair<std::string, std::string>, std::vector<absl::CivilDay>>;
// Adds `day` to ascending `days` unless it is there; O(1) when days come in order, as scans give them.
void AddDaySeen(std::vector<absl::CivilDay>& days, absl::CivilDay day);
std::vector<CoverageCell> CoverageOfDays(const DaysSeen& seen, const std::vector<std::string>& markets,
                                   const std::vector<std::string>& commodities, absl::CivilDay first,
                                   absl::CivilDay last, const std::set<absl::Weekday>& weekdays);

}  // namespace pantau::common
