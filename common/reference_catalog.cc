#include "common/reference_catalog.h"

#include <set>

#include "common/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/dates.h"

namespace pantau::common {
namespace {

using v1::ReferenceEntity;

}  // namespace

std::string_view OutletKindName(v1::OutletKind kind) {
  return kind == v1::OUTLET_KIND_LPG_PANGKALAN ? "lpg_pangkalan"
         : kind == v1::OUTLET_KIND_PUPUK_KIOS  ? "pupuk_kios"
                                               : "";
}

namespace {

std::string_view PriceKindName(v1::ReferencePriceKind kind) {
  switch (kind) {
    case v1::REFERENCE_PRICE_KIND_HET:
      return "HET";
    case v1::REFERENCE_PRICE_KIND_HAP:
      return "HAP";
    default:
      return "";
  }
}

std::string StrFormatIndicatorYear(int number, int year) {
  return absl::StrFormat("%03d|%04d", number, year);
}

// The natural key of the entity within its type; "" when a required part is missing.
std::string NaturalKey(const ReferenceEntity& e) {
  switch (e.entity_case()) {
    case ReferenceEntity::kKecamatan:
      return e.kecamatan().code();
    case ReferenceEntity::kMarket:
      return e.market().code();
    case ReferenceEntity::kCommodity:
      return e.commodity().code();
    case ReferenceEntity::kSubsidisedProduct:
      return e.subsidised_product().code();
    case ReferenceEntity::kReferencePrice: {
      const auto& p = e.reference_price();
      std::string_view kind = PriceKindName(p.kind());
      if (p.product_code().empty() || kind.empty() || p.effective_from().empty()) return "";
      return StrCat(p.product_code(), "|", p.zone(), "|", kind, "|", p.effective_from());
    }
    case ReferenceEntity::kOutlet:
      return e.outlet().code();
    case ReferenceEntity::kUttpType:
      return e.uttp_type().code();
    case ReferenceEntity::kUttpInstrument:
      return e.uttp_instrument().id();
    case ReferenceEntity::kIndicator:
      return e.indicator().number() > 0 ? absl::StrFormat("%03d", e.indicator().number()) : "";
    case ReferenceEntity::kDevice:
      return e.device().id();
    case ReferenceEntity::kIndicatorTarget:
      if (e.indicator_target().indicator_number() <= 0 || e.indicator_target().year() <= 0) return "";
      return StrFormatIndicatorYear(e.indicator_target().indicator_number(), e.indicator_target().year());
    case ReferenceEntity::kManualRealisation:
      if (e.manual_realisation().indicator_number() <= 0 || e.manual_realisation().year() <= 0) return "";
      return StrFormatIndicatorYear(e.manual_realisation().indicator_number(),
                                    e.manual_realisation().year());
    case ReferenceEntity::kChecklist: {
      const auto& c = e.checklist();
      if (c.outlet_kind() == v1::OUTLET_KIND_UNSPECIFIED || c.version().empty()) return "";
      return StrCat(OutletKindName(c.outlet_kind()), "|", c.version());
    }
    case ReferenceEntity::kFollowUpAction:
      return e.follow_up_action().code();
    case ReferenceEntity::kDeployment:  // one per deployment: a new row replaces it
      return "current";
    case ReferenceEntity::ENTITY_NOT_SET:
      return "";
  }
  return "";
}

}  // namespace

std::string_view ReferenceTypeName(const ReferenceEntity& entity) {
  switch (entity.entity_case()) {
    case ReferenceEntity::kKecamatan:
      return "kecamatan";
    case ReferenceEntity::kMarket:
      return "market";
    case ReferenceEntity::kCommodity:
      return "commodity";
    case ReferenceEntity::kSubsidisedProduct:
      return "subsidised_product";
    case ReferenceEntity::kReferencePrice:
      return "reference_price";
    case ReferenceEntity::kOutlet:
      return "outlet";
    case ReferenceEntity::kUttpType:
      return "uttp_type";
    case ReferenceEntity::kUttpInstrument:
      return "uttp_instrument";
    case ReferenceEntity::kIndicator:
      return "indicator";
    case ReferenceEntity::kDevice:
      return "device";
    case ReferenceEntity::kIndicatorTarget:
      return "indicator_target";
    case ReferenceEntity::kManualRealisation:
      return "manual_realisation";
    case ReferenceEntity::kChecklist:
      return "checklist";
    case ReferenceEntity::kFollowUpAction:
      return "follow_up_action";
    case ReferenceEntity::kDeployment:
      return "deployment";
    case ReferenceEntity::ENTITY_NOT_SET:
      return "";
  }
  return "";
}

absl::StatusOr<std::string> ReferenceKey(const ReferenceEntity& entity) {
  std::string_view type = ReferenceTypeName(entity);
  if (type.empty()) return absl::InvalidArgumentError("reference entity has no type");
  std::string natural = NaturalKey(entity);
  if (natural.empty()) {
    return absl::InvalidArgumentError(StrCat(type, ": the code (key) is missing"));
  }
  return StrCat(type, "/", natural);
}

void ReferenceCatalog::Apply(const v1::ReferenceChange& change) {
  if (change.sequence() > sequence_) sequence_ = change.sequence();
  auto key = ReferenceKey(change.entity());
  if (!key.ok()) return;
  if (change.removed()) {
    entities_.erase(*key);
  } else {
    entities_[*key] = change.entity();
  }
}

void ReferenceCatalog::Upsert(const ReferenceEntity& entity) {
  auto key = ReferenceKey(entity);
  if (key.ok()) entities_[*key] = entity;
}

void ReferenceCatalog::Remove(const ReferenceEntity& entity) {
  auto key = ReferenceKey(entity);
  if (key.ok()) entities_.erase(*key);
}

const ReferenceEntity* ReferenceCatalog::Find(std::string_view type, std::string_view code) const {
  if (code.empty()) return nullptr;
  auto it = entities_.find(StrCat(type, "/", code));
  return it == entities_.end() ? nullptr : &it->second;
}

#define PANTAU_CATALOG_FINDER(Method, Type, type_name, accessor)           \
  const v1::Type* ReferenceCatalog::Method(std::string_view code) const { \
    const ReferenceEntity* e = Find(type_name, code);                      \
    return e == nullptr ? nullptr : &e->accessor();                        \
  }
PANTAU_CATALOG_FINDER(FindKecamatan, Kecamatan, "kecamatan", kecamatan)
PANTAU_CATALOG_FINDER(FindMarket, Market, "market", market)
PANTAU_CATALOG_FINDER(FindCommodity, Commodity, "commodity", commodity)
PANTAU_CATALOG_FINDER(FindSubsidisedProduct, SubsidisedProduct, "subsidised_product",
                      subsidised_product)
PANTAU_CATALOG_FINDER(FindOutlet, Outlet, "outlet", outlet)
PANTAU_CATALOG_FINDER(FindUttpType, UttpType, "uttp_type", uttp_type)
PANTAU_CATALOG_FINDER(FindUttpInstrument, UttpInstrument, "uttp_instrument", uttp_instrument)
PANTAU_CATALOG_FINDER(FindDevice, Device, "device", device)
PANTAU_CATALOG_FINDER(FindFollowUpAction, FollowUpAction, "follow_up_action", follow_up_action)
#undef PANTAU_CATALOG_FINDER

const v1::Deployment* ReferenceCatalog::FindDeployment() const {
  const ReferenceEntity* e = Find("deployment", "current");
  return e == nullptr ? nullptr : &e->deployment();
}

const v1::ReferencePrice* ReferenceCatalog::ReferencePriceFor(std::string_view product_code,
                                                              const std::vector<std::string>& zones,
                                                              absl::CivilDay day) const {
  for (auto kind : {v1::REFERENCE_PRICE_KIND_HET, v1::REFERENCE_PRICE_KIND_HAP}) {
    for (const auto& zone : zones) {
      if (const v1::ReferencePrice* ref = PriceInForce(product_code, zone, kind, day)) return ref;
    }
  }
  return nullptr;
}

std::vector<ReferenceCatalog::ReferenceChange> ReferenceCatalog::ReferencePriceTimeline(
    std::string_view product_code, const std::vector<std::string>& zones) const {
  // ReferencePriceFor can change only on a day some entry of the product takes effect.
  std::set<absl::CivilDay> days;
  const std::string prefix = StrCat("reference_price/", product_code, "|");
  for (auto it = entities_.lower_bound(prefix); it != entities_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
       ++it) {
    const v1::ReferencePrice& price = it->second.reference_price();
    if (price.product_code() != product_code) continue;
    if (auto day = ParseLocalDate(price.effective_from())) days.insert(*day);
  }
  std::vector<ReferenceChange> out;
  for (absl::CivilDay day : days) out.push_back({day, ReferencePriceFor(product_code, zones, day)});
  return out;
}

absl::TimeZone ReferenceCatalog::TimeZone() const {
  const v1::Deployment* deployment = FindDeployment();
  if (deployment == nullptr) return ZoneWithoutDeployment();
  return IndonesianTimeZone(deployment->time_zone()).value_or(ZoneWithoutDeployment());
}

namespace {
std::vector<std::string> ZonesOr(const google::protobuf::RepeatedPtrField<std::string>& own,
                                 const v1::Deployment* deployment) {
  if (!own.empty()) return {own.begin(), own.end()};
  if (deployment != nullptr) return {deployment->price_zones().begin(), deployment->price_zones().end()};
  return {};
}
}  // namespace

std::vector<std::string> ReferenceCatalog::PriceZonesOfMarket(std::string_view code) const {
  const v1::Market* market = FindMarket(code);
  return market == nullptr ? ZonesOr({}, FindDeployment()) : ZonesOr(market->price_zones(), FindDeployment());
}

std::vector<std::string> ReferenceCatalog::PriceZonesOfOutlet(std::string_view code) const {
  const v1::Outlet* outlet = FindOutlet(code);
  return outlet == nullptr ? ZonesOr({}, FindDeployment()) : ZonesOr(outlet->price_zones(), FindDeployment());
}

const v1::Indicator* ReferenceCatalog::FindIndicator(int number) const {
  const ReferenceEntity* e = Find("indicator", absl::StrFormat("%03d", number));
  return e == nullptr ? nullptr : &e->indicator();
}

const v1::IndicatorTarget* ReferenceCatalog::FindIndicatorTarget(int number, int year) const {
  const ReferenceEntity* e = Find("indicator_target", StrFormatIndicatorYear(number, year));
  return e == nullptr ? nullptr : &e->indicator_target();
}

const v1::Checklist* ReferenceCatalog::FindChecklist(v1::OutletKind kind, std::string_view version) const {
  const ReferenceEntity* e = Find("checklist", StrCat(OutletKindName(kind), "|", version));
  return e == nullptr ? nullptr : &e->checklist();
}

const v1::Checklist* ReferenceCatalog::ChecklistInForce(v1::OutletKind kind, absl::CivilDay day) const {
  const std::string prefix = StrCat("checklist/", OutletKindName(kind), "|");
  const std::string today = absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
  const v1::Checklist* best = nullptr;
  for (auto it = entities_.lower_bound(prefix); it != entities_.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    const v1::Checklist& c = it->second.checklist();
    if (c.effective_from() <= today && (best == nullptr || c.effective_from() > best->effective_from() ||
                                        (c.effective_from() == best->effective_from() && c.version() > best->version()))) {
      best = &c;
    }
  }
  return best;
}

const v1::ManualRealisation* ReferenceCatalog::FindManualRealisation(int number, int year) const {
  const ReferenceEntity* e = Find("manual_realisation", StrFormatIndicatorYear(number, year));
  return e == nullptr ? nullptr : &e->manual_realisation();
}

std::vector<std::string> ReferenceCatalog::Codes(std::string_view type) const {
  std::vector<std::string> out;
  std::string prefix = StrCat(type, "/");
  for (auto it = entities_.lower_bound(prefix);
       it != entities_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    out.push_back(it->first.substr(prefix.size()));
  }
  return out;
}

const v1::ReferencePrice* ReferenceCatalog::PriceInForce(std::string_view product_code,
                                                         std::string_view zone,
                                                         v1::ReferencePriceKind kind,
                                                         absl::CivilDay day) const {
  // Keys of one product/zone/kind differ only in the date suffix, and ISO dates sort in time
  // order, so the answer is the last key not after the day's key.
  std::string prefix =
      StrCat("reference_price/", product_code, "|", zone, "|", PriceKindName(kind), "|");
  std::string upper = StrCat(prefix, FormatLocalDate(day));
  auto it = entities_.upper_bound(upper);
  if (it == entities_.begin()) return nullptr;
  --it;
  if (it->first.compare(0, prefix.size(), prefix) != 0) return nullptr;
  return &it->second.reference_price();
}

}  // namespace pantau::common
