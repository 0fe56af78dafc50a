// Look-ups on the laptop's reference data (`pantau list`, the app's pickers), on the bundled data.
#include "client/lookups.h"

#include <gtest/gtest.h>

#include <set>

#include "common/reference_change.h"
#include "common/reference_folder.h"
#include "tests/testing/test_support.h"

namespace pantau::client {
namespace {

common::ReferenceCatalog Bundled() {
  auto files = common::ReadReferenceFolder(std::string(PANTAU_SOURCE_DIR) + "/deploy/reference");
  EXPECT_TRUE(files.ok()) << files.status();
  common::ReferenceCatalog empty;
  common::ReferencePlan plan = common::PlanReferenceChange(empty, *files, common::Retire::kNo);
  common::ReferenceCatalog catalog;
  for (const auto& e : plan.upserts) catalog.Upsert(e);
  return catalog;
}

std::vector<std::string> Codes(const std::vector<LookupRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.code);
  return out;
}

TEST(LookupTest, NamesFirstFoundByAnyPartInAnyCase) {
  const auto catalog = Bundled();
  auto cabai = Lookup(catalog, "commodities", "CABAI");
  ASSERT_TRUE(cabai);
  EXPECT_EQ(Codes(*cabai), (std::vector<std::string>{"cabai_merah_besar", "cabai_merah_keriting", "cabai_rawit_merah"}));
  EXPECT_EQ((*cabai)[0].name, "Cabai Merah Besar");
  EXPECT_EQ((*cabai)[0].detail, "per kg");
  // A market found by its kecamatan's name.
  auto alalak = Lookup(catalog, "markets", "alalak");
  ASSERT_TRUE(alalak);
  ASSERT_EQ(alalak->size(), 1u);
  EXPECT_EQ((*alalak)[0].code, "pasar_handil_bakti");
  EXPECT_EQ((*alalak)[0].kecamatan, "Alalak");
  auto all_markets = Lookup(catalog, "markets", "");
  ASSERT_TRUE(all_markets);
  EXPECT_EQ(all_markets->size(), 5u);
  EXPECT_FALSE(Lookup(catalog, "pasar", ""));
  auto none = Lookup(catalog, "commodities", "durian");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(LookupTest, ALadderInItsOrderAndEachFindingOnce) {
  const auto catalog = Bundled();
  auto lpg = Lookup(catalog, "actions", "lpg_pangkalan");
  ASSERT_TRUE(lpg);
  ASSERT_EQ(lpg->size(), 6u);
  EXPECT_EQ(lpg->front().code, "teguran_lisan");
  EXPECT_EQ(lpg->front().detail, "lpg_pangkalan step 1");
  EXPECT_EQ(lpg->back().detail, "lpg_pangkalan step 6");
  auto findings = Lookup(catalog, "findings", "");
  ASSERT_TRUE(findings);
  ASSERT_FALSE(findings->empty());
  std::set<std::string> codes;
  for (const auto& f : *findings) EXPECT_TRUE(codes.insert(f.code).second) << f.code << " twice";
  EXPECT_TRUE(codes.count("timbangan_tidak_ada"));
  auto instruments = Lookup(catalog, "instruments", "marabahan");
  ASSERT_TRUE(instruments);
  ASSERT_FALSE(instruments->empty());
  EXPECT_EQ((*instruments)[0].kecamatan, "Marabahan");
}

}  // namespace
}  // namespace pantau::client
