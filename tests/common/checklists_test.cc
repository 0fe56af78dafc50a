// Checklist rules at their boundaries, on the bundled checklists (deploy/reference/checklists.csv):
// yes/no, a weight minimum, a price at and one Rupiah above the HET — also across a HET change —,
// a stock balance; versions chosen by date and never rewritten.
#include "common/checklists.h"

#include <gtest/gtest.h>

#include <limits>

#include <fstream>
#include <sstream>

#include "common/reference_csv.h"

namespace pantau::common {
namespace {

std::string ReadReferenceFile(const std::string& name) {
  std::ifstream in(std::string(PANTAU_SOURCE_DIR) + "/deploy/reference/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ChecklistTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* file : {"checklists.csv", "reference_prices.csv", "follow_up_actions.csv"}) {
      auto parsed = ParseReferenceCsv(file, ReadReferenceFile(file));
      ASSERT_TRUE(parsed.ok()) << parsed.status().message();
      ASSERT_TRUE(parsed->errors.empty()) << parsed->errors[0];
      for (const auto& e : parsed->entities) catalog_.Upsert(e);
    }
  }

  std::vector<std::string> Findings(const v1::OutletAudit& audit, absl::CivilDay day) {
    const v1::Checklist* checklist = ChecklistFor(audit, catalog_, day);
    EXPECT_NE(checklist, nullptr);
    std::vector<std::string> codes;
    if (checklist == nullptr) return codes;
    for (const auto& f : EvaluateChecklist(*checklist, audit, catalog_, day, {"kalsel", "nasional"})) {
      codes.push_back(f.code);
    }
    return codes;
  }

  static v1::OutletAudit Lpg() {
    v1::OutletAudit a;
    a.set_outlet_code("pkl_1");
    a.set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
    return a;
  }
  static v1::OutletAudit Kios() {
    v1::OutletAudit a;
    a.set_outlet_code("kios_1");
    a.set_outlet_kind(v1::OUTLET_KIND_PUPUK_KIOS);
    return a;
  }
  static void Answer(v1::OutletAudit& a, const std::string& item, int64_t value, const char* kind) {
    auto* answer = a.add_answers();
    answer->set_item_code(item);
    const std::string k = kind;
    if (k == "price") answer->set_price_rupiah(value);
    if (k == "count") answer->set_count(value);
    if (k == "weight") answer->set_weight_g(value);
    if (k == "yes") answer->set_yes(value != 0);
  }

  const absl::CivilDay day_{2026, 11, 24};
  ReferenceCatalog catalog_;
};

TEST_F(ChecklistTest, TheBundledChecklistsLoadWholeAndSound) {
  const v1::Checklist* lpg = catalog_.FindChecklist(v1::OUTLET_KIND_LPG_PANGKALAN, "2026-1");
  ASSERT_NE(lpg, nullptr);
  EXPECT_EQ(lpg->items_size(), 14);
  EXPECT_TRUE(ChecklistProblems(*lpg).empty());
  ASSERT_NE(catalog_.FindChecklist(v1::OUTLET_KIND_PUPUK_KIOS, "2026-1"), nullptr);
  EXPECT_NE(catalog_.FindFollowUpAction("usulan_phu"), nullptr);
}

TEST_F(ChecklistTest, LpgPriceAtTheHetAndOneRupiahAbove) {
  auto at = Lpg();
  Answer(at, "harga_jual", 18500, "price");
  EXPECT_TRUE(Findings(at, day_).empty());
  auto above = Lpg();
  Answer(above, "harga_jual", 18501, "price");
  EXPECT_EQ(Findings(above, day_), std::vector<std::string>{"harga_di_atas_het"});
  // The day the Kalsel HET took effect it applies; the day before there was none to be above.
  above.set_checklist_version("2026-1");
  EXPECT_EQ(Findings(above, absl::CivilDay(2022, 5, 11)), std::vector<std::string>{"harga_di_atas_het"});
  EXPECT_TRUE(Findings(above, absl::CivilDay(2022, 5, 10)).empty());
}

TEST_F(ChecklistTest, APupukHetChangeInTheMiddleOfAPeriod) {
  // Urea: Rp 2.250 until 2025-10-21, Rp 1.800 from 2025-10-22 (Kepmentan 1117/2025).
  auto audit = Kios();
  Answer(audit, "harga_urea", 2000, "price");
  EXPECT_TRUE(Findings(audit, absl::CivilDay(2025, 10, 21)).empty());
  EXPECT_EQ(Findings(audit, absl::CivilDay(2025, 10, 22)), std::vector<std::string>{"harga_di_atas_het"});
  auto npk = Kios();
  Answer(npk, "harga_npk", 1840, "price");
  EXPECT_TRUE(Findings(npk, absl::CivilDay(2025, 10, 22)).empty());
  npk.mutable_answers(0)->set_price_rupiah(1841);
  EXPECT_EQ(Findings(npk, absl::CivilDay(2025, 10, 22)), std::vector<std::string>{"harga_di_atas_het"});
  // The reason names the HET, its regulation and the day.
  const auto found = EvaluateChecklist(*catalog_.FindChecklist(v1::OUTLET_KIND_PUPUK_KIOS, "2026-1"), npk, catalog_,
                                       absl::CivilDay(2025, 10, 22), {"kalsel", "nasional"});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].reason.English(),
            "harga_npk: Rp 1.841 is above the HET of Rp 1.840 (Kepmentan 1117/Kpts./SR.310/M/10/2025) in force on "
            "2025-10-22");
}

