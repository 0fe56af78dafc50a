// Verdicts on tolerance boundaries: at the bound, one step inside, one step outside, for every
// class, on verification and in service; the derived vectors of DOMAIN.md; fuel dispensers at
// exactly 0.5 % and one millilitre beyond; and the verdict's independence of the unit.
#include "common/metrology.h"

#include <gtest/gtest.h>

#include <random>

namespace pantau::common {
namespace {

v1::UttpVerification Scale(const std::string& cls, int64_t max_mg, int64_t e_mg,
                           v1::VerificationKind kind = v1::VERIFICATION_KIND_TERA) {
  v1::UttpVerification u;
  u.set_instrument_id("T1");
  u.set_kind(kind);
  u.set_accuracy_class(cls);
  u.set_max_mg(max_mg);
  u.set_e_mg(e_mg);
  return u;
}

void AddPoint(v1::UttpVerification& u, int64_t load, int64_t indication, int64_t changepoint = 0) {
  auto* p = u.add_weighing_points();
  p->set_load_mg(load);
  p->set_indication_mg(indication);
  p->set_changepoint_mg(changepoint);
}

// The verdict of one point: load, indication.
bool Sah(v1::UttpVerification u, int64_t load, int64_t indication) {
  AddPoint(u, load, indication);
  const auto v = ComputeVerdict(u, v1::UTTP_CATEGORY_NAWI, MetrologySettings{});
  EXPECT_EQ(v.sah, v.reasons.empty());
  return v.sah;
}

struct ClassCase {
  const char* cls;
  int64_t e_mg, n;     // an allowed e and n = Max / e for the class
  int64_t b1, b2;      // upper bounds (in e) of the 0.5 e and 1 e bands
};
constexpr ClassCase kClasses[] = {
    {"I", 2, 250000, 50000, 200000},
    {"II", 2, 100000, 5000, 20000},
    {"III", 200, 10000, 500, 2000},
    {"IIII", 20000, 1000, 50, 200},
};

TEST(NawiMpeTest, EveryBandBoundOfEveryClassOnVerificationAndInService) {
  for (const auto& c : kClasses) {
    for (auto [kind, multiplier] : {std::pair{v1::VERIFICATION_KIND_TERA, 1}, std::pair{v1::VERIFICATION_KIND_TERA_ULANG, 1},
                                    std::pair{v1::VERIFICATION_KIND_PENGAWASAN, 2}}) {
      SCOPED_TRACE(testing::Message() << "class " << c.cls << " kind " << kind);
      const auto u = Scale(c.cls, c.e_mg * c.n, c.e_mg, kind);
      for (auto [bound, halves] : {std::pair{c.b1, 1}, std::pair{c.b2, 2}}) {
        const int64_t at = bound * c.e_mg;
        const auto cls = *ParseNawiClass(c.cls);
        // The band: at the bound and one milligram inside it the lower band, one milligram
        // outside the next.
        EXPECT_EQ(MpeHalfIntervals(cls, at, c.e_mg), halves);
        EXPECT_EQ(MpeHalfIntervals(cls, at - 1, c.e_mg), halves);
        EXPECT_EQ(MpeHalfIntervals(cls, at + 1, c.e_mg), halves + 1);
        // The error: at the MPE passes, one milligram beyond fails, both signs.
        const int64_t mpe = halves * c.e_mg / 2 * multiplier;
        EXPECT_TRUE(Sah(u, at, at + mpe));
        EXPECT_TRUE(Sah(u, at, at - mpe));
        EXPECT_TRUE(Sah(u, at, at + mpe - 1));
        EXPECT_FALSE(Sah(u, at, at + mpe + 1));
        EXPECT_FALSE(Sah(u, at, at - mpe - 1));
        // One milligram past the bound the wider MPE applies.
        const int64_t wider = (halves + 1) * c.e_mg / 2 * multiplier;
        EXPECT_TRUE(Sah(u, at + 1, at + 1 + wider));
        EXPECT_FALSE(Sah(u, at + 1, at + 1 + wider + 1));
      }
    }
  }
}

TEST(NawiMpeTest, DerivedVectorsOfDomain) {
  // Class III, e = 5 g, Max 30 kg: +-2.5 g up to 2.5 kg, +-5 g up to 10 kg, +-7.5 g above.
  auto checked = [](v1::UttpVerification u, int64_t load) {
    AddPoint(u, load, load);
    return ComputeVerdict(u, v1::UTTP_CATEGORY_NAWI, MetrologySettings{}).points.at(0).mpe;
  };
  const auto iii = Scale("III", 30000000, 5000);
  EXPECT_EQ(checked(iii, 2500000), (Ratio{2500, 1}));
  EXPECT_EQ(checked(iii, 2500001), (Ratio{5000, 1}));
  EXPECT_EQ(checked(iii, 10000000), (Ratio{5000, 1}));
  EXPECT_EQ(checked(iii, 10000001), (Ratio{7500, 1}));
  EXPECT_EQ(checked(iii, 30000000), (Ratio{7500, 1}));
  // In service, twice that.
  const auto in_service = Scale("III", 30000000, 5000, v1::VERIFICATION_KIND_PENGAWASAN);
  EXPECT_EQ(checked(in_service, 2500000), (Ratio{5000, 1}));
  EXPECT_EQ(checked(in_service, 10000000), (Ratio{10000, 1}));
  EXPECT_EQ(checked(in_service, 30000000), (Ratio{15000, 1}));
  // Class III, e = 2 g: 1 000 g (500 e) -> +-1 g; 1 002 g (501 e) -> +-2 g.
  const auto e2 = Scale("III", 6000000, 2000);
  EXPECT_EQ(checked(e2, 1000000), (Ratio{1000, 1}));
  EXPECT_EQ(checked(e2, 1002000), (Ratio{2000, 1}));
  // Class IIII, e = 50 g, Max 50 kg: 25 g / 50 g / 75 g.
  const auto iiii = Scale("IIII", 50000000, 50000);
  EXPECT_EQ(checked(iiii, 2500000), (Ratio{25000, 1}));
  EXPECT_EQ(checked(iiii, 10000000), (Ratio{50000, 1}));
  EXPECT_EQ(checked(iiii, 50000000), (Ratio{75000, 1}));
  // Class II, e = 0.1 g, Max 6 kg: 0.05 g / 0.1 g / 0.15 g.
  const auto ii = Scale("II", 6000000, 100);
  EXPECT_EQ(checked(ii, 500000), (Ratio{50, 1}));
  EXPECT_EQ(checked(ii, 2000000), (Ratio{100, 1}));
  EXPECT_EQ(checked(ii, 6000000), (Ratio{150, 1}));
}

TEST(NawiVerdictTest, ChangePointCorrectionInHalfMilligrams) {
  // Class III, e = 5 g, 1 kg shown as 1 000 g; 1.5 g added before it flips: P = I + e/2 - dL =
  // 1 001 g, E = +1 g (within 2.5 g). Without the correction E = 0.
  auto u = Scale("III", 30000000, 5000);
  AddPoint(u, 1000000, 1000000, 1500);
  AddPoint(u, 1000000, 1000000);
  auto v = ComputeVerdict(u, v1::UTTP_CATEGORY_NAWI, MetrologySettings{});
  EXPECT_TRUE(v.sah);
  EXPECT_EQ(v.points[0].error, (Ratio{1000, 1}));
  EXPECT_EQ(v.points[1].error, (Ratio{0, 1}));
  // e = 5 mg (class II): E = 2.5 - 2 = 0.5 mg, exactly.
  auto fine = Scale("II", 500000, 5);
  AddPoint(fine, 1000, 1000, 2);
  v = ComputeVerdict(fine, v1::UTTP_CATEGORY_NAWI, MetrologySettings{});
  EXPECT_EQ(v.points[0].error, (Ratio{1, 2}));
  EXPECT_EQ(v.points[0].mpe, (Ratio{5, 2}));
  EXPECT_EQ(DecimalText(v.points[0].error), "0.5");
  // The correction can decide: 1 kg shown as 1 002.5 g before rounding is out at 1 002 g + 5 g
  // added... E = 1 002 + 2.5 - 0.5 - 1 000 = 4 g > 2.5 g.
  auto out = Scale("III", 30000000, 5000);
  AddPoint(out, 1000000, 1002000, 500);
  v = ComputeVerdict(out, v1::UTTP_CATEGORY_NAWI, MetrologySettings{});
  EXPECT_FALSE(v.sah);
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_EQ(v.ReasonsIn()[0], "point 1 (load 1 kg): error 4 g exceeds the MPE of 2.5 g");
}

TEST(NawiVerdictTest, MultiIntervalUsesThePartialRangesInterval) {
  // Class III: 0-2 kg in 1 g, 2-6 kg in 2 g.
  auto u = Scale("III", 6000000, 2000);
  auto* r1 = u.add_ranges();
  r1->set_max_mg(2000000);
  r1->set_e_mg(1000);
  auto* r2 = u.add_ranges();
  r2->set_max_mg(6000000);
  r2->set_e_mg(2000);
  AddPoint(u, 400000, 400000);    // 400 e1 -> 0.5 g
  AddPoint(u, 1500000, 1500000);  // 1500 e1 -> 1 g
  AddPoint(u, 3000000, 3000000);  // 1500 e2 -> 2 g
  const auto v = ComputeVerdict(u, v1::UTTP_CATEGORY_NAWI, MetrologySettings{});
  EXPECT_TRUE(v.sah) << (v.reasons.empty() ? "" : v.ReasonsIn()[0]);
  EXPECT_EQ(v.points[0].mpe, (Ratio{500, 1}));
  EXPECT_EQ(v.points[1].mpe, (Ratio{1000, 1}));
  EXPECT_EQ(v.points[2].mpe, (Ratio{2000, 1}));
}

TEST(NawiVerdictTest, EccentricityRepeatabilityAndZero) {
  auto u = Scale("III", 30000000, 5000);
  AddPoint(u, 10000000, 10000000);
  for (int64_t shown : {10000000, 10005000, 9995000, 10000000, 10005000}) {  // 10 kg on five positions
    auto* p = u.add_eccentricity_points();
    p->set_load_mg(10000000);
    p->set_indication_mg(shown);
  }
  for (int64_t shown : {20000000, 20005000, 20000000}) {  // 20 kg three times: spread 5 g <= 7.5 g
    auto* p = u.add_repeatability_points();
    p->set_load_mg(20000000);
    p->set_indication_mg(shown);
  }
  u.set_zero_changepoint_mg(1250);  // E0 = 2.5 - 1.25 = 1.25 g = 0.25 e: at the limit
  auto v = ComputeVerdict(u, v1::UTTP_CATEGORY_NAWI, MetrologySettings{});
  EXPECT_TRUE(v.sah) << (v.reasons.empty() ? "" : v.ReasonsIn()[0]);
  ASSERT_EQ(v.auxiliary.size(), 7u);
  EXPECT_EQ(v.auxiliary[5].test, "repeatability");
  EXPECT_EQ(v.auxiliary[5].error, (Ratio{5000, 1}));
  EXPECT_EQ(v.auxiliary[6].test, "zero");
  EXPECT_EQ(v.auxiliary[6].error, (Ratio{1250, 1}));

  u.mutable_eccentricity_points(2)->set_indication_mg(9994999);  // 5.001 g off: beyond 5 g
  u.mutable_repeatability_points(1)->set_indication_mg(20010000);  // spread 10 g > 7.5 g
  u.set_zero_changepoint_mg(1249);  // 1.251 g > 1.25 g
  auto* low = u.add_eccentricity_points();  // 9 kg < Max / 3
  low->set_load_mg(9000000);
  low->set_indication_mg(9000000);
  v = ComputeVerdict(u, v1::UTTP_CATEGORY_NAWI, MetrologySettings{});
  EXPECT_FALSE(v.sah);
  EXPECT_EQ(v.ReasonsIn(), (std::vector<std::string>{
                           "eccentricity position 3: error -5.001 g exceeds the MPE of 5 g",
                           "eccentricity position 6: load 9 kg is below Max / 3",
                           "repeatability: the weighings differ by 10 g, more than the MPE of 7.5 g",
                           "zero-setting: error 1.251 g exceeds 0.25 e = 1.25 g"}));
}

TEST(NawiVerdictTest, MetadataChecks) {
  auto reasons = [](v1::UttpVerification u) {
    AddPoint(u, u.max_mg(), u.max_mg());
    return ComputeVerdict(u, v1::UTTP_CATEGORY_NAWI, MetrologySettings{}).ReasonsIn();
  };
  EXPECT_TRUE(reasons(Scale("III", 30000000, 5000)).empty());
  auto three = reasons(Scale("III", 30000000, 3000));
  ASSERT_FALSE(three.empty());
  EXPECT_EQ(three[0], "e = 3 g is not of the form 1, 2 or 5 x 10^k");
  EXPECT_EQ(reasons(Scale("III", 3000000, 50)),
            (std::vector<std::string>{"e = 50 mg is not allowed for class III"}));
  EXPECT_EQ(reasons(Scale("III", 60000000, 5000)),  // n = 12 000
            (std::vector<std::string>{"n = Max / e = 12000 is outside class III's 500 to 10000 for e = 5 g"}));
  EXPECT_EQ(reasons(Scale("III", 30001000, 5000)),
            (std::vector<std::string>{"Max = 30001 g is not a whole number of e = 5 g"}));
  auto u = Scale("III", 30000000, 5000);
  u.set_min_mg(50000);  // 10 e < 20 e
  u.set_d_mg(10000);    // d > e
  EXPECT_EQ(reasons(u), (std::vector<std::string>{"d = 10 g is larger than e = 5 g",
                                                  "Min = 50 g is below class III's lower limit of 20 e = 100 g"}));
  EXPECT_EQ(reasons(Scale("V", 30000000, 5000)),
            (std::vector<std::string>{"accuracy class \"V\" is not I, II, III or IIII"}));
  EXPECT_TRUE(IsOneTwoFiveDecade(1) && IsOneTwoFiveDecade(20) && IsOneTwoFiveDecade(500000));
  EXPECT_FALSE(IsOneTwoFiveDecade(3) || IsOneTwoFiveDecade(25) || IsOneTwoFiveDecade(0));
}

v1::UttpVerification Pump(std::vector<std::tuple<const char*, int64_t, int64_t>> runs,
                          v1::VerificationKind kind = v1::VERIFICATION_KIND_TERA_ULANG, int64_t mmq = 0) {
  v1::UttpVerification u;
  u.set_instrument_id("P1");
  u.set_kind(kind);
  u.set_accuracy_class("0.5");
  u.set_mmq_ml(mmq);
  for (auto [flow, actual, shown] : runs) {
    auto* r = u.add_volume_runs();
    r->set_flow(flow);
    r->set_actual_ml(actual);
    r->set_indication_ml(shown);
  }
  return u;
}

VerdictResult PumpVerdict(const v1::UttpVerification& u) {
  return ComputeVerdict(u, v1::UTTP_CATEGORY_FUEL_DISPENSER, MetrologySettings{});
}

TEST(DispenserTest, HalfAPercentOfTwentyLitresAndOneMillilitreBeyond) {
  for (int64_t error : {100, -100}) {
    EXPECT_TRUE(PumpVerdict(Pump({{"max", 20000, 20000 + error}, {"mid", 20000, 20000}, {"min", 20000, 20000}})).sah);
  }
  for (int64_t error : {101, -101}) {
    auto v = PumpVerdict(Pump({{"max", 20000, 20000 + error}, {"mid", 20000, 20000}, {"min", 20000, 20000}}));
    EXPECT_FALSE(v.sah);
    EXPECT_EQ(v.points[0].mpe, (Ratio{100, 1}));
  }
  auto v = PumpVerdict(Pump({{"max", 20000, 20101}, {"mid", 20000, 20000}, {"min", 20000, 20000}}));
  EXPECT_EQ(v.ReasonsIn()[0], "run 1 (max flow, 20000 mL): error 101 mL exceeds the MPE of 100 mL");
}

TEST(DispenserTest, SmallVolumesEminAndClasses) {
  auto mpe = [](int64_t volume, int64_t mmq = 0, const char* cls = "0.5") {
    auto u = Pump({{"max", volume, volume}}, v1::VERIFICATION_KIND_PENGAWASAN, mmq);
    u.set_accuracy_class(cls);
    return DecimalText(PumpVerdict(u).points.at(0).mpe);
  };
  EXPECT_EQ(mpe(20003), "100.015");  // 0.5 % of 20.003 L
  EXPECT_EQ(mpe(2000), "10");
  EXPECT_EQ(mpe(1500), "10");   // 1 to 2 L: the value at 2 L
  EXPECT_EQ(mpe(500), "5");     // 0.4 to 1 L: twice the percentage
  EXPECT_EQ(mpe(300), "4");     // 0.2 to 0.4 L: twice the value at 0.4 L
  EXPECT_EQ(mpe(150), "3");     // 0.1 to 0.2 L: four times the percentage
  EXPECT_EQ(mpe(50), "2");      // below 0.1 L: four times the value at 0.1 L
  EXPECT_EQ(mpe(1500, 2000), "20");  // Emin = 2 x 2 L x 0.5 % = 20 mL
  EXPECT_EQ(mpe(20000, 2000), "100");
  EXPECT_EQ(mpe(300, 500), "10");    // MMQ 0.5 L: Emin = 2 x 5 mL
  EXPECT_EQ(mpe(20000, 0, "1.0"), "200");
  EXPECT_EQ(mpe(20000, 0, "0.3"), "60");
  auto u = Pump({{"max", 20000, 20000}});
  u.set_accuracy_class("0.7");
  EXPECT_FALSE(PumpVerdict(u).sah);
}

TEST(DispenserTest, ThreeFlowRatesAndRepeatability) {
  // Tera ulang needs max, mid and min; a pengawasan does not.
  auto v = PumpVerdict(Pump({{"max", 20000, 20000}, {"mid", 20000, 20000}}));
  EXPECT_EQ(v.ReasonsIn(), (std::vector<std::string>{"no run at the min flow rate"}));
  EXPECT_TRUE(PumpVerdict(Pump({{"max", 20000, 20000}}, v1::VERIFICATION_KIND_PENGAWASAN)).sah);
  // At the max flow rate the errors +20 and 0 mL in 20 L spread 0.1 %: at the limit.
  v = PumpVerdict(Pump({{"max", 20000, 20020}, {"max", 20000, 20000}, {"mid", 20000, 20000}, {"min", 20000, 20000}}));
  EXPECT_TRUE(v.sah) << v.ReasonsIn()[0];
  ASSERT_EQ(v.auxiliary.size(), 1u);
  EXPECT_EQ(DecimalText(v.auxiliary[0].error), "0.1");
  // +20 and -1 mL: 0.105 %, beyond.
  v = PumpVerdict(Pump({{"max", 20000, 20020}, {"max", 20000, 19999}, {"mid", 20000, 20000}, {"min", 20000, 20000}}));
  EXPECT_FALSE(v.sah);
  EXPECT_EQ(v.ReasonsIn(), (std::vector<std::string>{
                           "repeatability at the max flow rate: the errors spread 0.105 %, more than 0.1 %"}));
}

TEST(WaterMeterTest, ZonesClassesAndHotWater) {
  auto run = [](const char* cls, const char* zone, bool hot, int64_t error) {
    v1::UttpVerification u;
    u.set_kind(v1::VERIFICATION_KIND_TERA);
    u.set_accuracy_class(cls);
    auto* r = u.add_volume_runs();
    r->set_zone(zone);
    r->set_above_30c(hot);
    r->set_actual_ml(10000);
    r->set_indication_ml(10000 + error);
    return ComputeVerdict(u, v1::UTTP_CATEGORY_WATER_METER, MetrologySettings{}).sah;
  };
  EXPECT_TRUE(run("2", "lower", false, 500));
  EXPECT_FALSE(run("2", "lower", false, 501));
  EXPECT_TRUE(run("2", "upper", false, -200));
  EXPECT_FALSE(run("2", "upper", false, -201));
  EXPECT_TRUE(run("2", "upper", true, 300));
  EXPECT_FALSE(run("2", "upper", true, 301));
  EXPECT_TRUE(run("1", "lower", false, 300));
  EXPECT_FALSE(run("1", "lower", false, 301));
  EXPECT_TRUE(run("1", "upper", false, 100));
  EXPECT_FALSE(run("1", "upper", false, 101));
  EXPECT_FALSE(run("1", "middle", false, 0));
}

TEST(MetrologyTest, OtherTypesGetNoComputedVerdict) {
  auto v = ComputeVerdict(Scale("III", 30000000, 5000), v1::UTTP_CATEGORY_MEASURE, MetrologySettings{});
  EXPECT_FALSE(v.sah);
  EXPECT_EQ(v.ReasonsIn(), (std::vector<std::string>{"no verdict rule for this type of instrument yet"}));
}

// Rescaling every quantity to a finer unit (x10: tenths of a milligram or millilitre; x1000)
// changes no verdict, and every error and MPE scales exactly.
TEST(MetrologyPropertyTest, AVerdictDoesNotDependOnTheUnit) {
  std::mt19937_64 rng(11);
  auto pick = [&](int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); };
  int sah = 0, batal = 0;
  for (int round = 0; round < 3000; ++round) {
    v1::UttpVerification u;
    u.set_kind(static_cast<v1::VerificationKind>(1 + pick(3)));
    v1::UttpCategory category;
    if (round % 2 == 0) {
      const auto& c = kClasses[pick(4)];
      category = v1::UTTP_CATEGORY_NAWI;
      u.set_accuracy_class(c.cls);
      u.set_e_mg(c.e_mg);
      u.set_max_mg(c.e_mg * c.n);
      for (int i = 0; i < 1 + pick(4); ++i) {
        // Loads near a band bound, errors near the MPE.
        const int64_t bound = (pick(2) ? c.b1 : c.b2) * c.e_mg;
        const int64_t load = bound - 3 + pick(7);
        AddPoint(u, load, load - 2 * c.e_mg + pick(4 * c.e_mg + 1), pick(3) == 0 ? pick(c.e_mg) : 0);
      }
      if (pick(2)) u.set_zero_changepoint_mg(pick(c.e_mg + 1));
    } else {
      category = v1::UTTP_CATEGORY_FUEL_DISPENSER;
      u.set_accuracy_class(pick(2) ? "0.5" : "1.0");
      u.set_mmq_ml(pick(2) ? 2000 : 0);
      for (const char* flow : {"max", "mid", "min"}) {
        for (int k = 0; k < 1 + pick(2); ++k) {
          const int64_t volume = pick(3) == 0 ? 50 + pick(3000) : 20000;
          auto* r = u.add_volume_runs();
          r->set_flow(flow);
          r->set_actual_ml(volume);
          r->set_indication_ml(volume - 120 + pick(241));
        }
      }
    }
    const VerdictResult base = ComputeVerdict(u, category, MetrologySettings{});
    (base.sah ? sah : batal)++;
    for (int64_t factor : {10, 1000}) {
      v1::UttpVerification fine = u;
      fine.set_e_mg(u.e_mg() * factor);
      fine.set_max_mg(u.max_mg() * factor);
      if (u.has_zero_changepoint_mg()) fine.set_zero_changepoint_mg(u.zero_changepoint_mg() * factor);
      fine.set_mmq_ml(u.mmq_ml() * factor);
      for (auto& p : *fine.mutable_weighing_points()) {
        p.set_load_mg(p.load_mg() * factor);
        p.set_indication_mg(p.indication_mg() * factor);
        p.set_changepoint_mg(p.changepoint_mg() * factor);
      }
      for (auto& r : *fine.mutable_volume_runs()) {
        r.set_actual_ml(r.actual_ml() * factor);
        r.set_indication_ml(r.indication_ml() * factor);
      }
      const VerdictResult scaled = ComputeVerdict(fine, category, MetrologySettings{}, factor);
      ASSERT_EQ(scaled.sah, base.sah) << round;
      ASSERT_EQ(scaled.ReasonsIn(), base.ReasonsIn()) << round;
      ASSERT_EQ(scaled.points.size(), base.points.size());
      for (size_t i = 0; i < base.points.size(); ++i) {
        EXPECT_EQ(scaled.points[i].pass, base.points[i].pass);
        EXPECT_EQ(DecimalText(scaled.points[i].error), DecimalText(Ratio{base.points[i].error.numerator * factor,
                                                                         base.points[i].error.denominator}));
        EXPECT_EQ(DecimalText(scaled.points[i].mpe), DecimalText(Ratio{base.points[i].mpe.numerator * factor,
                                                                       base.points[i].mpe.denominator}));
      }
    }
  }
  // The generator reaches both verdicts often.
  EXPECT_GT(sah, 300);
  EXPECT_GT(batal, 300);
}

}  // namespace
}  // namespace pantau::common

