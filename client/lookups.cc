#include "client/lookups.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "common/str_cat.h"
#include "common/text.h"

namespace pantau::client {
namespace {

std::string KecamatanName(const common::ReferenceCatalog& catalog, const std::string& code) {
  if (code.empty()) return "";
  const v1::Kecamatan* k = catalog.FindKecamatan(code);
  return k != nullptr ? k->name() : code;
}

std::string OutletKindText(v1::OutletKind kind) {
  switch (kind) {
    case v1::OUTLET_KIND_LPG_PANGKALAN:
      return "pangkalan LPG 3 kg";
    case v1::OUTLET_KIND_PUPUK_KIOS:
      return "kios pupuk";
    default:
      return "";
  }
}

}  // namespace

const std::vector<std::string>& LookupKinds() {
  static const auto* kinds =
      new std::vector<std::string>{"markets", "commodities", "outlets", "instruments", "findings", "actions"};
  return *kinds;
}

std::optional<std::vector<LookupRow>> Lookup(const common::ReferenceCatalog& catalog, std::string_view kind,
                                             std::string_view text) {
  if (std::find(LookupKinds().begin(), LookupKinds().end(), kind) == LookupKinds().end()) return std::nullopt;
  std::vector<LookupRow> rows;
  std::map<std::string, LookupRow> findings;  // by code: several checklist versions share them
  for (const auto& [key, e] : catalog.entities()) {
    (void)key;
    if (kind == "markets" && e.has_market()) {
      rows.push_back({e.market().code(), e.market().name(), "",
                      KecamatanName(catalog, e.market().kecamatan_code())});
    } else if (kind == "commodities" && e.has_commodity()) {
      rows.push_back({e.commodity().code(), e.commodity().name(), StrCat("per ", e.commodity().unit()), ""});
    } else if (kind == "outlets" && e.has_outlet()) {
      rows.push_back({e.outlet().code(), e.outlet().name(), OutletKindText(e.outlet().kind()),
                      KecamatanName(catalog, e.outlet().kecamatan_code())});
    } else if (kind == "instruments" && e.has_uttp_instrument()) {
      const auto& u = e.uttp_instrument();
      if (!u.retired_on().empty()) continue;
      const v1::UttpType* type = catalog.FindUttpType(u.type_code());
      std::string place = u.market_code().empty() ? u.location() : u.market_code();
      if (const v1::Market* m = catalog.FindMarket(u.market_code())) place = m->name();
      rows.push_back({u.id(), StrCat(u.owner(), place.empty() ? "" : ", ", place),
                      type != nullptr ? type->name() : u.type_code(), KecamatanName(catalog, u.kecamatan_code())});
    } else if (kind == "findings" && e.has_checklist()) {
      for (const auto& item : e.checklist().items()) {
        if (item.finding_code().empty()) continue;
        findings.emplace(item.finding_code(),
                         LookupRow{item.finding_code(), item.question(),
                                   OutletKindText(e.checklist().outlet_kind()), ""});
      }
    } else if (kind == "actions" && e.has_follow_up_action()) {
      const auto& a = e.follow_up_action();
      rows.push_back({a.code(), a.name(), StrCat(a.domain(), " step ", a.step()), ""});
    }
  }
  for (auto& [code, row] : findings) rows.push_back(std::move(row));
  const std::string wanted = common::AsciiLower(text);
  if (!wanted.empty()) {
    std::erase_if(rows, [&](const LookupRow& r) {
      return common::AsciiLower(r.name).find(wanted) == std::string::npos && common::AsciiLower(r.code).find(wanted) == std::string::npos &&
             common::AsciiLower(r.detail).find(wanted) == std::string::npos && common::AsciiLower(r.kecamatan).find(wanted) == std::string::npos;
    });
  }
  if (kind == "actions") {  // a ladder in its order: domain, then step
    auto step_of = [&](const LookupRow& r) {
      const v1::FollowUpAction* a = catalog.FindFollowUpAction(r.code);
      return std::make_pair(a->domain(), a->step());
    };
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const LookupRow& a, const LookupRow& b) { return step_of(a) < step_of(b); });
    return rows;
  }
  std::stable_sort(rows.begin(), rows.end(), [](const LookupRow& a, const LookupRow& b) {
    return std::tie(a.name, a.code) < std::tie(b.name, b.code);
  });
  return rows;
}

}  // namespace pantau::client
