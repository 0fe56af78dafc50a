#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/csv.h"
#include "common/reference_catalog.h"
#include "common/reference_csv.h"
#include "common/validation.h"
#include "tests/testing/test_support.h"

namespace pantau::common {
namespace {

using ::pantau::testing::IsOk;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

v1::ReferenceEntity Price(const std::string& product, int64_t rupiah, const std::string& from) {
  v1::ReferenceEntity e;
  auto* p = e.mutable_reference_price();
  p->set_product_code(product);
  p->set_zone("nasional");
  p->set_kind(v1::REFERENCE_PRICE_KIND_HET);
  p->set_price_rupiah(rupiah);
  p->set_effective_from(from);
  return e;
}

TEST(ReferenceCatalogTest, PriceInForceFollowsEffectiveDates) {
  ReferenceCatalog catalog;
  catalog.Upsert(Price("pupuk_urea", 2250, "2021-01-01"));
  catalog.Upsert(Price("pupuk_urea", 1800, "2025-10-22"));
  catalog.Upsert(Price("pupuk_urea_x", 9999, "2020-01-01"));  // a longer code must not leak in
  auto het = [&](int y, int m, int d) -> int64_t {
    const auto* p = catalog.PriceInForce("pupuk_urea", "nasional", v1::REFERENCE_PRICE_KIND_HET,
                                         absl::CivilDay(y, m, d));
    return p == nullptr ? -1 : p->price_rupiah();
  };
  EXPECT_EQ(het(2020, 12, 31), -1);
  EXPECT_EQ(het(2021, 1, 1), 2250);
  EXPECT_EQ(het(2025, 10, 21), 2250);
  EXPECT_EQ(het(2025, 10, 22), 1800);
  EXPECT_EQ(het(2026, 1, 1), 1800);
  EXPECT_EQ(catalog.PriceInForce("pupuk_urea", "kalsel", v1::REFERENCE_PRICE_KIND_HET,
                                 absl::CivilDay(2026, 1, 1)),
            nullptr);
}

TEST(ReferenceCatalogTest, ChangesApplyInOrderAndRemovalsRemove) {
  ReferenceCatalog catalog;
  v1::ReferenceChange add;
  add.set_sequence(1);
  auto* m = add.mutable_entity()->mutable_market();
  m->set_code("pasar_a");
  m->set_name("A");
  catalog.Apply(add);
  EXPECT_NE(catalog.FindMarket("pasar_a"), nullptr);
  v1::ReferenceChange remove = add;
  remove.set_sequence(2);
  remove.set_removed(true);
  catalog.Apply(remove);
  EXPECT_EQ(catalog.FindMarket("pasar_a"), nullptr);
  EXPECT_EQ(catalog.sequence(), 2u);
}

TEST(ReferenceKeyTest, KeysAreTypedAndNeedANaturalKey) {
  v1::ReferenceEntity e = Price("beras_medium", 13100, "2024-06-01");
  e.mutable_reference_price()->set_zone("2");
  EXPECT_EQ(*ReferenceKey(e), "reference_price/beras_medium|2|HET|2024-06-01");
  v1::ReferenceEntity empty;
  EXPECT_FALSE(ReferenceKey(empty).ok());
  v1::ReferenceEntity no_code;
  no_code.mutable_market()->set_name("x");
  EXPECT_FALSE(ReferenceKey(no_code).ok());
}

TEST(ReferenceCsvTest, BadRowsAreListedWithFileAndLineAndGoodRowsKept) {
  auto parsed = ParseReferenceCsv("markets.csv",
                                  "code,name,kecamatan_code,verified\n"
                                  "pasar_a,Pasar A,marabahan,yes\n"
                                  "pasar_b,Pasar B,marabahan,maybe\n"
                                  ",Pasar C,marabahan,no\n");
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->entities.size(), 1u);
  ASSERT_EQ(parsed->errors.size(), 2u);
  EXPECT_EQ(parsed->errors[0], "markets.csv line 3: verified: must be yes or no");
  EXPECT_NE(parsed->errors[1].find("markets.csv line 4"), std::string::npos);
  EXPECT_FALSE(ParseReferenceCsv("prices.csv", "a\n").ok());
}

// The bundled folder parses without a single error, and every file is loadable.
TEST(BundledReferenceTest, EveryBundledFileParsesCleanly) {
  const std::string folder = std::string(PANTAU_SOURCE_DIR) + "/deploy/reference";
  size_t total = 0;
  for (const auto& name : ReferenceFileNames()) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(std::filesystem::exists(folder + "/" + name));
    auto parsed = ParseReferenceCsv(name, ReadFile(folder + "/" + name));
    ASSERT_THAT(parsed, IsOk());
    EXPECT_TRUE(parsed->errors.empty()) << parsed->errors[0];
    total += parsed->entities.size();
  }
  auto kecamatan = ParseReferenceCsv("kecamatan.csv", ReadFile(folder + "/kecamatan.csv"));
  EXPECT_EQ(kecamatan->entities.size(), 17u);  // the 17 kecamatan of Barito Kuala
  EXPECT_GT(total, 60u);
}