namespace pantau::common {
namespace {

// Found by fuzz_record_validation: 2 x a load near INT64_MIN overflowed. Every quantity is now
// bounded at 10^15 of its unit before any arithmetic — at the bound judged, one beyond refused.
TEST(MetrologyTest, QuantitiesBeyondAnyInstrumentAreRefusedBeforeAnyArithmetic) {
  const int64_t bound = 1'000'000'000'000'000;
  auto u = Scale("III", 30000000, 5000);
  AddPoint(u, -4705815380679982976, 0);
  auto refused = ComputeVerdict(u, v1::UTTP_CATEGORY_NAWI, MetrologySettings{});
  EXPECT_FALSE(refused.sah);
  ASSERT_EQ(refused.reasons.size(), 1u);
  EXPECT_EQ(refused.ReasonsIn()[0],
            "a weighing point = -4705815380679982976 is beyond any instrument (at most 10^15 in its unit); check the entry");
  for (int64_t extreme : {bound + 1, -bound - 1, INT64_MAX, INT64_MIN}) {
    auto pump = Pump({{"max", extreme, 20000}, {"mid", 20000, 20000}, {"min", 20000, 20000}});
    auto v = PumpVerdict(pump);
    EXPECT_FALSE(v.sah);
    EXPECT_NE(v.ReasonsIn()[0].find("is beyond any instrument"), std::string::npos) << v.ReasonsIn()[0];
  }
  // At the bound itself the rules run (and find the absurd run batal) without overflow.
  auto at_bound = PumpVerdict(Pump({{"max", bound, bound - 1}, {"mid", bound, -bound}, {"min", 1, bound}}));
  EXPECT_FALSE(at_bound.sah);
  EXPECT_EQ(at_bound.ReasonsIn()[0].find("is beyond any instrument"), std::string::npos) << at_bound.ReasonsIn()[0];
}

}  // namespace
}  // namespace pantau::common
