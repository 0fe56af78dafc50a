#include "common/plausibility.h"

#include <gtest/gtest.h>

namespace pantau::common {
namespace {

TEST(PlausibilityTest, MedianIsTheLowerMiddle) {
  EXPECT_FALSE(MedianPrice({}));
  EXPECT_EQ(MedianPrice({5}), 5);
  EXPECT_EQ(MedianPrice({9, 1, 5}), 5);
  EXPECT_EQ(MedianPrice({1, 9, 5, 7}), 5);
}

// Bounds are inclusive: exactly 2.5x and exactly 0.35x pass, one Rupiah beyond does not.
TEST(PlausibilityTest, RatioBoundsAtJustInsideAndJustOutside) {
  const std::vector<int64_t> recent = {10000, 10000, 10000};
  struct Case {
    int64_t price;
    bool flagged;
  } cases[] = {{25000, false}, {25001, true}, {3500, false}, {3499, true}, {10000, false}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.price);
    EXPECT_EQ(CheckAgainstRecentMedian(c.price, recent).has_value(), c.flagged);
  }
}

TEST(PlausibilityTest, NamesDigitSlipsAndNeedsEnoughHistory) {
  const std::vector<int64_t> recent = {13000, 13100, 13200};
  auto slip = CheckAgainstRecentMedian(131000, recent);
  ASSERT_TRUE(slip);
  EXPECT_NE(slip->English().find("digit slip"), std::string::npos) << slip->English();
  EXPECT_NE(slip->English().find("Rp 13.100"), std::string::npos) << slip->English();
  EXPECT_NE(CheckAgainstRecentMedian(1310, recent)->English().find("digit slip"), std::string::npos);
  EXPECT_FALSE(CheckAgainstRecentMedian(131000, {13000, 13100}));  // too few samples
  PlausibilityPolicy strict;
  strict.high_ratio_percent = 150;
  EXPECT_NE(CheckAgainstRecentMedian(20000, recent, strict)->English().find("1.5x"), std::string::npos);
}

}  // namespace
}  // namespace pantau::common
