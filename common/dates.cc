#include "common/dates.h"

#include "absl/strings/str_format.h"

namespace pantau::common {

absl::TimeZone ZoneWithoutDeployment() { return absl::FixedTimeZone(8 * 60 * 60); }

std::optional<absl::TimeZone> IndonesianTimeZone(std::string_view name) {
  if (name == "WIB") return absl::FixedTimeZone(7 * 60 * 60);
  if (name == "WITA") return absl::FixedTimeZone(8 * 60 * 60);
  if (name == "WIT") return absl::FixedTimeZone(9 * 60 * 60);
  return std::nullopt;
}

std::string ZoneName(absl::TimeZone zone) {
  for (const char* name : {"WIB", "WITA", "WIT"}) {
    if (zone == *IndonesianTimeZone(name)) return name;
  }
  const int offset = zone.At(absl::UnixEpoch()).offset;
  const int minutes = (offset < 0 ? -offset : offset) / 60;
  return absl::StrFormat("UTC%c%02d:%02d", offset < 0 ? '-' : '+', minutes / 60, minutes % 60);
}

std::optional<absl::CivilDay> ParseLocalDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (size_t i = 0; i < lengths[p]; ++i) {
      char c = text[starts[p] + i];
      if (c < '0' || c > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  absl::CivilDay day(parts[0], parts[1], parts[2]);
  // CivilDay normalises out-of-range fields (Feb 30 -> Mar 2): refuse those.
  if (day.year() != parts[0] || day.month() != parts[1] || day.day() != parts[2]) {
    return std::nullopt;
  }
  return day;
}

std::string FormatLocalDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::string DateWords(absl::CivilDay day) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "Mei", "Jun",
                                        "Jul", "Agu", "Sep", "Okt", "Nov", "Des"};
  return absl::StrFormat("%d %s %d", day.day(), kMonths[day.month() - 1], day.year());
}

bool IsValidTimestamp(const google::protobuf::Timestamp& ts) {
  // 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z, as the Timestamp spec requires.
  return ts.seconds() >= -62135596800LL && ts.seconds() <= 253402300799LL && ts.nanos() >= 0 &&
         ts.nanos() <= 999999999;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t ns = absl::ToUnixNanos(t);
  int64_t seconds = ns / 1000000000;
  int64_t nanos = ns % 1000000000;
  if (nanos < 0) {
    nanos += 1000000000;
    seconds -= 1;
  }
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(nanos));
  return ts;
}

std::string FormatLocalMinute(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%d %H:%M ", t, zone) + ZoneName(zone);
}

std::optional<absl::Time> ParseLocalDateTime(std::string_view text, absl::TimeZone zone,
                                             absl::CivilDay today) {
  std::string t(text);
  absl::Time out;
  std::string error;
  // RFC 3339 with an explicit offset or Z.
  if (t.size() > 19 && (t.back() == 'Z' || t[t.size() - 3] == ':') &&
      absl::ParseTime(absl::RFC3339_full, t, &out, &error)) {
    return out;
  }
  if (t.size() == 10) {
    auto day = ParseLocalDate(t);
    if (!day) return std::nullopt;
    return absl::FromCivil(absl::CivilSecond(day->year(), day->month(), day->day(), 12, 0, 0), zone);
  }
  if (t.size() == 5 && t[2] == ':') t = FormatLocalDate(today) + " " + t;
  if (t.size() >= 11 && t[10] == 'T') t[10] = ' ';
  for (const char* format : {"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"}) {
    absl::Time parsed;
    if (absl::ParseTime(format, t, zone, &parsed, &error)) return parsed;
  }
  return std::nullopt;
}

std::string FormatRupiah(int64_t rupiah) {
  std::string digits = std::to_string(rupiah < 0 ? -rupiah : rupiah);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back('.');
    grouped.push_back(digits[i]);
  }
  return std::string(rupiah < 0 ? "-Rp " : "Rp ") + grouped;
}

std::string FormatHoursMinutes(absl::Duration d) {
  int64_t minutes = absl::ToInt64Minutes(d);
  if (minutes < 60) return absl::StrFormat("%dm", minutes);
  return absl::StrFormat("%dh%02dm", minutes / 60, minutes % 60);
}

}  // namespace pantau::common
