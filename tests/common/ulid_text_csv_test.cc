#include <gtest/gtest.h>

#include "common/csv.h"
#include "common/dates.h"
#include "common/text.h"
#include "common/ulid.h"
#include "tests/testing/test_support.h"

namespace pantau::common {
namespace {

using ::pantau::testing::IsOk;

TEST(UlidTest, FormatsTimeThenRandomnessAndRoundTripsTheTime) {
  std::array<uint8_t, 10> random{};
  random.fill(0xFF);
  const uint64_t ms = 1764288000123;  // 2025-11-28
  std::string id = FormatUlid(ms, random);
  EXPECT_EQ(id.size(), 26u);
  EXPECT_TRUE(IsValidUlid(id));
  EXPECT_EQ(UlidUnixMs(id), ms);
  EXPECT_EQ(id.substr(10), "ZZZZZZZZZZZZZZZZ");
  random.fill(0);
  EXPECT_EQ(FormatUlid(0, random), "00000000000000000000000000");
}

TEST(UlidTest, TextOrderIsTimeOrder) {
  std::array<uint8_t, 10> high{}, low{};
  high.fill(0xFF);
  EXPECT_LT(FormatUlid(1000, high), FormatUlid(1001, low));
}

TEST(UlidTest, RejectsWrongLengthLettersAndOverflow) {
  EXPECT_FALSE(IsValidUlid(""));
  EXPECT_FALSE(IsValidUlid("01JD3QZ6N8V6Y8T3W4X5Y6Z7A"));     // 25
  EXPECT_FALSE(IsValidUlid("01JD3QZ6N8V6Y8T3W4X5Y6Z7AI"));    // I is not Crockford
  EXPECT_FALSE(IsValidUlid("01jd3qz6n8v6y8t3w4x5y6z7a8"));    // lower case
  EXPECT_FALSE(IsValidUlid("81JD3QZ6N8V6Y8T3W4X5Y6Z7A8"));    // > 48 bits of time
  EXPECT_TRUE(IsValidUlid("01JD3QZ6N8V6Y8T3W4X5Y6Z7A8"));
}

TEST(Utf8Test, AcceptsWellFormedAndRejectsMalformed) {
  struct Case {
    const char* name;
    std::string text;
    bool valid;
  } cases[] = {
      {"ascii", "beras medium", true},
      {"two byte", "caf\xC3\xA9", true},
      {"three byte", "\xE2\x82\xAC", true},
      {"four byte", "\xF0\x9F\x8C\xB6", true},
      {"lone continuation", "\x80", false},
      {"truncated", "\xE2\x82", false},
      {"overlong slash", "\xC0\xAF", false},
      {"surrogate", "\xED\xA0\x80", false},
      {"beyond U+10FFFF", "\xF4\x90\x80\x80", false},
      {"invalid lead", "\xFF", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(IsValidUtf8(c.text), c.valid);
  }
}

TEST(ClosestCodesTest, SuggestsNearestKnownCodes) {
  std::vector<std::string> known = {"beras_medium", "beras_premium", "bawang_merah", "telur_itik"};
  auto near = ClosestCodes("beras_medum", known, 2);
  ASSERT_EQ(near.size(), 2u);
  EXPECT_EQ(near[0], "beras_medium");
  EXPECT_EQ(ClosestCodes("telur", known, 1)[0], "telur_itik");
}

TEST(CsvTest, ParsesQuotesEmbeddedCommasNewlinesAndCrlf) {
  auto rows = ParseCsv("a,b,c\r\n\"x, y\",\"he said \"\"ya\"\"\",\"two\nlines\"\r\n\n1,,3\n");
  ASSERT_THAT(rows, IsOk());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"x, y", "he said \"ya\"", "two\nlines"}));
  EXPECT_EQ((*rows)[1].line, 2u);
  EXPECT_EQ((*rows)[2].fields, (std::vector<std::string>{"1", "", "3"}));
  EXPECT_EQ((*rows)[2].line, 5u);
}

TEST(CsvTest, ReportsTheLineOfAnUnclosedQuote) {
  auto rows = ParseCsv("a,b\n1,\"open\n2,3\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().message().find("line 2"), std::string::npos);
}

TEST(CsvTest, TableNamesAMissingColumn) {
  auto table = CsvTable::Parse("code,name\nx,y\n", {"code", "unit"});
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.status().message().find("\"unit\" is missing"), std::string::npos);
}

