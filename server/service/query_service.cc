#include "server/service/query_service.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "common/checklists.h"
#include "common/coverage.h"
#include "common/dates.h"
#include "common/periods.h"
#include "common/price_stability.h"
#include "common/price_stats.h"
#include "common/rollups.h"
#include "common/status_macros.h"
#include "common/scope.h"
#include "common/str_cat.h"
#include "common/uttp_due.h"
#include "common/violations.h"

namespace pantau::service {
namespace {

struct DayRange {
  absl::CivilDay first, last;
};

// Two local dates "YYYY-MM-DD", `from` not after `to`, at most `max_days` days.
absl::StatusOr<DayRange> ParseRange(const std::string& from, const std::string& to, int max_days) {
  auto first = common::ParseLocalDate(from);
  auto last = common::ParseLocalDate(to);
  if (!first || !last || *last < *first) {
    return absl::InvalidArgumentError("from and to: two dates YYYY-MM-DD, from not after to");
  }
  if (*last - *first >= max_days) {
    return absl::InvalidArgumentError(StrCat("from and to: at most ", max_days, " days at a time"));
  }
  return DayRange{*first, *last};
}

v1::ExactValue Hundredths(int64_t h) { return ToExactValue(common::Ratio{h, 100}, /*percent=*/true); }

std::string OutletKindName(v1::OutletKind kind) {
  return kind == v1::OUTLET_KIND_LPG_PANGKALAN ? "lpg_pangkalan"
         : kind == v1::OUTLET_KIND_PUPUK_KIOS  ? "pupuk_kios"
                                               : "";
}

}  // namespace

v1::ExactValue ToExactValue(common::Ratio r, bool percent) {
  v1::ExactValue v;
  v.set_numerator(r.numerator);
  v.set_denominator(r.denominator);
  v.set_text(!percent && r.denominator != 0 && r.numerator % r.denominator == 0
                 ? StrCat(r.numerator / r.denominator)
                 : common::FormatRatio(r, 2));
  return v;
}

absl::Status QueryService::Admit(const Principal& who, std::string_view what, bool field_records,
                                 bool regency_wide) const {
  if (field_records && !common::BidangInScope(who.scope, common::kFieldRecordsBidang)) {
    return absl::PermissionDeniedError(StrCat("account \"", who.name, "\" sees ", common::ScopeDescription(who.scope),
                                              " only; ", what, " come from Bidang Perdagangan's field records"));
  }
  if (regency_wide && who.scope.kecamatan_codes_size() > 0) {
    return absl::PermissionDeniedError(
        StrCat(what, " covers the whole kabupaten, and account \"", who.name, "\" sees ",
               common::ScopeDescription(who.scope), " only; ask for one market of those kecamatan (--market) "
               "or ask the admin"));
  }
  return absl::OkStatus();
}

absl::Status QueryService::AdmitMarket(const Principal& who, std::string_view market) const {
  if (Sees(who, *reference_.catalog(), "market", market)) return absl::OkStatus();
  return absl::PermissionDeniedError(StrCat("market ", market, " is outside what account \"", who.name, "\" sees (",
                                            common::ScopeDescription(who.scope), ")"));
}

bool QueryService::Sees(const Principal& who, const common::ReferenceCatalog& catalog, std::string_view what,
                        std::string_view code) {
  if (who.scope.kecamatan_codes_size() == 0) return true;
  const std::string* kecamatan = nullptr;
  if (what == "market") {
    if (const auto* m = catalog.FindMarket(code)) kecamatan = &m->kecamatan_code();
  } else if (what == "outlet") {
    if (const auto* o = catalog.FindOutlet(code)) kecamatan = &o->kecamatan_code();
  } else if (what == "instrument") {
    if (const auto* i = catalog.FindUttpInstrument(code)) kecamatan = &i->kecamatan_code();
  }
  return kecamatan != nullptr && common::KecamatanInScope(who.scope, *kecamatan);
}

absl::StatusOr<bool> QueryService::SeesRecord(const Principal& who, const common::ReferenceCatalog& catalog,
                                              const v1::Record& record) {
  if (who.scope.kecamatan_codes_size() == 0) return true;
  if (record.has_void_()) {
    PANTAU_ASSIGN_OR_RETURN(auto target, records_.Get(record.void_().target_id()));
    if (!target || target->record().has_void_()) return false;
    return SeesRecord(who, catalog, target->record());
  }
  auto place = common::PlaceOf(record, catalog);
  return place.has_value() && common::KecamatanInScope(who.scope, place->kecamatan);
}

absl::StatusOr<common::CellList> QueryService::Cells(std::string from, std::string to,
                                                    const std::function<bool(std::string_view)>& want) {
  common::CellList cells;
  PANTAU_RETURN_IF_ERROR(records_.ScanRollups(
      from, to,
      [&](std::string_view key, const v1::RollupCell& c) {
        cells.emplace_back(std::string(key), c);
        return true;
      },
      want));
  return cells;
}

absl::StatusOr<std::vector<std::string>> QueryService::Keys(std::string from, std::string to) {
  std::vector<std::string> keys;
  PANTAU_RETURN_IF_ERROR(records_.ScanRollups(
      from, to, [](std::string_view, const v1::RollupCell&) { return true; },
      [&](std::string_view key) {
        keys.emplace_back(key);
        return false;  // the key is all that is needed
      }));
  return keys;
}

absl::StatusOr<v1::GetPriceStatisticsResponse> QueryService::PriceStatistics(
    const v1::GetPriceStatisticsRequest& request, const Principal& who) {
  PANTAU_RETURN_IF_ERROR(Admit(who, "price statistics", /*field_records=*/true, /*regency_wide=*/false));
  if (!request.market_code().empty()) PANTAU_RETURN_IF_ERROR(AdmitMarket(who, request.market_code()));
  const auto catalog = reference_.catalog();
  const v1::Commodity* commodity = catalog->FindCommodity(request.commodity_code());
  if (commodity == nullptr) {
    return absl::InvalidArgumentError(StrCat("unknown commodity \"", request.commodity_code(), "\""));
  }
  auto from = common::ParseLocalDate(request.from());
  auto to = common::ParseLocalDate(request.to());
  if (!from || !to || *to < *from) {
    return absl::InvalidArgumentError("from and to: two dates YYYY-MM-DD, from not after to");
  }
  if (*to - *from > 3 * 366) return absl::InvalidArgumentError("at most three years at a time");
  common::PriceBucket bucket = common::PriceBucket::kDay;
  if (request.by() == "week") {
    bucket = common::PriceBucket::kWeek;
  } else if (request.by() == "month") {
    bucket = common::PriceBucket::kMonth;
  } else if (!request.by().empty() && request.by() != "day") {
    return absl::InvalidArgumentError("by: day, week or month");
  }
  using common::RollupFamily;
  // Only this commodity's cells (and market's, when given) are decoded.
  const std::string& wanted_commodity = request.commodity_code();
  const std::string& wanted_market = request.market_code();
  auto want = [&](std::string_view key) {
    // key: family, 4 time bytes, commodity, 0x00, market
    if (key.size() < 5) return false;
    std::string_view codes = key.substr(5);
    const size_t zero = codes.find('\0');
    if (zero == std::string_view::npos || codes.substr(0, zero) != wanted_commodity) return false;
    return wanted_market.empty() || codes.substr(zero + 1) == wanted_market;
  };
  PANTAU_ASSIGN_OR_RETURN(auto all, Cells(common::DayKey(RollupFamily::kPrice, *from - 400),
                                          common::DayKey(RollupFamily::kPrice, *to + 1), want));
  common::CellList cells;
  std::set<std::string> markets;
  for (auto& [key, cell] : all) {
    auto parts = common::ParseCellKey(key);
    if (!parts || parts->codes.size() != 2 || parts->codes[0] != request.commodity_code()) continue;
    if (!request.market_code().empty() && parts->codes[1] != request.market_code()) continue;
    if (!Sees(who, *catalog, "market", parts->codes[1])) continue;
    markets.insert(parts->codes[1]);
    cells.emplace_back(std::move(key), std::move(cell));
  }
  v1::GetPriceStatisticsResponse out;
  out.set_commodity_code(commodity->code());
  out.set_commodity_name(commodity->name());
  out.set_unit(commodity->unit());
  for (const auto& market : markets) {
    for (const auto& p : common::PriceSeries(cells, request.commodity_code(), market, bucket,
                                             *catalog, catalog->PriceZonesOfMarket(market))) {
      if (p.last < *from || p.first > *to) continue;
      v1::PricePointRow* row = out.add_points();
      row->set_market_code(market);
      row->set_period(p.label);
      row->set_first_day(common::FormatLocalDate(p.first));
      row->set_last_day(common::FormatLocalDate(p.last));
      row->set_samples(p.samples);
      row->set_traders(p.traders);
      *row->mutable_mean_rupiah() = ToExactValue(p.mean);
      *row->mutable_median_rupiah() = ToExactValue(p.median);
      row->set_min_rupiah(p.min_rupiah);
      row->set_max_rupiah(p.max_rupiah);
      if (p.previous_label) {
        row->set_previous_period(*p.previous_label);
        *row->mutable_change_rupiah() = ToExactValue(*p.change_rupiah);
        if (p.change_percent) *row->mutable_change_percent() = ToExactValue(*p.change_percent, true);
      }
      if (p.reference_rupiah) {
        row->set_reference_rupiah(*p.reference_rupiah);
        row->set_reference_kind(p.reference_kind);
        row->set_reference_regulation(p.reference_regulation);
        *row->mutable_above_reference_percent() = ToExactValue(*p.above_reference_percent, true);
      }
    }
  }
  return out;
}

absl::StatusOr<v1::GetIndicatorTableResponse> QueryService::IndicatorTable(std::string_view label,
                                                                          const Principal& who) {
  // A supervisor limited to kecamatan gets the rows computed from field records for those
  // kecamatan; the manual rows are the kabupaten's and are marked as outside the scope.
  PANTAU_RETURN_IF_ERROR(Admit(who, "the IKK table", /*field_records=*/false, /*regency_wide=*/false));
  const bool scoped = who.scope.kecamatan_codes_size() > 0;
  auto period = common::ParsePeriod(label, Today());
  if (!period) {
    return absl::InvalidArgumentError(StrCat("period \"", label, "\": use 2026, 2026-Q4, 2026-11, 2026-W48, 2026-11-24 or ",
                                             common::RelativePeriodWords()));
  }
  using common::RollupFamily;
  const auto catalog = reference_.catalog();
  const absl::CivilDay first = period->first, last = period->last;
  // Which commodities and outlets have data shows in the cell keys alone.
  PANTAU_ASSIGN_OR_RETURN(auto price_keys, Keys(common::DayKey(RollupFamily::kPrice, first),
                                                common::DayKey(RollupFamily::kPrice, last + 1)));
  PANTAU_ASSIGN_OR_RETURN(auto audit_keys, Keys(common::DayKey(RollupFamily::kAudit, first),
                                                common::DayKey(RollupFamily::kAudit, last + 1)));
  PANTAU_ASSIGN_OR_RETURN(auto follow_ups, Cells(common::DayKey(RollupFamily::kFollowUp, first),
                                                 common::DayKey(RollupFamily::kFollowUp, last + 1)));
  // Valid marks reach back as far as the longest re-verification interval (12 years).
  PANTAU_ASSIGN_OR_RETURN(auto uttp, Cells(common::YearKey(static_cast<int>(first.year()) - 12),
                                           common::YearKey(static_cast<int>(last.year()) + 1)));
  if (scoped) {
    auto keep = [&](std::vector<std::string>& keys, std::string_view what, size_t code) {
      std::erase_if(keys, [&](const std::string& key) {
        auto parts = common::ParseCellKey(key);
        return !parts || parts->codes.size() <= code || !Sees(who, *catalog, what, parts->codes[code]);
      });
    };
    keep(price_keys, "market", 1);
    keep(audit_keys, "outlet", 0);
  }

  v1::GetIndicatorTableResponse out;
  out.set_period(period->label);
  out.set_first_day(common::FormatLocalDate(first));
  out.set_last_day(common::FormatLocalDate(last));
  const int year = static_cast<int>(last.year());
  for (const auto& code : catalog->Codes("indicator")) {
    const v1::Indicator& indicator = catalog->entities().at(StrCat("indicator/", code)).indicator();
    if (!common::IndicatorInScope(who.scope, indicator.bidang())) continue;
    v1::IndicatorRow* row = out.add_rows();
    *row->mutable_indicator() = indicator;
    std::optional<common::Ratio> realisasi;
    bool percent = indicator.computation() == v1::INDICATOR_COMPUTATION_UTTP_VERIFIED_PERCENT;
    switch (indicator.computation()) {
      case v1::INDICATOR_COMPUTATION_BAHAN_POKOK_MONITORED:
        realisasi = common::Whole(common::BahanPokokMonitoredFromKeys(price_keys));
        break;
      case v1::INDICATOR_COMPUTATION_OUTLETS_AUDITED: {
        auto outlets = common::CountOutletsAuditedFromKeys(audit_keys, *catalog);
        realisasi = common::Whole(outlets.total);
        for (const auto& [k, v] : outlets.by_kind) (*row->mutable_breakdown())[StrCat("jenis:", k)] = v;
        for (const auto& [k, v] : outlets.by_product) (*row->mutable_breakdown())[StrCat("produk:", k)] = v;
        for (const auto& [k, v] : outlets.by_kecamatan) (*row->mutable_breakdown())[StrCat("kecamatan:", k)] = v;
        break;
      }
      case v1::INDICATOR_COMPUTATION_FOLLOW_UPS: {
        // Each violation once (docs/indicators.md, row 22): the audits its actions name, as they
        // stand now (a voided audit, or a UTTP verification, is no subsidised-goods violation).
        absl::Status looked_up;
        auto audit_of = [&](const std::string& id) -> std::optional<v1::OutletAudit> {
          auto audit = Effective(id, nullptr);
          if (!audit.ok()) {
            looked_up.Update(audit.status());
            return std::nullopt;
          }
          if (!*audit || !(*audit)->has_outlet_audit()) return std::nullopt;
          if (!Sees(who, *catalog, "outlet", (*audit)->outlet_audit().outlet_code())) return std::nullopt;
          return (*audit)->outlet_audit();
        };
        auto counted = common::CountViolationsFollowedUp(follow_ups, *catalog, audit_of);
        PANTAU_RETURN_IF_ERROR(looked_up);
        realisasi = common::Whole(settings_.follow_up_count == FollowUpCount::kActions ? counted.actions : counted.total);
        auto& breakdown = *row->mutable_breakdown();
        for (const auto& [k, v] : counted.by_kind) breakdown[StrCat("jenis:", k)] = v;
        for (const auto& [k, v] : counted.by_product) breakdown[StrCat("produk:", k)] = v;
        for (const auto& [k, v] : counted.by_kecamatan) breakdown[StrCat("kecamatan:", k)] = v;
        breakdown["pelanggaran"] = counted.total;
        breakdown["tindakan"] = counted.actions;
        for (const auto& [k, v] : counted.actions_by_code) breakdown[StrCat("tindakan:", k)] = v;
        break;
      }
      case v1::INDICATOR_COMPUTATION_UTTP_VERIFIED_PERCENT: {
        std::function<bool(const v1::UttpInstrument&)> in_scope;
        if (scoped) in_scope = [&](const v1::UttpInstrument& u) { return Sees(who, *catalog, "instrument", u.id()); };
        auto coverage =
            common::UttpVerifiedPercentIn(uttp, *catalog, first, last, settings_.uttp_definition, in_scope);
        realisasi = coverage.percent;
        (*row->mutable_breakdown())["ditera"] = coverage.verified;
        (*row->mutable_breakdown())["potensi"] = coverage.registry;
        break;
      }
      default: {
        if (scoped) break;  // the kabupaten's figure, not the scope's: marked below
        realisasi = common::ManualRealisationValue(*catalog, indicator.number(), year);
        const auto* manual = catalog->FindManualRealisation(indicator.number(), year);
        percent = manual != nullptr && manual->denominator() > 0;
        break;
      }
    }
    const bool automatic = indicator.computation() != v1::INDICATOR_COMPUTATION_MANUAL &&
                           indicator.computation() != v1::INDICATOR_COMPUTATION_UNSPECIFIED;
    row->set_source(automatic ? "otomatis"
                    : scoped  ? "di luar cakupan"  // a manual row of the whole kabupaten
                    : realisasi ? "manual"
                                : "belum diisi");
    if (realisasi) *row->mutable_realisasi() = ToExactValue(*realisasi, percent);
    if (const v1::IndicatorTarget* t = catalog->FindIndicatorTarget(indicator.number(), year)) {
      const common::Ratio target = common::Milli(t->target_milli());
      *row->mutable_target() = ToExactValue(target);
      if (realisasi) {
        if (auto capaian = common::Capaian(*realisasi, target)) {
          *row->mutable_capaian() = ToExactValue(*capaian, /*percent=*/true);
        }
      }
    }
  }
  return out;
}

absl::CivilDay QueryService::Today() const {
  return absl::ToCivilDay(clock_.Now(), settings_.zone);
}

absl::StatusOr<absl::CivilDay> QueryService::AsOf(const std::string& text) const {
  if (text.empty()) return Today();
  auto parsed = common::ParseLocalDate(text);
  if (!parsed) return absl::InvalidArgumentError("as_of: a date YYYY-MM-DD");
  return *parsed;
}

absl::StatusOr<v1::GetPriceStabilityResponse> QueryService::PriceStability(
    const v1::GetPriceStabilityRequest& request, const Principal& who) {
  // Stability compares markets across the regency: a kecamatan-limited account names its market.
  PANTAU_RETURN_IF_ERROR(
      Admit(who, "price stability", /*field_records=*/true, /*regency_wide=*/request.market_code().empty()));
  if (!request.market_code().empty()) PANTAU_RETURN_IF_ERROR(AdmitMarket(who, request.market_code()));
  PANTAU_ASSIGN_OR_RETURN(DayRange range, ParseRange(request.from(), request.to(), 3 * 366));
  const std::string by = request.by().empty() ? "month" : request.by();
  common::PriceBucket bucket = common::PriceBucket::kMonth;
  if (by == "week") {
    bucket = common::PriceBucket::kWeek;
  } else if (by == "day") {
    bucket = common::PriceBucket::kDay;
  } else if (by != "month") {
    return absl::InvalidArgumentError("by: day, week or month");
  }
  const auto catalog = reference_.catalog();
  if (!request.market_code().empty() && catalog->FindMarket(request.market_code()) == nullptr) {
    return absl::InvalidArgumentError(StrCat("unknown market \"", request.market_code(), "\""));
  }
  PANTAU_ASSIGN_OR_RETURN(auto cells, Cells(common::DayKey(common::RollupFamily::kPrice, range.first),
                                            common::DayKey(common::RollupFamily::kPrice, range.last + 1)));
  const common::Stability stability =
      common::PriceStability(cells, range.first, range.last, bucket, request.market_code());
  v1::GetPriceStabilityResponse out;
  out.set_from(common::FormatLocalDate(range.first));
  out.set_to(common::FormatLocalDate(range.last));
  out.set_by(by);
  for (const auto& r : stability.rows) {
    v1::PriceStabilityRow* row = out.add_rows();
    row->set_commodity_code(r.commodity);
    if (const v1::Commodity* c = catalog->FindCommodity(r.commodity)) {
      row->set_commodity_name(c->name());
      row->set_unit(c->unit());
    }
    for (const auto& p : r.periods) row->add_periods(p);
    for (int64_t m : r.period_means) row->add_period_means_rupiah(m);
    if (r.kv_hundredths) *row->mutable_kv_percent() = Hundredths(*r.kv_hundredths);
    for (const auto& m : r.markets) row->add_markets(m);
    for (int64_t m : r.market_means) row->add_market_means_rupiah(m);
    if (r.disparity_kv_hundredths) *row->mutable_disparity_kv_percent() = Hundredths(*r.disparity_kv_hundredths);
    row->set_cheapest_market(r.cheapest_market);
    row->set_dearest_market(r.dearest_market);
    row->set_gap_rupiah(r.gap_rupiah);
    if (r.gap_percent) *row->mutable_gap_percent() = ToExactValue(*r.gap_percent, true);
  }
  if (stability.mean_kv_percent) *out.mutable_mean_kv_percent() = ToExactValue(*stability.mean_kv_percent, true);
  out.set_commodities_with_kv(stability.commodities_with_kv);
  return out;
}

absl::StatusOr<v1::GetCoverageResponse> QueryService::Coverage(const v1::GetCoverageRequest& request,
                                                               const Principal& who) {
  PANTAU_RETURN_IF_ERROR(Admit(who, "coverage", /*field_records=*/true, /*regency_wide=*/false));
  if (!request.market_code().empty()) PANTAU_RETURN_IF_ERROR(AdmitMarket(who, request.market_code()));
  PANTAU_ASSIGN_OR_RETURN(DayRange range, ParseRange(request.from(), request.to(), 366));
  std::vector<std::string> names(request.weekdays().begin(), request.weekdays().end());
  if (names.empty()) names = settings_.price_schedule;
  PANTAU_ASSIGN_OR_RETURN(auto weekdays, common::ParseWeekdays(names));
  const auto catalog = reference_.catalog();
  std::vector<std::string> markets = catalog->Codes("market");
  std::vector<std::string> commodities = catalog->Codes("commodity");
  if (!request.market_code().empty()) {
    if (catalog->FindMarket(request.market_code()) == nullptr) {
      return absl::InvalidArgumentError(StrCat("unknown market \"", request.market_code(), "\""));
    }
    markets = {request.market_code()};
  }
  std::erase_if(markets, [&](const std::string& m) { return !Sees(who, *catalog, "market", m); });
  std::optional<std::set<std::string>> inspector_cells;  // price cell keys of the inspector's samples
  if (!request.inspector().empty()) {
    PANTAU_ASSIGN_OR_RETURN(auto cells, InspectorPriceCells(request.inspector(), range.first, range.last, who, *catalog, markets));
    inspector_cells = std::move(cells);
  }
  if (!request.commodity_code().empty()) {
    if (catalog->FindCommodity(request.commodity_code()) == nullptr) {
      return absl::InvalidArgumentError(StrCat("unknown commodity \"", request.commodity_code(), "\""));
    }
    commodities = {request.commodity_code()};
  }
  std::vector<std::string> keys;
  if (inspector_cells) {
    keys.assign(inspector_cells->begin(), inspector_cells->end());
  } else {
    PANTAU_ASSIGN_OR_RETURN(keys, Keys(common::DayKey(common::RollupFamily::kPrice, range.first),
                                       common::DayKey(common::RollupFamily::kPrice, range.last + 1)));
  }
  v1::GetCoverageResponse out;
  out.set_inspector(request.inspector());
  out.set_from(common::FormatLocalDate(range.first));
  out.set_to(common::FormatLocalDate(range.last));
  for (absl::Weekday d : weekdays) out.add_weekdays(common::WeekdayName(d));
  for (absl::CivilDay d : common::ScheduledDays(range.first, range.last, weekdays)) {
    out.add_scheduled_days(common::FormatLocalDate(d));
  }
  std::map<std::string, v1::CoverageMarketTotal> totals;
  for (const auto& c : common::Coverage(keys, markets, commodities, range.first, range.last, weekdays)) {
    v1::CoverageRow* row = out.add_rows();
    row->set_market_code(c.market);
    row->set_commodity_code(c.commodity);
    row->set_scheduled_days(c.scheduled);
    row->set_covered_days(c.covered);
    if (c.scheduled > 0) *row->mutable_covered_percent() = ToExactValue({100 * c.covered, c.scheduled}, true);
    for (absl::CivilDay d : c.missing) row->add_missing_days(common::FormatLocalDate(d));
    row->set_unscheduled_days_with_data(c.unscheduled_with_data);
    v1::CoverageMarketTotal& total = totals[c.market];
    total.set_market_code(c.market);
    total.set_scheduled(total.scheduled() + c.scheduled);
    total.set_covered(total.covered() + c.covered);
    out.set_scheduled(out.scheduled() + c.scheduled);
    out.set_covered(out.covered() + c.covered);
  }
  for (auto& [code, total] : totals) {
    if (const v1::Market* m = catalog->FindMarket(code)) total.set_market_name(m->name());
    if (total.scheduled() > 0) {
      *total.mutable_covered_percent() = ToExactValue({100 * total.covered(), total.scheduled()}, true);
    }
    *out.add_markets() = total;
  }
  if (out.scheduled() > 0) *out.mutable_covered_percent() = ToExactValue({100 * out.covered(), out.scheduled()}, true);
  return out;
}

absl::StatusOr<std::set<std::string>> QueryService::InspectorPriceCells(const std::string& inspector,
                                                                        absl::CivilDay first, absl::CivilDay last,
                                                                        const Principal& who,
                                                                        const common::ReferenceCatalog& catalog,
                                                                        std::vector<std::string>& markets) {
  // The inspector: an account in service (when the directory is known), seen by `who`; its
  // markets are those of its kecamatan.
  if (directory_) {
    PANTAU_ASSIGN_OR_RETURN(auto directory, directory_());
    auto found = std::find_if(directory.inspectors.begin(), directory.inspectors.end(),
                              [&](const Inspector& i) { return i.name == inspector; });
    if (found == directory.inspectors.end()) {
      return absl::InvalidArgumentError(StrCat("inspector: no inspector account \"", inspector, "\""));
    }
    const v1::AccountScope& scope = found->scope;
    if (scope.kecamatan_codes_size() > 0) {
      std::erase_if(markets, [&](const std::string& m) {
        const v1::Market* market = catalog.FindMarket(m);
        return market == nullptr || !common::KecamatanInScope(scope, market->kecamatan_code());
      });
    }
  }
  // Its samples: the records of the laptops registered to it, as they stand now.
  std::set<std::string> devices;
  for (const auto& id : catalog.Codes("device")) {
    if (catalog.FindDevice(id)->account_name() == inspector) devices.insert(id);
  }
  PANTAU_ASSIGN_OR_RETURN(auto samples, EffectiveObserved(common::IndexKind::kDevice, devices, first, last));
  std::set<std::string> cells;
  for (const auto& [id, record] : samples) {
    if (!record.has_price_sample() || record.author() != inspector) continue;
    if (!Sees(who, catalog, "market", record.price_sample().market_code())) continue;
    const absl::CivilDay day = absl::ToCivilDay(common::FromTimestamp(record.observed_at()), settings_.zone);
    cells.insert(common::PriceCellKey(day, record.price_sample().commodity_code(), record.price_sample().market_code()));
  }
  return cells;
}

absl::StatusOr<std::set<std::string>> QueryService::LogicalIds(common::IndexKind kind,
                                                               const std::set<std::string>& values,
                                                               absl::CivilDay first, absl::CivilDay last) {
  const absl::Time from = absl::FromCivil(first, settings_.zone);
  const absl::Time to = absl::FromCivil(last + 1, settings_.zone);
  std::set<std::string> logical;
  for (const auto& value : values) {
    PANTAU_RETURN_IF_ERROR(records_.ScanIndex(kind, value, from, to, [&](const v1::StoredRecord& s) {
      logical.insert(common::LogicalId(s.record()));
      return true;
    }));
  }
  return logical;
}

absl::StatusOr<std::optional<v1::Record>> QueryService::Effective(std::string_view id,
                                                                  std::vector<v1::Record>* follow_ups) {
  PANTAU_ASSIGN_OR_RETURN(auto original, records_.Get(id));
  std::vector<v1::Record> amendments;
  PANTAU_RETURN_IF_ERROR(records_.ScanIndex(
      common::IndexKind::kTarget, id, absl::InfinitePast(), absl::InfiniteFuture(),
      [&](const v1::StoredRecord& s) {
        if (common::IsAmendment(s.record())) {
          amendments.push_back(s.record());
        } else if (follow_ups != nullptr && s.record().has_follow_up()) {
          follow_ups->push_back(s.record());
        }
        return true;
      }));
  return common::EffectiveRecord(original ? &original->record() : nullptr, amendments);
}

absl::StatusOr<std::vector<std::pair<std::string, v1::Record>>> QueryService::EffectiveObserved(
    common::IndexKind kind, const std::set<std::string>& values, absl::CivilDay first, absl::CivilDay last) {
  PANTAU_ASSIGN_OR_RETURN(auto logical, LogicalIds(kind, values, first, last));
  std::vector<std::pair<std::string, v1::Record>> out;
  for (const auto& id : logical) {
    PANTAU_ASSIGN_OR_RETURN(auto record, Effective(id, nullptr));
    if (!record) continue;
    const absl::CivilDay day = absl::ToCivilDay(common::FromTimestamp(record->observed_at()), settings_.zone);
    if (day < first || day > last) continue;
    out.emplace_back(id, *std::move(record));
  }
  return out;
}

absl::StatusOr<v1::ListViolationsResponse> QueryService::Violations(
    const v1::ListViolationsRequest& request, const Principal& who) {
  PANTAU_RETURN_IF_ERROR(Admit(who, "violations", /*field_records=*/true, /*regency_wide=*/false));
  PANTAU_ASSIGN_OR_RETURN(DayRange range, ParseRange(request.from(), request.to(), 3 * 366));
  const std::string& wanted = request.status();
  if (!wanted.empty() && wanted != "terbuka" && wanted != "terlambat" && wanted != "selesai") {
    return absl::InvalidArgumentError("status: terbuka, terlambat or selesai");
  }
  PANTAU_ASSIGN_OR_RETURN(const absl::CivilDay as_of, AsOf(request.as_of()));
  const auto catalog = reference_.catalog();
  // Outlets with findings in the period, from the audit cells.
  PANTAU_ASSIGN_OR_RETURN(auto cells, Cells(common::DayKey(common::RollupFamily::kAudit, range.first),
                                            common::DayKey(common::RollupFamily::kAudit, range.last + 1)));
  std::set<std::string> outlets;
  for (const auto& [key, cell] : cells) {
    auto parts = common::ParseCellKey(key);
    if (parts && cell.audit().findings_size() > 0 && Sees(who, *catalog, "outlet", parts->codes[0])) {
      outlets.insert(parts->codes[0]);
    }
  }
  // Their audits (originals and corrections) observed in the period, as logical records.
  PANTAU_ASSIGN_OR_RETURN(auto logical, LogicalIds(common::IndexKind::kOutlet, outlets, range.first, range.last));
  std::vector<std::pair<common::ViolationCase, v1::Record>> cases;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> histories;  // (audit, finding)
  for (const auto& id : logical) {
    std::vector<v1::Record> follow_up_originals;
    PANTAU_ASSIGN_OR_RETURN(auto audit, Effective(id, &follow_up_originals));
    if (!audit || !audit->has_outlet_audit() || common::EffectiveFindings(audit->outlet_audit()).empty()) continue;
    const absl::CivilDay day = absl::ToCivilDay(common::FromTimestamp(audit->observed_at()), settings_.zone);
    if (day < range.first || day > range.last) continue;
    std::vector<v1::Record> follow_ups;
    for (const auto& f : follow_up_originals) {
      PANTAU_ASSIGN_OR_RETURN(auto effective, Effective(f.id(), nullptr));
      if (effective && effective->has_follow_up() && effective->follow_up().audit_record_id() == id) {
        follow_ups.push_back(*std::move(effective));
      }
    }
    std::sort(follow_ups.begin(), follow_ups.end(), [](const v1::Record& a, const v1::Record& b) {
      return std::tie(a.follow_up().action_date(), a.id()) < std::tie(b.follow_up().action_date(), b.id());
    });
    for (auto& c : common::ViolationCases(*audit, day, follow_ups, as_of, settings_.follow_up_due_days)) {
      std::vector<std::string> history;
      for (const auto& r : follow_ups) {
        const v1::FollowUp& f = r.follow_up();
        if (!f.finding_code().empty() && f.finding_code() != c.finding) continue;
        if (auto date = common::ParseLocalDate(f.action_date()); date && *date > as_of) continue;  // not yet
        history.push_back(StrCat(f.action_date(), " ", f.action_code(), f.actor().empty() ? "" : StrCat(" by ", f.actor()),
                                 f.due_date().empty() ? "" : StrCat(", due ", f.due_date()), ", ",
                                 f.status() == v1::FOLLOW_UP_STATUS_CLOSED ? "closed" : "open", " (record ", r.id(), ")"));
      }
      histories[{c.audit_id, c.finding}] = std::move(history);
      cases.emplace_back(std::move(c), *audit);
    }
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.audit_day, a.second.outlet_audit().outlet_code(), a.first.audit_id, a.first.finding) <
           std::tie(b.first.audit_day, b.second.outlet_audit().outlet_code(), b.first.audit_id, b.first.finding);
  });
  v1::ListViolationsResponse out;
  out.set_from(common::FormatLocalDate(range.first));
  out.set_to(common::FormatLocalDate(range.last));
  out.set_as_of(common::FormatLocalDate(as_of));
  for (const auto& [c, audit] : cases) {
    const std::string status = common::CaseStatusName(c.status);
    if (c.status == common::CaseStatus::kOpen) out.set_open(out.open() + 1);
    if (c.status == common::CaseStatus::kOverdue) out.set_overdue(out.overdue() + 1);
    if (c.status == common::CaseStatus::kClosed) out.set_closed(out.closed() + 1);
    if (c.status == common::CaseStatus::kClosed && c.days_late > 0) out.set_closed_late(out.closed_late() + 1);
    if (!wanted.empty() && wanted != status) continue;
    v1::ViolationRow* row = out.add_rows();
    row->set_audit_record_id(c.audit_id);
    row->set_audit_day(common::FormatLocalDate(c.audit_day));
    const std::string& outlet_code = audit.outlet_audit().outlet_code();
    row->set_outlet_code(outlet_code);
    const v1::Outlet* outlet = catalog->FindOutlet(outlet_code);
    if (outlet != nullptr) {
      row->set_outlet_name(outlet->name());
      row->set_kecamatan_code(outlet->kecamatan_code());
    }
    row->set_outlet_kind(OutletKindName(outlet != nullptr ? outlet->kind() : audit.outlet_audit().outlet_kind()));
    row->set_finding_code(c.finding);
    row->set_inspector(audit.author());
    row->set_actions(c.actions);
    row->set_last_action_code(c.last_action_code);
    if (c.last_action_date) row->set_last_action_date(common::FormatLocalDate(*c.last_action_date));
    row->set_due_date(common::FormatLocalDate(c.due));
    row->set_status(status);
    row->set_days_overdue(c.days_overdue);
    row->set_days_late(c.days_late);
    for (auto& line : histories[{c.audit_id, c.finding}]) row->add_history(std::move(line));
    for (const auto& answer : audit.outlet_audit().answers()) {
      if (answer.has_photo_sha256()) row->add_photo_sha256s(answer.photo_sha256());
    }
    const auto& computed = audit.outlet_audit().computed_findings();
    for (int k = 0; k < computed.size() && k < audit.outlet_audit().finding_reasons_size(); ++k) {
      if (computed[k] == c.finding) row->set_finding_reason(audit.outlet_audit().finding_reasons(k));
    }
  }
  return out;
}

