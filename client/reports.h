// Supervisor reports as text: an aligned table for a terminal, CSV for a spreadsheet, JSON for
// programs. Pure functions of the server's answer. Thread-safety: stateless.
#pragma once

#include <string>

#include "pantau/v1/query_service.pb.h"

namespace pantau::client {

// "Periode 2026 (2026-01-01 s.d. 2026-12-31)" and one line per IKK row: No, Indikator (cut to
// fit), Target, Realisasi, Capaian (%), Sumber.
std::string IkkTable(const v1::GetIndicatorTableResponse& table);
// RFC 4180 CSV with a header row; every column of the dinas's table, then target, realisasi,
// capaian and sumber. Values are the exact texts (2 decimals for percentages).
std::string IkkCsv(const v1::GetIndicatorTableResponse& table);
// JSON: {"period", "first_day", "last_day", "rows": [{no, indikator, ..., target, realisasi,
// capaian, sumber, breakdown}]}; missing values are null, never 0.
std::string IkkJson(const v1::GetIndicatorTableResponse& table);

// Price statistics: one line per market and period; missing values ("-") are never 0.
std::string PriceTable(const v1::GetPriceStatisticsResponse& stats);
std::string PriceCsv(const v1::GetPriceStatisticsResponse& stats);
std::string PriceJson(const v1::GetPriceStatisticsResponse& stats);

}  // namespace pantau::client
