// Where a field record is (the market, outlet or instrument it names and that one's kecamatan)
// and whether an account's scope covers it: inspectors write, and supervisors read, only inside
// their kecamatan and bidang (docs/security.md). Pure. Thread-safety: stateless.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/reference_catalog.h"
#include "pantau/v1/admin_service.pb.h"
#include "pantau/v1/records.pb.h"
#include "pantau/v1/sync_service.pb.h"

namespace pantau::common {

// "perdagangan", the bidang whose work the field records are.
inline constexpr std::string_view kFieldRecordsBidang = "perdagangan";
// The bidang words a scope may name.
inline constexpr std::string_view kBidangWords[] = {"koperasi", "perindustrian", "perdagangan"};

struct RecordPlace {
  std::string field;      // the record's field naming the place: "price_sample.market_code"
  std::string what;       // "market", "outlet", "instrument"
  std::string code;       // its code or id
  std::string kecamatan;  // its kecamatan code ("" when the reference data has none)
};

// The place of a price sample, outlet audit, follow-up (through the audited outlet the server
// recorded on it) or UTTP verification, directly or as a correction's replacement. nullopt for
// voids, a follow-up whose audit the server had not seen, and codes not in the reference data.
std::optional<RecordPlace> PlaceOf(const v1::Record& record, const ReferenceCatalog& catalog);

// The refusal of `record` when its place is outside the kecamatan of `scope` (an account
// "`account`"): one error on the field naming the place, with the kecamatan's name and what to
// do. Empty when inside, when the scope names no kecamatan, or when the record has no place. The
// server checks every record it is sent; the laptop, at entry, with the scope of its last pull.
std::vector<v1::FieldError> OutsideScopeErrors(const v1::Record& record, std::string_view account,
                                               const v1::AccountScope& scope, const ReferenceCatalog& catalog);

// True when the scope names no kecamatan, or names `kecamatan`.
bool KecamatanInScope(const v1::AccountScope& scope, std::string_view kecamatan);
// True when the scope names no bidang, or names `bidang` ("perdagangan").
bool BidangInScope(const v1::AccountScope& scope, std::string_view bidang);
// True for an IKK row of `indicator_bidang` ("Bidang Perdagangan") under the scope: the scope
// names no bidang, or one of its words is in the row's bidang (case-insensitive).
bool IndicatorInScope(const v1::AccountScope& scope, std::string_view indicator_bidang);

// "kecamatan marabahan, rantau_badauh": the scope in words, for messages.
std::string ScopeDescription(const v1::AccountScope& scope);

// A scope from the comma-separated lists people type ("marabahan, alalak"); blanks are skipped.
v1::AccountScope ScopeFromLists(std::string_view kecamatan, std::string_view bidang);

// `--expires YYYY-MM-DD`: the token works through that local day, so it expires at the start of
// the next one in `zone`. nullopt for "" (no expiry); INVALID_ARGUMENT for a date that is not one.
absl::StatusOr<std::optional<absl::Time>> ExpiryAfterLocalDay(std::string_view date, absl::TimeZone zone);

// "inspector", "supervisor", "admin" <-> Role ("none" for an unset role).
std::string_view RoleName(v1::Role role);
std::optional<v1::Role> RoleFromName(std::string_view name);

}  // namespace pantau::common