absl::StatusOr<v1::ListUttpDueResponse> QueryService::UttpDue(const v1::ListUttpDueRequest& request,
                                                              const Principal& who) {
  PANTAU_RETURN_IF_ERROR(Admit(who, "UTTP due lists", /*field_records=*/true, /*regency_wide=*/false));
  PANTAU_ASSIGN_OR_RETURN(const absl::CivilDay as_of, AsOf(request.as_of()));
  if (request.within_days() < 0 || request.within_days() > 3660) {
    return absl::InvalidArgumentError("within_days: between 0 and 3660");
  }
  const int within = request.within_days() > 0 ? request.within_days() : settings_.uttp_due_window_days;
  const auto catalog = reference_.catalog();
  // Marks reach back as far as the longest re-verification interval (12 years).
  const int year = static_cast<int>(as_of.year());
  PANTAU_ASSIGN_OR_RETURN(auto cells, Cells(common::YearKey(year - 13), common::YearKey(year + 1)));
  v1::ListUttpDueResponse out;
  out.set_as_of(common::FormatLocalDate(as_of));
  out.set_within_days(within);
  for (const auto& id : catalog->Codes("uttp_instrument")) {
    if (common::InServiceOn(*catalog->FindUttpInstrument(id), as_of) && Sees(who, *catalog, "instrument", id)) {
      out.set_registry(out.registry() + 1);
    }
  }
  for (const auto& due : common::UttpDueList(cells, *catalog, as_of, within, request.include_valid())) {
    const v1::UttpInstrument& instrument = *catalog->FindUttpInstrument(due.instrument);
    if (!Sees(who, *catalog, "instrument", due.instrument)) continue;
    v1::UttpDueRow* row = out.add_rows();
    row->set_instrument_id(due.instrument);
    row->set_type_code(instrument.type_code());
    if (const v1::UttpType* type = catalog->FindUttpType(instrument.type_code())) row->set_type_name(type->name());
    row->set_owner(instrument.owner());
    row->set_market_code(instrument.market_code());
    row->set_location(instrument.location());
    row->set_kecamatan_code(instrument.kecamatan_code());
    if (due.mark.last_sah) row->set_last_sah_day(common::FormatLocalDate(*due.mark.last_sah));
    if (due.mark.last_batal) row->set_last_batal_day(common::FormatLocalDate(*due.mark.last_batal));
    if (due.mark.next_due) row->set_next_due(common::FormatLocalDate(*due.mark.next_due));
    row->set_status(common::DueStatusName(due.status));
    row->set_days(due.days);
    if (due.status == common::DueStatus::kOverdue) out.set_overdue(out.overdue() + 1);
    if (due.status == common::DueStatus::kDueSoon) out.set_due_soon(out.due_soon() + 1);
  }
  return out;
}

