// `pantau uttp check`: the input format, its errors, and the output pinned by a golden file.
#include "client/uttp_check.h"

#include <gtest/gtest.h>

#include "tests/testing/test_support.h"

namespace pantau::client {
namespace {

using ::pantau::testing::ExpectGolden;

std::string Check(const std::string& json) {
  auto input = ParseCheckInput(json);
  EXPECT_TRUE(input.ok()) << input.status().message();
  if (!input.ok()) return "";
  return VerdictJson(*input, common::ComputeVerdict(input->verification, input->category, common::MetrologySettings{}));
}

TEST(UttpCheckTest, AScaleOnTheBoundaryOfDomainsDerivedVector) {
  // Class III, e = 2 g: 1 000 g (500 e) within +-1 g, 1 002 g (501 e) within +-2 g; a change-point
  // reading of 0.5 mg precision; eccentricity, repeatability and zero.
  ExpectGolden("uttp_check_nawi.json", Check(R"({
    "instrument": "nawi", "class": "III", "max_mg": 6000000, "e_mg": 2000, "kind": "tera",
    "points": [{"load_mg": 1000000, "indication_mg": 1001000},
               {"load_mg": 1002000, "indication_mg": 1004000},
               {"load_mg": 1002000, "indication_mg": 1004000, "changepoint_mg": 1500},
               {"load_mg": 1000000, "indication_mg": 1001002}],
    "eccentricity": [{"load_mg": 2000000, "indication_mg": 2001000}, {"load_mg": 2000000, "indication_mg": 1999000}],
    "repeatability": [{"load_mg": 3000000, "indication_mg": 3000000}, {"load_mg": 3000000, "indication_mg": 3002000}],
    "zero_changepoint_mg": 700})"));
}

TEST(UttpCheckTest, AFuelDispenserAtHalfAPercentAndBeyond) {
  ExpectGolden("uttp_check_fuel_dispenser.json", Check(R"({
    "instrument": "fuel_dispenser", "accuracy_class": "0.5", "mmq_ml": 2000, "kind": "tera_ulang",
    "runs": [{"flow": "max", "actual_ml": 20000, "indication_ml": 20100},
             {"flow": "mid", "actual_ml": 20000, "indication_ml": 19899},
             {"flow": "min", "actual_ml": 20000, "indication_ml": 20000},
             {"flow": "min", "actual_ml": 20000, "indication_ml": 20010}]})"));
}

TEST(UttpCheckTest, InputErrorsNameTheKey) {
  struct Case {
    const char* json;
    const char* message;
  } cases[] = {
      {"[", "the input is not JSON"},
      {R"({"instrument": "timbangan", "kind": "tera", "points": [{"load_mg": 1, "indication_mg": 1}]})",
       "instrument: must be nawi, fuel_dispenser or water_meter (got \"timbangan\")"},
      {R"({"instrument": "nawi", "kind": "kalibrasi", "points": []})", "kind: must be tera, tera_ulang or pengawasan"},
      {R"({"instrument": "nawi", "kind": "tera", "colour": "red"})", "colour: unknown key"},
      {R"({"instrument": "nawi", "kind": "tera", "e_mg": 2.5, "points": []})", "e_mg: must be a whole number"},
      {R"({"instrument": "nawi", "kind": "tera", "points": [{"load_mg": 1000}]})", "points[0].indication_mg: is required"},
      {R"({"instrument": "nawi", "kind": "tera", "points": [{"load_mg": 1, "indication_mg": 1, "x": 1}]})",
       "points[0].x: unknown key"},
      {R"({"instrument": "nawi", "kind": "tera"})", "at least one test point or run is needed"},
      {R"({"instrument": "fuel_dispenser", "kind": "tera", "runs": [{"flow": "max", "actual_ml": 20000, "indication_ml": 1, "above_30c": "no"}]})",
       "runs[0].above_30c: must be true or false"},
  };
  for (const auto& c : cases) {
    auto input = ParseCheckInput(c.json);
    ASSERT_FALSE(input.ok()) << c.json;
    EXPECT_NE(input.status().message().find(c.message), std::string_view::npos)
        << c.json << " -> " << input.status().message();
  }
  // Without the instrument (uttp add --input takes it from the registry).
  EXPECT_TRUE(ParseCheckInput(R"({"kind": "tera", "points": [{"load_mg": 1, "indication_mg": 1}]})", false).ok());
}

TEST(UttpCheckTest, TerminalLinesShowEachTestAndTheVerdict) {
  auto input = ParseCheckInput(R"({"instrument": "nawi", "class": "III", "max_mg": 30000000, "e_mg": 5000,
      "kind": "tera_ulang", "points": [{"load_mg": 10000000, "indication_mg": 10006000}]})");
  ASSERT_TRUE(input.ok());
  const auto verdict = common::ComputeVerdict(input->verification, input->category, common::MetrologySettings{});
  EXPECT_EQ(VerdictLines(input->verification, verdict, true),
            "  point 1 (load 10000000 mg): error +6000 mg, MPE 5000 mg  FAIL\n"
            "verdict: batal — point 1 (load 10 kg): error 6 g exceeds the MPE of 5 g\n");
}

TEST(UttpCheckTest, CommandLineSpecs) {
  auto p = ParsePointSpec("1000000:1001000:1500", "--point");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->changepoint_mg(), 1500);
  EXPECT_FALSE(ParsePointSpec("1000000", "--point").ok());
  // Masses as typed at the scale: kg, g or mg; a bare number is mg.
  auto typed = ParsePointSpec("3 kg:2996 g", "--point");
  ASSERT_TRUE(typed.ok()) << typed.status().message();
  EXPECT_EQ(typed->load_mg(), 3000000);
  EXPECT_EQ(typed->indication_mg(), 2996000);
  EXPECT_EQ(ParsePointSpec("3kg:2996,5g:500mg", "--point")->indication_mg(), 2996500);
  EXPECT_EQ(ParsePointSpec("1 kg:1000", "--point")->indication_mg(), 1000);
  auto tonnes = ParsePointSpec("1 ton:5", "--point");
  ASSERT_FALSE(tonnes.ok());
  EXPECT_NE(tonnes.status().message().find("the unit \"ton\" is not kg, g or mg"), std::string::npos)
      << tonnes.status().message();
  EXPECT_FALSE(ParsePointSpec("3 kg:0,5 mg", "--point").ok());  // no fraction of a milligram
  auto r = ParseRunSpec("upper30:10000:10250");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->zone(), "upper");
  EXPECT_TRUE(r->above_30c());
  EXPECT_EQ(ParseRunSpec("max:20000:20100")->flow(), "max");
  EXPECT_FALSE(ParseRunSpec("max:20000").ok());
  EXPECT_EQ(ParseRangeSpec("2000000:1000")->e_mg(), 1000);
  EXPECT_FALSE(ParseRangeSpec("2000000").ok());
}

}  // namespace
}  // namespace pantau::client
