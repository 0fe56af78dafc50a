// A reference folder written from the data in force and read back, the plan of an apply (added,
// changed, retired; files not sent untouched), and every referential-integrity problem.
#include "common/reference_change.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/dates.h"
#include "common/reference_csv.h"
#include "common/reference_folder.h"
#include "tests/testing/test_support.h"

namespace pantau::common {
namespace {

using ::pantau::testing::IsOk;

ReferenceCatalog Bundled() {
  auto files = ReadReferenceFolder(std::string(PANTAU_SOURCE_DIR) + "/deploy/reference");
  EXPECT_THAT(files, IsOk());
  ReferenceCatalog empty;
  ReferencePlan plan = PlanReferenceChange(empty, *files, Retire::kNo);
  EXPECT_TRUE(plan.problems.empty()) << ListProblems(plan.problems, "\n");
  ReferenceCatalog catalog;
  for (const auto& e : plan.upserts) catalog.Upsert(e);
  return catalog;
}

std::vector<ReferenceFile> With(std::vector<ReferenceFile> files, const std::string& name, const std::string& text) {
  for (auto& f : files) {
    if (f.name == name) f.text = text;
  }
  return files;
}

std::string TextOf(const std::vector<ReferenceFile>& files, const std::string& name) {
  for (const auto& f : files) {
    if (f.name == name) return f.text;
  }
  return "";
}

bool Has(const std::vector<std::string>& problems, const std::string& text) {
  return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) { return p == text; });
}

TEST(ReferenceChangeTest, TheExportedFolderReadsBackAsExactlyTheDataInForce) {
  const ReferenceCatalog catalog = Bundled();
  ASSERT_GT(catalog.size(), 100u);
  auto files = ExportReferenceFiles(catalog);
  ASSERT_EQ(files.size(), ReferenceFileNames().size());
  ReferencePlan again = PlanReferenceChange(catalog, files, Retire::kMissingFromTheirFile);
  EXPECT_TRUE(again.problems.empty()) << ListProblems(again.problems, "\n");
  EXPECT_TRUE(again.differences.empty()) << again.differences[0].key;
  EXPECT_EQ(again.entities, catalog.size());
}

TEST(ReferenceChangeTest, TextsWithCommasQuotesAndEdgesSurviveTheRoundTrip) {
  ReferenceCatalog catalog = Bundled();
  v1::ReferenceEntity market;
  market.mutable_market()->set_code("pasar_x");
  market.mutable_market()->set_name("Pasar \"Lama\", Blok A");
  market.mutable_market()->set_kecamatan_code("marabahan");
  catalog.Upsert(market);
  v1::ReferenceEntity realisation;
  auto* m = realisation.mutable_manual_realisation();
  m->set_indicator_number(1);
  m->set_year(2026);
  m->set_value_milli(87505);
  m->set_note("baris 1\nbaris 2");
  catalog.Upsert(realisation);
  auto files = ExportReferenceFiles(catalog);
  EXPECT_NE(TextOf(files, "markets.csv").find("\"Pasar \"\"Lama\"\", Blok A\""), std::string::npos);
  EXPECT_NE(TextOf(files, "manual_realisations.csv").find("1,2026,87.505,0,0,\"baris 1\nbaris 2\""),
            std::string::npos)
      << TextOf(files, "manual_realisations.csv");
  ReferencePlan again = PlanReferenceChange(catalog, files, Retire::kMissingFromTheirFile);
  EXPECT_TRUE(again.problems.empty()) << ListProblems(again.problems, "\n");
  EXPECT_TRUE(again.differences.empty()) << again.differences[0].key;
}

TEST(ReferenceChangeTest, APlanListsAddedChangedAndRetiredAndLeavesFilesNotSentAlone) {
  const ReferenceCatalog catalog = Bundled();
  auto files = ExportReferenceFiles(catalog);
  std::string markets = TextOf(files, "markets.csv");
  // Wanaraya retired, Tamban renamed, a new market added.
  markets.erase(markets.find("pasar_wanaraya,"), markets.find('\n', markets.find("pasar_wanaraya,")) + 1 -
                                                    markets.find("pasar_wanaraya,"));
  markets.replace(markets.find("Pasar Tamban (contoh)"), 21, "Pasar Tamban");
  markets += "pasar_baru,Pasar Baru,marabahan,yes\n";
  auto changed = With(files, "markets.csv", markets);
  // Only markets.csv and kecamatan.csv sent: no other entity is retired.
  std::vector<ReferenceFile> two = {{"kecamatan.csv", TextOf(files, "kecamatan.csv")}, {"markets.csv", markets}};
  for (const auto* sent : {&changed, &two}) {
    ReferencePlan plan = PlanReferenceChange(catalog, *sent, Retire::kMissingFromTheirFile);
    ASSERT_TRUE(plan.problems.empty()) << ListProblems(plan.problems, "\n");
    ASSERT_EQ(plan.differences.size(), 3u);
    EXPECT_EQ(plan.differences[0].key, "market/pasar_baru");
    EXPECT_EQ(plan.differences[0].kind, ReferenceDifferenceKind::kAdded);
    EXPECT_EQ(plan.differences[1].key, "market/pasar_tamban");
    EXPECT_EQ(plan.differences[1].kind, ReferenceDifferenceKind::kChanged);
    EXPECT_EQ(plan.differences[2].key, "market/pasar_wanaraya");
    EXPECT_EQ(plan.differences[2].kind, ReferenceDifferenceKind::kRetired);
    EXPECT_EQ(plan.upserts.size(), 2u);
    EXPECT_EQ(plan.removals.size(), 1u);
  }
  // An import never retires.
  ReferencePlan import = PlanReferenceChange(catalog, changed, Retire::kNo);
  EXPECT_EQ(import.differences.size(), 2u);
  EXPECT_TRUE(import.removals.empty());
}

