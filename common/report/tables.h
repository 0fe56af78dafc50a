// Supervisor reports as text: an aligned table for a terminal, CSV for a spreadsheet, JSON for
// programs. Pure functions of the server's answer. Thread-safety: stateless.
#pragma once

#include <string>
#include <vector>

#include "common/reference_catalog.h"
#include "google/protobuf/message.h"
#include "pantau/v1/query_service.pb.h"

namespace pantau::report {

// A report as a table, written out as text, CSV or XLSX (common/report/xlsx.h) alike.
struct Table {
  // kPercent: always 2 decimals; kRupiah: whole or decimal Rupiah; kDate: a local date YYYY-MM-DD.
  enum class Kind { kText, kInteger, kNumber, kPercent, kRupiah, kDate };
  struct Column {
    std::string key;     // CSV header and JSON key: "rata_rata"
    std::string header;  // for people: "Rata-rata"
    Kind kind = Kind::kText;
    size_t width = 12;   // the column's width in a workbook (characters)
  };
  std::string title;
  std::vector<std::string> notes;  // lines under the title
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // "" is a missing value: "-" on a terminal
  // On a terminal, a column empty in every row is left out, unless the table's layout is fixed
  // (the IKK table keeps its Target and Capaian columns while no target is entered).
  bool keep_empty_columns = false;
};
// How a table is laid out on a terminal: wrapped to `width` characters, or one line per row.
struct TextLayout {
  size_t width = 80;
  bool wide = false;  // one line per row, whatever the width
};
// An aligned table for a terminal. Numbers in Indonesian notation (1.234,5; Rupiah as
// "Rp 13.100"), right-aligned; a missing value is "-". The columns share `layout.width`: text
// columns are wrapped at spaces, never narrower than their longest word, so an identifier is
// never cut (a table whose words cannot fit is wider than the terminal, not cut). Dates as
// "3 Nov 2026". A column empty in every row is left out.
std::string TableText(const Table& table, TextLayout layout = {});
// Names in place of the codes a table's columns hold, from `catalog`: markets (pasar, lokasi,
// pasar_termurah, pasar_termahal), commodities (komoditas), kecamatan and follow-up actions
// (tindakan_terakhir). A code the catalog does not know stays as it is. For people's tables and
// workbooks; CSV keeps the codes (docs/indicators.md).
void ShowNames(Table& table, const common::ReferenceCatalog& catalog);
// "13133.33" -> "13.133,33", "-1250" -> "-1.250"; text that is no plain number is returned as is.
std::string IndonesianNumber(const std::string& text);
// One CSV field (RFC 4180 quoting). Text a spreadsheet would run as a formula (first character
// =, +, -, @, tab or CR, and not a plain number) gets a leading apostrophe, quoted (OWASP).
std::string CsvField(const std::string& text);

// RFC 4180, a header row of the column keys; missing values are empty fields.
std::string TableCsv(const Table& table);
// The one JSON convention of every report, on the CLI (`--format json`) and the HTTP API alike:
// the answer as proto3 JSON with the proto field names, every scalar field printed (0, "" and false
// included), 64-bit integers as strings, an absent value (a message such as `realisasi`) left
// out — never 0. docs/indicators.md.
std::string ResponseJson(const google::protobuf::Message& response);

Table PriceStatisticsTable(const v1::GetPriceStatisticsResponse& stats);
// One row per commodity: KV antar waktu, periods, disparity between markets; the mean KV as a note.
Table PriceStabilityTable(const v1::GetPriceStabilityResponse& stability);
// One row per market x commodity with the missing scheduled days; totals per market as notes.
Table CoverageTable(const v1::GetCoverageResponse& coverage);
Table ViolationsTable(const v1::ListViolationsResponse& violations);
Table UttpDueTable(const v1::ListUttpDueResponse& due);
// One row per verification: the computed verdict, the laptop's claim, a discrepancy flag.
Table UttpVerificationsTable(const v1::ListUttpVerificationsResponse& list);
// The outlet audits of a period: day, outlet, kind, kecamatan, inspector, checklist, findings.
Table AuditsTable(const v1::ListAuditsResponse& list);
// Price alerts: when, kind, level, commodity, market, the figures and the rule's words.
Table AlertsTable(const v1::ListAlertsResponse& list);
// One row per inspector's laptop: last record accepted, days since, this week's count, quiet;
// inspectors without a laptop as a note.
Table FieldActivityTable(const v1::GetFieldActivityResponse& activity);

// "Periode 2026 (2026-01-01 s.d. 2026-12-31)" and one row per IKK row: No, Indikator (wrapped),
// Target, Realisasi, Capaian (%), Sumber.
std::string IkkTable(const v1::GetIndicatorTableResponse& table, TextLayout layout = {});
// RFC 4180 CSV with a header row; every column of the dinas's table, then target, realisasi,
// capaian and sumber. Values are the exact texts (2 decimals for percentages).
std::string IkkCsv(const v1::GetIndicatorTableResponse& table);
// The IKK table as JSON: ResponseJson of the answer (rows[].indicator, target, realisasi, capaian,
// source, breakdown).
std::string IkkJson(const v1::GetIndicatorTableResponse& table);

// Price statistics: one line per market and period; missing values ("-") are never 0.
std::string PriceTable(const v1::GetPriceStatisticsResponse& stats, TextLayout layout = {});
// The terminal's price table (the columns of PriceTable) before it is laid out.
Table PriceTextTable(const v1::GetPriceStatisticsResponse& stats);
std::string PriceCsv(const v1::GetPriceStatisticsResponse& stats);
std::string PriceJson(const v1::GetPriceStatisticsResponse& stats);

}  // namespace pantau::report
