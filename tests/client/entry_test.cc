#include "client/entry.h"

#include <gtest/gtest.h>

#include "client/csv_import.h"
#include "client/record_ids.h"
#include "common/dates.h"
#include "tests/testing/test_support.h"

namespace pantau::client {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::StatusIs;
using ::pantau::testing::TestNow;

class EntryTest : public ::testing::Test {
 protected:
  EntryTest() {
    for (const auto& e : pantau::testing::TestReferenceData()) catalog_.Upsert(e);
  }
  EntryContext Ctx() { return EntryContext{catalog_, policy_, "siti", "laptop-siti", TestNow()}; }
  common::ReferenceCatalog catalog_;
  common::ValidationPolicy policy_;
};

TEST_F(EntryTest, PackSizesConvertToThousandthsOfTheUnit) {
  EXPECT_EQ(*PackSizeMilliUnits("5", "kg", "kg"), 5000);
  EXPECT_EQ(*PackSizeMilliUnits("2,5", "kg", "kg"), 2500);
  EXPECT_EQ(*PackSizeMilliUnits("500", "g", "kg"), 500);
  EXPECT_EQ(*PackSizeMilliUnits("1.5", "liter", "liter"), 1500);
  EXPECT_EQ(*PackSizeMilliUnits("250", "ml", "liter"), 250);
  EXPECT_THAT(PackSizeMilliUnits("0.5", "g", "kg"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PackSizeMilliUnits("5", "liter", "kg"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PackSizeMilliUnits("1.2345", "kg", "kg"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PackSizeMilliUnits("0", "kg", "kg"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(EntryTest, APackPriceIsConvertedAndBothAreKept) {
  PriceInput in;
  in.market = "pasar_marabahan";
  in.commodity = "beras_medium";
  in.price_rupiah = 65500;
  in.pack_quantity = "5";
  in.pack_unit = "kg";
  auto record = BuildPriceSample(in, Ctx());
  ASSERT_THAT(record, IsOk());
  EXPECT_EQ(record->price_sample().price_rupiah(), 13100);
  EXPECT_EQ(record->price_sample().pack_price_rupiah(), 65500);
  EXPECT_EQ(record->price_sample().pack_size_milli_units(), 5000);
  EXPECT_EQ(record->price_sample().unit(), "kg");
  EXPECT_TRUE(CheckBeforeSaving(*record, Ctx(), {}).empty());
}

TEST_F(EntryTest, TheSameRulesAsTheServerPlusTheRecentMedian) {
  PriceInput in;
  in.market = "pasar_marabahan";
  in.commodity = "beras_medum";
  in.price_rupiah = 13100;
  auto record = BuildPriceSample(in, Ctx());
  auto errors = CheckBeforeSaving(*record, Ctx(), {});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].reason().find("did you mean beras_medium"), std::string::npos);

  in.commodity = "beras_medium";
  in.price_rupiah = 24000;  // within the plausible range, but far above what this inspector saw
  record = BuildPriceSample(in, Ctx());
  errors = CheckBeforeSaving(*record, Ctx(), {9000, 9100, 9200});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].reason().find("recent median"), std::string::npos);
  in.confirm_reason = "stok habis, harga naik";
  record = BuildPriceSample(in, Ctx());
  EXPECT_TRUE(CheckBeforeSaving(*record, Ctx(), {9000, 9100, 9200}).empty());
  EXPECT_EQ(record->price_sample().confirm_reason(), "stok habis, harga naik");
}

TEST_F(EntryTest, CsvImportKeepsGoodRowsReportsBadOnesAndIsDeterministic) {
  const std::string csv =
      "market,commodity,trader,price_rupiah,observed_at,pack_quantity,pack_unit\n"
      "pasar_marabahan,beras_medium,Bu Ani,13100,2026-11-24 09:00,,\n"
      "pasar_marabahan,beras_medium,Pak Budi,65000,2026-11-24 09:05,5,kg\n"
      "pasar_marabahan,beras_medum,Bu Ina,13300,2026-11-24 09:10,,\n"
      "pasar_marabahan,beras_medium,Bu Ina,\"13,300\",2026-11-24 09:10,,\n"
      "pasar_marabahan,beras_medium,Bu Ina,13300,kemarin,,\n"
      "pasar_marabahan,telur_itik,Bu Ani,2500,2026-11-24 09:15,,\n";
  auto none = [](const std::string&) { return std::vector<int64_t>{}; };
  auto first = ParsePriceCsv(csv, Ctx(), none);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->rows, 6u);
  ASSERT_EQ(first->records.size(), 3u);
  ASSERT_EQ(first->problems.size(), 3u);
  EXPECT_EQ(first->problems[0].English().rfind("line 4: price_sample.commodity_code: unknown commodity", 0), 0u)
      << first->problems[0].English();
  EXPECT_EQ(first->problems[1].English().rfind("line 5: price_rupiah", 0), 0u) << first->problems[1].English();
  EXPECT_EQ(first->problems[2].English().rfind("line 6: observed_at", 0), 0u) << first->problems[2].English();
  // The same problems in the app's Indonesian: the row's words and the validator's, nested.
  const std::string indonesian = common::Render(first->problems[0], common::Language::kIndonesian);
  EXPECT_EQ(indonesian.rfind("baris 4: price_sample.commodity_code: komoditas \"", 0), 0u) << indonesian;
  EXPECT_NE(indonesian.find("\" tidak dikenal"), std::string::npos) << indonesian;
  EXPECT_EQ(first->records[1].price_sample().price_rupiah(), 13000);
  // Written as Indonesians write it, the same price.
  auto dotted = ParsePriceCsv("market,commodity,trader,price_rupiah,observed_at\n"
                              "pasar_marabahan,beras_medium,Bu Ani,Rp 13.100,2026-11-24 09:00\n",
                              Ctx(), none);
  ASSERT_THAT(dotted, IsOk());
  ASSERT_EQ(dotted->records.size(), 1u);
  EXPECT_EQ(dotted->records[0].price_sample().price_rupiah(), 13100);
  // As Excel with Indonesian settings saves it: semicolons, a BOM, CRLF, "1,5" liters.
  auto excel = ParsePriceCsv("\xEF\xBB\xBFmarket;commodity;trader;price_rupiah;observed_at;pack_quantity;pack_unit\r\n"
                             "pasar_marabahan;beras_medium;Bu Ani;Rp 13.100;2026-11-24 09:00;;\r\n"
                             "pasar_marabahan;beras_medium;\"Ani; Ina\";19.650;2026-11-24 09:05;1,5;kg\r\n",
                             Ctx(), none);
  ASSERT_THAT(excel, IsOk());
  ASSERT_EQ(excel->records.size(), 2u) << (excel->problems.empty() ? "" : excel->problems[0].English());
  EXPECT_EQ(excel->records[0].price_sample().price_rupiah(), 13100);
  EXPECT_EQ(excel->records[1].price_sample().trader(), "Ani; Ina");
  EXPECT_EQ(excel->records[1].price_sample().price_rupiah(), 13100);  // Rp 19.650 for 1,5 kg

  // Imported again, later, by the same inspector: the same ids and the same content.
  EntryContext later = Ctx();
  later.now = TestNow() + absl::Hours(5);
  auto second = ParsePriceCsv(csv, later, none);
  ASSERT_EQ(second->records.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(second->records[i].id(), first->records[i].id());
    EXPECT_EQ(second->records[i].SerializeAsString(), first->records[i].SerializeAsString());
  }
  EXPECT_EQ(common::FromTimestamp(first->records[0].observed_at()),
            absl::FromCivil(absl::CivilMinute(2026, 11, 24, 9, 0), common::ZoneWithoutDeployment()));

  // The same file on another inspector's laptop: other ids, so both laptops' rows are kept.
  v1::ReferenceEntity budis_laptop;
  budis_laptop.mutable_device()->set_id("laptop-budi");
  budis_laptop.mutable_device()->set_account_name("budi");
  catalog_.Upsert(budis_laptop);
  EntryContext other = Ctx();
  other.account = "budi";
  other.device_id = "laptop-budi";
  auto third = ParsePriceCsv(csv, other, none);
  ASSERT_EQ(third->records.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_NE(third->records[i].id(), first->records[i].id());
}

TEST_F(EntryTest, CsvImportNeedsItsColumns) {
  auto none = [](const std::string&) { return std::vector<int64_t>{}; };
  EXPECT_THAT(ParsePriceCsv("market,commodity,price\n", Ctx(), none),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Ids made in one millisecond sort in the order they were made (a price and its correction list
// oldest first); a new millisecond starts from fresh randomness.
TEST(RecordIdsTest, IdsOfOneMillisecondSortInTheOrderTheyWereMade) {
  const absl::Time now = absl::FromUnixMillis(1'764'000'000'000);
  std::vector<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    auto id = NewRecordId(now);
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  for (size_t i = 1; i < ids.size(); ++i) {
    ASSERT_LT(ids[i - 1], ids[i]) << i;
    ASSERT_EQ(ids[i].substr(0, 10), ids[0].substr(0, 10));  // the same millisecond
  }
  auto later = NewRecordId(now + absl::Milliseconds(1));
  ASSERT_TRUE(later.ok());
  EXPECT_LT(ids.back(), *later);
  EXPECT_NE(later->substr(10, 16), ids.back().substr(10, 16));
}

}  // namespace
}  // namespace pantau::client