absl::StatusOr<v1::ListUttpVerificationsResponse> QueryService::UttpVerifications(
    const v1::ListUttpVerificationsRequest& request, const Principal& who) {
  PANTAU_RETURN_IF_ERROR(Admit(who, "UTTP verifications", /*field_records=*/true, /*regency_wide=*/false));
  PANTAU_ASSIGN_OR_RETURN(DayRange range, ParseRange(request.from(), request.to(), 3 * 366));
  const auto catalog = reference_.catalog();
  // Instruments with a verification in the period's years, from the UTTP cells.
  PANTAU_ASSIGN_OR_RETURN(auto keys, Keys(common::YearKey(static_cast<int>(range.first.year())),
                                          common::YearKey(static_cast<int>(range.last.year()) + 1)));
  std::set<std::string> instruments;
  for (const auto& key : keys) {
    auto parts = common::ParseCellKey(key);
    if (parts && Sees(who, *catalog, "instrument", parts->codes[0])) instruments.insert(parts->codes[0]);
  }
  PANTAU_ASSIGN_OR_RETURN(auto verifications,
                          EffectiveObserved(common::IndexKind::kInstrument, instruments, range.first, range.last));
  auto verdict_name = [](v1::Verdict v) {
    return v == v1::VERDICT_SAH ? "sah" : v == v1::VERDICT_BATAL ? "batal" : "";
  };
  std::vector<v1::UttpVerificationRow> rows;
  v1::ListUttpVerificationsResponse out;
  for (const auto& [id, verification] : verifications) {
    if (!verification.has_uttp_verification()) continue;
    const v1::Record* record = &verification;
    const absl::CivilDay day = absl::ToCivilDay(common::FromTimestamp(record->observed_at()), settings_.zone);
    const v1::UttpVerification& u = record->uttp_verification();
    v1::UttpVerificationRow row;
    row.set_record_id(id);
    row.set_day(common::FormatLocalDate(day));
    row.set_instrument_id(u.instrument_id());
    if (const v1::UttpInstrument* instrument = catalog->FindUttpInstrument(u.instrument_id())) {
      row.set_owner(instrument->owner());
      if (const v1::UttpType* type = catalog->FindUttpType(instrument->type_code())) row.set_type_name(type->name());
    }
    row.set_kind(u.kind() == v1::VERIFICATION_KIND_TERA         ? "tera"
                 : u.kind() == v1::VERIFICATION_KIND_TERA_ULANG ? "tera_ulang"
                                                                : "pengawasan");
    row.set_computed_verdict(verdict_name(u.computed_verdict()));
    row.set_claimed_verdict(verdict_name(u.claimed_verdict()));
    row.set_discrepancy(u.computed_verdict() != v1::VERDICT_UNSPECIFIED && u.claimed_verdict() != v1::VERDICT_UNSPECIFIED &&
                        u.computed_verdict() != u.claimed_verdict());
    for (const auto& reason : u.verdict_reasons()) row.add_reasons(reason);
    row.set_officer(record->author());
    row.set_certificate_number(u.certificate_number());
    const v1::Verdict counted = u.computed_verdict() != v1::VERDICT_UNSPECIFIED ? u.computed_verdict() : u.claimed_verdict();
    if (counted == v1::VERDICT_SAH) out.set_sah(out.sah() + 1);
    if (counted == v1::VERDICT_BATAL) out.set_batal(out.batal() + 1);
    if (row.discrepancy()) out.set_discrepancies(out.discrepancies() + 1);
    if (request.discrepancies_only() && !row.discrepancy()) continue;
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.day(), a.instrument_id(), a.record_id()) < std::tie(b.day(), b.instrument_id(), b.record_id());
  });
  out.set_from(common::FormatLocalDate(range.first));
  out.set_to(common::FormatLocalDate(range.last));
  for (auto& row : rows) *out.add_rows() = std::move(row);
  return out;
}

