// Calendar dates and time zones of the deployment. Pure. Thread-safety: stateless.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace pantau::common {

// The zone of a store or laptop whose reference data names no deployment time zone: UTC+8, the
// zone every Pantau store built its roll-ups in before deployment.csv named one (so such a store
// stays valid). A deployment always names its own (ReferenceCatalog::TimeZone).
absl::TimeZone ZoneWithoutDeployment();

// Indonesia's time zones by the name the dinas uses: "WIB" (UTC+7), "WITA" (UTC+8), "WIT"
// (UTC+9); none has daylight saving. nullopt for any other name.
std::optional<absl::TimeZone> IndonesianTimeZone(std::string_view name);

// "WIB", "WITA" or "WIT" for those zones; "UTC+05:30"-style text for any other.
std::string ZoneName(absl::TimeZone zone);

// Parses "YYYY-MM-DD" strictly (the date must exist). nullopt otherwise.
std::optional<absl::CivilDay> ParseLocalDate(std::string_view text);

// "YYYY-MM-DD".
std::string FormatLocalDate(absl::CivilDay day);
// "8 Des 2026": a date as Indonesians write it, for people (tables, messages); files keep ISO.
std::string DateWords(absl::CivilDay day);

// True when `ts` is a valid protobuf Timestamp (seconds within years 1-9999, nanos in range).
bool IsValidTimestamp(const google::protobuf::Timestamp& ts);
absl::Time FromTimestamp(const google::protobuf::Timestamp& ts);
google::protobuf::Timestamp ToTimestamp(absl::Time t);

// "2026-11-28 14:05 WITA"-style text of `t` in `zone` (ZoneName), for messages to people.
std::string FormatLocalMinute(absl::Time t, absl::TimeZone zone);

// Parses a time an inspector types, in `zone`: "YYYY-MM-DD HH:MM[:SS]", "YYYY-MM-DDTHH:MM[:SS]",
// "YYYY-MM-DD" (noon), "HH:MM" (on `today`), or RFC 3339 with an offset. nullopt otherwise.
std::optional<absl::Time> ParseLocalDateTime(std::string_view text, absl::TimeZone zone,
                                             absl::CivilDay today);

// "Rp 13.100": whole Rupiah with the Indonesian thousands separator.
std::string FormatRupiah(int64_t rupiah);

// "3h05m"-style text of a positive duration, rounded down to the minute.
std::string FormatHoursMinutes(absl::Duration d);

}  // namespace pantau::common
