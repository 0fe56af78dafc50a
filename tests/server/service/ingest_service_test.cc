#include "server/service/ingest_service.h"

#include <gtest/gtest.h>

#include "common/dates.h"
#include "common/rollups.h"
#include "server/service/reference_service.h"
#include "server/storage/memory_storage.h"
#include "tests/testing/test_support.h"

namespace pantau::service {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::PriceRecord;
using ::pantau::testing::StatusIs;
using ::pantau::testing::TestNow;
using ::pantau::testing::TestUlid;

class IngestServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto reference = ReferenceService::Create(storage_->reference(), clock_);
    ASSERT_THAT(reference, IsOk());
    reference_ = *std::move(reference);
    ASSERT_THAT(reference_->Put(pantau::testing::TestReferenceData(), {}), IsOk());
    ingest_ = std::make_unique<IngestService>(storage_->records(), *reference_, clock_,
                                              IngestOptions{});
  }

  v1::PushResponse Push(std::vector<v1::Record> records, const Principal& who = {"siti", v1::ROLE_INSPECTOR}) {
    v1::PushRequest request;
    request.set_batch_number(7);
    for (auto& r : records) *request.add_records() = std::move(r);
    auto response = ingest_->Push(who, std::move(request));
    EXPECT_THAT(response, IsOk());
    return response.ok() ? *response : v1::PushResponse();
  }

  FakeClock clock_{TestNow()};
  std::unique_ptr<storage::Storage> storage_ = storage::NewMemoryStorage();
  std::unique_ptr<ReferenceService> reference_;
  std::unique_ptr<IngestService> ingest_;
};

