// Amounts as people write them: one reading for the CLI, the app and CSV import.
#include "common/amounts.h"

#include <gtest/gtest.h>

#include "tests/testing/test_support.h"

namespace pantau::common {
namespace {

using ::pantau::testing::StatusIs;

TEST(AmountsTest, RupiahIsReadAsIndonesiansWriteIt) {
  for (const char* same : {"13100", "13.100", "Rp 13.100", "Rp13.100", "rp 13.100", " RP 13100 ", "Rp  13.100"}) {
    EXPECT_EQ(ParseRupiahText(same), 13100) << same;
  }
  EXPECT_EQ(ParseRupiahText("1.250.000"), 1250000);
  EXPECT_EQ(ParseRupiahText("0"), 0);
  EXPECT_EQ(ParseRupiahText("999"), 999);
  EXPECT_EQ(ParseRupiahText("999999999999999"), 999999999999999);
  for (const char* refused : {"", "Rp", "13,5", "13.10", "13.1000", "1234.567", ".100", "100.", "-5", "13 100",
                              "13.100,00", "1O0", "1..000", "9999999999999999", "Rp -5"}) {
    EXPECT_FALSE(ParseRupiahText(refused)) << refused;
  }
}

TEST(AmountsTest, ThousandthsTakeADotOrACommaAndAtMostThreeDecimals) {
  EXPECT_EQ(ParseMilliText("5"), 5000);
  EXPECT_EQ(ParseMilliText("1,5"), 1500);
  EXPECT_EQ(ParseMilliText("0.25"), 250);
  EXPECT_EQ(ParseMilliText("0.001"), 1);
  EXPECT_FALSE(ParseMilliText("0.0001"));
  EXPECT_FALSE(ParseMilliText("."));
  EXPECT_FALSE(ParseMilliText("1,2,3"));
  EXPECT_FALSE(ParseMilliText("-1"));
}

TEST(AmountsTest, UnitsByTheirUsualNamesInAnyCase) {
  for (const char* kg : {"kg", "Kg", "KG", "kilo", "Kilogram"}) EXPECT_EQ(CanonicalUnit(kg), "kg") << kg;
  for (const char* g : {"g", "gr", "Gram"}) EXPECT_EQ(CanonicalUnit(g), "g") << g;
  for (const char* l : {"l", "L", "liter", "Litre", "ltr"}) EXPECT_EQ(CanonicalUnit(l), "liter") << l;
  EXPECT_EQ(CanonicalUnit("ml"), "ml");
  EXPECT_FALSE(CanonicalUnit("karung"));
  EXPECT_EQ(AcceptedUnits().rfind("kg, kilo", 0), 0u);
}

TEST(AmountsTest, APackIsAQuantityAndAUnitWithOrWithoutASpace) {
  auto five = ParsePackText("5kg");
  ASSERT_TRUE(five.ok()) << five.status();
  EXPECT_EQ(five->milli, 5000);
  EXPECT_EQ(five->unit, "kg");
  auto oil = ParsePackText(" 1,5 liter ");
  ASSERT_TRUE(oil.ok()) << oil.status();
  EXPECT_EQ(oil->milli, 1500);
  EXPECT_EQ(oil->unit, "liter");
  auto sugar = ParsePackText("500 gr");
  ASSERT_TRUE(sugar.ok()) << sugar.status();
  EXPECT_EQ(sugar->milli, 500000);
  EXPECT_EQ(sugar->unit, "g");
  auto sack = ParsePackText("5 karung");
  EXPECT_THAT(sack, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(sack.status().message().find("\"karung\" is not a unit Pantau knows; accepted units: kg"), std::string::npos)
      << sack.status();
  EXPECT_THAT(ParsePackText("kg"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParsePackText("0 kg"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AmountsTest, MassesAtAScaleTestInKgGOrMg) {
  EXPECT_EQ(*ParseMassMg("3 kg"), 3000000);
  EXPECT_EQ(*ParseMassMg("3kg"), 3000000);
  EXPECT_EQ(*ParseMassMg("2996 g"), 2996000);
  EXPECT_EQ(*ParseMassMg("2996,5 G"), 2996500);
  EXPECT_EQ(*ParseMassMg("0,001 g"), 1);
  EXPECT_EQ(*ParseMassMg("500 mg"), 500);
  EXPECT_EQ(*ParseMassMg("1000000", /*bare_is_mg=*/true), 1000000);
  EXPECT_FALSE(ParseMassMg("1000000").ok());  // the app asks for the unit
  EXPECT_FALSE(ParseMassMg("0,5 mg").ok());
  EXPECT_FALSE(ParseMassMg("3 pound").ok());
  EXPECT_FALSE(ParseMassMg("kg").ok());
  EXPECT_EQ(*ParseMassMg("1000000000 kg"), 1'000'000'000'000'000);  // at the ceiling
  EXPECT_FALSE(ParseMassMg("1000000001 kg").ok());                  // beyond it
  EXPECT_FALSE(ParseMassMg("999999999999 kg").ok());                // never wraps
}

}  // namespace
}  // namespace pantau::common
