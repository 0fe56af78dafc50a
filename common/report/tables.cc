#include "common/report/tables.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/type_resolver_util.h>
#include <nlohmann/json.hpp>

#include "absl/strings/str_join.h"
#include "common/dates.h"
#include "common/str_cat.h"
#include "common/text.h"
#include "google/protobuf/util/json_util.h"

namespace pantau::report {
namespace {

using Kind = Table::Kind;

// A number as the reports write it ("-1250", "+3.5", "-0,25"): no spreadsheet reads it as a formula.
bool IsPlainNumber(const std::string& text) {
  size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  bool digits = false;
  bool point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if ((c == '.' || c == ',') && !point && digits) {
      point = true;
    } else {
      return false;
    }
  }
  return digits && text.back() >= '0' && text.back() <= '9';
}

}  // namespace

std::string CsvField(const std::string& text) {
  // A cell a spreadsheet would run as a formula (=, +, -, @, tab or CR first) is neutralised with a
  // leading apostrophe and quoted (OWASP, CSV injection); numbers are left as they are.
  const bool formula = !text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos &&
                       !IsPlainNumber(text);
  if (!formula && text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = formula ? "\"'" : "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

namespace {

size_t Width(const std::string& text) { return common::Utf8Length(text); }

std::string RightAlign(const std::string& text, size_t width) {
  return std::string(width > Width(text) ? width - Width(text) : 0, ' ') + text;
}

std::string PadRight(const std::string& text, size_t width) {
  return text + std::string(width > Width(text) ? width - Width(text) : 0, ' ');
}

// The words of `text` in lines of at most `width` characters (a longer word on a line of its own).
std::vector<std::string> Wrap(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::string line;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    if (!line.empty() && Width(line) + 1 + Width(word) > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

size_t LongestWord(const std::string& text) {
  size_t longest = 0;
  for (const std::string& word : Wrap(text, 0)) longest = std::max(longest, Width(word));
  return longest;
}

// Numbers are right-aligned and never wrapped; text and dates ("3 Nov 2026") wrap at spaces.
bool Numeric(Table::Kind kind) { return kind != Table::Kind::kText && kind != Table::Kind::kDate; }

// A cell as a terminal shows it.
std::string Shown(const std::string& value, Table::Kind kind) {
  if (value.empty()) return "-";
  switch (kind) {
    case Table::Kind::kRupiah:
      return IsPlainNumber(value) ? "Rp " + IndonesianNumber(value) : value;
    case Table::Kind::kInteger:
    case Table::Kind::kNumber:
    case Table::Kind::kPercent:
      return IndonesianNumber(value);
    case Table::Kind::kDate:
      if (std::optional<absl::CivilDay> day = common::ParseLocalDate(value)) return common::DateWords(*day);
      break;
    case Table::Kind::kText:
      break;
  }
  return value;
}

std::string ValueText(const v1::IndicatorRow& row, int which) {
  const v1::ExactValue* v = nullptr;
  bool present = false;
  if (which == 0) present = row.has_target(), v = &row.target();
  if (which == 1) present = row.has_realisasi(), v = &row.realisasi();
  if (which == 2) present = row.has_capaian(), v = &row.capaian();
  return present ? v->text() : "";
}

}  // namespace

std::string IkkTable(const v1::GetIndicatorTableResponse& table, TextLayout layout) {
  Table t;
  t.title = StrCat("Periode ", table.period(), " (", table.first_day(), " s.d. ", table.last_day(), ")");
  t.keep_empty_columns = true;  // the dinas's columns, "-" where nothing is entered yet
  t.columns = {{"no", "No", Kind::kInteger},        {"indikator", "Indikator", Kind::kText},
               {"target", "Target", Kind::kNumber}, {"realisasi", "Realisasi", Kind::kNumber},
               {"capaian", "Capaian %", Kind::kPercent}, {"sumber", "Sumber", Kind::kText}};
  for (const auto& row : table.rows()) {
    t.rows.push_back({StrCat(row.indicator().number()), row.indicator().name(), ValueText(row, 0), ValueText(row, 1),
                      ValueText(row, 2), row.source()});
  }
  return TableText(t, layout);
}

std::string IkkCsv(const v1::GetIndicatorTableResponse& table) {
  std::string out =
      "no,tujuan,sasaran,indikator_kinerja_kegiatan,bidang_urusan,formulasi_cara_pengukuran,"
      "sumber_data,target,realisasi,capaian_persen,sumber\n";
  for (const auto& row : table.rows()) {
    const auto& i = row.indicator();
    std::vector<std::string> fields = {StrCat(i.number()), i.tujuan(),   i.sasaran(),
                                       i.name(),           i.bidang(),   i.formula(),
                                       i.data_source(),    row.has_target() ? row.target().text() : "",
                                       row.has_realisasi() ? row.realisasi().text() : "",
                                       row.has_capaian() ? row.capaian().text() : "", row.source()};
    for (size_t k = 0; k < fields.size(); ++k) out += (k > 0 ? "," : "") + CsvField(fields[k]);
    out += "\n";
  }
  return out;
}

std::string IkkJson(const v1::GetIndicatorTableResponse& table) {
  // The one JSON convention of every report (ResponseJson): the answer itself.
  return ResponseJson(table);
}

namespace {

std::vector<std::string> PriceFields(const v1::PricePointRow& p) {
  auto text = [](bool present, const v1::ExactValue& v) { return present ? v.text() : std::string(); };
  return {p.market_code(),
          p.period(),
          StrCat(p.samples()),
          StrCat(p.traders()),
          p.mean_rupiah().text(),
          p.median_rupiah().text(),
          StrCat(p.min_rupiah()),
          StrCat(p.max_rupiah()),
          p.previous_period(),
          text(p.has_change_rupiah(), p.change_rupiah()),
          text(p.has_change_percent(), p.change_percent()),
          p.reference_rupiah() > 0 ? StrCat(p.reference_rupiah()) : "",
          p.reference_kind(),
          text(p.has_above_reference_percent(), p.above_reference_percent())};
}

const char* const kPriceColumns[] = {"pasar",      "periode",       "sampel",     "pedagang",
                                     "rata_rata",  "median",        "min",        "max",
                                     "periode_sebelumnya", "perubahan_rp", "perubahan_persen",
                                     "harga_acuan", "jenis_acuan",  "di_atas_acuan_persen"};

}  // namespace

std::string PriceCsv(const v1::GetPriceStatisticsResponse& stats) {
  std::string out;
  for (size_t k = 0; k < std::size(kPriceColumns); ++k) out += (k > 0 ? "," : "") + std::string(kPriceColumns[k]);
  out += "\n";
  for (const auto& p : stats.points()) {
    auto fields = PriceFields(p);
    for (size_t k = 0; k < fields.size(); ++k) out += (k > 0 ? "," : "") + CsvField(fields[k]);
    out += "\n";
  }
  return out;
}

std::string PriceJson(const v1::GetPriceStatisticsResponse& stats) {
  // The one JSON convention of every report (ResponseJson): the answer itself.
  return ResponseJson(stats);
}

std::string PriceTable(const v1::GetPriceStatisticsResponse& stats, TextLayout layout) {
  return TableText(PriceTextTable(stats), layout);
}

Table PriceTextTable(const v1::GetPriceStatisticsResponse& stats) {
  Table t;
  t.title = StrCat(stats.commodity_name(), " (Rp/", stats.unit(), ")");
  t.columns = {{"pasar", "Pasar", Kind::kText},        {"periode", "Periode", Kind::kText},
               {"sampel", "n", Kind::kInteger},        {"rata_rata", "Rata-rata", Kind::kRupiah},
               {"median", "Median", Kind::kRupiah},    {"min", "Min", Kind::kRupiah},
               {"max", "Max", Kind::kRupiah},          {"perubahan_persen", "Ubah %", Kind::kPercent},
               {"di_atas_acuan_persen", "vs acuan %", Kind::kPercent}};
  for (const auto& p : stats.points()) {
    t.rows.push_back({p.market_code(), p.period(), StrCat(p.samples()), p.mean_rupiah().text(), p.median_rupiah().text(),
                      StrCat(p.min_rupiah()), StrCat(p.max_rupiah()),
                      p.has_change_percent() ? p.change_percent().text() : "",
                      p.has_above_reference_percent() ? p.above_reference_percent().text() : ""});
  }
  return t;
}

namespace {

// The name `find` gives a code, or the code itself when the catalog has no name for it.
template <typename Entity>
std::function<std::string(const std::string&)> NameBy(const common::ReferenceCatalog& catalog,
                                                      const Entity* (common::ReferenceCatalog::*find)(std::string_view)
                                                          const) {
  return [&catalog, find](const std::string& code) {
    const Entity* e = (catalog.*find)(code);
    return e != nullptr && !e->name().empty() ? e->name() : code;
  };
}

}  // namespace

void ShowNames(Table& table, const common::ReferenceCatalog& catalog) {
  using Catalog = common::ReferenceCatalog;
  for (size_t k = 0; k < table.columns.size(); ++k) {
    const std::string& key = table.columns[k].key;
    std::function<std::string(const std::string&)> name;
    if (key == "pasar" || key == "lokasi" || key == "pasar_termurah" || key == "pasar_termahal") {
      name = NameBy(catalog, &Catalog::FindMarket);
    } else if (key == "komoditas") {
      name = NameBy(catalog, &Catalog::FindCommodity);
    } else if (key == "kecamatan") {
      name = NameBy(catalog, &Catalog::FindKecamatan);
    } else if (key == "tindakan_terakhir") {
      name = NameBy(catalog, &Catalog::FindFollowUpAction);
    } else {
      continue;
    }
    for (auto& row : table.rows) {
      if (k < row.size() && !row[k].empty()) row[k] = name(row[k]);
    }
  }
}

std::string IndonesianNumber(const std::string& text) {
  if (!IsPlainNumber(text)) return text;
  const size_t sign = text[0] == '-' || text[0] == '+' ? 1 : 0;
  const size_t point = text.find_first_of(".,");
  const std::string whole = text.substr(sign, point == std::string::npos ? std::string::npos : point - sign);
  std::string out = text.substr(0, sign);
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += '.';
    out += whole[i];
  }
  if (point != std::string::npos) out += "," + text.substr(point + 1);
  return out;
}

std::string TableText(const Table& all, TextLayout layout) {
  // A column empty in every row says nothing on a terminal: it is left out (CSV and XLSX keep it).
  Table table = all;
  if (!all.rows.empty() && !all.keep_empty_columns) {
    table.columns.clear();
    for (auto& row : table.rows) row.clear();
    for (size_t k = 0; k < all.columns.size(); ++k) {
      const bool empty = std::all_of(all.rows.begin(), all.rows.end(),
                                     [&](const auto& row) { return k >= row.size() || row[k].empty(); });
      if (empty) continue;
      table.columns.push_back(all.columns[k]);
      for (size_t r = 0; r < all.rows.size(); ++r) table.rows[r].push_back(all.rows[r][k]);
    }
  }
  const size_t n = table.columns.size();
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : table.rows) {
    std::vector<std::string> shown;
    for (size_t k = 0; k < n; ++k) shown.push_back(Shown(k < row.size() ? row[k] : "", table.columns[k].kind));
    cells.push_back(std::move(shown));
  }
  // Each column's natural width (one line per cell) and the narrowest it may be wrapped to: its
  // longest word for text and dates, the whole value for numbers, which are never wrapped.
  std::vector<size_t> widths(n), narrowest(n);
  for (size_t k = 0; k < n; ++k) {
    const bool wraps = !Numeric(table.columns[k].kind);
    widths[k] = Width(table.columns[k].header);
    narrowest[k] = LongestWord(table.columns[k].header);
    for (const auto& row : cells) {
      widths[k] = std::max(widths[k], Width(row[k]));
      narrowest[k] = std::max(narrowest[k], wraps ? LongestWord(row[k]) : Width(row[k]));
    }
  }
  if (!layout.wide && n > 0) {
    size_t total = 2 * (n - 1);
    for (size_t w : widths) total += w;
    // Narrow the widest column that can still give, one character at a time, until it fits.
    while (total > layout.width) {
      size_t pick = n;
      for (size_t k = 0; k < n; ++k) {
        if (widths[k] > narrowest[k] && (pick == n || widths[k] > widths[pick])) pick = k;
      }
      if (pick == n) break;  // every column at its narrowest: wider than the terminal, never cut
      --widths[pick];
      --total;
    }
  }
  std::string out = table.title + "\n";
  for (const auto& note : table.notes) out += note + "\n";
  auto row_text = [&](const std::vector<std::string>& row, bool header) {
    std::vector<std::vector<std::string>> wrapped(n);
    size_t lines = 1;
    for (size_t k = 0; k < n; ++k) {
      wrapped[k] = layout.wide ? std::vector<std::string>{row[k]} : Wrap(row[k], widths[k]);
      lines = std::max(lines, wrapped[k].size());
    }
    std::string text;
    for (size_t line = 0; line < lines; ++line) {
      std::string l;
      for (size_t k = 0; k < n; ++k) {
        const std::string part = line < wrapped[k].size() ? wrapped[k][line] : "";
        if (k > 0) l += "  ";
        l += Numeric(table.columns[k].kind) && !(header && part.empty()) ? RightAlign(part, widths[k])
                                                                         : PadRight(part, widths[k]);
      }
      while (!l.empty() && l.back() == ' ') l.pop_back();
      text += l + "\n";
    }
    return text;
  };
  std::vector<std::string> headers;
  for (const auto& c : table.columns) headers.push_back(c.header);
  out += row_text(headers, true);
  for (const auto& row : cells) out += row_text(row, false);
  return out;
}

std::string TableCsv(const Table& table) {
  std::string out;
  for (size_t k = 0; k < table.columns.size(); ++k) out += (k > 0 ? "," : "") + CsvField(table.columns[k].key);
  out += "\n";
  for (const auto& row : table.rows) {
    for (size_t k = 0; k < row.size(); ++k) out += (k > 0 ? "," : "") + CsvField(row[k]);
    out += "\n";
  }
  return out;
}

std::string ResponseJson(const google::protobuf::Message& response) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  // Through a deterministic serialization: map entries (a row's breakdown) come out sorted by key,
  // so the same answer is always the same bytes.
  std::string binary;
  {
    google::protobuf::io::StringOutputStream stream(&binary);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    if (!response.SerializeToCodedStream(&coded)) return "{}\n";
  }
  static google::protobuf::util::TypeResolver* resolver = google::protobuf::util::NewTypeResolverForDescriptorPool(
      "type.googleapis.com", google::protobuf::DescriptorPool::generated_pool());
  std::string out;
  const std::string type_url = "type.googleapis.com/" + response.GetDescriptor()->full_name();
  if (!google::protobuf::util::BinaryToJsonString(resolver, type_url, binary, &out, options).ok()) return "{}\n";
  return out;
}

namespace {

std::string Text(bool present, const v1::ExactValue& v) { return present ? v.text() : std::string(); }

}  // namespace

Table PriceStatisticsTable(const v1::GetPriceStatisticsResponse& stats) {
  Table t;
  t.title = StrCat("Statistik harga ", stats.commodity_name(), " (Rp/", stats.unit(), ")");
  const std::vector<std::pair<std::string, Kind>> headers = {
      {"Pasar", Kind::kText},       {"Periode", Kind::kText},         {"Sampel", Kind::kInteger},
      {"Pedagang", Kind::kInteger}, {"Rata-rata", Kind::kRupiah},     {"Median", Kind::kRupiah},
      {"Min", Kind::kRupiah},       {"Max", Kind::kRupiah},           {"Periode sebelumnya", Kind::kText},
      {"Perubahan (Rp)", Kind::kRupiah}, {"Perubahan (%)", Kind::kPercent}, {"Harga acuan", Kind::kRupiah},
      {"Jenis acuan", Kind::kText}, {"Di atas acuan (%)", Kind::kPercent}};
  for (size_t k = 0; k < headers.size(); ++k) {
    t.columns.push_back({kPriceColumns[k], headers[k].first, headers[k].second, k == 0 ? 20u : 10u});
  }
  for (const auto& p : stats.points()) t.rows.push_back(PriceFields(p));
  return t;
}

Table PriceStabilityTable(const v1::GetPriceStabilityResponse& s) {
  Table t;
  t.title = StrCat("Stabilitas harga bahan pokok ", s.from(), " s.d. ", s.to(), " (deret per ",
                   s.by() == "day" ? "hari" : s.by() == "week" ? "minggu" : "bulan", ")");
  t.notes.push_back(StrCat("Rata-rata koefisien variasi: ",
                           s.has_mean_kv_percent() ? s.mean_kv_percent().text() + " %" : "-", " (",
                           s.commodities_with_kv(), " komoditas)"));
  t.columns = {{"komoditas", "Komoditas", Kind::kText, 24},
               {"satuan", "Satuan", Kind::kText, 6},
               {"jumlah_periode", "Periode", Kind::kInteger, 7},
               {"rata_rata_rp", "Rata-rata", Kind::kRupiah, 9},
               {"kv_persen", "KV (%)", Kind::kPercent, 7},
               {"jumlah_pasar", "Pasar", Kind::kInteger, 5},
               {"pasar_termurah", "Termurah", Kind::kText, 16},
               {"pasar_termahal", "Termahal", Kind::kText, 16},
               {"selisih_rp", "Selisih", Kind::kRupiah, 8},
               {"selisih_persen", "Selisih (%)", Kind::kPercent, 11},
               {"kv_antar_pasar_persen", "KV pasar (%)", Kind::kPercent, 12}};
  for (const auto& r : s.rows()) {
    int64_t sum = 0;
    for (int64_t m : r.period_means_rupiah()) sum += m;
    const int64_t n = r.period_means_rupiah_size();
    t.rows.push_back({r.commodity_name().empty() ? r.commodity_code() : r.commodity_name(), r.unit(),
                      StrCat(n), n > 0 ? StrCat((2 * sum + n) / (2 * n)) : "", Text(r.has_kv_percent(), r.kv_percent()),
                      StrCat(r.markets_size()), r.cheapest_market(), r.dearest_market(), StrCat(r.gap_rupiah()),
                      Text(r.has_gap_percent(), r.gap_percent()),
                      Text(r.has_disparity_kv_percent(), r.disparity_kv_percent())});
  }
  return t;
}

Table CoverageTable(const v1::GetCoverageResponse& c) {
  Table t;
  t.title = StrCat("Cakupan pemantauan harga ", c.from(), " s.d. ", c.to(), " (jadwal: ",
                   absl::StrJoin(c.weekdays(), ", "), "; ", c.scheduled_days_size(), " hari)",
                   c.inspector().empty() ? "" : StrCat(", petugas ", c.inspector()));
  t.notes.push_back(StrCat("Terisi ", c.covered(), " dari ", c.scheduled(), " (",
                           c.has_covered_percent() ? c.covered_percent().text() + " %" : "-", ")"));
  for (const auto& m : c.markets()) {
    t.notes.push_back(StrCat("  ", m.market_name().empty() ? m.market_code() : m.market_name(), ": ", m.covered(),
                             " dari ", m.scheduled(), " (",
                             m.has_covered_percent() ? m.covered_percent().text() + " %" : "-", ")"));
  }
  t.columns = {{"pasar", "Pasar", Kind::kText, 20},
               {"komoditas", "Komoditas", Kind::kText, 20},
               {"terjadwal", "Terjadwal", Kind::kInteger, 9},
               {"terisi", "Terisi", Kind::kInteger, 6},
               {"terisi_persen", "Terisi (%)", Kind::kPercent, 10},
               {"di_luar_jadwal", "Luar jadwal", Kind::kInteger, 11},
               {"hari_kosong", "Hari kosong", Kind::kText, 40}};
  for (const auto& r : c.rows()) {
    t.rows.push_back({r.market_code(), r.commodity_code(), StrCat(r.scheduled_days()), StrCat(r.covered_days()),
                      Text(r.has_covered_percent(), r.covered_percent()), StrCat(r.unscheduled_days_with_data()),
                      absl::StrJoin(r.missing_days(), " ")});
  }
  return t;
}

Table ViolationsTable(const v1::ListViolationsResponse& v) {
  Table t;
  t.title = StrCat("Pelanggaran dan tindak lanjut ", v.from(), " s.d. ", v.to(), " (per ", v.as_of(), ")");
  t.notes.push_back(StrCat("Terbuka ", v.open(), ", terlambat ", v.overdue(), ", selesai ", v.closed(),
                           v.closed_late() > 0 ? StrCat(" (", v.closed_late(), " selesai terlambat)") : ""));
  t.notes.push_back("Kolom Terlambat: hari lewat batas (terlambat), atau hari selesai setelah batas (selesai)");
  t.columns = {{"tanggal_audit", "Audit", Kind::kDate, 10},
               {"outlet", "Outlet", Kind::kText, 18},
               {"jenis", "Jenis", Kind::kText, 13},
               {"kecamatan", "Kecamatan", Kind::kText, 12},
               {"temuan", "Temuan", Kind::kText, 22},
               {"tindakan", "Tindakan", Kind::kInteger, 8},
               {"tindakan_terakhir", "Terakhir", Kind::kText, 18},
               {"tanggal_tindakan", "Tgl tindakan", Kind::kDate, 12},
               {"batas_waktu", "Batas", Kind::kDate, 10},
               {"status", "Status", Kind::kText, 9},
               {"hari_terlambat", "Terlambat", Kind::kInteger, 9},
               {"petugas", "Petugas", Kind::kText, 10},
               {"id_audit", "ID audit", Kind::kText, 26},
               {"alasan_temuan", "Alasan temuan", Kind::kText, 30},
               {"riwayat", "Riwayat tindak lanjut", Kind::kText, 40},
               {"foto_bukti", "Foto bukti", Kind::kInteger, 5}};
  for (const auto& r : v.rows()) {
    t.rows.push_back({r.audit_day(), r.outlet_name().empty() ? r.outlet_code() : r.outlet_name(), r.outlet_kind(),
                      r.kecamatan_code(), r.finding_code(), StrCat(r.actions()), r.last_action_code(),
                      r.last_action_date(), r.due_date(), r.status(),
                      r.status() == "terlambat"                      ? StrCat(r.days_overdue())
                      : r.status() == "selesai" && r.days_late() > 0 ? StrCat(r.days_late())
                                                                     : "",
                      r.inspector(), r.audit_record_id(),
                      r.finding_reason(), absl::StrJoin(r.history(), " | "), StrCat(r.photo_sha256s_size())});
  }
  return t;
}

Table UttpDueTable(const v1::ListUttpDueResponse& d) {
  Table t;
  t.title = StrCat("UTTP jatuh tempo tera ulang per ", d.as_of(), " (", d.within_days(), " hari ke depan)");
  t.notes.push_back(StrCat("Terlambat ", d.overdue(), ", jatuh tempo ", d.due_soon(), ", potensi ", d.registry(),
                           " alat"));
  t.columns = {{"alat", "Alat", Kind::kText, 12},
               {"jenis", "Jenis", Kind::kText, 20},
               {"pemilik", "Pemilik", Kind::kText, 18},
               {"lokasi", "Lokasi", Kind::kText, 18},
               {"sah_terakhir", "Sah terakhir", Kind::kDate, 12},
               {"batal", "Batal", Kind::kDate, 10},
               {"jatuh_tempo", "Jatuh tempo", Kind::kDate, 11},
               {"status", "Status", Kind::kText, 11},
               {"terlambat_hari", "Terlambat (hari)", Kind::kInteger, 9},
               {"sisa_hari", "Sisa (hari)", Kind::kInteger, 5}};
  for (const auto& r : d.rows()) {
    // One meaning per column: days past due, or days left; a never-verified instrument has neither.
    const bool overdue = r.status() == "terlambat";
    t.rows.push_back({r.instrument_id(), r.type_name().empty() ? r.type_code() : r.type_name(), r.owner(),
                      r.market_code().empty() ? r.location() : r.market_code(), r.last_sah_day(), r.last_batal_day(),
                      r.next_due(), r.status(), overdue && !r.next_due().empty() ? StrCat(r.days()) : "",
                      overdue ? "" : StrCat(r.days())});
  }
  return t;
}

Table UttpVerificationsTable(const v1::ListUttpVerificationsResponse& v) {
  Table t;
  t.title = StrCat("Tera / tera ulang UTTP ", v.from(), " s.d. ", v.to());
  t.notes.push_back(StrCat("Sah ", v.sah(), ", batal ", v.batal(), ", selisih dengan klaim laptop ", v.discrepancies()));
  t.columns = {{"tanggal", "Tanggal", Kind::kDate, 10},
               {"alat", "Alat", Kind::kText, 16},
               {"jenis", "Jenis", Kind::kText, 18},
               {"pemilik", "Pemilik", Kind::kText, 16},
               {"kegiatan", "Kegiatan", Kind::kText, 10},
               {"putusan", "Putusan", Kind::kText, 7},
               {"klaim_laptop", "Klaim", Kind::kText, 5},
               {"selisih", "Selisih", Kind::kText, 7},
               {"alasan", "Alasan", Kind::kText, 40},
               {"petugas", "Petugas", Kind::kText, 10},
               {"skhp", "SKHP", Kind::kText, 12},
               {"id", "ID", Kind::kText, 26}};
  for (const auto& r : v.rows()) {
    t.rows.push_back({r.day(), r.instrument_id(), r.type_name(), r.owner(), r.kind(), r.computed_verdict(),
                      r.claimed_verdict(), r.discrepancy() ? "ya" : "", absl::StrJoin(r.reasons(), "; "), r.officer(),
                      r.certificate_number(), r.record_id()});
  }
  return t;
}

Table AuditsTable(const v1::ListAuditsResponse& a) {
  Table t;
  t.title = StrCat("Audit outlet barang bersubsidi ", a.from(), " s.d. ", a.to());
  t.notes.push_back(StrCat(a.audits(), " audit di ", a.outlets(), " outlet; ", a.with_findings(), " dengan temuan"));
  t.columns = {{"tanggal_audit", "Audit", Kind::kDate, 10},
               {"outlet", "Outlet", Kind::kText, 18},
               {"jenis", "Jenis", Kind::kText, 13},
               {"kecamatan", "Kecamatan", Kind::kText, 12},
               {"petugas", "Petugas", Kind::kText, 10},
               {"daftar_periksa", "Daftar periksa", Kind::kText, 18},
               {"jawaban", "Jawaban", Kind::kInteger, 7},
               {"tidak_diperiksa", "Tidak diperiksa", Kind::kInteger, 9},
               {"temuan", "Temuan", Kind::kText, 22},
               {"foto_bukti", "Foto bukti", Kind::kInteger, 5},
               {"id_audit", "ID audit", Kind::kText, 26}};
  for (const auto& r : a.rows()) {
    t.rows.push_back({r.day(), r.outlet_name().empty() ? r.outlet_code() : r.outlet_name(), r.outlet_kind(),
                      r.kecamatan_code(), r.inspector(), r.checklist_applied(), StrCat(r.answers()),
                      StrCat(r.not_checked()), absl::StrJoin(r.findings(), ", "), StrCat(r.photo_sha256s_size()),
                      r.record_id()});
  }
  return t;
}

Table AlertsTable(const v1::ListAlertsResponse& a) {
  Table t;
  t.title = StrCat("Peringatan dini harga ", a.from(), " s.d. ", a.to());
  std::vector<std::string> counts;
  for (const char* kind : {"het", "lonjakan", "alps", "ifpa", "tidak_teramati"}) {
    auto it = a.by_kind().find(kind);
    counts.push_back(StrCat(kind, " ", it == a.by_kind().end() ? 0 : it->second));
  }
  t.notes.push_back(StrCat(a.alerts_size(), " peringatan: ", absl::StrJoin(counts, ", ")));
  if (a.short_history_size() > 0) {
    t.notes.push_back(StrCat(a.short_history_size(), " seri dengan riwayat belum cukup untuk ALPS (36 bulan)"));
  }
  t.columns = {{"waktu", "Waktu", Kind::kText, 10},
               {"jenis", "Jenis", Kind::kText, 8},
               {"tingkat", "Tingkat", Kind::kText, 7},
               {"komoditas", "Komoditas", Kind::kText, 16},
               {"pasar", "Pasar", Kind::kText, 16},
               {"rata_rata", "Rata-rata", Kind::kRupiah, 10},
               {"nilai", "Nilai", Kind::kText, 8},
               {"petugas", "Petugas", Kind::kText, 10},
               {"keterangan", "Keterangan", Kind::kText, 40}};
  for (const auto& r : a.alerts()) {
    std::string value = r.value();
    if (r.kind() == "het") value = StrCat("+", r.above_percent().text(), " %");
    if (r.kind() == "lonjakan") value = StrCat(r.change_percent().text(), " %");
    std::replace(value.begin(), value.end(), '.', ',');  // Indonesian decimals, as the message
    t.rows.push_back({r.day().empty() ? r.month() : r.day(), r.kind(), r.level(), r.commodity_code(),
                      r.market_code().empty() ? "kabupaten" : r.market_code(),
                      r.has_mean_rupiah() ? r.mean_rupiah().text() : "", value, absl::StrJoin(r.inspectors(), ", "),
                      r.message()});
  }
  return t;
}

Table FieldActivityTable(const v1::GetFieldActivityResponse& a) {
  Table t;
  t.title = StrCat("Petugas dan laptop per ", a.as_of(), " (minggu sejak ", a.week_first_day(), ")");
  t.notes.push_back(StrCat(a.quiet(), " laptop tanpa kiriman dan sinkron ", a.quiet_days(), " hari atau lebih"));
  if (a.refused_waiting() > 0) {
    t.notes.push_back(StrCat(a.refused_waiting(), " catatan ditolak server menunggu perbaikan petugas"));
  }
  if (a.inspectors_without_laptop_size() > 0) {
    t.notes.push_back(StrCat("Petugas tanpa laptop terdaftar: ", absl::StrJoin(a.inspectors_without_laptop(), ", ")));
  }
  t.columns = {{"petugas", "Petugas", Kind::kText, 14},
               {"laptop", "Laptop", Kind::kText, 20},
               {"keterangan", "Keterangan", Kind::kText, 20},
               {"kiriman_terakhir", "Kiriman terakhir", Kind::kText, 16},
               {"hari_tanpa_kiriman", "Hari tanpa kiriman", Kind::kInteger, 9},
               {"diterima_minggu_ini", "Diterima minggu ini", Kind::kInteger, 9},
               {"sinkron_terakhir", "Sinkron terakhir", Kind::kText, 16},
               {"hari_tanpa_sinkron", "Hari tanpa sinkron", Kind::kInteger, 9},
               {"belum_terkirim", "Belum terkirim", Kind::kInteger, 9},
               {"ditolak_menunggu", "Ditolak menunggu", Kind::kInteger, 9},
               {"sepi", "Sepi", Kind::kText, 4}};
  for (const auto& r : a.rows()) {
    const bool synced = r.days_since_sync() >= 0;
    t.rows.push_back({r.inspector(), r.device_id(), r.device_description(), r.last_received(),
                      r.days_since() >= 0 ? StrCat(r.days_since()) : "", StrCat(r.received_this_week()),
                      r.last_sync(), synced ? StrCat(r.days_since_sync()) : "",
                      synced ? StrCat(r.pending_on_laptop()) : "", synced ? StrCat(r.refused_waiting()) : "",
                      r.quiet() ? "ya" : ""});
  }
  return t;
}

}  // namespace pantau::report
