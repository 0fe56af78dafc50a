#include "common/validation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>

#include "common/dates.h"
#include "common/record_kinds.h"
#include "tests/testing/test_support.h"

namespace pantau::common {
namespace {

using ::pantau::testing::PriceRecord;
using ::pantau::testing::TestNow;
using ::pantau::testing::TestUlid;

class ValidationTest : public ::testing::Test {
 protected:
  ValidationTest() {
    for (const auto& e : pantau::testing::TestReferenceData()) catalog_.Upsert(e);
  }

  std::vector<v1::FieldError> Validate(const v1::Record& r, std::string_view author = "siti") {
    ValidationContext ctx{catalog_, policy_, TestNow(), author};
    return ValidateRecord(r, ctx);
  }

  v1::Record Valid() { return PriceRecord(TestUlid(1, 1), 13100); }

  ReferenceCatalog catalog_;
  ValidationPolicy policy_;
};

TEST_F(ValidationTest, AValidPriceSamplePasses) { EXPECT_TRUE(Validate(Valid()).empty()); }

// Each case breaks one thing of a valid price sample; the first error must name the field and
// say something the inspector can act on.
TEST_F(ValidationTest, EachProblemNamesItsFieldAndReason) {
  struct Case {
    const char* name;
    std::function<void(v1::Record&)> mutate;
    std::string field;
    std::string reason_part;
  };
  const Case cases[] = {
      {"missing id", [](v1::Record& r) { r.clear_id(); }, "id", "required"},
      {"bad id", [](v1::Record& r) { r.set_id("12345"); }, "id", "not a record id"},
      {"zero price", [](v1::Record& r) { r.mutable_price_sample()->set_price_rupiah(0); },
       "price_sample.price_rupiah", "greater than 0"},
      {"negative price", [](v1::Record& r) { r.mutable_price_sample()->set_price_rupiah(-5); },
       "price_sample.price_rupiah", "(got -5 Rupiah)"},
      {"digit slip above range",
       [](v1::Record& r) { r.mutable_price_sample()->set_price_rupiah(131000); },
       "price_sample.price_rupiah", "plausible range"},
      {"below range", [](v1::Record& r) { r.mutable_price_sample()->set_price_rupiah(1310); },
       "price_sample.price_rupiah", "digit slip"},
      {"unknown market",
       [](v1::Record& r) { r.mutable_price_sample()->set_market_code("pasar_marabahn"); },
       "price_sample.market_code", "did you mean pasar_marabahan"},
      {"unknown commodity",
       [](v1::Record& r) { r.mutable_price_sample()->set_commodity_code("beras"); },
       "price_sample.commodity_code", "unknown commodity \"beras\""},
      {"missing market", [](v1::Record& r) { r.mutable_price_sample()->clear_market_code(); },
       "price_sample.market_code", "required"},
      {"unit mismatch", [](v1::Record& r) { r.mutable_price_sample()->set_unit("liter"); },
       "price_sample.unit", "priced per \"kg\""},
      {"unregistered device", [](v1::Record& r) { r.set_device_id("laptop-x"); }, "device_id",
       "not registered"},
      {"missing observed time", [](v1::Record& r) { r.clear_observed_at(); }, "observed_at",
       "required"},
      {"observed 3 hours in the future",
       [](v1::Record& r) {
         *r.mutable_observed_at() = ToTimestamp(TestNow() + absl::Hours(3));
       },
       "observed_at", "3h00m ahead of the server clock"},
      {"created before 2020",
       [](v1::Record& r) {
         *r.mutable_created_at() =
             ToTimestamp(absl::FromCivil(absl::CivilDay(2019, 12, 31), absl::UTCTimeZone()));
       },
       "created_at", "check the laptop's date"},
      {"oversize trader",
       [](v1::Record& r) { r.mutable_price_sample()->set_trader(std::string(2001, 'a')); },
       "price_sample.trader", "2001 bytes long"},
      {"invalid utf-8 note", [](v1::Record& r) { r.set_note("harga \xC0\xAF"); }, "note",
       "not valid UTF-8"},
      {"control character in code",
       [](v1::Record& r) { r.mutable_price_sample()->set_market_code("pasar\nx"); },
       "price_sample.market_code", "control characters"},
      {"no body", [](v1::Record& r) { r.clear_price_sample(); }, "body", "no content"},
      {"pack price does not match",
       [](v1::Record& r) {
         auto* p = r.mutable_price_sample();
         p->set_pack_price_rupiah(65000);
         p->set_pack_size_milli_units(5000);
         p->set_price_rupiah(13100);
       },
       "price_sample.price_rupiah", "is Rp 13.000 per kg"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    v1::Record r = Valid();
    c.mutate(r);
    auto errors = Validate(r);
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].field(), c.field);
    EXPECT_NE(errors[0].reason().find(c.reason_part), std::string::npos) << errors[0].reason();
  }
}

TEST_F(ValidationTest, FreeTextWithANulOrABidirectionalOverrideIsRefused) {
  struct Case {
    std::string text;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {std::string("Toko\0Ani", 8), "NUL"},
      {"Toko \u202EinA", "U+202E"},   // RIGHT-TO-LEFT OVERRIDE
      {"Toko \u202AAni", "U+202A"},   // LEFT-TO-RIGHT EMBEDDING
      {"Toko \u2066Ani\u2069", "U+2066"},  // LEFT-TO-RIGHT ISOLATE
      {"Toko \u2069", "U+2069"},
  };
  for (const auto& c : cases) {
    auto r = Valid();
    r.mutable_price_sample()->set_trader(c.text);
    auto errors = Validate(r);
    ASSERT_FALSE(errors.empty()) << c.reason;
    EXPECT_EQ(errors[0].field(), "price_sample.trader");
    EXPECT_NE(errors[0].reason().find(c.reason), std::string::npos) << errors[0].reason();
  }
  // The neighbours of those code points, and ordinary Indonesian text, stay accepted.
  for (std::string ok : {"Toko \u2029Ani", "Toko \u2065", "Toko \u202FAni", "H. Ma'ruf & Sdr. \"Ani\"", "=1+1"}) {
    auto r = Valid();
    r.set_note(ok);
    EXPECT_TRUE(Validate(r).empty()) << ok;
  }
}

// Absolute ceilings: at the ceiling a confirmed value passes, one above it is refused whatever
// the confirmation, and so is INT64_MAX (docs/security.md).
TEST_F(ValidationTest, QuantitiesHaveAbsoluteCeilingsNoConfirmationPasses) {
  auto ceiling_errors = [&](const v1::Record& r) {
    std::vector<std::string> found;
    for (const auto& e : Validate(r)) {
      if (e.reason().find("absolute ceiling") != std::string::npos) found.push_back(e.field());
    }
    return found;
  };
  for (int64_t price : {kMaxRupiah - 1, kMaxRupiah, kMaxRupiah + 1, std::numeric_limits<int64_t>::max()}) {
    auto r = Valid();
    r.mutable_price_sample()->set_price_rupiah(price);
    r.mutable_price_sample()->set_confirm_reason("harga memang setinggi itu");
    auto errors = Validate(r);
    if (price <= kMaxRupiah) {
      EXPECT_TRUE(errors.empty()) << price << ": " << errors[0].reason();
    } else {
      ASSERT_EQ(errors.size(), 1u) << price;
      EXPECT_EQ(errors[0].field(), "price_sample.price_rupiah");
      EXPECT_NE(errors[0].reason().find("absolute ceiling of 1000000000000 Rupiah"), std::string::npos)
          << errors[0].reason();
    }
  }
  struct Case {
    const char* kind;
    int64_t max;
    const char* field;
  };
  for (const Case& c : {Case{"count", kMaxCount, "outlet_audit.answers[0].count"},
                        Case{"weight", kMaxWeightG, "outlet_audit.answers[0].weight_g"},
                        Case{"price", kMaxRupiah, "outlet_audit.answers[0].price_rupiah"}}) {
    for (int64_t v : {c.max, c.max + 1, std::numeric_limits<int64_t>::max()}) {
      v1::Record r = PriceRecord(TestUlid(2, 1), 0);
      auto* audit = r.mutable_outlet_audit();
      audit->set_outlet_code("pkl_1");
      audit->set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
      auto* answer = audit->add_answers();
      answer->set_item_code("stok_ada");
      if (std::string(c.kind) == "count") answer->set_count(v);
      if (std::string(c.kind) == "weight") answer->set_weight_g(v);
      if (std::string(c.kind) == "price") answer->set_price_rupiah(v);
      const auto fields = ceiling_errors(r);
      if (v <= c.max) {
        EXPECT_TRUE(fields.empty()) << c.kind << " " << v;
      } else {
        EXPECT_EQ(fields, std::vector<std::string>{c.field}) << c.kind << " " << v;
      }
    }
  }
  // Metrology quantities: 10^15 mg or mL.
  for (int64_t v : {kMaxMetrologyUnits, kMaxMetrologyUnits + 1}) {
    v1::Record r = PriceRecord(TestUlid(3, 1), 0);
    auto* u = r.mutable_uttp_verification();
    u->set_instrument_id("UTTP-1");
    u->set_max_mg(v);
    const auto fields = ceiling_errors(r);
    EXPECT_EQ(std::count(fields.begin(), fields.end(), "uttp_verification.max_mg"), v > kMaxMetrologyUnits ? 1 : 0) << v;
  }
}

TEST_F(ValidationTest, ClockSkewBoundaryIsInclusive) {
  v1::Record r = Valid();
  *r.mutable_observed_at() = ToTimestamp(TestNow() + policy_.max_clock_skew);
  *r.mutable_created_at() = r.observed_at();
  EXPECT_TRUE(Validate(r).empty());
  *r.mutable_observed_at() = ToTimestamp(TestNow() + policy_.max_clock_skew + absl::Seconds(1));
  EXPECT_FALSE(Validate(r).empty());
}

TEST_F(ValidationTest, PlausibleRangeBoundsAreInclusiveAndAConfirmationOverrides) {
  v1::Record r = Valid();
  for (int64_t price : {7000, 25000}) {
    r.mutable_price_sample()->set_price_rupiah(price);
    EXPECT_TRUE(Validate(r).empty()) << price;
  }
  for (int64_t price : {6999, 25001}) {
    r.mutable_price_sample()->set_price_rupiah(price);
    EXPECT_FALSE(Validate(r).empty()) << price;
  }
  r.mutable_price_sample()->set_confirm_reason("harga naik karena banjir");
  EXPECT_TRUE(Validate(r).empty());
}

TEST_F(ValidationTest, PackPriceConvertsToTheUnitPriceRoundingHalfUp) {
  EXPECT_EQ(PackPricePerUnit(65000, 5000), 13000);  // beras 5 kg pack
  EXPECT_EQ(PackPricePerUnit(10, 3000), 3);         // 3.33 -> 3
  EXPECT_EQ(PackPricePerUnit(5, 2000), 3);          // 2.5 -> 3
  v1::Record r = Valid();
  auto* p = r.mutable_price_sample();
  p->set_pack_price_rupiah(65000);
  p->set_pack_size_milli_units(5000);
  p->set_price_rupiah(13000);
  EXPECT_TRUE(Validate(r).empty());
}

TEST_F(ValidationTest, ADeviceOfAnotherInspectorIsRefused) {
  auto errors = Validate(Valid(), "budi");
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].field(), "device_id");
  EXPECT_NE(errors[0].reason().find("another inspector"), std::string::npos);
}