TEST_F(ChecklistTest, YesNoWeightAndStockBalanceAtTheirBoundaries) {
  auto a = Lpg();
  Answer(a, "papan_nama", 1, "yes");             // yes: fine
  Answer(a, "pembeli_tidak_berhak", 0, "yes");   // no: fine
  Answer(a, "berat_tabung_isi_g", 7955, "weight");  // at the minimum: fine
  Answer(a, "stok_diterima", 100, "count");
  Answer(a, "stok_terjual", 70, "count");
  Answer(a, "stok_ada", 30, "count");            // 70 + 30 = 100
  EXPECT_TRUE(Findings(a, day_).empty());
  a.mutable_answers(0)->set_yes(false);
  a.mutable_answers(1)->set_yes(true);
  a.mutable_answers(2)->set_weight_g(7954);
  a.mutable_answers(5)->set_count(31);
  EXPECT_EQ(Findings(a, day_), (std::vector<std::string>{"papan_nama_tidak_ada", "berat_tabung_kurang",
                                                         "pembeli_tidak_berhak", "stok_tidak_sesuai"}));
  a.mutable_answers(5)->set_count(29);  // short as well as over
  EXPECT_EQ(Findings(a, day_).back(), "stok_tidak_sesuai");
  // Unanswered items give no finding, and a balance needs all three counts.
  auto partial = Lpg();
  Answer(partial, "stok_diterima", 100, "count");
  EXPECT_TRUE(Findings(partial, day_).empty());
}

// The laptop evaluates answers before validation bounds them: counts at INT64_MAX must give the
// true sum in the reason, never a wrapped one ("= -2").
TEST_F(ChecklistTest, AStockBalanceOfExtremeCountsNeverWraps) {
  auto a = Lpg();
  Answer(a, "stok_diterima", 1, "count");
  Answer(a, "stok_terjual", std::numeric_limits<int64_t>::max(), "count");
  Answer(a, "stok_ada", std::numeric_limits<int64_t>::max(), "count");
  const v1::Checklist* checklist = ChecklistFor(a, catalog_, day_);
  ASSERT_NE(checklist, nullptr);
  auto findings = EvaluateChecklist(*checklist, a, catalog_, day_, {"kalsel", "nasional"});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "stok_tidak_sesuai");
  EXPECT_NE(findings[0].reason.English().find("= 18446744073709551614"), std::string::npos) << findings[0].reason.English();
  // The largest sum that balances is recognised as balanced.
  a.mutable_answers(0)->set_count(std::numeric_limits<int64_t>::max());
  a.mutable_answers(1)->set_count(std::numeric_limits<int64_t>::max() - 5);
  a.mutable_answers(2)->set_count(5);
  EXPECT_TRUE(EvaluateChecklist(*checklist, a, catalog_, day_, {"kalsel", "nasional"}).empty());
  a.mutable_answers(1)->set_count(std::numeric_limits<int64_t>::min());
  a.mutable_answers(2)->set_count(std::numeric_limits<int64_t>::min());
  findings = EvaluateChecklist(*checklist, a, catalog_, day_, {"kalsel", "nasional"});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].reason.English().find("= -18446744073709551616"), std::string::npos) << findings[0].reason.English();
}

TEST_F(ChecklistTest, VersionsAreChosenByDateAndNeverRewriteOldAudits) {
  v1::ReferenceEntity next;
  *next.mutable_checklist() = *catalog_.FindChecklist(v1::OUTLET_KIND_LPG_PANGKALAN, "2026-1");
  next.mutable_checklist()->set_version("2027-1");
  next.mutable_checklist()->set_effective_from("2027-01-01");
  next.mutable_checklist()->mutable_items(0)->set_finding_if_yes(true);  // a (silly) changed rule
  catalog_.Upsert(next);
  EXPECT_EQ(catalog_.ChecklistInForce(v1::OUTLET_KIND_LPG_PANGKALAN, absl::CivilDay(2026, 12, 31))->version(), "2026-1");
  EXPECT_EQ(catalog_.ChecklistInForce(v1::OUTLET_KIND_LPG_PANGKALAN, absl::CivilDay(2027, 1, 1))->version(), "2027-1");
  auto audit = Lpg();
  audit.set_checklist_version("2026-1");
  Answer(audit, "papan_nama", 1, "yes");
  // The audit names 2026-1: judged by it even in 2027.
  EXPECT_TRUE(Findings(audit, absl::CivilDay(2027, 3, 1)).empty());
  audit.clear_checklist_version();
  EXPECT_EQ(Findings(audit, absl::CivilDay(2027, 3, 1)), std::vector<std::string>{"papan_nama_tidak_ada"});
}