absl::StatusOr<v1::ListAuditsResponse> QueryService::Audits(const v1::ListAuditsRequest& request,
                                                             const Principal& who) {
  PANTAU_RETURN_IF_ERROR(Admit(who, "outlet audits", /*field_records=*/true, /*regency_wide=*/false));
  PANTAU_ASSIGN_OR_RETURN(DayRange range, ParseRange(request.from(), request.to(), 3 * 366));
  const std::string& kind = request.outlet_kind();
  if (!kind.empty() && kind != "lpg_pangkalan" && kind != "pupuk_kios") {
    return absl::InvalidArgumentError(StrCat("outlet_kind: lpg_pangkalan or pupuk_kios (got \"", kind, "\")"));
  }
  const auto catalog = reference_.catalog();
  // The outlets audited in the period, from the audit cells (as row 21 counts them).
  PANTAU_ASSIGN_OR_RETURN(auto keys, Keys(common::DayKey(common::RollupFamily::kAudit, range.first),
                                          common::DayKey(common::RollupFamily::kAudit, range.last + 1)));
  std::set<std::string> outlets;
  for (const auto& key : keys) {
    auto parts = common::ParseCellKey(key);
    if (parts && Sees(who, *catalog, "outlet", parts->codes[0])) outlets.insert(parts->codes[0]);
  }
  PANTAU_ASSIGN_OR_RETURN(auto audits, EffectiveObserved(common::IndexKind::kOutlet, outlets, range.first, range.last));
  std::vector<v1::AuditRow> rows;
  for (const auto& [id, audit] : audits) {
    if (!audit.has_outlet_audit()) continue;
    const v1::Record* record = &audit;
    const absl::CivilDay day = absl::ToCivilDay(common::FromTimestamp(record->observed_at()), settings_.zone);
    const v1::OutletAudit& a = record->outlet_audit();
    const v1::Outlet* outlet = catalog->FindOutlet(a.outlet_code());
    const std::string outlet_kind = OutletKindName(outlet != nullptr ? outlet->kind() : a.outlet_kind());
    if (!kind.empty() && outlet_kind != kind) continue;
    v1::AuditRow row;
    row.set_record_id(id);
    row.set_day(common::FormatLocalDate(day));
    row.set_outlet_code(a.outlet_code());
    row.set_outlet_kind(outlet_kind);
    if (outlet != nullptr) {
      row.set_outlet_name(outlet->name());
      row.set_kecamatan_code(outlet->kecamatan_code());
    }
    row.set_inspector(record->author());
    row.set_checklist_applied(a.checklist_applied());
    for (const auto& f : common::EffectiveFindings(a)) row.add_findings(f);
    row.set_answers(a.answers_size());
    for (const auto& answer : a.answers()) {
      if (answer.has_not_checked_reason()) row.set_not_checked(row.not_checked() + 1);
      if (answer.has_photo_sha256()) row.add_photo_sha256s(answer.photo_sha256());
    }
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.day(), a.outlet_code(), a.record_id()) < std::tie(b.day(), b.outlet_code(), b.record_id());
  });
  v1::ListAuditsResponse out;
  out.set_from(common::FormatLocalDate(range.first));
  out.set_to(common::FormatLocalDate(range.last));
  std::set<std::string> audited;
  for (auto& row : rows) {
    audited.insert(row.outlet_code());
    if (row.findings_size() > 0) out.set_with_findings(out.with_findings() + 1);
    *out.add_rows() = std::move(row);
  }
  out.set_audits(out.rows_size());
  out.set_outlets(static_cast<int64_t>(audited.size()));
  return out;
}

