#include "common/periods.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "common/dates.h"

namespace pantau::common {
namespace {

// Monday of ISO week 1 of `iso_year`: the Monday on or before 4 January.
absl::CivilDay IsoWeekOneMonday(int iso_year) {
  const absl::CivilDay jan4(iso_year, 1, 4);
  return absl::PrevWeekday(jan4 + 1, absl::Weekday::monday);
}

bool ParseInt(std::string_view text, int* out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return absl::SimpleAtoi(std::string(text), out);
}

}  // namespace

Period DayPeriod(absl::CivilDay day) {
  return Period{PeriodKind::kDay, day, day, FormatLocalDate(day)};
}

std::optional<Period> IsoWeekPeriod(int iso_year, int week) {
  if (week < 1 || week > 53) return std::nullopt;
  const absl::CivilDay monday = IsoWeekOneMonday(iso_year) + 7 * (week - 1);
  if (week == 53 && IsoWeekOneMonday(iso_year + 1) <= monday) return std::nullopt;
  return Period{PeriodKind::kIsoWeek, monday, monday + 6, absl::StrFormat("%04d-W%02d", iso_year, week)};
}

Period IsoWeekOf(absl::CivilDay day) {
  int iso_year = static_cast<int>(day.year());
  if (day < IsoWeekOneMonday(iso_year)) --iso_year;
  if (day >= IsoWeekOneMonday(iso_year + 1)) ++iso_year;
  const int week = static_cast<int>((day - IsoWeekOneMonday(iso_year)) / 7) + 1;
  return *IsoWeekPeriod(iso_year, week);
}

std::optional<Period> MonthPeriod(int year, int month) {
  if (month < 1 || month > 12) return std::nullopt;
  const absl::CivilMonth m(year, month);
  return Period{PeriodKind::kMonth, absl::CivilDay(m), absl::CivilDay(m + 1) - 1,
                absl::StrFormat("%04d-%02d", year, month)};
}

std::optional<Period> QuarterPeriod(int year, int quarter) {
  if (quarter < 1 || quarter > 4) return std::nullopt;
  const absl::CivilMonth start(year, 3 * (quarter - 1) + 1);
  return Period{PeriodKind::kQuarter, absl::CivilDay(start), absl::CivilDay(start + 3) - 1,
                absl::StrFormat("%04d-Q%d", year, quarter)};
}

Period YearPeriod(int year) {
  return Period{PeriodKind::kYear, absl::CivilDay(year, 1, 1), absl::CivilDay(year, 12, 31),
                absl::StrFormat("%04d", year)};
}

std::optional<Period> ParsePeriod(std::string_view label) {
  int year = 0, n = 0;
  if (label.size() == 4 && ParseInt(label, &year)) return YearPeriod(year);
  if (label.size() < 7 || !ParseInt(label.substr(0, 4), &year) || label[4] != '-') return std::nullopt;
  std::string_view rest = label.substr(5);
  if (rest.size() == 2 && rest[0] == 'Q' && ParseInt(rest.substr(1), &n)) return QuarterPeriod(year, n);
  if (rest.size() == 3 && rest[0] == 'W' && ParseInt(rest.substr(1), &n)) return IsoWeekPeriod(year, n);
  if (rest.size() == 2 && ParseInt(rest, &n)) return MonthPeriod(year, n);
  if (auto day = ParseLocalDate(label)) return DayPeriod(*day);
  return std::nullopt;
}

std::optional<Period> ParsePeriod(std::string_view label, absl::CivilDay today) {
  std::string word;
  for (char c : label) {
    word += c == ' ' || c == '_' ? '-' : static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  const int year = static_cast<int>(today.year());
  const int quarter = (today.month() - 1) / 3 + 1;
  const absl::CivilMonth month(today);
  if (word == "hari-ini") return DayPeriod(today);
  if (word == "kemarin") return DayPeriod(today - 1);
  if (word == "minggu-ini") return IsoWeekOf(today);
  if (word == "minggu-lalu") return IsoWeekOf(today - 7);
  if (word == "bulan-ini") return MonthPeriod(year, today.month());
  if (word == "bulan-lalu") return MonthPeriod(static_cast<int>((month - 1).year()), (month - 1).month());
  if (word == "triwulan-ini") return QuarterPeriod(year, quarter);
  if (word == "triwulan-lalu") return quarter == 1 ? QuarterPeriod(year - 1, 4) : QuarterPeriod(year, quarter - 1);
  if (word == "tahun-ini") return YearPeriod(year);
  if (word == "tahun-lalu") return YearPeriod(year - 1);
  return ParsePeriod(label);
}

std::string_view RelativePeriodWords() {
  return "hari-ini, kemarin, minggu-ini, minggu-lalu, bulan-ini, bulan-lalu, triwulan-ini, triwulan-lalu, "
         "tahun-ini, tahun-lalu";
}

}  // namespace pantau::common