TEST_F(ChecklistTest, AnswersMustFitTheChecklist) {
  auto a = Lpg();
  Answer(a, "harga_jual", 1, "yes");
  Answer(a, "warna_tabung", 1, "yes");
  const v1::Checklist& lpg = *catalog_.FindChecklist(v1::OUTLET_KIND_LPG_PANGKALAN, "2026-1");
  const auto problems = AnswerProblems(a, lpg);
  // Two answers wrong, and the 12 questions (of 13; the stock balance is a rule) not answered.
  ASSERT_EQ(problems.size(), 14u);
  EXPECT_EQ(problems[0].second.English(), "harga_jual: expects a price in Rupiah");
  EXPECT_EQ(problems[1].second.English(), "\"warna_tabung\" is not an item of checklist lpg_pangkalan 2026-1");
  EXPECT_EQ(problems[2].first, "answers");
  EXPECT_EQ(problems[2].second.English(),
            "papan_nama (Papan nama hijau dengan nomor registrasi dan HET terpasang?) is not answered: answer it, or "
            "mark it tidak dapat diperiksa with the reason");
}

TEST_F(ChecklistTest, EveryItemIsAnsweredOrMarkedNotCheckedWithNoFindingFromTheMark) {
  const v1::Checklist& lpg = *catalog_.FindChecklist(v1::OUTLET_KIND_LPG_PANGKALAN, "2026-1");
  auto a = Lpg();
  a.set_checklist_version("2026-1");
  for (const auto& item : lpg.items()) {
    switch (item.type()) {
      case v1::CHECKLIST_ITEM_TYPE_YES_NO:
        Answer(a, item.code(), item.finding_if_yes() ? 0 : 1, "yes");  // the answer that is no finding
        break;
      case v1::CHECKLIST_ITEM_TYPE_COUNT:
        Answer(a, item.code(), 10, "count");
        break;
      case v1::CHECKLIST_ITEM_TYPE_PRICE_RUPIAH:
        Answer(a, item.code(), 18000, "price");
        break;
      case v1::CHECKLIST_ITEM_TYPE_WEIGHT_G:
        Answer(a, item.code(), 8000, "weight");
        break;
      case v1::CHECKLIST_ITEM_TYPE_PHOTO: {
        auto* photo = a.add_answers();
        photo->set_item_code(item.code());
        photo->set_photo_sha256(std::string(64, 'a'));
        break;
      }
      default:
        break;
    }
  }
  EXPECT_TRUE(AnswerProblems(a, lpg).empty());
  // The weight could not be taken: marked, with the reason. No finding (the bound is 7 955 g),
  // and a count item marked likewise.
  for (auto& answer : *a.mutable_answers()) {
    if (answer.item_code() == "berat_tabung_isi_g" || answer.item_code() == "stok_terjual") {
      answer.set_not_checked_reason("timbangan pangkalan rusak");
    }
  }
  EXPECT_TRUE(AnswerProblems(a, lpg).empty());
  EXPECT_EQ(Findings(a, day_), std::vector<std::string>{});
  // An item left without any value is not answered.
  a.mutable_answers(0)->clear_yes();
  const auto problems = AnswerProblems(a, lpg);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].second.English().rfind("papan_nama (", 0), 0u) << problems[0].second.English();
}

TEST_F(ChecklistTest, BrokenChecklistsAreNamed) {
  v1::Checklist c;
  c.set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
  c.set_version("x");
  c.set_effective_from("kemarin");
  auto* item = c.add_items();
  item->set_code("stok");
  item->set_type(v1::CHECKLIST_ITEM_TYPE_STOCK_BALANCE);
  item->set_finding_code("stok_tidak_sesuai");
  item->set_received_item("diterima");
  const auto problems = ChecklistProblems(c);
  ASSERT_GE(problems.size(), 2u);
  EXPECT_EQ(problems[0], "effective_from: must be a date YYYY-MM-DD");
  EXPECT_EQ(problems[1], "item stok: \"diterima\" is not a count item of this checklist");
}

TEST(EffectiveFindingsTest, ComputedAndListedOnceEach) {
  v1::OutletAudit a;
  a.add_findings("penjualan_luar_wilayah");
  a.add_findings("harga_di_atas_het");
  a.add_computed_findings("harga_di_atas_het");
  a.add_computed_findings("stok_tidak_sesuai");
  EXPECT_EQ(EffectiveFindings(a),
            (std::vector<std::string>{"harga_di_atas_het", "penjualan_luar_wilayah", "stok_tidak_sesuai"}));
}

}  // namespace
}  // namespace pantau::common