// All 25 IKK rows are bundled verbatim: every text field equals the dinas's table.
TEST(BundledReferenceTest, IndicatorCatalogueIsTheIkkTableVerbatim) {
  const std::string tsv_path = std::string(PANTAU_SOURCE_DIR) + "/../shared/data/ikk-barito-kuala.tsv";
  if (!std::filesystem::exists(tsv_path)) GTEST_SKIP() << "no shared/ beside the checkout";
  auto parsed = ParseReferenceCsv(
      "indicators.csv", ReadFile(std::string(PANTAU_SOURCE_DIR) + "/deploy/reference/indicators.csv"));
  ASSERT_THAT(parsed, IsOk());
  ASSERT_EQ(parsed->entities.size(), 25u);
  std::istringstream tsv(ReadFile(tsv_path));
  std::string line;
  std::getline(tsv, line);  // header
  int automatic = 0;
  for (const auto& e : parsed->entities) {
    ASSERT_TRUE(std::getline(tsv, line));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    size_t start = 0;
    for (;;) {
      size_t tab = line.find('\t', start);
      cells.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    ASSERT_EQ(cells.size(), 8u);
    const auto& i = e.indicator();
    SCOPED_TRACE(i.number());
    EXPECT_EQ(std::to_string(i.number()), cells[0]);
    EXPECT_EQ(i.tujuan(), cells[1]);
    EXPECT_EQ(i.sasaran(), cells[2]);
    EXPECT_EQ(i.name(), cells[3]);
    EXPECT_EQ(i.bidang(), cells[4]);
    EXPECT_EQ(i.formula(), cells[5]);
    EXPECT_EQ(i.data_source(), cells[6]);
    EXPECT_EQ(i.legal_basis(), cells[7]);
    if (i.computation() != v1::INDICATOR_COMPUTATION_MANUAL) ++automatic;
  }
  EXPECT_EQ(automatic, 4);  // the four computed from field records
}

}  // namespace
}  // namespace pantau::common

namespace pantau::common {
namespace {

TEST(ReferenceCsvTest, TargetsAndManualRealisationsComeFromSpreadsheets) {
  auto targets = ParseReferenceCsv("indicator_targets.csv", "no,year,target\n20,2026,24\n24,2026,87.5\n21,2026,x\n");
  ASSERT_TRUE(targets.ok());
  ASSERT_EQ(targets->entities.size(), 2u);
  EXPECT_EQ(targets->entities[1].indicator_target().target_milli(), 87500);
  ASSERT_EQ(targets->errors.size(), 1u);
  EXPECT_NE(targets->errors[0].find("indicator_targets.csv line 4: target"), std::string::npos);
  auto manual = ParseReferenceCsv("manual_realisations.csv",
                                  "no,year,value,numerator,denominator,note\n"
                                  "1,2026,45,,,rapat 12 Maret\n12,2026,,7,9,sentra dibina\n12,2025,,7,,\n");
  ASSERT_TRUE(manual.ok());
  ASSERT_EQ(manual->entities.size(), 2u);
  EXPECT_EQ(manual->entities[0].manual_realisation().value_milli(), 45000);
  EXPECT_EQ(manual->entities[1].manual_realisation().denominator(), 9);
  ASSERT_EQ(manual->errors.size(), 1u);
  EXPECT_NE(manual->errors[0].find("denominator"), std::string::npos);
}

}  // namespace
}  // namespace pantau::common