absl::StatusOr<v1::GetFieldActivityResponse> QueryService::FieldActivity(const v1::GetFieldActivityRequest& request,
                                                                         const Principal& who) {
  PANTAU_RETURN_IF_ERROR(Admit(who, "field activity", /*field_records=*/true, /*regency_wide=*/false));
  PANTAU_ASSIGN_OR_RETURN(const absl::CivilDay as_of, AsOf(request.as_of()));
  if (request.quiet_days() < 0 || request.quiet_days() > 366) {
    return absl::InvalidArgumentError("quiet_days: between 1 and 366");
  }
  const int quiet_days = request.quiet_days() > 0 ? request.quiet_days() : 3;
  const absl::CivilDay monday = common::IsoWeekOf(as_of).first;
  const auto catalog = reference_.catalog();
  const bool scoped = who.scope.kecamatan_codes_size() > 0;
  // Inspectors: the accounts (when known), else those the laptops name; a scoped supervisor sees
  // those assigned to one of its kecamatan, or to none (they work anywhere).
  std::map<std::string, v1::AccountScope> inspectors;
  std::map<std::string, v1::DeviceContact> contacts;  // by device
  if (directory_) {
    PANTAU_ASSIGN_OR_RETURN(auto directory, directory_());
    for (auto& i : directory.inspectors) inspectors.emplace(i.name, i.scope);
    for (auto& c : directory.contacts) contacts.emplace(c.device_id(), c);
  }
  std::map<std::string, std::vector<const v1::Device*>> devices;
  for (const auto& id : catalog->Codes("device")) {
    const v1::Device* d = catalog->FindDevice(id);
    if (!directory_) inspectors.emplace(d->account_name(), v1::AccountScope());
    if (inspectors.count(d->account_name()) > 0) devices[d->account_name()].push_back(d);
  }
  auto assigned_here = [&](const v1::AccountScope& scope) {
    if (!scoped || scope.kecamatan_codes_size() == 0) return true;
    for (const auto& k : scope.kecamatan_codes()) {
      if (common::KecamatanInScope(who.scope, k)) return true;
    }
    return false;
  };
  v1::GetFieldActivityResponse out;
  out.set_as_of(common::FormatLocalDate(as_of));
  out.set_week_first_day(common::FormatLocalDate(monday));
  out.set_quiet_days(quiet_days);
  const absl::Time window_start = absl::FromCivil(as_of - 59, settings_.zone);
  const absl::Time window_end = absl::FromCivil(as_of + 1, settings_.zone);
  const absl::Time week_start = absl::FromCivil(monday, settings_.zone);
  for (const auto& [name, scope] : inspectors) {
    if (!assigned_here(scope)) continue;
    auto laptops = devices.find(name);
    if (laptops == devices.end()) {
      out.add_inspectors_without_laptop(name);
      continue;
    }
    for (const v1::Device* device : laptops->second) {
      // The laptop's records observed in the 60 days up to as_of. For a scoped supervisor they are
      // kept and judged after the scan (deciding whether it sees a void reads its target).
      std::optional<absl::Time> last;
      int64_t this_week = 0;
      auto count = [&](const v1::StoredRecord& s) {
        const absl::Time received = common::FromTimestamp(s.received_at());
        if (received >= window_end) return;  // after the day counted to
        if (!last || received > *last) last = received;
        if (received >= week_start) ++this_week;
      };
      std::vector<v1::StoredRecord> kept;
      PANTAU_RETURN_IF_ERROR(records_.ScanIndex(common::IndexKind::kDevice, device->id(), window_start, window_end,
                                                [&](const v1::StoredRecord& s) {
                                                  if (scoped) kept.push_back(s); else count(s);
                                                  return true;
                                                }));
      for (const auto& s : kept) {
        PANTAU_ASSIGN_OR_RETURN(bool sees, SeesRecord(who, *catalog, s.record()));
        if (sees) count(s);
      }
      auto* row = out.add_rows();
      row->set_inspector(name);
      row->set_device_id(device->id());
      row->set_device_description(device->description());
      row->set_received_this_week(this_week);
      if (last) {
        row->set_last_received(absl::FormatTime("%Y-%m-%d %H:%M", *last, settings_.zone));
        row->set_days_since(as_of - absl::ToCivilDay(*last, settings_.zone));
      } else {
        row->set_days_since(-1);
      }
      // The last sync, when it was up to the day counted to (only the latest is kept), and only
      // while the laptop is still this inspector's.
      row->set_days_since_sync(-1);
      if (auto c = contacts.find(device->id()); c != contacts.end() && c->second.account_name() == name) {
        const absl::Time synced = common::FromTimestamp(c->second.contacted_at());
        if (synced < window_end) {
          row->set_last_sync(absl::FormatTime("%Y-%m-%d %H:%M", synced, settings_.zone));
          row->set_days_since_sync(as_of - absl::ToCivilDay(synced, settings_.zone));
          row->set_pending_on_laptop(c->second.pending());
          row->set_refused_waiting(c->second.needs_attention());
          out.set_refused_waiting(out.refused_waiting() + c->second.needs_attention());
        }
      }
      // Quiet: neither a record nor a sync for quiet_days.
      int64_t idle = -1;
      if (last) idle = row->days_since();
      if (row->days_since_sync() >= 0 && (idle < 0 || row->days_since_sync() < idle)) idle = row->days_since_sync();
      row->set_quiet(idle < 0 || idle >= quiet_days);
      if (row->quiet()) out.set_quiet(out.quiet() + 1);
    }
  }
  return out;
}

