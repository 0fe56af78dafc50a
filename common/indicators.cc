#include "common/indicators.h"

#include <algorithm>
#include <limits>

#include <map>
#include <set>

#include "absl/numeric/int128.h"

#include "common/checklists.h"
#include "common/dates.h"
#include "common/str_cat.h"
#include "common/uttp_due.h"

namespace pantau::common {

Ratio Whole(int64_t n) { return Ratio{n, 1}; }
Ratio Milli(int64_t thousandths) { return Ratio{thousandths, 1000}; }

Ratio RatioOf(absl::int128 numerator, absl::int128 denominator, Reduction reduction) {
  if (denominator == 0) return Ratio{0, 0};
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const absl::int128 limit = std::numeric_limits<int64_t>::max();
  auto fits = [&] { return numerator <= limit && numerator >= -limit && denominator <= limit; };
  if (reduction == Reduction::kLowestTerms || !fits()) {  // by default as they are when they fit
    absl::int128 a = numerator < 0 ? -numerator : numerator, b = denominator;
    while (b != 0) {
      const absl::int128 t = a % b;
      a = b;
      b = t;
    }
    if (a > 1) {
      numerator /= a;
      denominator /= a;
    }
  }
  while (!fits()) {
    numerator /= 2;
    denominator /= 2;
    if (denominator == 0) denominator = 1;
  }
  return Ratio{static_cast<int64_t>(numerator), static_cast<int64_t>(denominator)};
}

std::string FormatRatio(Ratio r, int decimals) {
  if (r.denominator == 0) return "-";
  if (r.denominator < 0) r = Ratio{-r.numerator, -r.denominator};
  // Negative values: the magnitude rounded half away from zero, with a minus sign.
  if (r.numerator < 0) {
    if (r.numerator == std::numeric_limits<int64_t>::min()) r = RatioOf(r.numerator, r.denominator);  // -x must not wrap
    std::string magnitude = FormatRatio(Ratio{-r.numerator, r.denominator}, decimals);
    return magnitude.find_first_not_of("0.") == std::string::npos ? magnitude : "-" + magnitude;
  }
  int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  // round(num * scale / den), half up, in 128 bits.
  const absl::int128 scaled = absl::int128(r.numerator) * scale * 2 + r.denominator;
  const absl::int128 rounded = scaled / (absl::int128(r.denominator) * 2);
  const int64_t whole = static_cast<int64_t>(rounded / scale);
  const int64_t fraction = static_cast<int64_t>(rounded % scale);
  std::string out = StrCat(whole);
  if (decimals > 0) {
    std::string digits = StrCat(fraction);
    out += "." + std::string(static_cast<size_t>(decimals) - digits.size(), '0') + digits;
  }
  return out;
}

std::optional<Ratio> Capaian(Ratio realisasi, Ratio target) {
  if (target.numerator == 0 || target.denominator == 0) return std::nullopt;
  // (rn / rd) / (tn / td) * 100 = rn * td * 100 / (rd * tn)
  return RatioOf(absl::int128(realisasi.numerator) * target.denominator * 100,
                 absl::int128(realisasi.denominator) * target.numerator);
}

int64_t BahanPokokMonitored(const CellList& price_cells) {
  std::vector<std::string> keys;
  for (const auto& [key, cell] : price_cells) {
    if (cell.price().prices_rupiah_size() > 0) keys.push_back(key);
  }
  return BahanPokokMonitoredFromKeys(keys);
}

int64_t BahanPokokMonitoredFromKeys(const std::vector<std::string>& price_cell_keys) {
  std::set<std::string> commodities;
  for (const auto& key : price_cell_keys) {
    auto parts = ParseCellKey(key);
    if (parts && parts->family == RollupFamily::kPrice) commodities.insert(parts->codes[0]);
  }
  return static_cast<int64_t>(commodities.size());
}

namespace {

// What an outlet is registered to sell (outlets.csv products); "unknown" when the registry names
// nothing, or the outlet is not in it. Never every product of its kind.
std::vector<std::string> ProductsSoldAt(const v1::Outlet* outlet) {
  if (outlet == nullptr || outlet->products().empty()) return {"unknown"};
  return {outlet->products().begin(), outlet->products().end()};
}

}  // namespace

OutletsAudited CountOutletsAudited(const CellList& audit_cells, const ReferenceCatalog& catalog) {
  std::vector<std::string> keys;
  for (const auto& [key, cell] : audit_cells) {
    if (cell.audit().audits() > 0) keys.push_back(key);
  }
  return CountOutletsAuditedFromKeys(keys, catalog);
}

OutletsAudited CountOutletsAuditedFromKeys(const std::vector<std::string>& audit_cell_keys,
                                           const ReferenceCatalog& catalog) {
  std::set<std::string> outlets;
  for (const auto& key : audit_cell_keys) {
    auto parts = ParseCellKey(key);
    if (parts && parts->family == RollupFamily::kAudit) outlets.insert(parts->codes[0]);
  }
  OutletsAudited out;
  out.total = static_cast<int64_t>(outlets.size());
  for (const auto& code : outlets) {
    const v1::Outlet* outlet = catalog.FindOutlet(code);
    const v1::OutletKind kind = outlet != nullptr ? outlet->kind() : v1::OUTLET_KIND_UNSPECIFIED;
    const std::string kind_name = kind == v1::OUTLET_KIND_LPG_PANGKALAN ? "lpg_pangkalan"
                                  : kind == v1::OUTLET_KIND_PUPUK_KIOS  ? "pupuk_kios"
                                                                        : "unknown";
    out.by_kind[kind_name]++;
    out.by_kecamatan[outlet != nullptr && !outlet->kecamatan_code().empty() ? outlet->kecamatan_code()
                                                                            : "unknown"]++;
    for (const auto& product : ProductsSoldAt(outlet)) out.by_product[product]++;
  }
  return out;
}

int64_t FollowUpActions(const CellList& follow_up_cells) {
  int64_t total = 0;
  for (const auto& [key, cell] : follow_up_cells) total += cell.follow_up().actions();
  return total;
}

ViolationsFollowedUp CountViolationsFollowedUp(
    const CellList& follow_up_cells, const ReferenceCatalog& catalog,
    const std::function<std::optional<v1::OutletAudit>(const std::string& audit_id)>& audit_of) {
  ViolationsFollowedUp out;
  std::map<std::string, std::set<std::string>> named;  // audit -> findings its actions name ("" = all)
  std::map<std::string, std::map<std::string, int64_t>> actions;  // audit -> action code -> actions
  for (const auto& [key, cell] : follow_up_cells) {
    auto parts = ParseCellKey(key);
    if (!parts || parts->family != RollupFamily::kFollowUp || parts->codes.empty()) continue;
    for (const auto& [violation, n] : cell.follow_up().violations()) {
      const size_t bar = violation.find('|');
      const std::string audit_id = violation.substr(0, bar);
      named[audit_id].insert(bar == std::string::npos ? "" : violation.substr(bar + 1));
      actions[audit_id][parts->codes[0]] += n;
    }
  }
  for (const auto& [audit_id, findings] : named) {
    const std::optional<v1::OutletAudit> audit = audit_of(audit_id);
    if (!audit) continue;
    const std::string kind(OutletKindName(audit->outlet_kind()));
    if (kind != "lpg_pangkalan" && kind != "pupuk_kios") continue;
    const std::vector<std::string> has = EffectiveFindings(*audit);
    std::set<std::string> followed;
    for (const auto& f : findings) {
      if (f.empty()) {
        followed.insert(has.begin(), has.end());
      } else if (std::find(has.begin(), has.end(), f) != has.end()) {
        followed.insert(f);
      }
    }
    if (followed.empty()) continue;
    const auto n = static_cast<int64_t>(followed.size());
    out.total += n;
    for (const auto& [code, count] : actions[audit_id]) {
      out.actions += count;
      out.actions_by_code[code] += count;
    }
    const v1::Outlet* outlet = catalog.FindOutlet(audit->outlet_code());
    out.by_kind[kind] += n;
    out.by_kecamatan[outlet != nullptr && !outlet->kecamatan_code().empty() ? outlet->kecamatan_code() : "unknown"] += n;
    for (const auto& product : ProductsSoldAt(outlet)) out.by_product[product] += n;
  }
  return out;
}

namespace {

// In the potensi of a period: registered by its last day, and not retired before its first.
bool InRegistry(const v1::UttpInstrument& u, absl::CivilDay first, absl::CivilDay last) {
  auto registered = ParseLocalDate(u.registered_on());
  auto retired = ParseLocalDate(u.retired_on());
  if (registered && *registered > last) return false;
  if (retired && *retired < first) return false;
  return true;
}

}  // namespace

UttpCoverage UttpVerifiedPercent(const CellList& uttp_cells, const ReferenceCatalog& catalog,
                                 int year, UttpDefinition definition) {
  return UttpVerifiedPercentIn(uttp_cells, catalog, absl::CivilDay(year, 1, 1),
                               absl::CivilDay(year, 12, 31), definition);
}

UttpCoverage UttpVerifiedPercentIn(const CellList& uttp_cells, const ReferenceCatalog& catalog,
                                   absl::CivilDay first, absl::CivilDay last,
                                   UttpDefinition definition,
                                   const std::function<bool(const v1::UttpInstrument&)>& in_scope) {
  UttpCoverage out;
  std::set<std::string> registry;
  for (const auto& id : catalog.Codes("uttp_instrument")) {
    const v1::UttpInstrument& instrument = *catalog.FindUttpInstrument(id);
    if (InRegistry(instrument, first, last) && (!in_scope || in_scope(instrument))) registry.insert(id);
  }
  const std::string first_text = FormatLocalDate(first), last_text = FormatLocalDate(last);
  std::set<std::string> verified;
  std::map<std::string, CellList> by_instrument;
  for (const auto& entry : uttp_cells) {
    auto parts = ParseCellKey(entry.first);
    if (!parts || parts->family != RollupFamily::kUttp || registry.count(parts->codes[0]) == 0) continue;
    if (definition == UttpDefinition::kVerifiedInYear) {
      for (const auto& day : entry.second.uttp().verified_on()) {
        if (day >= first_text && day <= last_text) verified.insert(parts->codes[0]);
      }
    } else {
      by_instrument[parts->codes[0]].push_back(entry);
    }
  }
  for (const auto& [id, cells] : by_instrument) {
    const v1::UttpType* type = catalog.FindUttpType(catalog.FindUttpInstrument(id)->type_code());
    const int months = type != nullptr && type->reverification_interval_months() > 0
                           ? type->reverification_interval_months()
                           : 12;
    if (MarkOn(cells, id, months, last).valid) verified.insert(id);
  }
  out.registry = static_cast<int64_t>(registry.size());
  out.verified = static_cast<int64_t>(verified.size());
  if (out.registry > 0) out.percent = RatioOf(absl::int128(out.verified) * 100, out.registry);
  return out;
}

std::optional<Ratio> ManualRealisationValue(const ReferenceCatalog& catalog, int indicator, int year) {
  const v1::ManualRealisation* m = catalog.FindManualRealisation(indicator, year);
  if (m == nullptr) return std::nullopt;
  if (m->denominator() > 0) return RatioOf(absl::int128(m->numerator()) * 100, m->denominator());
  return Milli(m->value_milli());
}

}  // namespace pantau::common