TEST(ReferenceChangeTest, EveryBrokenReferenceIsListedWithFileAndLineAndNothingIsPlanned) {
  const ReferenceCatalog catalog = Bundled();
  auto files = ExportReferenceFiles(catalog);
  auto add = [&](const std::string& name, const std::string& rows) {
    files = With(files, name, TextOf(files, name) + rows);
  };
  auto line_after = [&](const std::string& name) {
    const std::string text = TextOf(files, name);
    return std::count(text.begin(), text.end(), '\n') + 1;
  };
  const auto market_line = line_after("markets.csv");
  add("markets.csv", "pasar_a,Pasar A,atlantis,no\npasar_b,Pasar B,,no\n");
  const auto outlet_line = line_after("outlets.csv");
  add("outlets.csv", "pkl_x,Pangkalan X,lpg_pangkalan,atlantis,R-1,Agen,0,,\n");
  const auto price_line = line_after("reference_prices.csv");
  add("reference_prices.csv", "garam_ajaib,nasional,HET,1000,2026-01-01,X\n");
  const auto instrument_line = line_after("uttp_instruments.csv");
  add("uttp_instruments.csv", "U-1,meteran_ajaib,Toko,pasar_hilang,,atlantis,,,,,0,0,2026-01-01,\n");
  const auto checklist_line = line_after("checklists.csv");
  add("checklists.csv", "pupuk_kios,2099-1,2099-01-01,harga,Harga jual?,price_rupiah,harga_di_atas_het,,,,pupuk_ajaib,,,\n");
  const auto action_line = line_after("follow_up_actions.csv");
  add("follow_up_actions.csv", "langkah_9,Langkah sembilan,uttp,9\nlangkah_dua,Teguran lagi,pupuk_kios,2\n");
  const auto target_line = line_after("indicator_targets.csv");
  add("indicator_targets.csv", "99,2026,50\n");

  ReferencePlan plan = PlanReferenceChange(catalog, files, Retire::kMissingFromTheirFile);
  const auto& p = plan.problems;
  auto at = [](const std::string& file, long line) { return file + " line " + std::to_string(line); };
  EXPECT_TRUE(Has(p, at("markets.csv", market_line) + ": kecamatan_code: \"atlantis\" is not a kecamatan (kecamatan.csv)"))
      << ListProblems(p, "\n");
  EXPECT_TRUE(Has(p, at("markets.csv", market_line + 1) + ": kecamatan_code: \"\" is not a kecamatan (kecamatan.csv)"));
  EXPECT_TRUE(Has(p, at("outlets.csv", outlet_line) + ": kecamatan_code: \"atlantis\" is not a kecamatan (kecamatan.csv)"));
  EXPECT_TRUE(Has(p, at("reference_prices.csv", price_line) +
                         ": product_code: \"garam_ajaib\" is not a commodity or subsidised product "
                         "(commodities.csv, subsidised_products.csv)"));
  EXPECT_TRUE(Has(p, at("uttp_instruments.csv", instrument_line) + ": type_code: \"meteran_ajaib\" is not a UTTP type (uttp_types.csv)"));
  EXPECT_TRUE(Has(p, at("uttp_instruments.csv", instrument_line) + ": market_code: \"pasar_hilang\" is not a market (markets.csv)"));
  EXPECT_TRUE(Has(p, at("uttp_instruments.csv", instrument_line) + ": kecamatan_code: \"atlantis\" is not a kecamatan (kecamatan.csv)"));
  EXPECT_TRUE(Has(p, at("checklists.csv", checklist_line) +
                         ": item harga: het_product: \"pupuk_ajaib\" is not a commodity or subsidised product "
                         "(commodities.csv, subsidised_products.csv)"))
      << ListProblems(p, "\n");
  EXPECT_TRUE(Has(p, at("follow_up_actions.csv", action_line) +
                         ": step: the uttp ladder has no step 6 before step 9 (steps are 1, 2, 3, ... each once)"))
      << ListProblems(p, "\n");
  // Both rows of the step named twice are named, whichever is told first.
  bool twice = std::any_of(p.begin(), p.end(), [&](const std::string& s) {
    return s.find(": step: the pupuk_kios ladder has step 2 twice (also ") != std::string::npos &&
           s.find(at("follow_up_actions.csv", action_line + 1)) != std::string::npos;
  });
  EXPECT_TRUE(twice) << ListProblems(p, "\n");
  EXPECT_TRUE(Has(p, at("indicator_targets.csv", target_line) + ": no: \"99\" is not an indicator (indicators.csv)"));
  EXPECT_EQ(p.size(), 11u) << ListProblems(p, "\n");

  // A retired kecamatan still named by a market, and by an account's scope.
  auto kecamatan = TextOf(ExportReferenceFiles(catalog), "kecamatan.csv");
  kecamatan.erase(kecamatan.find("tamban,"), kecamatan.find('\n', kecamatan.find("tamban,")) + 1 - kecamatan.find("tamban,"));
  ReferencePlan retiring = PlanReferenceChange(catalog, {{"kecamatan.csv", kecamatan}}, Retire::kMissingFromTheirFile,
                                               {{"tamban", "account kabid's scope"}});
  EXPECT_TRUE(Has(retiring.problems, "kecamatan.csv: kecamatan tamban would be retired, but account kabid's scope names it; change that first"))
      << ListProblems(retiring.problems, "\n");
  EXPECT_TRUE(Has(retiring.problems, "market/pasar_tamban (in force): kecamatan_code: \"tamban\" is not a kecamatan (kecamatan.csv)"))
      << ListProblems(retiring.problems, "\n");
}

