#include "server/service/query_service.h"

#include <functional>
#include <set>

#include "common/dates.h"
#include "common/periods.h"
#include "common/price_stats.h"
#include "common/status_macros.h"
#include "common/str_cat.h"

namespace pantau::service {

v1::ExactValue ToExactValue(common::Ratio r, bool percent) {
  v1::ExactValue v;
  v.set_numerator(r.numerator);
  v.set_denominator(r.denominator);
  v.set_text(!percent && r.denominator != 0 && r.numerator % r.denominator == 0
                 ? StrCat(r.numerator / r.denominator)
                 : common::FormatRatio(r, 2));
  return v;
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
    const v1::GetPriceStatisticsRequest& request) {
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
    markets.insert(parts->codes[1]);
    cells.emplace_back(std::move(key), std::move(cell));
  }
  v1::GetPriceStatisticsResponse out;
  out.set_commodity_code(commodity->code());
  out.set_commodity_name(commodity->name());
  out.set_unit(commodity->unit());
  for (const auto& market : markets) {
    for (const auto& p : common::PriceSeries(cells, request.commodity_code(), market, bucket,
                                             *catalog, settings_.price_zones)) {
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

absl::StatusOr<v1::GetIndicatorTableResponse> QueryService::IndicatorTable(std::string_view label) {
  auto period = common::ParsePeriod(label);
  if (!period) {
    return absl::InvalidArgumentError(StrCat("period \"", label,
                                             "\": use 2026, 2026-Q4, 2026-11, 2026-W48 or 2026-11-24"));
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

  v1::GetIndicatorTableResponse out;
  out.set_period(period->label);
  out.set_first_day(common::FormatLocalDate(first));
  out.set_last_day(common::FormatLocalDate(last));
  const int year = static_cast<int>(last.year());
  for (const auto& code : catalog->Codes("indicator")) {
    const v1::Indicator& indicator = catalog->entities().at(StrCat("indicator/", code)).indicator();
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
      case v1::INDICATOR_COMPUTATION_FOLLOW_UPS:
        realisasi = common::Whole(common::FollowUpActions(follow_ups));
        break;
      case v1::INDICATOR_COMPUTATION_UTTP_VERIFIED_PERCENT: {
        auto coverage = common::UttpVerifiedPercentIn(uttp, *catalog, first, last, settings_.uttp_definition);
        realisasi = coverage.percent;
        (*row->mutable_breakdown())["ditera"] = coverage.verified;
        (*row->mutable_breakdown())["potensi"] = coverage.registry;
        break;
      }
      default: {
        realisasi = common::ManualRealisationValue(*catalog, indicator.number(), year);
        const auto* manual = catalog->FindManualRealisation(indicator.number(), year);
        percent = manual != nullptr && manual->denominator() > 0;
        break;
      }
    }
    const bool automatic = indicator.computation() != v1::INDICATOR_COMPUTATION_MANUAL &&
                           indicator.computation() != v1::INDICATOR_COMPUTATION_UNSPECIFIED;
    row->set_source(automatic ? "otomatis" : realisasi ? "manual" : "belum diisi");
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

}  // namespace pantau::service
