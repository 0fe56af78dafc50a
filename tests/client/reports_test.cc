// Golden files: the CSV and JSON forms of an IKK table are pinned byte for byte. To accept a
// deliberate change, rerun with PANTAU_UPDATE_GOLDEN=1 and review the diff.
#include "client/reports.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace pantau::client {
namespace {

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

void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(PANTAU_SOURCE_DIR) + "/tests/golden/" + name;
  if (std::getenv("PANTAU_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path << " is missing";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "differs from " << path;
}

TEST(ReportsTest, IkkCsvMatchesTheGoldenFile) { ExpectGolden("ikk_2026.csv", IkkCsv(Table())); }
TEST(ReportsTest, IkkJsonMatchesTheGoldenFile) { ExpectGolden("ikk_2026.json", IkkJson(Table())); }

TEST(ReportsTest, TheTerminalTableShowsMissingValuesAsDashes) {
  const std::string text = IkkTable(Table());
  EXPECT_NE(text.find("Periode 2026 (2026-01-01 s.d. 2026-12-31)"), std::string::npos);
  EXPECT_NE(text.find("belum diisi"), std::string::npos);
  EXPECT_NE(text.find("90.00"), std::string::npos);
  // Row 1 has no target, realisation or capaian: three dashes, never 0.
  const auto line = text.substr(text.find("  1  "));
  EXPECT_EQ(line.substr(0, line.find('\n')).find(" 0 "), std::string::npos);
}

}  // namespace
}  // namespace pantau::client