absl::Status QueryService::CheckExport(const v1::ExportRecordsRequest& request, const Principal& who) const {
  PANTAU_RETURN_IF_ERROR(Admit(who, "the record export", /*field_records=*/true, /*regency_wide=*/false));
  PANTAU_RETURN_IF_ERROR(ParseRange(request.from(), request.to(), 100 * 366).status());
  for (const auto& kind : request.kinds()) {
    if (!common::KindFromName(kind)) {
      return absl::InvalidArgumentError(
          StrCat("kinds: \"", kind,
                 "\" is not price_sample, outlet_audit, follow_up, uttp_verification, correction or void"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> QueryService::ExportChunk(const v1::ExportRecordsRequest& request,
                                               ExportCursor& cursor, int max_records,
                                               v1::ExportRecordsResponse* out, const Principal& who) {
  PANTAU_ASSIGN_OR_RETURN(DayRange range, ParseRange(request.from(), request.to(), 100 * 366));
  std::set<common::RecordKind> kinds;
  for (const auto& k : request.kinds()) kinds.insert(*common::KindFromName(k));
  const absl::Time from = std::max(absl::FromCivil(range.first, settings_.zone), cursor.observed);
  const absl::Time to = absl::FromCivil(range.last + 1, settings_.zone);
  out->Clear();
  // A chunk ends when full, or after 20 chunks' worth of records were read, so that a filter
  // that skips most records still gives the executor back now and then.
  int64_t read = 0;
  bool stopped = false;
  PANTAU_RETURN_IF_ERROR(
      records_.ScanIndex(common::IndexKind::kTime, "", from, to, [&](const v1::StoredRecord& s) {
        const absl::Time observed = common::FromTimestamp(s.record().observed_at());
        // Records at the cursor's instant up to its id went out in an earlier chunk.
        if (!cursor.id.empty() && observed == cursor.observed && s.record().id() <= cursor.id) return true;
        cursor.observed = observed;
        cursor.id = s.record().id();
        auto kind = common::KindOf(s.record());
        if (kinds.empty() || (kind && kinds.count(*kind) > 0)) *out->add_records() = s;
        if (out->records_size() >= max_records || ++read >= 20 * static_cast<int64_t>(max_records)) {
          stopped = true;
          return false;
        }
        return true;
      }));
  // Outside the scan: deciding on a void reads its target.
  if (who.scope.kecamatan_codes_size() > 0) {
    const auto catalog = reference_.catalog();
    auto* records = out->mutable_records();
    int kept = 0;
    for (int i = 0; i < records->size(); ++i) {
      PANTAU_ASSIGN_OR_RETURN(bool sees, SeesRecord(who, *catalog, records->Get(i).record()));
      if (sees) records->SwapElements(kept++, i);
    }
    records->DeleteSubrange(kept, records->size() - kept);
  }
  return !stopped;
}

}  // namespace pantau::service

namespace pantau::service {
namespace {

std::string Fixed2(double v) { return absl::StrFormat("%.2f", v); }

std::string MonthLabel(int year, int month) { return absl::StrFormat("%04d-%02d", year, month); }

// An exact value's text ("13133.33") in Indonesian words: "Rp 13.133,33".
std::string RupiahWords(const v1::ExactValue& v) {
  const std::string& text = v.text();
  const size_t point = text.find('.');
  int64_t whole = 0;
  if (!absl::SimpleAtoi(text.substr(0, point), &whole)) return text;
  return common::FormatRupiah(whole) + (point == std::string::npos ? "" : "," + text.substr(point + 1));
}

// A percentage's text ("10.83") with a decimal comma: "10,83 %".
std::string PercentWords(const std::string& text) {
  std::string out = text;
  std::replace(out.begin(), out.end(), '.', ',');
  return out + " %";
}

}  // namespace

absl::StatusOr<v1::ListAlertsResponse> QueryService::Alerts(const v1::ListAlertsRequest& request,
                                                             const Principal& who) {
  PANTAU_RETURN_IF_ERROR(Admit(who, "price alerts", /*field_records=*/true, /*regency_wide=*/false));
  PANTAU_ASSIGN_OR_RETURN(DayRange range, ParseRange(request.from(), request.to(), 3 * 366));
  static const std::set<std::string> kKinds = {"het", "lonjakan", "alps", "ifpa", "tidak_teramati"};
  std::set<std::string> kinds;
  for (const auto& k : request.kinds()) {
    if (kKinds.count(k) == 0) {
      return absl::InvalidArgumentError(
          StrCat("kinds: \"", k, "\" is not het, lonjakan, alps, ifpa or tidak_teramati"));
    }
    kinds.insert(k);
  }
  if (kinds.empty()) kinds = kKinds;
  auto wants = [&](const char* kind) { return kinds.count(kind) > 0; };
  const auto catalog = reference_.catalog();
  const std::string& market_filter = request.market_code();
  const bool kabupaten_only = market_filter == "kabupaten";
  const bool regency_wide = who.scope.kecamatan_codes_size() == 0;
  if (kabupaten_only) {
    PANTAU_RETURN_IF_ERROR(Admit(who, "kabupaten-wide price alerts", true, /*regency_wide=*/true));
  } else if (!market_filter.empty()) {
    if (catalog->FindMarket(market_filter) == nullptr) {
      return absl::InvalidArgumentError(StrCat("market_code: unknown market \"", market_filter, "\""));
    }
    PANTAU_RETURN_IF_ERROR(AdmitMarket(who, market_filter));
  }
  const std::string& commodity_filter = request.commodity_code();
  if (!commodity_filter.empty() && catalog->FindCommodity(commodity_filter) == nullptr) {
    return absl::InvalidArgumentError(StrCat("commodity_code: unknown commodity \"", commodity_filter, "\""));
  }
  const AlertSettings& settings = settings_.alerts;
  const bool monthly = wants("alps") || wants("ifpa");
  // Missing observations need only which cells exist: no value is decoded (a laptop's pull asks).
  const bool keys_only = !monthly && !wants("het") && !wants("lonjakan");
  // The daily rules need only the days before the period that a change or a run can reach back
  // to, read from the price-days cells (a cell a month); ALPS and IFPA each series' whole history,
  // from the price-months cells (a cell a year) and, for the range's last month, its days up to
  // the range's end.
  const absl::CivilDay daily_from = range.first - settings.history_days;
  const absl::CivilMonth last_month_of_range(range.last);
  // Months as one index, year × 12 + month − 1 (as common::Ifpa counts them).
  auto month_index = [](absl::CivilMonth m) { return static_cast<int>(m.year()) * 12 + m.month() - 1; };
  const int first_month = month_index(absl::CivilMonth(range.first));
  const int last_month = month_index(last_month_of_range);
  const bool wants_missing = wants("tidak_teramati");
  auto want = [&](std::string_view key) {
    if (key.size() < 5) return false;
    const std::string_view codes = key.substr(5);
    const size_t zero = codes.find('\0');
    if (zero == std::string_view::npos) return false;
    if (!commodity_filter.empty() && codes.substr(0, zero) != commodity_filter) return false;
    return market_filter.empty() || kabupaten_only || codes.substr(zero + 1) == market_filter;
  };
  using SeriesId = std::pair<std::string, std::string>;
  // Daily sums and counts per (commodity, market); market "" is the kabupaten (every market's
  // samples), for accounts that see the whole kabupaten. Months likewise. A sorted vector per
  // series, not a tree node per day: cells come in key order (time first), so a market's entry
  // lands at the end and the kabupaten's (every market's) near it.
  struct MonthSum {
    int index = 0;
    absl::int128 sum = 0;
    int64_t count = 0;
  };
  std::map<SeriesId, std::vector<common::DayMean>> series;
  std::map<SeriesId, std::vector<MonthSum>> month_sums;
  auto add_sorted = [](auto& list, const auto& entry, auto key_of) {
    auto it = std::lower_bound(list.begin(), list.end(), key_of(entry),
                               [&](const auto& e, const auto& key) { return key_of(e) < key; });
    if (it != list.end() && key_of(*it) == key_of(entry)) {
      it->sum += entry.sum;
      it->count += entry.count;
    } else {
      list.insert(it, entry);
    }
  };
  auto day_of = [](const common::DayMean& d) { return d.day; };
  auto index_of = [](const MonthSum& m) { return m.index; };
  // The days with samples in the range: price cell keys (a missed-check pull reads keys alone), or
  // (market, commodity) -> days from the price-days cells.
  std::vector<std::string> keys_in_range;
  common::DaysSeen seen_in_range;
  const bool own_series = !kabupaten_only;
  const bool kabupaten_series = regency_wide && (market_filter.empty() || kabupaten_only);
  if (keys_only) {
    PANTAU_ASSIGN_OR_RETURN(auto keys, Keys(common::DayKey(common::RollupFamily::kPrice, range.first),
                                            common::DayKey(common::RollupFamily::kPrice, range.last + 1)));
    for (auto& key : keys) {
      if (want(key)) keys_in_range.push_back(std::move(key));
    }
  } else {
    const absl::CivilMonth days_from = std::min(absl::CivilMonth(daily_from), last_month_of_range);
    // What a (commodity, market) pair's cells add to, worked out at its first cell and found again
    // by the key's own bytes: the scans meet each pair once a month (or a year), and nothing is
    // parsed, allocated or checked against the scope again for it.
    struct Targets {
      bool visible = false;
      std::vector<std::vector<common::DayMean>*> daily;  // its market's series, the kabupaten's
      std::vector<std::vector<MonthSum>*> months;
      std::vector<absl::CivilDay>* seen = nullptr;  // for missed checks
    };
    std::map<std::string, Targets, std::less<>> targets;  // by the key's codes, commodity \0 market
    auto targets_of = [&](std::string_view key) -> const Targets& {
      const std::string_view codes = key.substr(5);
      if (auto found = targets.find(codes); found != targets.end()) return found->second;
      Targets t;
      auto parts = common::ParseCellKey(key);
      if (parts && parts->codes.size() == 2 && Sees(who, *catalog, "market", parts->codes[1])) {
        const std::string& commodity = parts->codes[0];
        const std::string& market = parts->codes[1];
        t.visible = true;
        auto take = [&](const SeriesId& id) {
          t.daily.push_back(&series[id]);
          if (monthly) t.months.push_back(&month_sums[id]);
        };
        if (own_series) take({commodity, market});
        if (kabupaten_series) take({commodity, ""});
        if (wants_missing && !kabupaten_only) t.seen = &seen_in_range[{market, commodity}];
      }
      return targets.emplace(std::string(codes), std::move(t)).first->second;
    };
    // Visited in place, not copied into a list: a cell is read once.
    auto visit_days = [&](std::string_view key, const v1::RollupCell& cell) {
      const Targets& t = targets_of(key);
      if (!t.visible) return true;
      const absl::CivilMonth month = common::ParseCellKeyTime(key)->month;
      for (const v1::PriceSum& d : cell.price_days().days()) {
        const absl::CivilDay day(month.year(), month.month(), d.index());
        if (day > range.last || d.count() == 0) continue;
        const absl::int128 sum = common::SumOf(d);
        if (day >= daily_from) {
          for (auto* days : t.daily) add_sorted(*days, common::DayMean{day, sum, d.count()}, day_of);
        }
        if (month == last_month_of_range) {
          for (auto* months : t.months) add_sorted(*months, MonthSum{last_month, sum, d.count()}, index_of);
        }
        if (t.seen != nullptr && day >= range.first) common::AddDaySeen(*t.seen, day);
      }
      return true;
    };
    PANTAU_RETURN_IF_ERROR(records_.ScanRollups(common::PriceDaysKey(days_from),
                                                common::PriceDaysKey(last_month_of_range + 1), visit_days, want));
    if (monthly) {
      auto visit_months = [&](std::string_view key, const v1::RollupCell& cell) {
        const Targets& t = targets_of(key);
        if (!t.visible) return true;
        const int year = common::ParseCellKeyTime(key)->year;
        for (const v1::PriceSum& m : cell.price_months().months()) {
          const int index = year * 12 + m.index() - 1;
          // The range's last month comes from its days (up to the range's end), above.
          if (index >= last_month || m.count() == 0) continue;
          const absl::int128 sum = common::SumOf(m);
          for (auto* months : t.months) add_sorted(*months, MonthSum{index, sum, m.count()}, index_of);
        }
        return true;
      };
      PANTAU_RETURN_IF_ERROR(records_.ScanRollups(common::PriceMonthsKey(1970),
                                                  common::PriceMonthsKey(static_cast<int>(range.last.year()) + 1),
                                                  visit_months, want));
    }
  }

  v1::ListAlertsResponse out;
  out.set_from(common::FormatLocalDate(range.first));
  out.set_to(common::FormatLocalDate(range.last));
  std::vector<v1::PriceAlert> alerts;
  auto alert_for = [&](const char* kind, const std::string& commodity, const std::string& market) {
    v1::PriceAlert a;
    a.set_kind(kind);
    a.set_commodity_code(commodity);
    if (const v1::Commodity* c = catalog->FindCommodity(commodity)) {
      a.set_commodity_name(c->name());
      a.set_unit(c->unit());
    }
    a.set_market_code(market);
    if (market.empty()) {
      a.set_market_name("Kabupaten (semua pasar)");
    } else if (const v1::Market* m = catalog->FindMarket(market)) {
      a.set_market_name(m->name());
    }
    return a;
  };
  for (const auto& entry : series) {
    // Named references, not structured bindings: clang (the fuzz build) may not capture bindings in lambdas.
    const SeriesId& id = entry.first;
    const std::vector<common::DayMean>& days = entry.second;
    const std::string& commodity = id.first;
    const std::string& market = id.second;
    auto on = [&](absl::CivilDay day) -> const common::DayMean& {
      return *std::lower_bound(days.begin(), days.end(), day,
                               [](const common::DayMean& d, absl::CivilDay x) { return d.day < x; });
    };
    const std::vector<std::string> zones = catalog->PriceZonesOfMarket(market);
    // The HET/HAP over time, looked up per day without formatting a key each time.
    const auto timeline = catalog->ReferencePriceTimeline(commodity, zones);
    auto reference_on = [&](absl::CivilDay day) -> std::optional<int64_t> {
      auto after = std::upper_bound(timeline.begin(), timeline.end(), day,
                                    [](absl::CivilDay d, const common::ReferenceCatalog::ReferenceChange& c) { return d < c.from; });
      if (after == timeline.begin() || std::prev(after)->price == nullptr) return std::nullopt;
      return std::prev(after)->price->price_rupiah();
    };
    if (wants("het")) {
      for (const auto& run : common::HetBreaches(days, reference_on, settings.het_margin_basis_points,
                                                 settings.het_min_days)) {
        if (run.last_day < range.first) continue;
        v1::PriceAlert a = alert_for("het", commodity, market);
        a.set_day(common::FormatLocalDate(run.last_day));
        a.set_level(run.observed_days >= 3 ? "siaga" : "waspada");
        *a.mutable_mean_rupiah() = ToExactValue(common::RatioOf(run.last_sum, run.last_count));
        a.set_reference_rupiah(run.reference_rupiah);
        const v1::ReferencePrice* r = catalog->ReferencePriceFor(commodity, zones, run.last_day);
        a.set_reference_kind(r != nullptr && r->kind() == v1::REFERENCE_PRICE_KIND_HAP ? "HAP" : "HET");
        // (mean − reference) / reference × 100 = (sum − ref × count) × 100 / (ref × count)
        *a.mutable_above_percent() = ToExactValue(
            common::RatioOf((run.last_sum - absl::int128(run.reference_rupiah) * run.last_count) * 100,
                            absl::int128(run.reference_rupiah) * run.last_count),
            true);
        a.set_run_days(run.observed_days);
        a.set_run_first_day(common::FormatLocalDate(run.first_day));
        a.set_message(StrCat("Rata-rata ", RupiahWords(a.mean_rupiah()), " di atas ", a.reference_kind(), " ",
                             common::FormatRupiah(run.reference_rupiah), " (+", PercentWords(a.above_percent().text()), ") selama ",
                             run.observed_days, " hari pengamatan berturut-turut sejak ", common::DateWords(run.first_day)));
        alerts.push_back(std::move(a));
      }
    }
    if (wants("lonjakan")) {
      for (const auto& c : common::SuddenChanges(days, settings.change)) {
        if (c.day < range.first) continue;
        const common::DayMean& now = on(c.day);
        const common::DayMean& before = on(c.previous_day);
        v1::PriceAlert a = alert_for("lonjakan", commodity, market);
        a.set_day(common::FormatLocalDate(c.day));
        a.set_level(std::abs(std::log(c.ratio)) >= 2 * c.threshold ? "siaga" : "waspada");
        *a.mutable_mean_rupiah() = ToExactValue(common::RatioOf(now.sum, now.count));
        a.set_previous_day(common::FormatLocalDate(c.previous_day));
        *a.mutable_previous_mean_rupiah() = ToExactValue(common::RatioOf(before.sum, before.count));
        // (now / before − 1) × 100 = (now.sum × before.count − before.sum × now.count) × 100 / (before.sum × now.count)
        *a.mutable_change_percent() =
            ToExactValue(common::RatioOf((now.sum * before.count - before.sum * now.count) * 100, before.sum * now.count),
                         true);
        a.set_threshold_percent(Fixed2(std::expm1(c.threshold) * 100));
        a.set_message(StrCat(c.ratio >= 1 ? "Naik " : "Turun ", PercentWords(a.change_percent().text()), " dari ",
                             RupiahWords(a.previous_mean_rupiah()), " (", common::DateWords(c.previous_day), ") menjadi ",
                             RupiahWords(a.mean_rupiah()), "; perubahan wajar seri ini sampai ",
                             PercentWords(a.threshold_percent()), c.history > 0 ? StrCat(" (dari ", c.history, " perubahan sebelumnya)") : " (batas bawah)"));
        alerts.push_back(std::move(a));
      }
    }
    if (monthly) {
      static const std::vector<MonthSum> kNone;
      const auto found_months = month_sums.find(id);
      const std::vector<MonthSum>& months = found_months == month_sums.end() ? kNone : found_months->second;
      std::vector<common::MonthlyPrice> monthly_series;
      for (const MonthSum& m : months) {
        monthly_series.push_back({m.index / 12, m.index % 12 + 1, static_cast<double>(m.sum) / static_cast<double>(m.count)});
      }
      auto month_alert = [&](const char* kind, int year, int month) {
        v1::PriceAlert a = alert_for(kind, commodity, market);
        a.set_month(MonthLabel(year, month));
        const MonthSum& m = *std::lower_bound(months.begin(), months.end(), year * 12 + month - 1,
                                              [](const MonthSum& s, int index) { return s.index < index; });
        *a.mutable_mean_rupiah() = ToExactValue(common::RatioOf(m.sum, m.count));
        return a;
      };
      if (wants("alps")) {
        const common::AlpsResult alps = common::Alps(monthly_series);
        if (!alps.enough_history) {
          v1::ShortHistory* short_history = out.add_short_history();
          short_history->set_commodity_code(commodity);
          short_history->set_market_code(market);
          short_history->set_months(alps.observed_months);
        }
        for (const auto& p : alps.points) {
          const int index = p.year * 12 + p.month - 1;
          if (index < first_month || index > last_month || p.band == common::AlpsBand::kNormal) continue;
          v1::PriceAlert a = month_alert("alps", p.year, p.month);
          a.set_value(Fixed2(p.alps));
          a.set_band(std::string(common::AlpsBandName(p.band)));
          a.set_level(p.band == common::AlpsBand::kStress ? "waspada" : "siaga");
          a.set_message(StrCat("ALPS ", a.value(), " (", a.band(), "): rata-rata bulan ini ", RupiahWords(a.mean_rupiah()),
                               ", harga wajar menurut tren musiman ", common::FormatRupiah(std::llround(p.estimated))));
          alerts.push_back(std::move(a));
        }
      }
      if (wants("ifpa")) {
        for (const auto& p : common::Ifpa(monthly_series, settings.ifpa, first_month)) {
          const int index = p.year * 12 + p.month - 1;
          if (index < first_month || index > last_month) continue;
          if (p.band != common::IfpaBand::kModeratelyHigh && p.band != common::IfpaBand::kAbnormallyHigh) continue;
          v1::PriceAlert a = month_alert("ifpa", p.year, p.month);
          a.set_value(Fixed2(p.ifpa));
          a.set_band(std::string(common::IfpaBandName(p.band)));
          a.set_level(p.band == common::IfpaBand::kModeratelyHigh ? "waspada" : "siaga");
          a.set_message(StrCat("IFPA ", a.value(), " (", a.band(), "): pertumbuhan per bulan ",
                               PercentWords(Fixed2(p.cqgr * 100)), " atas 3 bulan dan ", PercentWords(Fixed2(p.cagr * 100)),
                               " atas 12 bulan, dibanding bulan yang sama ",
                               p.earlier_years, " tahun sebelumnya"));
          alerts.push_back(std::move(a));
        }
      }
    }
  }
  // Missing observations: a scheduled market × commodity × day without a sample once the day is
  // over (today's is not missing yet), addressed to the inspectors assigned to the market.
  const absl::CivilDay today = absl::ToCivilDay(clock_.Now(), settings_.zone);
  if (wants_missing && !kabupaten_only && range.first < today) {
    const absl::CivilDay last = std::min(range.last, today - 1);
    PANTAU_ASSIGN_OR_RETURN(auto weekdays, common::ParseWeekdays(settings_.price_schedule));
    std::vector<std::string> markets = catalog->Codes("market");
    if (!market_filter.empty()) markets = {market_filter};
    std::erase_if(markets, [&](const std::string& m) { return !Sees(who, *catalog, "market", m); });
    std::vector<std::string> commodities = catalog->Codes("commodity");
    if (!commodity_filter.empty()) commodities = {commodity_filter};
    std::vector<Inspector> inspectors;
    if (directory_) {
      PANTAU_ASSIGN_OR_RETURN(auto directory, directory_());
      inspectors = std::move(directory.inspectors);
    }
    std::map<std::string, std::vector<std::string>> assigned;  // market -> inspectors
    for (const auto& m : markets) {
      const v1::Market* market = catalog->FindMarket(m);
      std::vector<std::string> named, anywhere;
      for (const auto& i : inspectors) {
        if (i.scope.kecamatan_codes_size() == 0) {
          anywhere.push_back(i.name);
        } else if (market != nullptr && common::KecamatanInScope(i.scope, market->kecamatan_code())) {
          named.push_back(i.name);
        }
      }
      assigned[m] = named.empty() ? anywhere : named;
    }
    const std::vector<common::CoverageCell> coverage =
        keys_only ? common::Coverage(keys_in_range, markets, commodities, range.first, last, weekdays)
                  : common::CoverageOfDays(seen_in_range, markets, commodities, range.first, last, weekdays);
    for (const auto& c : coverage) {
      for (absl::CivilDay day : c.missing) {
        v1::PriceAlert a = alert_for("tidak_teramati", c.commodity, c.market);
        a.set_day(common::FormatLocalDate(day));
        a.set_level("waspada");
        for (const auto& name : assigned[c.market]) a.add_inspectors(name);
        a.set_message(StrCat("Tidak ada sampel harga pada hari jadwal ", common::DateWords(day)));
        alerts.push_back(std::move(a));
      }
    }
  }
  std::sort(alerts.begin(), alerts.end(), [](const v1::PriceAlert& a, const v1::PriceAlert& b) {
    const std::string& when_a = a.day().empty() ? a.month() : a.day();
    const std::string& when_b = b.day().empty() ? b.month() : b.day();
    return std::tie(when_a, a.commodity_code(), a.market_code(), a.kind()) <
           std::tie(when_b, b.commodity_code(), b.market_code(), b.kind());
  });
  for (auto& a : alerts) {
    (*out.mutable_by_kind())[a.kind()]++;
    *out.add_alerts() = std::move(a);
  }
  return out;
}

absl::StatusOr<std::vector<v1::PriceAlert>> QueryService::MissingObservationsFor(const Principal& inspector,
                                                                               int days) {
  const absl::CivilDay today = absl::ToCivilDay(clock_.Now(), settings_.zone);
  v1::ListAlertsRequest request;
  request.set_from(common::FormatLocalDate(today - days));
  request.set_to(common::FormatLocalDate(today - 1));
  request.add_kinds("tidak_teramati");
  // Read as a supervisor of the inspector's kecamatan would: its markets, or all when it has none.
  v1::AccountScope scope;
  *scope.mutable_kecamatan_codes() = inspector.scope.kecamatan_codes();
  PANTAU_ASSIGN_OR_RETURN(auto all, Alerts(request, Principal(inspector.name, v1::ROLE_SUPERVISOR, scope)));
  std::vector<v1::PriceAlert> out;
  for (auto& a : *all.mutable_alerts()) {
    if (std::find(a.inspectors().begin(), a.inspectors().end(), inspector.name) != a.inspectors().end()) {
      out.push_back(std::move(a));
    }
  }
  return out;
}

}  // namespace pantau::service
