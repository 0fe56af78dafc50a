#include "client/reports.h"

#include <iterator>
#include <nlohmann/json.hpp>

#include "common/str_cat.h"

namespace pantau::client {
namespace {

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Width in characters of UTF-8 text (counts code points).
size_t Width(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Fit(const std::string& text, size_t width) {
  if (Width(text) <= width) return text + std::string(width - Width(text), ' ');
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++n > width - 1) break;
    out += text[i];
  }
  return out + "…";
}

std::string RightAlign(const std::string& text, size_t width) {
  return std::string(width > Width(text) ? width - Width(text) : 0, ' ') + text;
}

std::string ValueText(const v1::IndicatorRow& row, int which) {
  const v1::ExactValue* v = nullptr;
  bool present = false;
  if (which == 0) present = row.has_target(), v = &row.target();
  if (which == 1) present = row.has_realisasi(), v = &row.realisasi();
  if (which == 2) present = row.has_capaian(), v = &row.capaian();
  return present ? v->text() : "-";
}

}  // namespace

std::string IkkTable(const v1::GetIndicatorTableResponse& table) {
  std::string out = StrCat("Periode ", table.period(), " (", table.first_day(), " s.d. ",
                           table.last_day(), ")\n");
  constexpr size_t kName = 60;
  out += StrCat(RightAlign("No", 3), "  ", Fit("Indikator", kName), "  ", RightAlign("Target", 9),
                "  ", RightAlign("Realisasi", 9), "  ", RightAlign("Capaian %", 9), "  Sumber\n");
  for (const auto& row : table.rows()) {
    out += StrCat(RightAlign(StrCat(row.indicator().number()), 3), "  ",
                  Fit(row.indicator().name(), kName), "  ", RightAlign(ValueText(row, 0), 9), "  ",
                  RightAlign(ValueText(row, 1), 9), "  ", RightAlign(ValueText(row, 2), 9), "  ",
                  row.source(), "\n");
  }
  return out;
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
  nlohmann::ordered_json j;
  j["period"] = table.period();
  j["first_day"] = table.first_day();
  j["last_day"] = table.last_day();
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  auto value = [](bool present, const v1::ExactValue& v) -> nlohmann::ordered_json {
    if (!present) return nullptr;
    return {{"text", v.text()}, {"numerator", v.numerator()}, {"denominator", v.denominator()}};
  };
  for (const auto& row : table.rows()) {
    const auto& i = row.indicator();
    nlohmann::ordered_json r;
    r["no"] = i.number();
    r["tujuan"] = i.tujuan();
    r["sasaran"] = i.sasaran();
    r["indikator"] = i.name();
    r["bidang"] = i.bidang();
    r["formulasi"] = i.formula();
    r["sumber_data"] = i.data_source();
    r["target"] = value(row.has_target(), row.target());
    r["realisasi"] = value(row.has_realisasi(), row.realisasi());
    r["capaian_persen"] = value(row.has_capaian(), row.capaian());
    r["sumber"] = row.source();
    std::map<std::string, int64_t> breakdown(row.breakdown().begin(), row.breakdown().end());
    r["rincian"] = breakdown;
    rows.push_back(r);
  }
  j["rows"] = rows;
  return j.dump(2) + "\n";
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
  nlohmann::ordered_json j;
  j["komoditas"] = stats.commodity_code();
  j["nama"] = stats.commodity_name();
  j["satuan"] = stats.unit();
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (const auto& p : stats.points()) {
    auto fields = PriceFields(p);
    nlohmann::ordered_json row;
    for (size_t k = 0; k < fields.size(); ++k) {
      if (fields[k].empty()) {
        row[kPriceColumns[k]] = nullptr;
      } else {
        row[kPriceColumns[k]] = fields[k];
      }
    }
    points.push_back(row);
  }
  j["titik"] = points;
  return j.dump(2) + "\n";
}

std::string PriceTable(const v1::GetPriceStatisticsResponse& stats) {
  std::string out = StrCat(stats.commodity_name(), " (Rp/", stats.unit(), ")\n");
  out += StrCat(Fit("Pasar", 22), "  ", Fit("Periode", 10), "  ", RightAlign("n", 3), "  ",
                RightAlign("Rata-rata", 10), "  ", RightAlign("Median", 8), "  ", RightAlign("Min", 7),
                "  ", RightAlign("Max", 7), "  ", RightAlign("Ubah %", 7), "  ", RightAlign("vs acuan %", 10),
                "\n");
  for (const auto& p : stats.points()) {
    out += StrCat(Fit(p.market_code(), 22), "  ", Fit(p.period(), 10), "  ", RightAlign(StrCat(p.samples()), 3),
                  "  ", RightAlign(p.mean_rupiah().text(), 10), "  ", RightAlign(p.median_rupiah().text(), 8),
                  "  ", RightAlign(StrCat(p.min_rupiah()), 7), "  ", RightAlign(StrCat(p.max_rupiah()), 7),
                  "  ", RightAlign(p.has_change_percent() ? p.change_percent().text() : "-", 7), "  ",
                  RightAlign(p.has_above_reference_percent() ? p.above_reference_percent().text() : "-", 10),
                  "\n");
  }
  return out;
}

}  // namespace pantau::client