TEST_F(ValidationTest, EveryKindGoesThroughItsRules) {
  v1::Record audit = Valid();
  auto* a = audit.mutable_outlet_audit();
  a->set_outlet_code("pkl_1");
  a->set_outlet_kind(v1::OUTLET_KIND_PUPUK_KIOS);
  a->set_checklist_version("lpg-2026.1");
  auto errors = Validate(audit);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].field(), "outlet_audit.outlet_kind");
  a->set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
  a->add_answers()->set_item_code("papan_nama");
  errors = Validate(audit);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field(), "outlet_audit.answers[0]");
  a->mutable_answers(0)->set_yes(true);
  EXPECT_TRUE(Validate(audit).empty());

  v1::Record uttp = Valid();
  auto* u = uttp.mutable_uttp_verification();
  u->set_instrument_id("UTTP-1");
  u->set_kind(v1::VERIFICATION_KIND_TERA_ULANG);
  errors = Validate(uttp);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field(), "uttp_verification.weighing_points");
  // A scale without its class has no verdict: an error, never a batal.
  EXPECT_EQ(errors[1].field(), "uttp_verification.accuracy_class");
  EXPECT_EQ(errors[1].reason().rfind("is required to judge UTTP-1 (I, II, III, IIII)", 0), 0u) << errors[1].reason();
  auto* point = u->add_weighing_points();
  point->set_load_mg(1000000);
  point->set_indication_mg(1000000);
  u->set_accuracy_class("III");
  EXPECT_TRUE(Validate(uttp).empty());

  v1::Record follow = Valid();
  auto* f = follow.mutable_follow_up();
  f->set_audit_record_id(TestUlid(1, 2));
  f->set_finding_code("harga_di_atas_het");
  f->set_action_code("teguran_tertulis");
  f->set_action_date("2026-11-24");
  f->set_due_date("2026-11-20");
  f->set_status(v1::FOLLOW_UP_STATUS_OPEN);
  errors = Validate(follow);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field(), "follow_up.due_date");
  f->set_due_date("2026-12-01");
  EXPECT_TRUE(Validate(follow).empty());

  v1::Record correction = Valid();
  auto* c = correction.mutable_correction();
  c->set_target_id(TestUlid(1, 3));
  c->set_reason("salah ketik");
  *c->mutable_price_sample() = Valid().price_sample();
  c->mutable_price_sample()->set_price_rupiah(-1);
  errors = Validate(correction);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field(), "correction.price_sample.price_rupiah");

  v1::Record voided = Valid();
  voided.mutable_void_()->set_target_id(voided.id());
  errors = Validate(voided);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field(), "void.target_id");
  EXPECT_EQ(errors[1].field(), "void.reason");
}

