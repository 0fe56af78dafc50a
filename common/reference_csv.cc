#include "common/reference_csv.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "common/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/amounts.h"
#include "common/csv.h"
#include "common/text.h"
#include "common/validation.h"

namespace pantau::common {
namespace {

// Reads one row into an entity; returns "" or the reason the row is refused.
using RowReader = std::function<std::string(const CsvTable&, const CsvRow&, v1::ReferenceEntity&)>;

struct FileSpec {
  std::string name;
  std::vector<std::string> required_columns;
  RowReader read;
  // Rows with the same key make one entity (a checklist's items, one per row).
  bool merge_by_key = false;
};

v1::ChecklistItemType ParseItemType(std::string_view text) {
  if (text == "yes_no") return v1::CHECKLIST_ITEM_TYPE_YES_NO;
  if (text == "count") return v1::CHECKLIST_ITEM_TYPE_COUNT;
  if (text == "price_rupiah") return v1::CHECKLIST_ITEM_TYPE_PRICE_RUPIAH;
  if (text == "weight_g") return v1::CHECKLIST_ITEM_TYPE_WEIGHT_G;
  if (text == "photo") return v1::CHECKLIST_ITEM_TYPE_PHOTO;
  if (text == "stock_balance") return v1::CHECKLIST_ITEM_TYPE_STOCK_BALANCE;
  return v1::CHECKLIST_ITEM_TYPE_UNSPECIFIED;
}

std::string Field(const CsvTable& t, const CsvRow& row, std::string_view column) {
  return std::string(StripAsciiSpace(t.Get(row, column)));
}

// Parses an integer column; "" is 0. Sets `error` on failure.
int64_t IntField(const CsvTable& t, const CsvRow& row, std::string_view column, std::string& error) {
  std::string text = Field(t, row, column);
  if (text.empty()) return 0;
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) {
    if (error.empty()) error = StrCat(column, ": \"", text, "\" is not a whole number");
  }
  return value;
}

// "2; kalsel;nasional" -> {"2", "kalsel", "nasional"}, in order (price zones: most specific
// first; an outlet's products).
std::vector<std::string> SemicolonList(const std::string& text) {
  std::vector<std::string> out;
  for (auto zone : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    out.emplace_back(StripAsciiSpace(std::string_view(zone.data(), zone.size())));
  }
  return out;
}

v1::OutletKind ParseOutletKind(std::string_view text) {
  if (text == "lpg_pangkalan") return v1::OUTLET_KIND_LPG_PANGKALAN;
  if (text == "pupuk_kios") return v1::OUTLET_KIND_PUPUK_KIOS;
  return v1::OUTLET_KIND_UNSPECIFIED;
}

v1::UttpCategory ParseUttpCategory(std::string_view text) {
  if (text == "nawi") return v1::UTTP_CATEGORY_NAWI;
  if (text == "fuel_dispenser") return v1::UTTP_CATEGORY_FUEL_DISPENSER;
  if (text == "water_meter") return v1::UTTP_CATEGORY_WATER_METER;
  if (text == "measure") return v1::UTTP_CATEGORY_MEASURE;
  return v1::UTTP_CATEGORY_UNSPECIFIED;
}

v1::IndicatorComputation ParseComputation(std::string_view text) {
  if (text == "manual" || text.empty()) return v1::INDICATOR_COMPUTATION_MANUAL;
  if (text == "bahan_pokok_monitored") return v1::INDICATOR_COMPUTATION_BAHAN_POKOK_MONITORED;
  if (text == "outlets_audited") return v1::INDICATOR_COMPUTATION_OUTLETS_AUDITED;
  if (text == "follow_ups") return v1::INDICATOR_COMPUTATION_FOLLOW_UPS;
  if (text == "uttp_verified_percent") return v1::INDICATOR_COMPUTATION_UTTP_VERIFIED_PERCENT;
  return v1::INDICATOR_COMPUTATION_UNSPECIFIED;
}

const std::vector<FileSpec>& Specs() {
  static const auto* specs = new std::vector<FileSpec>{
      {"deployment.csv", {"code", "name", "province", "agency", "seat", "price_zones", "time_zone"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         auto* d = e.mutable_deployment();
         d->set_code(Field(t, r, "code"));
         d->set_name(Field(t, r, "name"));
         d->set_province(Field(t, r, "province"));
         d->set_agency(Field(t, r, "agency"));
         d->set_seat(Field(t, r, "seat"));
         for (auto& zone : SemicolonList(Field(t, r, "price_zones"))) d->add_price_zones(std::move(zone));
         d->set_time_zone(Field(t, r, "time_zone"));
         return std::string();
       }},
      {"kecamatan.csv", {"code", "name"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         auto* k = e.mutable_kecamatan();
         k->set_code(Field(t, r, "code"));
         k->set_name(Field(t, r, "name"));
         return std::string();
       }},
      {"markets.csv", {"code", "name", "kecamatan_code", "verified"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         auto* m = e.mutable_market();
         m->set_code(Field(t, r, "code"));
         m->set_name(Field(t, r, "name"));
         m->set_kecamatan_code(Field(t, r, "kecamatan_code"));
         std::string verified = absl::AsciiStrToLower(Field(t, r, "verified"));
         if (verified != "yes" && verified != "no") {
           return std::string("verified: must be yes or no");
         }
         m->set_verified(verified == "yes");
         for (auto& zone : SemicolonList(Field(t, r, "price_zones"))) m->add_price_zones(std::move(zone));
         return std::string();
       }},
      {"commodities.csv",
       {"code", "name", "unit", "category", "plausible_min_rupiah", "plausible_max_rupiah"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         std::string error;
         auto* c = e.mutable_commodity();
         c->set_code(Field(t, r, "code"));
         c->set_name(Field(t, r, "name"));
         c->set_unit(Field(t, r, "unit"));
         c->set_category(Field(t, r, "category"));
         c->set_plausible_min_rupiah(IntField(t, r, "plausible_min_rupiah", error));
         c->set_plausible_max_rupiah(IntField(t, r, "plausible_max_rupiah", error));
         return error;
       }},
      {"subsidised_products.csv", {"code", "name", "unit", "outlet_kind"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         auto* p = e.mutable_subsidised_product();
         p->set_code(Field(t, r, "code"));
         p->set_name(Field(t, r, "name"));
         p->set_unit(Field(t, r, "unit"));
         p->set_outlet_kind(ParseOutletKind(Field(t, r, "outlet_kind")));
         if (p->outlet_kind() == v1::OUTLET_KIND_UNSPECIFIED) {
           return std::string("outlet_kind: must be lpg_pangkalan or pupuk_kios");
         }
         return std::string();
       }},
      {"reference_prices.csv",
       {"product_code", "zone", "kind", "price_rupiah", "effective_from", "regulation"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         std::string error;
         auto* p = e.mutable_reference_price();
         p->set_product_code(Field(t, r, "product_code"));
         p->set_zone(Field(t, r, "zone"));
         std::string kind = Field(t, r, "kind");
         if (kind == "HET") {
           p->set_kind(v1::REFERENCE_PRICE_KIND_HET);
         } else if (kind == "HAP") {
           p->set_kind(v1::REFERENCE_PRICE_KIND_HAP);
         } else {
           error = "kind: must be HET or HAP";
         }
         p->set_price_rupiah(IntField(t, r, "price_rupiah", error));
         p->set_effective_from(Field(t, r, "effective_from"));
         p->set_regulation(Field(t, r, "regulation"));
         return error;
       }},
      {"outlets.csv",
       {"code", "name", "kind", "kecamatan_code", "registration_number", "supplier",
        "monthly_allocation_units", "villages_served", "address"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         std::string error;
         auto* o = e.mutable_outlet();
         o->set_code(Field(t, r, "code"));
         o->set_name(Field(t, r, "name"));
         o->set_kind(ParseOutletKind(Field(t, r, "kind")));
         o->set_kecamatan_code(Field(t, r, "kecamatan_code"));
         o->set_registration_number(Field(t, r, "registration_number"));
         o->set_supplier(Field(t, r, "supplier"));
         o->set_monthly_allocation_units(IntField(t, r, "monthly_allocation_units", error));
         for (auto village : absl::StrSplit(Field(t, r, "villages_served"), ';', absl::SkipEmpty())) {
           o->add_villages_served(std::string(StripAsciiSpace(std::string_view(village.data(), village.size()))));
         }
         o->set_address(Field(t, r, "address"));
         for (auto& zone : SemicolonList(Field(t, r, "price_zones"))) o->add_price_zones(std::move(zone));
         for (auto& product : SemicolonList(Field(t, r, "products"))) o->add_products(std::move(product));
         return error;
       }},
      {"uttp_types.csv", {"code", "name", "category", "reverification_interval_months"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         std::string error;
         auto* u = e.mutable_uttp_type();
         u->set_code(Field(t, r, "code"));
         u->set_name(Field(t, r, "name"));
         u->set_category(ParseUttpCategory(Field(t, r, "category")));
         if (u->category() == v1::UTTP_CATEGORY_UNSPECIFIED) {
           error = "category: must be nawi, fuel_dispenser, water_meter or measure";
         }
         u->set_reverification_interval_months(
             static_cast<int32_t>(IntField(t, r, "reverification_interval_months", error)));
         return error;
       }},
      {"uttp_instruments.csv",
       {"id", "type_code", "owner", "market_code", "location", "kecamatan_code", "brand", "model",
        "serial", "accuracy_class", "max_mg", "e_mg", "registered_on", "retired_on"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         std::string error;
         auto* u = e.mutable_uttp_instrument();
         u->set_id(Field(t, r, "id"));
         u->set_type_code(Field(t, r, "type_code"));
         u->set_owner(Field(t, r, "owner"));
         u->set_market_code(Field(t, r, "market_code"));
         u->set_location(Field(t, r, "location"));
         u->set_kecamatan_code(Field(t, r, "kecamatan_code"));
         u->set_brand(Field(t, r, "brand"));
         u->set_model(Field(t, r, "model"));
         u->set_serial(Field(t, r, "serial"));
         u->set_accuracy_class(Field(t, r, "accuracy_class"));
         u->set_max_mg(IntField(t, r, "max_mg", error));
         u->set_e_mg(IntField(t, r, "e_mg", error));
         u->set_registered_on(Field(t, r, "registered_on"));
         u->set_retired_on(Field(t, r, "retired_on"));
         return error;
       }},
      {"indicators.csv",
       {"no", "tujuan", "sasaran", "indikator_kinerja_kegiatan", "bidang_urusan",
        "formulasi_cara_pengukuran", "sumber_data", "keterangan", "computation"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         std::string error;
         auto* i = e.mutable_indicator();
         i->set_number(static_cast<int32_t>(IntField(t, r, "no", error)));
         // Verbatim: the texts are kept exactly as in the dinas's table, spaces included.
         i->set_tujuan(std::string(t.Get(r, "tujuan")));
         i->set_sasaran(std::string(t.Get(r, "sasaran")));
         i->set_name(std::string(t.Get(r, "indikator_kinerja_kegiatan")));
         i->set_bidang(std::string(t.Get(r, "bidang_urusan")));
         i->set_formula(std::string(t.Get(r, "formulasi_cara_pengukuran")));
         i->set_data_source(std::string(t.Get(r, "sumber_data")));
         i->set_legal_basis(std::string(t.Get(r, "keterangan")));
         i->set_computation(ParseComputation(Field(t, r, "computation")));
         if (i->computation() == v1::INDICATOR_COMPUTATION_UNSPECIFIED) {
           error = "computation: must be manual, bahan_pokok_monitored, outlets_audited, "
                   "follow_ups or uttp_verified_percent";
         }
         return error;
       }},
      {"indicator_targets.csv", {"no", "year", "target"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         std::string error;
         auto* target = e.mutable_indicator_target();
         target->set_indicator_number(static_cast<int32_t>(IntField(t, r, "no", error)));
         target->set_year(static_cast<int32_t>(IntField(t, r, "year", error)));
         auto milli = ParseMilliText(Field(t, r, "target"));
         if (!milli) {
           if (error.empty()) error = "target: must be a number with at most 3 decimals (87.5)";
         } else {
           target->set_target_milli(*milli);
         }
         return error;
       }},
      {"manual_realisations.csv", {"no", "year", "value", "numerator", "denominator", "note"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         std::string error;
         auto* m = e.mutable_manual_realisation();
         m->set_indicator_number(static_cast<int32_t>(IntField(t, r, "no", error)));
         m->set_year(static_cast<int32_t>(IntField(t, r, "year", error)));
         const std::string value = Field(t, r, "value");
         if (!value.empty()) {
           auto milli = ParseMilliText(value);
           if (!milli && error.empty()) error = "value: must be a number with at most 3 decimals";
           if (milli) m->set_value_milli(*milli);
         }
         m->set_numerator(IntField(t, r, "numerator", error));
         m->set_denominator(IntField(t, r, "denominator", error));
         m->set_note(Field(t, r, "note"));
         return error;
       }},
      {"checklists.csv",
       {"outlet_kind", "version", "effective_from", "item", "question", "type", "finding", "finding_if", "min",
        "max", "het_product", "received_item", "sold_item", "on_hand_item"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         std::string error;
         auto* c = e.mutable_checklist();
         c->set_outlet_kind(ParseOutletKind(Field(t, r, "outlet_kind")));
         if (c->outlet_kind() == v1::OUTLET_KIND_UNSPECIFIED) error = "outlet_kind: must be lpg_pangkalan or pupuk_kios";
         c->set_version(Field(t, r, "version"));
         c->set_effective_from(Field(t, r, "effective_from"));
         auto* item = c->add_items();
         item->set_code(Field(t, r, "item"));
         item->set_question(Field(t, r, "question"));
         item->set_type(ParseItemType(Field(t, r, "type")));
         if (item->type() == v1::CHECKLIST_ITEM_TYPE_UNSPECIFIED && error.empty()) {
           error = "type: must be yes_no, count, price_rupiah, weight_g, photo or stock_balance";
         }
         item->set_finding_code(Field(t, r, "finding"));
         const std::string finding_if = Field(t, r, "finding_if");
         if (item->type() == v1::CHECKLIST_ITEM_TYPE_YES_NO && !item->finding_code().empty() &&
             finding_if != "yes" && finding_if != "no" && error.empty()) {
           error = "finding_if: yes or no (the answer that is a finding)";
         }
         item->set_finding_if_yes(finding_if == "yes");
         if (!Field(t, r, "min").empty()) item->set_min(IntField(t, r, "min", error));
         if (!Field(t, r, "max").empty()) item->set_max(IntField(t, r, "max", error));
         item->set_het_product_code(Field(t, r, "het_product"));
         item->set_received_item(Field(t, r, "received_item"));
         item->set_sold_item(Field(t, r, "sold_item"));
         item->set_on_hand_item(Field(t, r, "on_hand_item"));
         return error;
       },
       /*merge_by_key=*/true},
      {"follow_up_actions.csv", {"code", "name", "domain", "step"},
       [](const CsvTable& t, const CsvRow& r, v1::ReferenceEntity& e) {
         std::string error;
         auto* a = e.mutable_follow_up_action();
         a->set_code(Field(t, r, "code"));
         a->set_name(Field(t, r, "name"));
         a->set_domain(Field(t, r, "domain"));
         a->set_step(static_cast<int32_t>(IntField(t, r, "step", error)));
         return error;
       }},
  };
  return *specs;
}


std::string_view ComputationName(v1::IndicatorComputation computation) {
  switch (computation) {
    case v1::INDICATOR_COMPUTATION_BAHAN_POKOK_MONITORED: return "bahan_pokok_monitored";
    case v1::INDICATOR_COMPUTATION_OUTLETS_AUDITED: return "outlets_audited";
    case v1::INDICATOR_COMPUTATION_FOLLOW_UPS: return "follow_ups";
    case v1::INDICATOR_COMPUTATION_UTTP_VERIFIED_PERCENT: return "uttp_verified_percent";
    default: return "manual";
  }
}

using Row = std::vector<std::string>;
// The rows one entity is written as, in its file's column order (a checklist: a row per item).
using RowWriter = std::function<std::vector<Row>(const v1::ReferenceEntity&)>;

struct WriterSpec {
  v1::ReferenceEntity::EntityCase entity_case;
  RowWriter write;
  // Optional columns after the required ones (a file without them still reads).
  std::vector<std::string> extra_columns = {};
};

const std::map<std::string, WriterSpec, std::less<>>& Writers() {
  using E = v1::ReferenceEntity;
  static const auto* writers = new std::map<std::string, WriterSpec, std::less<>>{
      {"deployment.csv", {E::kDeployment, [](const E& e) {
         const auto& d = e.deployment();
         return std::vector<Row>{{d.code(), d.name(), d.province(), d.agency(), d.seat(), StrJoin(d.price_zones(), ";"), d.time_zone()}};
       }}},
      {"kecamatan.csv", {E::kKecamatan, [](const E& e) {
         return std::vector<Row>{{e.kecamatan().code(), e.kecamatan().name()}};
       }}},
      {"markets.csv", {E::kMarket, [](const E& e) {
         const auto& m = e.market();
         return std::vector<Row>{
             {m.code(), m.name(), m.kecamatan_code(), m.verified() ? "yes" : "no", StrJoin(m.price_zones(), ";")}};
       }, {"price_zones"}}},
      {"commodities.csv", {E::kCommodity, [](const E& e) {
         const auto& c = e.commodity();
         return std::vector<Row>{{c.code(), c.name(), c.unit(), c.category(), StrCat(c.plausible_min_rupiah()),
                                  StrCat(c.plausible_max_rupiah())}};
       }}},
      {"subsidised_products.csv", {E::kSubsidisedProduct, [](const E& e) {
         const auto& p = e.subsidised_product();
         return std::vector<Row>{{p.code(), p.name(), p.unit(), std::string(OutletKindName(p.outlet_kind()))}};
       }}},
      {"reference_prices.csv", {E::kReferencePrice, [](const E& e) {
         const auto& p = e.reference_price();
         return std::vector<Row>{{p.product_code(), p.zone(), p.kind() == v1::REFERENCE_PRICE_KIND_HAP ? "HAP" : "HET",
                                  StrCat(p.price_rupiah()), p.effective_from(), p.regulation()}};
       }}},
      {"outlets.csv", {E::kOutlet, [](const E& e) {
         const auto& o = e.outlet();
         return std::vector<Row>{{o.code(), o.name(), std::string(OutletKindName(o.kind())), o.kecamatan_code(),
                                  o.registration_number(), o.supplier(), StrCat(o.monthly_allocation_units()),
                                  StrJoin(o.villages_served(), ";"), o.address(), StrJoin(o.price_zones(), ";"),
                                  StrJoin(o.products(), ";")}};
       }, {"price_zones", "products"}}},
      {"uttp_types.csv", {E::kUttpType, [](const E& e) {
         const auto& u = e.uttp_type();
         return std::vector<Row>{{u.code(), u.name(), std::string(UttpCategoryName(u.category())),
                                  StrCat(u.reverification_interval_months())}};
       }}},
      {"uttp_instruments.csv", {E::kUttpInstrument, [](const E& e) {
         const auto& u = e.uttp_instrument();
         return std::vector<Row>{{u.id(), u.type_code(), u.owner(), u.market_code(), u.location(), u.kecamatan_code(),
                                  u.brand(), u.model(), u.serial(), u.accuracy_class(), StrCat(u.max_mg()),
                                  StrCat(u.e_mg()), u.registered_on(), u.retired_on()}};
       }}},
      {"indicators.csv", {E::kIndicator, [](const E& e) {
         const auto& i = e.indicator();
         return std::vector<Row>{{StrCat(i.number()), i.tujuan(), i.sasaran(), i.name(), i.bidang(), i.formula(),
                                  i.data_source(), i.legal_basis(), std::string(ComputationName(i.computation()))}};
       }}},
      {"indicator_targets.csv", {E::kIndicatorTarget, [](const E& e) {
         const auto& t = e.indicator_target();
         return std::vector<Row>{{StrCat(t.indicator_number()), StrCat(t.year()), FormatMilliText(t.target_milli())}};
       }}},
      {"manual_realisations.csv", {E::kManualRealisation, [](const E& e) {
         const auto& m = e.manual_realisation();
         return std::vector<Row>{{StrCat(m.indicator_number()), StrCat(m.year()),
                                  m.value_milli() == 0 ? "" : FormatMilliText(m.value_milli()), StrCat(m.numerator()),
                                  StrCat(m.denominator()), m.note()}};
       }}},
      {"checklists.csv", {E::kChecklist, [](const E& e) {
         const auto& c = e.checklist();
         std::vector<Row> rows;
         for (const auto& item : c.items()) {
           const bool has_rule = item.type() == v1::CHECKLIST_ITEM_TYPE_YES_NO && !item.finding_code().empty();
           rows.push_back({std::string(OutletKindName(c.outlet_kind())), c.version(), c.effective_from(), item.code(),
                           item.question(), std::string(ItemTypeName(item.type())), item.finding_code(),
                           has_rule ? (item.finding_if_yes() ? "yes" : "no") : "",
                           item.has_min() ? StrCat(item.min()) : "", item.has_max() ? StrCat(item.max()) : "",
                           item.het_product_code(), item.received_item(), item.sold_item(), item.on_hand_item()});
         }
         return rows;
       }}},
      {"follow_up_actions.csv", {E::kFollowUpAction, [](const E& e) {
         const auto& a = e.follow_up_action();
         return std::vector<Row>{{a.code(), a.name(), a.domain(), StrCat(a.step())}};
       }}},
  };
  return *writers;
}

// A field as RFC 4180 writes it: quoted when it holds a comma, a quote, a line end or spaces at
// either end (which the reader would otherwise strip).
std::string CsvCell(const std::string& text) {
  const bool quote = text.find_first_of(",\"\r\n") != std::string::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' ' || text.front() == '\t' ||
                                        text.back() == '\t'));
  if (!quote) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string_view ItemTypeName(v1::ChecklistItemType type) {
  switch (type) {
    case v1::CHECKLIST_ITEM_TYPE_YES_NO: return "yes_no";
    case v1::CHECKLIST_ITEM_TYPE_COUNT: return "count";
    case v1::CHECKLIST_ITEM_TYPE_PRICE_RUPIAH: return "price_rupiah";
    case v1::CHECKLIST_ITEM_TYPE_WEIGHT_G: return "weight_g";
    case v1::CHECKLIST_ITEM_TYPE_PHOTO: return "photo";
    case v1::CHECKLIST_ITEM_TYPE_STOCK_BALANCE: return "stock_balance";
    default: return "";
  }
}

