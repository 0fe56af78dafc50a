#include "common/scope.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "common/dates.h"
#include "common/messages.h"
#include "common/str_cat.h"
#include "common/text.h"

namespace pantau::common {
namespace {

std::optional<RecordPlace> Place(std::string field, std::string what, std::string code,
                                 const std::string* kecamatan) {
  if (kecamatan == nullptr) return std::nullopt;
  return RecordPlace{std::move(field), std::move(what), std::move(code), *kecamatan};
}

template <typename Body>
std::optional<RecordPlace> PlaceOfBody(const Body& body, const std::string& prefix,
                                       const ReferenceCatalog& catalog) {
  if (body.has_price_sample()) {
    const auto* m = catalog.FindMarket(body.price_sample().market_code());
    return Place(prefix + "price_sample.market_code", "market", body.price_sample().market_code(),
                 m ? &m->kecamatan_code() : nullptr);
  }
  if (body.has_outlet_audit()) {
    const auto* o = catalog.FindOutlet(body.outlet_audit().outlet_code());
    return Place(prefix + "outlet_audit.outlet_code", "outlet", body.outlet_audit().outlet_code(),
                 o ? &o->kecamatan_code() : nullptr);
  }
  if (body.has_follow_up()) {
    if (body.follow_up().audit_outlet_code().empty()) return std::nullopt;
    const auto* o = catalog.FindOutlet(body.follow_up().audit_outlet_code());
    return Place(prefix + "follow_up.audit_record_id", "outlet", body.follow_up().audit_outlet_code(),
                 o ? &o->kecamatan_code() : nullptr);
  }
  if (body.has_uttp_verification()) {
    const auto* i = catalog.FindUttpInstrument(body.uttp_verification().instrument_id());
    return Place(prefix + "uttp_verification.instrument_id", "instrument",
                 body.uttp_verification().instrument_id(), i ? &i->kecamatan_code() : nullptr);
  }
  return std::nullopt;
}

}  // namespace

std::optional<RecordPlace> PlaceOf(const v1::Record& record, const ReferenceCatalog& catalog) {
  if (record.has_correction()) return PlaceOfBody(record.correction(), "correction.", catalog);
  return PlaceOfBody(record, "", catalog);
}

bool KecamatanInScope(const v1::AccountScope& scope, std::string_view kecamatan) {
  if (scope.kecamatan_codes_size() == 0) return true;
  return std::find(scope.kecamatan_codes().begin(), scope.kecamatan_codes().end(), kecamatan) !=
         scope.kecamatan_codes().end();
}

bool BidangInScope(const v1::AccountScope& scope, std::string_view bidang) {
  if (scope.bidang_size() == 0) return true;
  return std::find(scope.bidang().begin(), scope.bidang().end(), bidang) != scope.bidang().end();
}

bool IndicatorInScope(const v1::AccountScope& scope, std::string_view indicator_bidang) {
  if (scope.bidang_size() == 0) return true;
  const std::string lower = absl::AsciiStrToLower(std::string(indicator_bidang));
  for (const auto& word : scope.bidang()) {
    if (!word.empty() && lower.find(absl::AsciiStrToLower(word)) != std::string::npos) return true;
  }
  return false;
}

std::string ScopeDescription(const v1::AccountScope& scope) {
  std::vector<std::string> parts;
  if (scope.kecamatan_codes_size() > 0) parts.push_back(StrCat("kecamatan ", StrJoin(scope.kecamatan_codes(), ", ")));
  if (scope.bidang_size() > 0) parts.push_back(StrCat("bidang ", StrJoin(scope.bidang(), ", ")));
  return parts.empty() ? "everything" : StrJoin(parts, "; ");
}

v1::AccountScope ScopeFromLists(std::string_view kecamatan, std::string_view bidang) {
  v1::AccountScope scope;
  // Debian's abseil has its own string_view: split std::strings into std::strings.
  const std::vector<std::string> codes = absl::StrSplit(std::string(kecamatan), ',', absl::SkipWhitespace());
  for (const auto& k : codes) scope.add_kecamatan_codes(std::string(StripAsciiSpace(k)));
  const std::vector<std::string> words = absl::StrSplit(std::string(bidang), ',', absl::SkipWhitespace());
  for (const auto& b : words) scope.add_bidang(std::string(StripAsciiSpace(b)));
  return scope;
}

absl::StatusOr<std::optional<absl::Time>> ExpiryAfterLocalDay(std::string_view date, absl::TimeZone zone) {
  if (date.empty()) return std::nullopt;
  auto day = ParseLocalDate(date);
  if (!day) return absl::InvalidArgumentError(StrCat("--expires \"", date, "\": use YYYY-MM-DD"));
  return absl::FromCivil(*day + 1, zone);
}

std::string_view RoleName(v1::Role role) {
  switch (role) {
    case v1::ROLE_INSPECTOR:
      return "inspector";
    case v1::ROLE_SUPERVISOR:
      return "supervisor";
    case v1::ROLE_ADMIN:
      return "admin";
    case v1::ROLE_MONITOR:
      return "monitor";
    default:
      return "none";
  }
}

std::optional<v1::Role> RoleFromName(std::string_view name) {
  if (name == "inspector") return v1::ROLE_INSPECTOR;
  if (name == "supervisor") return v1::ROLE_SUPERVISOR;
  if (name == "admin") return v1::ROLE_ADMIN;
  if (name == "monitor") return v1::ROLE_MONITOR;
  return std::nullopt;
}

std::vector<v1::FieldError> OutsideScopeErrors(const v1::Record& record, std::string_view account,
                                               const v1::AccountScope& scope, const ReferenceCatalog& catalog) {
  if (scope.kecamatan_codes_size() == 0) return {};
  auto place = PlaceOf(record, catalog);
  if (!place || KecamatanInScope(scope, place->kecamatan)) return {};
  const v1::Kecamatan* k = catalog.FindKecamatan(place->kecamatan);
  const std::string kecamatan = k != nullptr ? StrCat(k->name(), " (", place->kecamatan, ")") : place->kecamatan;
  const std::string assigned = StrJoin(scope.kecamatan_codes(), ", ");
  const std::string_view what = place->what;
  return {FieldErrorOf(
      place->field,
      what == "market" ? Msg("market {} is in kecamatan {}, outside the kecamatan assigned to account \"{}\" ({}); ask "
                             "the admin to extend the assignment (pantau admin scope)",
                             place->code, kecamatan, account, assigned)
      : what == "outlet"
          ? Msg("outlet {} is in kecamatan {}, outside the kecamatan assigned to account \"{}\" ({}); ask the admin "
                "to extend the assignment (pantau admin scope)",
                place->code, kecamatan, account, assigned)
          : Msg("instrument {} is in kecamatan {}, outside the kecamatan assigned to account \"{}\" ({}); ask the "
                "admin to extend the assignment (pantau admin scope)",
                place->code, kecamatan, account, assigned))};
}

}  // namespace pantau::common