TEST(DatesTest, ParsesOnlyRealDates) {
  EXPECT_TRUE(ParseLocalDate("2024-02-29"));
  EXPECT_FALSE(ParseLocalDate("2023-02-29"));
  EXPECT_FALSE(ParseLocalDate("2024-2-9"));
  EXPECT_FALSE(ParseLocalDate("2024-13-01"));
  EXPECT_EQ(FormatLocalDate(*ParseLocalDate("2025-10-22")), "2025-10-22");
}

TEST(DatesTest, TimestampRoundTripKeepsNanos) {
  absl::Time t = absl::FromUnixNanos(1764288000123456789);
  EXPECT_EQ(FromTimestamp(ToTimestamp(t)), t);
  absl::Time before_epoch = absl::FromUnixNanos(-1500000000);
  auto ts = ToTimestamp(before_epoch);
  EXPECT_GE(ts.nanos(), 0);
  EXPECT_EQ(FromTimestamp(ts), before_epoch);
}

}  // namespace
}  // namespace pantau::common

namespace pantau::common {
namespace {

TEST(DatesTest, ParsesWhatInspectorsTypeInWita) {
  const absl::TimeZone wita = ZoneWithoutDeployment();
  const absl::CivilDay today(2026, 11, 24);
  auto at = [&](const char* text) { return ParseLocalDateTime(text, wita, today); };
  const absl::Time expected = absl::FromCivil(absl::CivilMinute(2026, 11, 24, 9, 30), wita);
  EXPECT_EQ(at("2026-11-24 09:30"), expected);
  EXPECT_EQ(at("2026-11-24T09:30"), expected);
  EXPECT_EQ(at("09:30"), expected);
  EXPECT_EQ(at("2026-11-24 09:30:00"), expected);
  EXPECT_EQ(at("2026-11-24T01:30:00Z"), expected);
  EXPECT_EQ(at("2026-11-24T09:30:00+08:00"), expected);
  EXPECT_EQ(at("2026-11-24"), absl::FromCivil(absl::CivilHour(2026, 11, 24, 12), wita));
  EXPECT_FALSE(at("24/11/2026"));
  EXPECT_FALSE(at("2026-02-30 10:00"));
  EXPECT_FALSE(at("pagi"));
}

TEST(DatesTest, NamesIndonesiasThreeZonesAndShowsTimesInEach) {
  ASSERT_TRUE(IndonesianTimeZone("WIB"));
  ASSERT_TRUE(IndonesianTimeZone("WITA"));
  ASSERT_TRUE(IndonesianTimeZone("WIT"));
  EXPECT_FALSE(IndonesianTimeZone("wita"));
  EXPECT_FALSE(IndonesianTimeZone("Asia/Makassar"));
  EXPECT_FALSE(IndonesianTimeZone(""));
  const absl::Time t = absl::FromUnixSeconds(1795483800);  // 2026-11-24 01:30 UTC
  EXPECT_EQ(FormatLocalMinute(t, *IndonesianTimeZone("WIB")), "2026-11-24 08:30 WIB");
  EXPECT_EQ(FormatLocalMinute(t, *IndonesianTimeZone("WITA")), "2026-11-24 09:30 WITA");
  EXPECT_EQ(FormatLocalMinute(t, *IndonesianTimeZone("WIT")), "2026-11-24 10:30 WIT");
  EXPECT_EQ(FormatLocalMinute(t, absl::FixedTimeZone(5 * 3600 + 1800)), "2026-11-24 07:00 UTC+05:30");
  EXPECT_EQ(ZoneName(absl::FixedTimeZone(-3 * 3600)), "UTC-03:00");
  // A day starts at local midnight: 23:30 WITA on the 23rd is already the 24th in WIT.
  const absl::Time late = absl::FromCivil(absl::CivilMinute(2026, 11, 23, 23, 30), *IndonesianTimeZone("WITA"));
  EXPECT_EQ(absl::ToCivilDay(late, *IndonesianTimeZone("WIT")), absl::CivilDay(2026, 11, 24));
  EXPECT_EQ(absl::ToCivilDay(late, *IndonesianTimeZone("WIB")), absl::CivilDay(2026, 11, 23));
}

TEST(DatesTest, FormatsRupiahWithIndonesianSeparators) {
  EXPECT_EQ(FormatRupiah(0), "Rp 0");
  EXPECT_EQ(FormatRupiah(999), "Rp 999");
  EXPECT_EQ(FormatRupiah(13100), "Rp 13.100");
  EXPECT_EQ(FormatRupiah(1234567), "Rp 1.234.567");
  EXPECT_EQ(FormatRupiah(-18500), "-Rp 18.500");
}

}  // namespace
}  // namespace pantau::common