std::string_view UttpCategoryName(v1::UttpCategory category) {
  switch (category) {
    case v1::UTTP_CATEGORY_NAWI: return "nawi";
    case v1::UTTP_CATEGORY_FUEL_DISPENSER: return "fuel_dispenser";
    case v1::UTTP_CATEGORY_WATER_METER: return "water_meter";
    case v1::UTTP_CATEGORY_MEASURE: return "measure";
    default: return "";
  }
}

const std::vector<std::string>& ReferenceFileNames() {
  static const auto* names = [] {
    auto* out = new std::vector<std::string>;
    for (const auto& spec : Specs()) out->push_back(spec.name);
    return out;
  }();
  return *names;
}

absl::StatusOr<ReferenceFileContents> ParseReferenceCsv(std::string_view file_name,
                                                        std::string_view text) {
  const FileSpec* spec = nullptr;
  for (const auto& s : Specs()) {
    if (s.name == file_name) spec = &s;
  }
  if (spec == nullptr) {
    return absl::InvalidArgumentError(StrCat(file_name, ": not a reference file name"));
  }
  auto table = CsvTable::Parse(text, spec->required_columns);
  if (!table.ok()) {
    return absl::InvalidArgumentError(StrCat(file_name, ": ", table.status().message()));
  }
  ReferenceFileContents out;
  std::vector<int> first_lines;  // merged files: the first line of each entity
  for (const CsvRow& row : table->rows()) {
    v1::ReferenceEntity entity;
    std::string error = spec->read(*table, row, entity);
    if (error.empty() && !spec->merge_by_key) {
      auto problems = ValidateReferenceEntity(entity);
      if (!problems.empty()) {
        error = StrCat(problems[0].field(), ": ", problems[0].reason());
      }
    }
    if (!error.empty()) {
      out.errors.push_back(StrCat(file_name, " line ", row.line, ": ", error));
      continue;
    }
    if (spec->merge_by_key) {
      // A checklist row adds its item to the checklist of the same outlet kind and version.
      auto key = ReferenceKey(entity);
      auto same = std::find_if(out.entities.begin(), out.entities.end(),
                               [&](const v1::ReferenceEntity& e) { return key.ok() && ReferenceKey(e).ok() && *ReferenceKey(e) == *key; });
      if (same != out.entities.end()) {
        if (same->checklist().effective_from() != entity.checklist().effective_from()) {
          out.errors.push_back(StrCat(file_name, " line ", row.line, ": effective_from differs from the checklist's first row"));
          continue;
        }
        *same->mutable_checklist()->add_items() = entity.checklist().items(0);
        continue;
      }
      first_lines.push_back(row.line);
    }
    out.entities.push_back(std::move(entity));
    out.lines.push_back(row.line);
  }
  if (spec->merge_by_key) {
    // Whole checklists are checked once all their rows are in.
    std::vector<v1::ReferenceEntity> sound;
    std::vector<size_t> sound_lines;
    for (size_t i = 0; i < out.entities.size(); ++i) {
      auto problems = ValidateReferenceEntity(out.entities[i]);
      if (problems.empty()) {
        sound.push_back(std::move(out.entities[i]));
        sound_lines.push_back(first_lines[i]);
      } else {
        out.errors.push_back(StrCat(file_name, " line ", first_lines[i], ": ", problems[0].field(), ": ",
                                    problems[0].reason()));
      }
    }
    out.entities = std::move(sound);
    out.lines = std::move(sound_lines);
  }
  return out;
}

