#include "common/coverage.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "common/rollups.h"
#include "common/str_cat.h"

namespace pantau::common {
namespace {

constexpr std::pair<const char*, absl::Weekday> kNames[] = {
    {"senin", absl::Weekday::monday},   {"selasa", absl::Weekday::tuesday},
    {"rabu", absl::Weekday::wednesday}, {"kamis", absl::Weekday::thursday},
    {"jumat", absl::Weekday::friday},   {"sabtu", absl::Weekday::saturday},
    {"minggu", absl::Weekday::sunday},
};

}  // namespace

absl::StatusOr<std::set<absl::Weekday>> ParseWeekdays(const std::vector<std::string>& names) {
  std::set<absl::Weekday> out;
  for (const auto& raw : names) {
    std::string name = absl::AsciiStrToLower(raw);
    if (name == "jum'at") name = "jumat";
    if (name == "setiap_hari" || name == "setiap hari") {
      for (const auto& [n, d] : kNames) out.insert(d);
      continue;
    }
    bool found = false;
    for (const auto& [n, d] : kNames) {
      if (name == n) out.insert(d), found = true;
    }
    if (!found) {
      return absl::InvalidArgumentError(
          StrCat("weekday \"", raw, "\": use senin, selasa, rabu, kamis, jumat, sabtu, minggu or setiap_hari"));
    }
  }
  return out;
}

std::string WeekdayName(absl::Weekday day) {
  for (const auto& [n, d] : kNames) {
    if (d == day) return n;
  }
  return "";
}

std::vector<absl::CivilDay> ScheduledDays(absl::CivilDay first, absl::CivilDay last,
                                          const std::set<absl::Weekday>& weekdays) {
  std::vector<absl::CivilDay> out;
  for (absl::CivilDay d = first; d <= last; ++d) {
    if (weekdays.count(absl::GetWeekday(d)) > 0) out.push_back(d);
  }
  return out;
}

void AddDaySeen(std::vector<absl::CivilDay>& days, absl::CivilDay day) {
  if (days.empty() || days.back() < day) {
    days.push_back(day);
    return;
  }
  auto at = std::lower_bound(days.begin(), days.end(), day);
  if (*at != day) days.insert(at, day);
}

std::vector<CoverageCell> Coverage(const std::vector<std::string>& price_cell_keys,
                                   const std::vector<std::string>& markets,
                                   const std::vector<std::string>& commodities,
                                   absl::CivilDay first, absl::CivilDay last,
                                   const std::set<absl::Weekday>& weekdays) {
  // (market, commodity) -> days with data.
  DaysSeen seen;
  for (const auto& key : price_cell_keys) {
    auto parts = ParseCellKey(key);
    if (!parts || parts->family != RollupFamily::kPrice || parts->codes.size() != 2) continue;
    if (parts->day < first || parts->day > last) continue;
    AddDaySeen(seen[{parts->codes[1], parts->codes[0]}], parts->day);
  }
  return CoverageOfDays(seen, markets, commodities, first, last, weekdays);
}

std::vector<CoverageCell> CoverageOfDays(const DaysSeen& seen, const std::vector<std::string>& markets,
                                   const std::vector<std::string>& commodities, absl::CivilDay first,
                                   absl::CivilDay last, const std::set<absl::Weekday>& weekdays) {
  const std::vector<absl::CivilDay> scheduled = ScheduledDays(first, last, weekdays);
  std::vector<CoverageCell> out;
  for (const auto& market : markets) {
    for (const auto& commodity : commodities) {
      CoverageCell c;
      c.market = market;
      c.commodity = commodity;
      c.scheduled = static_cast<int64_t>(scheduled.size());
      auto it = seen.find({market, commodity});
      static const std::vector<absl::CivilDay> kNone;
      const std::vector<absl::CivilDay>& days = it == seen.end() ? kNone : it->second;
      for (absl::CivilDay d : scheduled) {
        if (std::binary_search(days.begin(), days.end(), d)) {
          ++c.covered;
        } else {
          c.missing.push_back(d);
        }
      }
      for (absl::CivilDay d : days) {
        if (d >= first && d <= last) c.unscheduled_with_data += weekdays.count(absl::GetWeekday(d)) == 0;
      }
      out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace pantau::common