TEST(ReferenceChangeTest, UnknownFilesDuplicatesAndBadRowsAreProblems) {
  const ReferenceCatalog catalog = Bundled();
  std::vector<ReferenceFile> files = {
      {"pasar.csv", "code\nx\n"},
      {"markets.csv", "code,name,kecamatan_code,verified\npasar_a,A,marabahan,no\npasar_a,A lagi,marabahan,no\n"
                      "pasar_b,B,marabahan,mungkin\n"}};
  ReferencePlan plan = PlanReferenceChange(catalog, files, Retire::kNo);
  EXPECT_EQ(plan.problems.size(), 3u) << ListProblems(plan.problems, "\n");
  EXPECT_EQ(plan.problems[0].rfind("pasar.csv: not a reference file (known: deployment.csv, kecamatan.csv, markets.csv", 0), 0u);
  EXPECT_TRUE(Has(plan.problems, "markets.csv line 4: verified: must be yes or no"));
  EXPECT_TRUE(Has(plan.problems, "markets.csv line 3: market/pasar_a again (first at markets.csv line 2)"));
  EXPECT_EQ(ListProblems(std::vector<std::string>(60, "x"), ";", 50).substr(99), ";... and 10 more");
}

TEST(ReferenceChangeTest, TheDeploymentNamesItsTimeZoneAndTheCatalogFollowsIt) {
  const ReferenceCatalog catalog = Bundled();
  EXPECT_EQ(catalog.TimeZone(), *IndonesianTimeZone(catalog.FindDeployment()->time_zone()));
  const std::string header = "code,name,province,agency,seat,price_zones,time_zone\n";
  auto files = ExportReferenceFiles(catalog);

  ReferencePlan wit = PlanReferenceChange(
      catalog, With(files, "deployment.csv", header + "82.71,Kota Contoh,Maluku Utara,Dinas X,Contoh,2;kalsel;nasional,WIT\n"), Retire::kNo);
  ASSERT_TRUE(wit.problems.empty()) << ListProblems(wit.problems, "\n");
  ReferenceCatalog after = catalog;
  for (const auto& e : wit.upserts) after.Upsert(e);
  EXPECT_EQ(ZoneName(after.TimeZone()), "WIT");

  ReferencePlan bad = PlanReferenceChange(
      catalog, With(files, "deployment.csv", header + "82.71,Kota Contoh,Maluku Utara,Dinas X,Contoh,3,Asia/Jayapura\n"),
      Retire::kNo);
  ASSERT_EQ(bad.problems.size(), 1u) << ListProblems(bad.problems, "\n");
  EXPECT_NE(bad.problems[0].find("deployment.csv line 2"), std::string::npos) << bad.problems[0];
  EXPECT_NE(bad.problems[0].find("time_zone: must be WIB, WITA or WIT (got \"Asia/Jayapura\")"), std::string::npos)
      << bad.problems[0];
  EXPECT_TRUE(bad.upserts.empty());

  ReferencePlan missing = PlanReferenceChange(
      catalog, With(files, "deployment.csv", "code,name,province,agency,seat,price_zones\n82.71,K,P,A,S,3\n"), Retire::kNo);
  ASSERT_EQ(missing.problems.size(), 1u) << ListProblems(missing.problems, "\n");
  EXPECT_NE(missing.problems[0].find("time_zone"), std::string::npos) << missing.problems[0];
}

}  // namespace
}  // namespace pantau::common