std::string_view ReferenceFileOf(const v1::ReferenceEntity& entity) {
  for (const auto& [name, writer] : Writers()) {
    if (writer.entity_case == entity.entity_case()) return name;
  }
  return "";
}

absl::StatusOr<std::string> WriteReferenceCsv(std::string_view file_name,
                                              const std::vector<const v1::ReferenceEntity*>& entities) {
  const FileSpec* spec = nullptr;
  for (const auto& s : Specs()) {
    if (s.name == file_name) spec = &s;
  }
  const auto writer = Writers().find(file_name);
  if (spec == nullptr || writer == Writers().end()) {
    return absl::InvalidArgumentError(StrCat(file_name, ": not a reference file name"));
  }
  std::vector<std::string> header = spec->required_columns;
  header.insert(header.end(), writer->second.extra_columns.begin(), writer->second.extra_columns.end());
  std::string out = StrJoin(header, ",") + "\n";
  for (const v1::ReferenceEntity* entity : entities) {
    if (entity->entity_case() != writer->second.entity_case) {
      return absl::InvalidArgumentError(StrCat(file_name, ": cannot hold a ", ReferenceTypeName(*entity)));
    }
    for (const auto& row : writer->second.write(*entity)) {
      std::vector<std::string> cells;
      for (const auto& field : row) cells.push_back(CsvCell(field));
      out += StrJoin(cells, ",") + "\n";
    }
  }
  return out;
}

}  // namespace pantau::common