TEST_F(IngestServiceTest, AMixedBatchStoresExactlyTheValidRecords) {
  auto bad = PriceRecord(TestUlid(1, 2), -100);
  auto response = Push({PriceRecord(TestUlid(1, 1), 13100), bad, PriceRecord(TestUlid(1, 3), 13300)});
  EXPECT_EQ(response.batch_number(), 7u);
  ASSERT_EQ(response.results_size(), 3);
  EXPECT_EQ(response.results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED);
  EXPECT_EQ(response.results(1).outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_EQ(response.results(1).index(), 1u);
  EXPECT_EQ(response.results(1).record_id(), bad.id());
  EXPECT_EQ(response.results(1).errors(0).field(), "price_sample.price_rupiah");
  EXPECT_NE(response.results(1).message().find(bad.id()), std::string::npos);
  EXPECT_EQ(response.results(2).outcome(), v1::PUSH_OUTCOME_ACCEPTED);
  EXPECT_FALSE(storage_->records().Get(bad.id())->has_value());
  EXPECT_EQ((*storage_->records().CountByKind())[0], 2u);
}

TEST_F(IngestServiceTest, TheAuthorIsAlwaysThePusher) {
  auto r = PriceRecord(TestUlid(1, 1), 13100);
  r.set_author("budi");  // claims to be someone else
  ASSERT_EQ(Push({r}).results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED);
  EXPECT_EQ((*storage_->records().Get(r.id()))->record().author(), "siti");
}

TEST_F(IngestServiceTest, AReplayStaysDuplicateAfterReferenceDataAndClockChanged) {
  auto r = PriceRecord(TestUlid(1, 1), 13100);
  ASSERT_EQ(Push({r}).results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED);
  // The market is retired and a year passes; the laptop retries the same record.
  v1::ReferenceEntity market = pantau::testing::TestReferenceData()[1];
  ASSERT_THAT(reference_->Put({}, {market}), IsOk());
  clock_.Advance(absl::Hours(24 * 365));
  EXPECT_EQ(Push({r}).results(0).outcome(), v1::PUSH_OUTCOME_DUPLICATE);
  // A new record for that market is refused.
  EXPECT_EQ(Push({PriceRecord(TestUlid(1, 2), 13100, clock_.Now())}).results(0).outcome(),
            v1::PUSH_OUTCOME_INVALID);
}

TEST_F(IngestServiceTest, AnOversizedBatchIsRefusedWhole) {
  std::vector<v1::Record> records;
  for (int i = 0; i < 1001; ++i) records.push_back(PriceRecord(TestUlid(2, i), 13100));
  v1::PushRequest request;
  for (auto& r : records) *request.add_records() = r;
  EXPECT_THAT(ingest_->Push({"siti", v1::ROLE_INSPECTOR}, request),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ((*storage_->records().CountByKind())[0], 0u);
}

TEST_F(IngestServiceTest, CountersFollowTheOutcomes) {
  auto r = PriceRecord(TestUlid(1, 1), 13100);
  auto changed = r;
  changed.mutable_price_sample()->set_price_rupiah(13200);
  Push({r, r, changed, PriceRecord("bad", 1)});
  EXPECT_EQ(ingest_->counters().accepted.load(), 1u);
  EXPECT_EQ(ingest_->counters().duplicate.load(), 1u);
  EXPECT_EQ(ingest_->counters().conflict.load(), 1u);
  EXPECT_EQ(ingest_->counters().invalid.load(), 1u);
}

// A tera ulang of the test registry's scale UTTP-1: class III, Max 30 kg, e 5 g, 10 kg shown as
// `shown_mg`, with the laptop's claimed verdict.
v1::Record TeraUlang(const std::string& id, int64_t shown_mg, v1::Verdict claimed) {
  v1::Record r = PriceRecord(id, 0);
  auto* u = r.mutable_uttp_verification();
  u->set_instrument_id("UTTP-1");
  u->set_kind(v1::VERIFICATION_KIND_TERA_ULANG);
  u->set_accuracy_class("III");
  u->set_max_mg(30000000);
  u->set_e_mg(5000);
  u->set_claimed_verdict(claimed);
  auto* p = u->add_weighing_points();
  p->set_load_mg(10000000);
  p->set_indication_mg(shown_mg);
  return r;
}

TEST_F(IngestServiceTest, TheStoredVerdictIsComputedAndADifferentClaimIsKeptAsADiscrepancy) {
  // 10 kg: MPE 5 g. Shown 10.005 kg (sah) claimed sah; shown 10.006 kg (batal) claimed sah.
  const auto agreed = TeraUlang(TestUlid(4, 1), 10005000, v1::VERDICT_SAH);
  const auto disputed = TeraUlang(TestUlid(4, 2), 10006000, v1::VERDICT_SAH);
  auto response = Push({agreed, disputed});
  ASSERT_EQ(response.results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED);
  ASSERT_EQ(response.results(1).outcome(), v1::PUSH_OUTCOME_ACCEPTED);  // not rejected
  const auto stored = (*storage_->records().Get(disputed.id()))->record().uttp_verification();
  EXPECT_EQ(stored.computed_verdict(), v1::VERDICT_BATAL);
  EXPECT_EQ(stored.claimed_verdict(), v1::VERDICT_SAH);  // not overwritten
  ASSERT_EQ(stored.verdict_reasons_size(), 1);
  EXPECT_EQ(stored.verdict_reasons(0), "point 1 (load 10 kg): error 6 g exceeds the MPE of 5 g");
  EXPECT_EQ((*storage_->records().Get(agreed.id()))->record().uttp_verification().computed_verdict(),
            v1::VERDICT_SAH);
  // The roll-up counts the computed verdicts and the discrepancy.
  int64_t sah = 0, batal = 0, discrepancies = 0;
  ASSERT_THAT(storage_->records().ScanRollups(common::YearKey(2000), common::YearKey(2100),
                                              [&](std::string_view, const v1::RollupCell& c) {
                                                sah += c.uttp().sah();
                                                batal += c.uttp().batal();
                                                discrepancies += c.uttp().discrepancies();
                                                return true;
                                              }),
              IsOk());
  EXPECT_EQ(sah, 1);
  EXPECT_EQ(batal, 1);
  EXPECT_EQ(discrepancies, 1);
  // A replay of what the laptop sent is a duplicate, though the stored record carries more.
  EXPECT_EQ(Push({disputed}).results(0).outcome(), v1::PUSH_OUTCOME_DUPLICATE);
  // A laptop may not set the computed verdict itself.
  auto forged = TeraUlang(TestUlid(4, 3), 10006000, v1::VERDICT_SAH);
  forged.mutable_uttp_verification()->set_computed_verdict(v1::VERDICT_SAH);
  response = Push({forged});
  EXPECT_EQ(response.results(0).outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_NE(response.results(0).message().find("uttp_verification.computed_verdict: is computed by the server"),
            std::string::npos)
      << response.results(0).message();
}

TEST_F(IngestServiceTest, AuditFindingsComeFromTheChecklistRulesOnTheServer) {
  // A one-item price checklist for pangkalan, the Kalsel HET, and two ladder steps.
  std::vector<v1::ReferenceEntity> data(4);
  auto* c = data[0].mutable_checklist();
  c->set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
  c->set_version("2026-1");
  c->set_effective_from("2024-01-01");
  auto* item = c->add_items();
  item->set_code("harga_jual");
  item->set_type(v1::CHECKLIST_ITEM_TYPE_PRICE_RUPIAH);
  item->set_finding_code("harga_di_atas_het");
  item->set_het_product_code("lpg_3kg");
  auto* het = data[1].mutable_reference_price();
  het->set_product_code("lpg_3kg");
  het->set_zone("kalsel");
  het->set_kind(v1::REFERENCE_PRICE_KIND_HET);
  het->set_price_rupiah(18500);
  het->set_effective_from("2022-05-11");
  het->set_regulation("Kepgub Kalsel 188.44/0385/KUM/2022");
  auto* lpg_step = data[2].mutable_follow_up_action();
  lpg_step->set_code("teguran_lisan");
  lpg_step->set_domain("lpg_pangkalan");
  lpg_step->set_step(1);
  auto* pupuk_step = data[3].mutable_follow_up_action();
  pupuk_step->set_code("rujukan_aph");
  pupuk_step->set_domain("pupuk_kios");
  pupuk_step->set_step(4);
  auto* lpg = data.emplace_back().mutable_subsidised_product();
  lpg->set_code("lpg_3kg");
  lpg->set_name("LPG 3 kg");
  lpg->set_unit("tabung");
  lpg->set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
  for (int step = 1; step <= 3; ++step) {  // a ladder has every step below the last
    auto* a = data.emplace_back().mutable_follow_up_action();
    a->set_code("pupuk_step_" + std::to_string(step));
    a->set_name("Step " + std::to_string(step));
    a->set_domain("pupuk_kios");
    a->set_step(step);
  }
  ASSERT_THAT(reference_->Put(data, {}), IsOk());

  // The laptop listed no finding (an old version, say) and one the rules cannot see.
  v1::Record audit = PriceRecord(TestUlid(5, 1), 0);
  auto* a = audit.mutable_outlet_audit();
  a->set_outlet_code("pkl_1");
  a->set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
  a->set_checklist_version("2026-1");
  auto* answer = a->add_answers();
  answer->set_item_code("harga_jual");
  answer->set_price_rupiah(19000);
  a->add_findings("segel_rusak");
  ASSERT_EQ(Push({audit}).results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED);
  const auto stored = (*storage_->records().Get(audit.id()))->record().outlet_audit();
  EXPECT_EQ(std::vector<std::string>(stored.computed_findings().begin(), stored.computed_findings().end()),
            std::vector<std::string>{"harga_di_atas_het"});
  ASSERT_EQ(stored.finding_reasons_size(), 1);
  EXPECT_NE(stored.finding_reasons(0).find("Rp 19.000 is above the HET of Rp 18.500"), std::string::npos);
  EXPECT_EQ(stored.checklist_applied(), "lpg_pangkalan 2026-1");
  EXPECT_EQ(stored.findings_size(), 1);  // what the laptop said is kept
  // Both count in the roll-up.
  std::vector<std::string> counted;
  ASSERT_THAT(storage_->records().ScanRollups(common::DayKey(common::RollupFamily::kAudit, absl::CivilDay(2000, 1, 1)),
                                              common::DayKey(common::RollupFamily::kAudit, absl::CivilDay(2100, 1, 1)),
                                              [&](std::string_view, const v1::RollupCell& cell) {
                                                for (const auto& f : cell.audit().findings()) counted.push_back(f.code());
                                                return true;
                                              }),
              IsOk());
  EXPECT_EQ(counted, (std::vector<std::string>{"harga_di_atas_het", "segel_rusak"}));

  // An answer that does not fit the checklist, and computed findings set by a laptop, are refused.
  v1::Record wrong = audit;
  wrong.set_id(TestUlid(5, 2));
  wrong.mutable_outlet_audit()->mutable_answers(0)->set_yes(true);
  wrong.mutable_outlet_audit()->add_computed_findings("harga_di_atas_het");
  auto refused = Push({wrong});
  EXPECT_EQ(refused.results(0).outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_NE(refused.results(0).message().find("outlet_audit.answers[0]: harga_jual: expects a price in Rupiah"),
            std::string::npos)
      << refused.results(0).message();
  EXPECT_NE(refused.results(0).message().find("outlet_audit.computed_findings: are computed by the server"),
            std::string::npos);

  // Follow-ups: a step of the pangkalan ladder is taken; a pupuk step on a pangkalan is refused.
  auto follow = [&](const std::string& id, const std::string& action) {
    v1::Record r = PriceRecord(id, 0);
    auto* f = r.mutable_follow_up();
    f->set_audit_record_id(audit.id());
    f->set_finding_code("harga_di_atas_het");
    f->set_action_code(action);
    f->set_action_date(common::FormatLocalDate(absl::ToCivilDay(clock_.Now(), common::ZoneWithoutDeployment())));
    f->set_status(v1::FOLLOW_UP_STATUS_OPEN);
    return r;
  };
  auto results = Push({follow(TestUlid(6, 1), "teguran_lisan"), follow(TestUlid(6, 2), "rujukan_aph"),
                       follow(TestUlid(6, 3), "teguran")});
  EXPECT_EQ(results.results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED);
  EXPECT_EQ(results.results(1).outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_NE(results.results(1).message().find("\"rujukan_aph\" is on the pupuk_kios ladder, but audit " + audit.id() +
                                              " is of a lpg_pangkalan; its ladder: teguran_lisan"),
            std::string::npos)
      << results.results(1).message();
  EXPECT_EQ(results.results(2).outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_NE(results.results(2).message().find("unknown follow-up action \"teguran\""), std::string::npos)
      << results.results(2).message();
}

TEST(ReferenceServiceTest, RefusesBadEntitiesWholeAndBindsDevicesToOneInspector) {
  FakeClock clock(TestNow());
  auto storage = storage::NewMemoryStorage();
  auto reference = ReferenceService::Create(storage->reference(), clock);
  ASSERT_THAT(reference, IsOk());
  v1::ReferenceEntity bad;
  bad.mutable_commodity()->set_code("x");  // no unit
  auto good = pantau::testing::TestReferenceData()[0];
  auto put = (*reference)->Put({good, bad}, {});
  EXPECT_THAT(put, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(put.status().message().find("commodity/x: commodity.unit"), std::string::npos);
  EXPECT_EQ((*reference)->catalog()->size(), 0u);

  auto device = (*reference)->RegisterDevice({"siti", v1::ROLE_INSPECTOR}, "laptop-1", "ThinkPad");
  ASSERT_THAT(device, IsOk());
  EXPECT_THAT((*reference)->RegisterDevice({"siti", v1::ROLE_INSPECTOR}, "laptop-1", ""), IsOk());
  EXPECT_THAT((*reference)->RegisterDevice({"budi", v1::ROLE_INSPECTOR}, "laptop-1", ""),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_NE((*reference)->catalog()->FindDevice("laptop-1"), nullptr);
}

// PutReference and folder applies make the same integrity checks: a market whose kecamatan does
// not exist, or a kecamatan removed from under its market, is refused whole. Data already broken
// before the change does not block an unrelated change.
TEST(ReferenceServiceTest, PutRefusesBrokenReferencesItWouldMake) {
  FakeClock clock(TestNow());
  auto storage = storage::NewMemoryStorage();
  auto reference = ReferenceService::Create(storage->reference(), clock);
  ASSERT_THAT(reference, IsOk());
  ASSERT_THAT((*reference)->Put(pantau::testing::TestReferenceData(), {}), IsOk());
  const size_t size = (*reference)->catalog()->size();
  v1::ReferenceEntity market;
  market.mutable_market()->set_code("pasar_x");
  market.mutable_market()->set_name("Pasar X");
  market.mutable_market()->set_kecamatan_code("atlantis");
  auto put = (*reference)->Put({market}, {});
  EXPECT_THAT(put, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(put.status().message().find("market/pasar_x: kecamatan_code: \"atlantis\" is not a kecamatan"),
            std::string::npos)
      << put.status().message();
  EXPECT_EQ((*reference)->catalog()->size(), size);

  v1::ReferenceEntity kecamatan;
  kecamatan.mutable_kecamatan()->set_code("marabahan");
  auto removed = (*reference)->Put({}, {kecamatan});
  EXPECT_THAT(removed, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(removed.status().message().find("market/pasar_marabahan: kecamatan_code: \"marabahan\" is not a kecamatan"),
            std::string::npos)
      << removed.status().message();
  EXPECT_EQ((*reference)->catalog()->size(), size);

  // Once the kecamatan exists, the market goes in.
  v1::ReferenceEntity atlantis;
  atlantis.mutable_kecamatan()->set_code("atlantis");
  atlantis.mutable_kecamatan()->set_name("Atlantis");
  EXPECT_THAT((*reference)->Put({atlantis, market}, {}), IsOk());
}

}  // namespace
}  // namespace pantau::service

namespace pantau::service {
namespace {

TEST_F(IngestServiceTest, AnInspectorAssignedKecamatanIsRefusedRecordsElsewhereWithTheReason) {
  std::vector<v1::ReferenceEntity> more(4);
  more[3].mutable_follow_up_action()->set_code("teguran_lisan");
  more[3].mutable_follow_up_action()->set_name("Teguran lisan");
  more[3].mutable_follow_up_action()->set_domain("lpg_pangkalan");
  more[3].mutable_follow_up_action()->set_step(1);
  more[0].mutable_kecamatan()->set_code("alalak");
  more[0].mutable_kecamatan()->set_name("Alalak");
  more[1].mutable_market()->set_code("pasar_alalak");
  more[1].mutable_market()->set_name("Pasar Alalak");
  more[1].mutable_market()->set_kecamatan_code("alalak");
  auto* o = more[2].mutable_outlet();
  o->set_code("pkl_2");
  o->set_name("Pangkalan 2");
  o->set_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
  o->set_kecamatan_code("alalak");
  ASSERT_THAT(reference_->Put(more, {}), IsOk());
  v1::AccountScope scope;
  scope.add_kecamatan_codes("marabahan");
  const Principal siti("siti", v1::ROLE_INSPECTOR, scope);

  auto in_scope = PriceRecord(TestUlid(1, 1), 13100);
  auto elsewhere = PriceRecord(TestUlid(1, 2), 13100);
  elsewhere.mutable_price_sample()->set_market_code("pasar_alalak");
  // An audit of pkl_2 from before siti's assignment, then her follow-up on it.
  v1::Record audit = PriceRecord(TestUlid(2, 1), 0);
  audit.mutable_outlet_audit()->set_outlet_code("pkl_2");
  audit.mutable_outlet_audit()->set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
  audit.mutable_outlet_audit()->set_checklist_version("1");
  audit.mutable_outlet_audit()->add_findings("harga_di_atas_het");
  v1::PushRequest by_admin;
  *by_admin.add_records() = audit;
  auto admin_push = ingest_->Push(Principal("siti", v1::ROLE_INSPECTOR), by_admin);
  ASSERT_THAT(admin_push, IsOk());
  ASSERT_EQ(admin_push->results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED) << admin_push->results(0).message();
  v1::Record follow_up = PriceRecord(TestUlid(3, 1), 0);
  auto* f = follow_up.mutable_follow_up();
  f->set_audit_record_id(audit.id());
  f->set_finding_code("harga_di_atas_het");
  f->set_action_code("teguran_lisan");
  f->set_action_date("2026-11-24");
  f->set_status(v1::FOLLOW_UP_STATUS_OPEN);

  auto response = Push({in_scope, elsewhere, follow_up}, siti);
  ASSERT_EQ(response.results_size(), 3);
  EXPECT_EQ(response.results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED);
  EXPECT_EQ(response.results(1).outcome(), v1::PUSH_OUTCOME_INVALID);
  ASSERT_EQ(response.results(1).errors_size(), 1);
  EXPECT_EQ(response.results(1).errors(0).field(), "price_sample.market_code");
  EXPECT_NE(response.results(1).message().find(
                "market pasar_alalak is in kecamatan Alalak (alalak), outside the kecamatan assigned to account "
                "\"siti\" (marabahan)"),
            std::string::npos)
      << response.results(1).message();
  EXPECT_EQ(response.results(2).outcome(), v1::PUSH_OUTCOME_INVALID) << response.results(2).message();
  EXPECT_EQ(response.results(2).errors(0).field(), "follow_up.audit_record_id");
  EXPECT_FALSE(storage_->records().Get(elsewhere.id())->has_value());
  // Once the assignment covers alalak, the same record goes in.
  scope.add_kecamatan_codes("alalak");
  auto later = Push({elsewhere}, Principal("siti", v1::ROLE_INSPECTOR, scope));
  EXPECT_EQ(later.results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED) << later.results(0).message();
}

// Who may correct or void a record: its author, a supervisor or an admin, each only inside their
// scope; every other attempt is INVALID naming target_id and the reason, and the record stays.
TEST_F(IngestServiceTest, OnlyTheAuthorASupervisorOrAnAdminMayChangeARecordAndOnlyInTheirScope) {
  std::vector<v1::ReferenceEntity> more(1);
  more[0].mutable_kecamatan()->set_code("alalak");
  more[0].mutable_kecamatan()->set_name("Alalak");
  ASSERT_THAT(reference_->Put(more, {}), IsOk());
  auto scoped = [](std::string kecamatan, std::string bidang = "") {
    v1::AccountScope scope;
    if (!kecamatan.empty()) scope.add_kecamatan_codes(kecamatan);
    if (!bidang.empty()) scope.add_bidang(bidang);
    return scope;
  };
  struct Actor {
    std::string label;
    Principal who;
    std::string refusal;  // "" when allowed
  };
  const std::vector<Actor> actors = {
      {"author", Principal("siti", v1::ROLE_INSPECTOR), ""},
      {"another inspector", Principal("budi", v1::ROLE_INSPECTOR), "was recorded by \"siti\"; only its author"},
      {"the author, now assigned elsewhere", Principal("siti", v1::ROLE_INSPECTOR, scoped("alalak")),
       "outside the kecamatan assigned to account \"siti\" (alalak)"},
      {"supervisor", Principal("kabid", v1::ROLE_SUPERVISOR), ""},
      {"supervisor of marabahan", Principal("kasi", v1::ROLE_SUPERVISOR, scoped("marabahan")), ""},
      {"supervisor of alalak", Principal("kasi", v1::ROLE_SUPERVISOR, scoped("alalak")),
       "in kecamatan marabahan, outside the kecamatan assigned to account \"kasi\" (alalak)"},
      {"supervisor of koperasi", Principal("kabid_kop", v1::ROLE_SUPERVISOR, scoped("", "koperasi")),
       "limited to bidang koperasi"},
      {"admin", Principal("admin", v1::ROLE_ADMIN), ""},
  };
  for (const auto& actor : actors) {
    ASSERT_THAT(reference_->RegisterDevice(actor.who, "laptop-" + actor.who.name, "laptop"), IsOk());
  }
  uint32_t n = 0;
  for (const bool is_void : {true, false}) {
    for (const bool is_audit : {false, true}) {
      for (const auto& actor : actors) {
        SCOPED_TRACE(actor.label + (is_void ? " voids " : " corrects ") + (is_audit ? "an audit" : "a price"));
        ++n;
        v1::Record target = PriceRecord(TestUlid(10, n), 13100);
        if (is_audit) {
          target.mutable_outlet_audit()->set_outlet_code("pkl_1");
          target.mutable_outlet_audit()->set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
          target.mutable_outlet_audit()->set_checklist_version("1");
        }
        ASSERT_EQ(Push({target}).results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED) << Push({target}).results(0).message();
        v1::Record change = PriceRecord(TestUlid(11, n), 0);
        change.set_device_id("laptop-" + actor.who.name);
        if (is_void) {
          change.mutable_void_()->set_target_id(target.id());
          change.mutable_void_()->set_reason("salah pasar");
        } else {
          auto* c = change.mutable_correction();
          c->set_target_id(target.id());
          c->set_reason("salah ketik");
          if (is_audit) {
            *c->mutable_outlet_audit() = target.outlet_audit();
          } else {
            *c->mutable_price_sample() = target.price_sample();
            c->mutable_price_sample()->set_price_rupiah(13200);
          }
        }
        auto result = Push({change}, actor.who).results(0);
        if (actor.refusal.empty()) {
          EXPECT_EQ(result.outcome(), v1::PUSH_OUTCOME_ACCEPTED) << result.message();
          EXPECT_TRUE(storage_->records().Get(change.id())->has_value());
        } else {
          EXPECT_EQ(result.outcome(), v1::PUSH_OUTCOME_INVALID);
          ASSERT_EQ(result.errors_size(), 1);
          EXPECT_EQ(result.errors(0).field(), is_void ? "void.target_id" : "correction.target_id");
          EXPECT_NE(result.errors(0).reason().find(actor.refusal), std::string::npos) << result.errors(0).reason();
          EXPECT_FALSE(storage_->records().Get(change.id())->has_value());
        }
      }
    }
  }
  // A change of a record the server never stored is refused, whoever sends it; one of a record
  // earlier in the same batch is accepted.
  v1::Record orphan = PriceRecord(TestUlid(12, 1), 0);
  orphan.mutable_void_()->set_target_id(TestUlid(12, 99));
  orphan.mutable_void_()->set_reason("dobel");
  for (const Principal& who : {Principal("siti", v1::ROLE_INSPECTOR), Principal("admin", v1::ROLE_ADMIN)}) {
    orphan.set_device_id("laptop-" + who.name);
    auto result = Push({orphan}, who).results(0);
    EXPECT_EQ(result.outcome(), v1::PUSH_OUTCOME_INVALID);
    ASSERT_EQ(result.errors_size(), 1);
    EXPECT_EQ(result.errors(0).field(), "void.target_id");
    EXPECT_NE(result.errors(0).reason().find("is not stored on the server"), std::string::npos);
  }
  v1::Record fresh = PriceRecord(TestUlid(12, 2), 13100);
  v1::Record its_void = PriceRecord(TestUlid(12, 3), 0);
  its_void.mutable_void_()->set_target_id(fresh.id());
  its_void.mutable_void_()->set_reason("dobel");
  auto both = Push({fresh, its_void});
  EXPECT_EQ(both.results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED);
  EXPECT_EQ(both.results(1).outcome(), v1::PUSH_OUTCOME_ACCEPTED) << both.results(1).message();
  // A supervisor sends changes, never new field records.
  v1::Record own_record = PriceRecord(TestUlid(12, 4), 13100);
  own_record.set_device_id("laptop-kabid");
  auto own = Push({own_record}, Principal("kabid", v1::ROLE_SUPERVISOR)).results(0);
  EXPECT_EQ(own.outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_EQ(own.errors(0).field(), "body");
}

}  // namespace
}  // namespace pantau::service
