#include "common/indicators.h"

#include <gtest/gtest.h>

#include "common/periods.h"
#include "tests/testing/test_support.h"

namespace pantau::common {
namespace {

TEST(PeriodsTest, LabelsAndBoundsOfEveryKind) {
  EXPECT_EQ(*ParsePeriod("2026"), YearPeriod(2026));
  auto q4 = *ParsePeriod("2026-Q4");
  EXPECT_EQ(q4.first, absl::CivilDay(2026, 10, 1));
  EXPECT_EQ(q4.last, absl::CivilDay(2026, 12, 31));
  auto feb = *ParsePeriod("2024-02");
  EXPECT_EQ(feb.last, absl::CivilDay(2024, 2, 29));
  auto day = *ParsePeriod("2026-11-24");
  EXPECT_EQ(day.first, day.last);
  EXPECT_FALSE(ParsePeriod("2026-13"));
  EXPECT_FALSE(ParsePeriod("2026-Q5"));
  EXPECT_FALSE(ParsePeriod("26"));
}

TEST(PeriodsTest, WordsPeopleSayAreConcretePeriodsOfToday) {
  const absl::CivilDay today(2026, 1, 5);  // a Monday in the first quarter
  EXPECT_EQ(ParsePeriod("bulan-ini", today)->label, "2026-01");
  EXPECT_EQ(ParsePeriod("bulan-lalu", today)->label, "2025-12");  // across the year's end
  EXPECT_EQ(ParsePeriod("triwulan-ini", today)->label, "2026-Q1");
  EXPECT_EQ(ParsePeriod("triwulan-lalu", today)->label, "2025-Q4");
  EXPECT_EQ(ParsePeriod("tahun-ini", today)->label, "2026");
  EXPECT_EQ(ParsePeriod("tahun-lalu", today)->label, "2025");
  EXPECT_EQ(ParsePeriod("hari-ini", today)->label, "2026-01-05");
  EXPECT_EQ(ParsePeriod("kemarin", today)->label, "2026-01-04");
  EXPECT_EQ(ParsePeriod("minggu-ini", today)->label, "2026-W02");
  EXPECT_EQ(ParsePeriod("minggu-lalu", today)->label, "2026-W01");
  // As typed: a space or '_' for '-', any case; the plain labels still parse; others do not.
  EXPECT_EQ(ParsePeriod("Bulan Ini", today), ParsePeriod("2026-01"));
  EXPECT_EQ(ParsePeriod("bulan_ini", today), ParsePeriod("2026-01"));
  EXPECT_EQ(ParsePeriod("2026-Q4", today), ParsePeriod("2026-Q4"));
  EXPECT_EQ(ParsePeriod("triwulan-lalu", absl::CivilDay(2026, 11, 30))->label, "2026-Q3");
  EXPECT_FALSE(ParsePeriod("bulan-depan", today));
  EXPECT_FALSE(ParsePeriod("bulan-ini"));  // without a today, only labels
}

TEST(PeriodsTest, IsoWeeksFollowIso8601AcrossYearEnds) {
  // 2026-01-01 is a Thursday: ISO week 1 of 2026 runs 2025-12-29 .. 2026-01-04.
  auto w1 = *IsoWeekPeriod(2026, 1);
  EXPECT_EQ(w1.first, absl::CivilDay(2025, 12, 29));
  EXPECT_EQ(w1.last, absl::CivilDay(2026, 1, 4));
  EXPECT_EQ(IsoWeekOf(absl::CivilDay(2025, 12, 31)).label, "2026-W01");
  // 2021-01-03 (a Sunday) belongs to 2020-W53.
  EXPECT_EQ(IsoWeekOf(absl::CivilDay(2021, 1, 3)).label, "2020-W53");
  EXPECT_TRUE(IsoWeekPeriod(2020, 53));
  EXPECT_FALSE(IsoWeekPeriod(2021, 53));
  EXPECT_EQ(IsoWeekOf(absl::CivilDay(2026, 11, 24)).label, "2026-W48");
  EXPECT_EQ(*ParsePeriod("2026-W48"), IsoWeekOf(absl::CivilDay(2026, 11, 24)));
}

TEST(RatioTest, FormatsHalfUpAndComputesCapaian) {
  EXPECT_EQ(FormatRatio({215 * 100, 247}, 2), "87.04");
  EXPECT_EQ(FormatRatio({1, 8}, 2), "0.13");  // 0.125 rounds half up
  EXPECT_EQ(FormatRatio(Whole(12), 0), "12");
  EXPECT_EQ(FormatRatio(Milli(87500), 1), "87.5");
  auto c = Capaian(Whole(18), Whole(24));
  ASSERT_TRUE(c);
  EXPECT_EQ(FormatRatio(*c, 2), "75.00");
  EXPECT_FALSE(Capaian(Whole(5), Whole(0)));
  EXPECT_EQ(FormatRatio(*Capaian(Ratio{215 * 100, 247}, Milli(90000)), 2), "96.72");
}

class IndicatorCellsTest : public ::testing::Test {
 protected:
  IndicatorCellsTest() {
    for (const auto& e : pantau::testing::TestReferenceData()) catalog_.Upsert(e);
    v1::ReferenceEntity kios;
    auto* o = kios.mutable_outlet();
    o->set_code("kios_1");
    o->set_kind(v1::OUTLET_KIND_PUPUK_KIOS);
    o->set_kecamatan_code("belawang");
    o->add_products("pupuk_urea");  // registered for urea only, though kiosks may sell NPK too
    catalog_.Upsert(kios);
    for (const char* p : {"lpg_3kg", "pupuk_urea", "pupuk_npk"}) {
      v1::ReferenceEntity e;
      e.mutable_subsidised_product()->set_code(p);
      e.mutable_subsidised_product()->set_outlet_kind(std::string(p) == "lpg_3kg" ? v1::OUTLET_KIND_LPG_PANGKALAN
                                                                                 : v1::OUTLET_KIND_PUPUK_KIOS);
      catalog_.Upsert(e);
    }
  }
  static v1::RollupCell Price(std::vector<int64_t> prices) {
    v1::RollupCell c;
    for (auto p : prices) c.mutable_price()->add_prices_rupiah(p);
    return c;
  }
  static v1::RollupCell Audits(int64_t n) {
    v1::RollupCell c;
    c.mutable_audit()->set_audits(n);
    return c;
  }
  ReferenceCatalog catalog_;
};

TEST_F(IndicatorCellsTest, CountsDistinctCommoditiesOutletsAndActions) {
  const absl::CivilDay d(2026, 11, 24);
  CellList prices = {{PriceCellKey(d, "beras_medium", "pasar_a"), Price({13000})},
                     {PriceCellKey(d, "beras_medium", "pasar_b"), Price({13100, 13200})},
                     {PriceCellKey(d + 1, "telur_itik", "pasar_a"), Price({3000})}};
  EXPECT_EQ(BahanPokokMonitored(prices), 2);
  EXPECT_EQ(BahanPokokMonitored({}), 0);  // an empty period is 0 commodities, not missing

  CellList audits = {{AuditCellKey(d, "pkl_1"), Audits(2)},
                     {AuditCellKey(d + 3, "pkl_1"), Audits(1)},
                     {AuditCellKey(d, "kios_1"), Audits(1)}};
  auto outlets = CountOutletsAudited(audits, catalog_);
  EXPECT_EQ(outlets.total, 2);
  EXPECT_EQ(outlets.by_kind["lpg_pangkalan"], 1);
  EXPECT_EQ(outlets.by_kind["pupuk_kios"], 1);
  // By what each outlet is registered to sell, never every product of its kind; pkl_1's registry
  // row names no product.
  EXPECT_EQ(outlets.by_product["pupuk_urea"], 1);
  EXPECT_EQ(outlets.by_product.count("pupuk_npk"), 0u);
  EXPECT_EQ(outlets.by_product["unknown"], 1);
  EXPECT_EQ(outlets.by_product.count("lpg_3kg"), 0u);
  EXPECT_EQ(outlets.by_kecamatan["marabahan"], 1);
  EXPECT_EQ(outlets.by_kecamatan["belawang"], 1);

  v1::RollupCell follow;
  follow.mutable_follow_up()->set_actions(3);
  EXPECT_EQ(FollowUpActions({{FollowUpCellKey(d, "teguran_lisan"), follow},
                             {FollowUpCellKey(d, "teguran_tertulis"), follow}}),
            6);
}

TEST_F(IndicatorCellsTest, UttpPercentByBothDefinitions) {
  // Registry: UTTP-1 (test data, always registered), UTTP-2 registered 2026-06-01,
  // UTTP-3 retired 2025-12-31 (not in the 2026 potensi).
  for (auto [id, reg, ret] : {std::tuple{"UTTP-2", "2026-06-01", ""}, std::tuple{"UTTP-3", "2024-01-01", "2025-12-31"}}) {
    v1::ReferenceEntity e;
    auto* u = e.mutable_uttp_instrument();
    u->set_id(id);
    u->set_type_code("timbangan_elektronik");
    u->set_registered_on(reg);
    u->set_retired_on(ret);
    catalog_.Upsert(e);
  }
  // `sah` of the verifications on `days` were sah (the first ones), the rest batal.
  auto cell = [](int tera_ulang, int sah, std::vector<std::string> days) {
    v1::RollupCell c;
    c.mutable_uttp()->set_tera_ulang(tera_ulang);
    c.mutable_uttp()->set_sah(sah);
    c.mutable_uttp()->set_batal(tera_ulang - sah);
    for (size_t i = 0; i < days.size(); ++i) {
      c.mutable_uttp()->add_verified_on(days[i]);
      if (static_cast<int>(i) < sah) {
        c.mutable_uttp()->add_sah_on(days[i]);
      } else {
        c.mutable_uttp()->add_batal_on(days[i]);
      }
    }
    return c;
  };
  CellList cells = {{UttpCellKey(2024, "UTTP-1"), cell(1, 1, {"2024-11-01"})},
                    {UttpCellKey(2026, "UTTP-2"), cell(1, 0, {"2026-07-01"})},
                    {UttpCellKey(2026, "UTTP-3"), cell(1, 1, {"2026-02-01"})}};
  auto in_year = UttpVerifiedPercent(cells, catalog_, 2026, UttpDefinition::kVerifiedInYear);
  EXPECT_EQ(in_year.registry, 2);
  EXPECT_EQ(in_year.verified, 1);  // UTTP-2; UTTP-3 is not in the potensi
  EXPECT_EQ(FormatRatio(*in_year.percent, 2), "50.00");
  // A quarter's potensi counts the instruments registered by its last day: UTTP-2 (registered
  // 2026-06-01) is not in Q1's, is in Q2's (30 June) and Q3's.
  auto q1 = UttpVerifiedPercentIn(cells, catalog_, absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 3, 31),
                                  UttpDefinition::kVerifiedInYear);
  EXPECT_EQ(q1.registry, 1);
  auto q2 = UttpVerifiedPercentIn(cells, catalog_, absl::CivilDay(2026, 4, 1), absl::CivilDay(2026, 6, 30),
                                  UttpDefinition::kVerifiedInYear);
  EXPECT_EQ(q2.registry, 2);
  EXPECT_EQ(q2.verified, 0);  // UTTP-2 was verified in July
  auto may31 = UttpVerifiedPercentIn(cells, catalog_, absl::CivilDay(2026, 5, 1), absl::CivilDay(2026, 5, 31),
                                     UttpDefinition::kVerifiedInYear);
  EXPECT_EQ(may31.registry, 1);  // the day before its registration
  // Valid mark at the end of 2025: sah on 2024-11-01 is valid 12 months, until 2025-11-01 -> no.
  auto mark_2025 = UttpVerifiedPercent(cells, catalog_, 2025, UttpDefinition::kValidMark);
  EXPECT_EQ(mark_2025.verified, 0);
  // Sah on 2025-03-01 is valid until 2026-03-01, past the end of 2025 -> yes; batal -> no.
  cells[0] = {UttpCellKey(2025, "UTTP-1"), cell(1, 1, {"2025-03-01"})};
  EXPECT_EQ(UttpVerifiedPercent(cells, catalog_, 2025, UttpDefinition::kValidMark).verified, 1);
  cells[0] = {UttpCellKey(2025, "UTTP-1"), cell(1, 0, {"2025-03-01"})};
  EXPECT_EQ(UttpVerifiedPercent(cells, catalog_, 2025, UttpDefinition::kValidMark).verified, 0);
  // Sah in March, batal at a pengawasan in October: the mark is cancelled at the end of the year.
  cells[0] = {UttpCellKey(2025, "UTTP-1"), cell(2, 1, {"2025-03-01", "2025-10-01"})};
  EXPECT_EQ(UttpVerifiedPercent(cells, catalog_, 2025, UttpDefinition::kValidMark).verified, 0);
  // The mark on the last day of validity still counts: sah 2025-01-31, 12 months -> 2026-01-31.
  cells[0] = {UttpCellKey(2025, "UTTP-1"), cell(1, 1, {"2025-01-31"})};
  EXPECT_EQ(UttpVerifiedPercentIn(cells, catalog_, absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 1, 31),
                                  UttpDefinition::kValidMark).verified, 1);
  EXPECT_EQ(UttpVerifiedPercentIn(cells, catalog_, absl::CivilDay(2026, 2, 1), absl::CivilDay(2026, 2, 1),
                                  UttpDefinition::kValidMark).verified, 0);
  // No registry: the percentage is missing, never 0 or 100.
  ReferenceCatalog empty;
  EXPECT_FALSE(UttpVerifiedPercent(cells, empty, 2026, UttpDefinition::kVerifiedInYear).percent);
}

TEST_F(IndicatorCellsTest, ManualRealisationsAsValueOrPercentage) {
  v1::ReferenceEntity value, percent;
  auto* v = value.mutable_manual_realisation();
  v->set_indicator_number(1);
  v->set_year(2026);
  v->set_value_milli(45000);
  auto* p = percent.mutable_manual_realisation();
  p->set_indicator_number(12);
  p->set_year(2026);
  p->set_numerator(7);
  p->set_denominator(9);
  catalog_.Upsert(value);
  catalog_.Upsert(percent);
  EXPECT_EQ(FormatRatio(*ManualRealisationValue(catalog_, 1, 2026), 0), "45");
  EXPECT_EQ(FormatRatio(*ManualRealisationValue(catalog_, 12, 2026), 2), "77.78");
  EXPECT_FALSE(ManualRealisationValue(catalog_, 1, 2025));
}

}  // namespace
}  // namespace pantau::common