TEST_F(ValidationTest, DescriptionNamesTheRecordTheFieldAndTheReason) {
  v1::Record r = Valid();
  r.mutable_price_sample()->set_price_rupiah(-5);
  std::string text = DescribeRecordErrors(r.id(), 3, Validate(r));
  EXPECT_EQ(text.rfind("record " + r.id() + ": price_sample.price_rupiah: must be greater", 0), 0u)
      << text;
  EXPECT_EQ(DescribeRecordErrors("", 3, Validate(r)).rfind("record #4 of the batch", 0), 0u);
}

TEST(RecordKindsTest, IndexEntriesFollowTheKind) {
  v1::Record r = pantau::testing::PriceRecord(pantau::testing::TestUlid(1, 1), 13100);
  auto entries = IndexEntriesOf(r);
  std::vector<IndexEntry> expected = {{IndexKind::kTime, ""},
                                      {IndexKind::kDevice, "laptop-siti"},
                                      {IndexKind::kMarket, "pasar_marabahan"},
                                      {IndexKind::kCommodity, "beras_medium"}};
  EXPECT_EQ(entries, expected);
  for (auto kind : AllRecordKinds()) EXPECT_EQ(KindFromName(KindName(kind)), kind);
}

}  // namespace
}  // namespace pantau::common
