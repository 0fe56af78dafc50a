// The IKK table on hand-computed cases: empty periods, records at local midnight on period
// boundaries, corrections and voids, targets and capaian, manual rows.
#include "server/service/query_service.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "common/dates.h"
#include "common/record_kinds.h"
#include "server/service/ingest_service.h"
#include "server/storage/memory_storage.h"
#include "tests/testing/test_support.h"

namespace pantau::service {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::PriceRecord;
using ::pantau::testing::StatusIs;
using ::pantau::testing::TestUlid;

const absl::TimeZone kWita = common::ZoneWithoutDeployment();

absl::Time Wita(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), kWita);
}

class QueryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto reference = ReferenceService::Create(storage_->reference(), clock_);
    ASSERT_THAT(reference, IsOk());
    reference_ = *std::move(reference);
    auto data = pantau::testing::TestReferenceData();
    auto indicator = [&](int number, v1::IndicatorComputation computation) {
      auto* i = data.emplace_back().mutable_indicator();
      i->set_number(number);
      i->set_name("indikator " + std::to_string(number));
      i->set_computation(computation);
    };
    indicator(1, v1::INDICATOR_COMPUTATION_MANUAL);
    indicator(12, v1::INDICATOR_COMPUTATION_MANUAL);
    indicator(20, v1::INDICATOR_COMPUTATION_BAHAN_POKOK_MONITORED);
    indicator(21, v1::INDICATOR_COMPUTATION_OUTLETS_AUDITED);
    indicator(22, v1::INDICATOR_COMPUTATION_FOLLOW_UPS);
    indicator(24, v1::INDICATOR_COMPUTATION_UTTP_VERIFIED_PERCENT);
    for (auto [number, target] : {std::pair{20, 2000}, std::pair{24, 80000}, std::pair{1, 50000}}) {
      auto* t = data.emplace_back().mutable_indicator_target();
      t->set_indicator_number(number);
      t->set_year(2026);
      t->set_target_milli(target);
    }
    auto* manual = data.emplace_back().mutable_manual_realisation();
    manual->set_indicator_number(1);
    manual->set_year(2026);
    manual->set_value_milli(45000);
    auto* uttp2 = data.emplace_back().mutable_uttp_instrument();
    uttp2->set_id("UTTP-2");
    uttp2->set_type_code("timbangan_elektronik");
    auto* market = data.emplace_back().mutable_market();
    market->set_code("pasar_lain");
    market->set_kecamatan_code("marabahan");
    ASSERT_THAT(reference_->Put(data, {}), IsOk());
    ingest_ = std::make_unique<IngestService>(storage_->records(), *reference_, clock_, IngestOptions{});
    queries_ = std::make_unique<QueryService>(storage_->records(), *reference_, clock_, IkkSettings{});
  }

  void Push(std::vector<v1::Record> records, const std::string& inspector = "siti") {
    v1::PushRequest request;
    for (auto& r : records) *request.add_records() = std::move(r);
    auto response = ingest_->Push({inspector, v1::ROLE_INSPECTOR}, std::move(request));
    ASSERT_THAT(response, IsOk());
    for (const auto& r : response->results()) {
      ASSERT_EQ(r.outcome(), v1::PUSH_OUTCOME_ACCEPTED) << r.message();
    }
  }

  const v1::IndicatorRow& Row(const v1::GetIndicatorTableResponse& table, int number) {
    for (const auto& row : table.rows()) {
      if (row.indicator().number() == number) return row;
    }
    ADD_FAILURE() << "no row " << number;
    return table.rows(0);
  }

  std::string Realisasi(std::string_view period, int number) {
    auto table = queries_->IndicatorTable(period);
    EXPECT_THAT(table, IsOk());
    const auto& row = Row(*table, number);
    return row.has_realisasi() ? row.realisasi().text() : "-";
  }

  // A tera ulang of `instrument` (a class III scale, Max 30 kg, e 5 g) that is sah: 1 kg shown
  // as 1 kg.
  v1::Record SahTeraUlang(const std::string& id, const std::string& instrument, absl::Time at) {
    v1::Record r = PriceRecord(id, 0, at);
    auto* u = r.mutable_uttp_verification();
    u->set_instrument_id(instrument);
    u->set_kind(v1::VERIFICATION_KIND_TERA_ULANG);
    u->set_claimed_verdict(v1::VERDICT_SAH);
    u->set_accuracy_class("III");
    u->set_max_mg(30000000);
    u->set_e_mg(5000);
    auto* p = u->add_weighing_points();
    p->set_load_mg(1000000);
    p->set_indication_mg(1000000);
    return r;
  }

  v1::Record Audit(uint32_t n, const std::string& outlet, absl::Time at) {
    v1::Record r = PriceRecord(TestUlid(5, n), 0, at);
    auto* a = r.mutable_outlet_audit();
    a->set_outlet_code(outlet);
    a->set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
    a->set_checklist_version("1");
    a->add_findings("harga_di_atas_het");
    return r;
  }

  FakeClock clock_{Wita(2026, 12, 31, 12, 0)};
  std::unique_ptr<storage::Storage> storage_ = storage::NewMemoryStorage();
  std::unique_ptr<ReferenceService> reference_;
  std::unique_ptr<IngestService> ingest_;
  std::unique_ptr<QueryService> queries_;
};

TEST_F(QueryServiceTest, AnEmptyPeriodHasZeroCountsAndNoMissingValueBecomesZero) {
  auto table = queries_->IndicatorTable("2026");
  ASSERT_THAT(table, IsOk());
  EXPECT_EQ(table->rows_size(), 6);
  EXPECT_EQ(Row(*table, 20).realisasi().text(), "0");
  EXPECT_EQ(Row(*table, 20).capaian().text(), "0.00");
  EXPECT_EQ(Row(*table, 21).realisasi().text(), "0");
  // The UTTP percentage has a potensi of 2: 0 of 2 verified is 0 %.
  EXPECT_EQ(Row(*table, 24).realisasi().text(), "0.00");
  // A manual row without a realisation is "belum diisi", not 0.
  EXPECT_FALSE(Row(*table, 12).has_realisasi());
  EXPECT_EQ(Row(*table, 12).source(), "belum diisi");
  EXPECT_EQ(Row(*table, 1).realisasi().text(), "45");
  EXPECT_EQ(Row(*table, 1).capaian().text(), "90.00");
  EXPECT_EQ(Row(*table, 1).source(), "manual");
}

TEST_F(QueryServiceTest, RecordsAtLocalMidnightFallInTheRightPeriod) {
  // 23:59 WITA on 31 October and 00:00 WITA on 1 November (16:00 UTC on 31 October).
  auto october = PriceRecord(TestUlid(1, 1), 13000, Wita(2026, 10, 31, 23, 59));
  auto november = PriceRecord(TestUlid(1, 2), 3000, Wita(2026, 11, 1, 0, 0));
  november.mutable_price_sample()->set_commodity_code("telur_itik");
  november.mutable_price_sample()->set_unit("butir");
  Push({october, november});
  EXPECT_EQ(Realisasi("2026-10", 20), "1");
  EXPECT_EQ(Realisasi("2026-11", 20), "1");
  EXPECT_EQ(Realisasi("2026-10-31", 20), "1");
  EXPECT_EQ(Realisasi("2026-Q4", 20), "2");
  EXPECT_EQ(Realisasi("2026-W44", 20), "2");  // 26 Oct .. 1 Nov
  EXPECT_EQ(Realisasi("2026", 20), "2");
  EXPECT_EQ(Realisasi("2025", 20), "0");
  auto table = queries_->IndicatorTable("2026");
  EXPECT_EQ(Row(*table, 20).capaian().text(), "100.00");  // 2 of a target of 2
}

TEST_F(QueryServiceTest, CorrectionsAndVoidsChangeTheFigures) {
  auto beras = PriceRecord(TestUlid(1, 1), 13000, Wita(2026, 11, 24, 9, 0));
  auto telur = PriceRecord(TestUlid(1, 2), 3000, Wita(2026, 11, 24, 9, 5));
  telur.mutable_price_sample()->set_commodity_code("telur_itik");
  telur.mutable_price_sample()->set_unit("butir");
  Push({beras, telur});
  EXPECT_EQ(Realisasi("2026-11", 20), "2");
  // The telur sample was really beras: corrected, the month has one commodity.
  v1::Record correction = PriceRecord(TestUlid(2, 1), 0, Wita(2026, 11, 24, 9, 5));
  auto* c = correction.mutable_correction();
  c->set_target_id(telur.id());
  c->set_reason("salah pilih komoditas");
  *c->mutable_price_sample() = beras.price_sample();
  Push({correction});
  EXPECT_EQ(Realisasi("2026-11", 20), "1");
  // Both voided: none.
  v1::Record void1 = PriceRecord(TestUlid(3, 1), 0), void2 = PriceRecord(TestUlid(3, 2), 0);
  void1.mutable_void_()->set_target_id(beras.id());
  void1.mutable_void_()->set_reason("dobel");
  void2.mutable_void_()->set_target_id(telur.id());
  void2.mutable_void_()->set_reason("dobel");
  Push({void1, void2});
  EXPECT_EQ(Realisasi("2026-11", 20), "0");
}

TEST_F(QueryServiceTest, OutletsFollowUpsAndUttpOnHandComputedCases) {
  Push({Audit(1, "pkl_1", Wita(2026, 3, 2, 10, 0)), Audit(2, "pkl_1", Wita(2026, 5, 2, 10, 0))});
  EXPECT_EQ(Realisasi("2026", 21), "1");  // the same pangkalan twice is one outlet
  auto table = queries_->IndicatorTable("2026");
  EXPECT_EQ(Row(*table, 21).breakdown().at("jenis:lpg_pangkalan"), 1);
  EXPECT_EQ(Row(*table, 21).breakdown().at("kecamatan:marabahan"), 1);

  v1::Record follow = PriceRecord(TestUlid(6, 1), 0, Wita(2026, 3, 3, 10, 0));
  auto* f = follow.mutable_follow_up();
  f->set_audit_record_id(TestUlid(5, 1));
  f->set_finding_code("harga_di_atas_het");
  f->set_action_code("teguran_tertulis");
  f->set_action_date("2026-03-03");
  f->set_status(v1::FOLLOW_UP_STATUS_OPEN);
  Push({follow});
  EXPECT_EQ(Realisasi("2026-Q1", 22), "1");
  EXPECT_EQ(Realisasi("2026-Q2", 22), "0");
  // The violation is counted by its audit's outlet: kind, product sold there, kecamatan. An audit
  // and its action in one batch count the same way; an action whose audit the server has not seen
  // yet counts once the audit arrives.
  v1::Record same_batch_audit = Audit(3, "pkl_1", Wita(2026, 4, 6, 9, 0));
  v1::Record same_batch = follow;
  same_batch.set_id(TestUlid(6, 2));
  same_batch.mutable_follow_up()->set_audit_record_id(same_batch_audit.id());
  same_batch.mutable_follow_up()->set_action_date("2026-04-06");
  v1::Record orphan = follow;
  orphan.set_id(TestUlid(6, 3));
  orphan.mutable_follow_up()->set_audit_record_id(TestUlid(5, 99));
  orphan.mutable_follow_up()->set_action_date("2026-04-07");
  Push({same_batch_audit, same_batch, orphan});
  table = queries_->IndicatorTable("2026");
  EXPECT_EQ(Row(*table, 22).realisasi().text(), "2");
  EXPECT_EQ(Row(*table, 22).breakdown().at("kecamatan:marabahan"), 2);
  EXPECT_EQ(Row(*table, 22).breakdown().count("kecamatan:unknown"), 0u);
  Push({Audit(99, "pkl_1", Wita(2026, 4, 7, 8, 0))});
  table = queries_->IndicatorTable("2026");
  const auto& violations = Row(*table, 22);
  EXPECT_EQ(violations.realisasi().text(), "3");
  EXPECT_EQ(violations.breakdown().at("kecamatan:marabahan"), 3);
  EXPECT_EQ(violations.breakdown().at("jenis:lpg_pangkalan"), 3);
  EXPECT_EQ(violations.breakdown().at("tindakan"), 3);

  Push({SahTeraUlang(TestUlid(7, 1), "UTTP-1", Wita(2026, 4, 1, 9, 0))});
  table = queries_->IndicatorTable("2026");
  const auto& row = Row(*table, 24);
  EXPECT_EQ(row.realisasi().text(), "50.00");  // 1 of a potensi of 2
  EXPECT_EQ(row.realisasi().numerator(), 100);
  EXPECT_EQ(row.realisasi().denominator(), 2);
  EXPECT_EQ(row.capaian().text(), "62.50");    // 50 / 80 x 100
  EXPECT_EQ(row.breakdown().at("potensi"), 2);
  EXPECT_EQ(Realisasi("2026-Q1", 24), "0.00");
}

// Row 22, "Jumlah pelanggaran barang bersubsidi": violations followed up in the period, each once
// however many actions it had; a follow-up naming a finding its audit lacks is refused with the
// audit's findings; a follow-up of a UTTP verification never counts; a voided audit's stop
// counting; "actions" is the alternative setting, and the breakdown shows both.
TEST_F(QueryServiceTest, Row22CountsEachViolationFollowedUpOnce) {
  v1::Record audit = Audit(10, "pkl_1", Wita(2026, 3, 2, 9, 0));
  audit.mutable_outlet_audit()->add_findings("stok_tidak_sesuai");  // two violations
  Push({audit});
  auto action = [&](uint32_t n, const std::string& target, const std::string& finding, const std::string& day) {
    v1::Record r = PriceRecord(TestUlid(6, n), 0, Wita(2026, 3, 2, 12, 0));
    auto* f = r.mutable_follow_up();
    f->set_audit_record_id(target);
    f->set_finding_code(finding);
    f->set_action_code("teguran_tertulis");
    f->set_action_date(day);
    f->set_status(v1::FOLLOW_UP_STATUS_OPEN);
    return r;
  };
  // Three actions on one violation: one violation.
  Push({action(10, audit.id(), "harga_di_atas_het", "2026-03-03"), action(11, audit.id(), "harga_di_atas_het", "2026-03-10"),
        action(12, audit.id(), "harga_di_atas_het", "2026-04-02")});
  EXPECT_EQ(Realisasi("2026-Q1", 22), "1");
  EXPECT_EQ(Realisasi("2026-Q2", 22), "1");
  EXPECT_EQ(Realisasi("2026", 22), "1");
  auto table = queries_->IndicatorTable("2026");
  EXPECT_EQ(Row(*table, 22).breakdown().at("pelanggaran"), 1);
  EXPECT_EQ(Row(*table, 22).breakdown().at("tindakan"), 3);
  EXPECT_EQ(Row(*table, 22).breakdown().at("tindakan:teguran_tertulis"), 3);
  // An action on the other finding: a second violation.
  Push({action(13, audit.id(), "stok_tidak_sesuai", "2026-05-04")});
  EXPECT_EQ(Realisasi("2026", 22), "2");
  EXPECT_EQ(Realisasi("2026-Q1", 22), "1");

  // A finding the audit does not have: refused, with the audit's findings.
  v1::PushRequest ghost;
  *ghost.add_records() = action(14, audit.id(), "timbangan_rusak", "2026-05-05");
  auto refused = ingest_->Push({"siti", v1::ROLE_INSPECTOR}, ghost);
  ASSERT_THAT(refused, IsOk());
  EXPECT_EQ(refused->results(0).outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_NE(refused->results(0).message().find("follow_up.finding_code: \"timbangan_rusak\" is not a finding of audit " +
                                               audit.id() + "; its findings: harga_di_atas_het, stok_tidak_sesuai"),
            std::string::npos)
      << refused->results(0).message();

  // A UTTP verification "followed up": stored, never a subsidised-goods violation.
  const v1::Record uttp = SahTeraUlang(TestUlid(7, 5), "UTTP-1", Wita(2026, 4, 1, 9, 0));
  Push({uttp, action(15, uttp.id(), "tidak_bertanda_tera", "2026-04-03")});
  EXPECT_EQ(Realisasi("2026", 22), "2");

  // The alternative setting counts the actions on the same violations.
  IkkSettings by_actions;
  by_actions.follow_up_count = FollowUpCount::kActions;
  QueryService actions(storage_->records(), *reference_, clock_, by_actions);
  auto counted = actions.IndicatorTable("2026");
  ASSERT_THAT(counted, IsOk());
  EXPECT_EQ(Row(*counted, 22).realisasi().text(), "4");

  // The audit voided: its violations are gone, and with them its follow-ups.
  v1::Record void_audit = PriceRecord(TestUlid(3, 10), 0);
  void_audit.mutable_void_()->set_target_id(audit.id());
  void_audit.mutable_void_()->set_reason("salah pangkalan");
  Push({void_audit});
  EXPECT_EQ(Realisasi("2026", 22), "0");
}

TEST_F(QueryServiceTest, PriceStatisticsLookBeforeTheRangeForThePreviousObservation) {
  // Three traders on 20 November, two on 24 November (the range starts on the 24th).
  std::vector<v1::Record> records;
  uint32_t n = 0;
  for (int64_t price : {13000, 13100, 13300}) records.push_back(PriceRecord(TestUlid(8, n++), price, Wita(2026, 11, 20, 9, 0)));
  for (int64_t price : {13500, 13700}) records.push_back(PriceRecord(TestUlid(8, n++), price, Wita(2026, 11, 24, 9, 0)));
  auto other = PriceRecord(TestUlid(8, n++), 12000, Wita(2026, 11, 24, 9, 0));
  other.mutable_price_sample()->set_market_code("pasar_lain");
  records.push_back(other);
  Push(records);
  ASSERT_THAT(reference_->Put({pantau::testing::BerasMediumHet()}, {}), IsOk());

  v1::GetPriceStatisticsRequest request;
  request.set_commodity_code("beras_medium");
  request.set_market_code("pasar_marabahan");
  request.set_from("2026-11-24");
  request.set_to("2026-11-30");
  auto stats = queries_->PriceStatistics(request);
  ASSERT_THAT(stats, IsOk());
  ASSERT_EQ(stats->points_size(), 1);
  const auto& point = stats->points(0);
  EXPECT_EQ(point.period(), "2026-11-24");
  EXPECT_EQ(point.mean_rupiah().text(), "13600");
  EXPECT_EQ(point.previous_period(), "2026-11-20");  // four days back, outside the range
  EXPECT_EQ(point.change_rupiah().text(), "466.67");
  EXPECT_EQ(point.change_percent().text(), "3.55");
  EXPECT_EQ(point.reference_rupiah(), 13100);
  EXPECT_EQ(point.above_reference_percent().text(), "3.82");
  request.clear_market_code();
  EXPECT_EQ(queries_->PriceStatistics(request)->points_size(), 2);  // both markets
  request.set_commodity_code("beras");
  EXPECT_THAT(queries_->PriceStatistics(request), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryServiceTest, ABadPeriodIsRefusedWithTheAcceptedForms) {
  auto table = queries_->IndicatorTable("tahun depan");
  EXPECT_THAT(table, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(table.status().message().find("2026-Q4"), std::string::npos);
  EXPECT_NE(table.status().message().find("bulan-ini"), std::string::npos) << table.status();
  // "tahun ini" is the year of the server's today, answered with its label.
  auto this_year = queries_->IndicatorTable("tahun ini");
  ASSERT_TRUE(this_year.ok()) << this_year.status();
  EXPECT_EQ(this_year->period(), "2026");  // the fixture's clock: 31 December 2026, 12:00 WITA
}

// Each registered laptop with when a record from it last arrived and how many this week; quiet
// laptops and inspectors without one; a day counted to in the past ignores what arrived after it;
// a scoped supervisor sees the inspectors of its kecamatan (or of none).
TEST_F(QueryServiceTest, FieldActivityShowsEachLaptopsLastDeliveryThisWeekAndTheQuietOnes) {
  ASSERT_THAT(reference_->RegisterDevice({"siti", v1::ROLE_INSPECTOR}, "laptop-siti", ""), IsOk());
  ASSERT_THAT(reference_->RegisterDevice({"ani", v1::ROLE_INSPECTOR}, "laptop-ani", "Thinkpad bidang"), IsOk());
  v1::AccountScope alalak;
  alalak.add_kecamatan_codes("alalak");
  v1::AccountScope marabahan;
  marabahan.add_kecamatan_codes("marabahan");
  std::vector<v1::DeviceContact> contacts;
  queries_->SetFieldDirectory([&]() -> absl::StatusOr<QueryService::FieldDirectory> {
    return QueryService::FieldDirectory{{{"ani", marabahan}, {"budi", {}}, {"rudi", alalak}, {"siti", {}}}, contacts};
  });
  // Ani's laptop last sent on Saturday 26 December; Siti's twice today, Thursday 31 December.
  clock_.Advance(-absl::Hours(24 * 5));
  v1::Record from_ani = PriceRecord(TestUlid(7, 1), 13100, Wita(2026, 12, 26, 9, 0));
  from_ani.set_device_id("laptop-ani");
  Push({from_ani}, "ani");
  clock_.Advance(absl::Hours(24 * 5));
  Push({PriceRecord(TestUlid(7, 2), 13200, Wita(2026, 12, 30, 9, 0)), PriceRecord(TestUlid(7, 3), 13300, Wita(2026, 12, 31, 9, 0))});

  auto activity = queries_->FieldActivity({});
  ASSERT_THAT(activity, IsOk());
  EXPECT_EQ(activity->as_of(), "2026-12-31");
  EXPECT_EQ(activity->week_first_day(), "2026-12-28");
  ASSERT_EQ(activity->rows_size(), 2) << activity->DebugString();
  const v1::FieldActivityRow& ani = activity->rows(0);
  const v1::FieldActivityRow& siti = activity->rows(1);
  EXPECT_EQ(ani.device_id(), "laptop-ani");
  EXPECT_EQ(ani.last_received(), "2026-12-26 12:00");
  EXPECT_EQ(ani.days_since(), 5);
  EXPECT_EQ(ani.received_this_week(), 0);  // Saturday was last week
  EXPECT_TRUE(ani.quiet());
  EXPECT_EQ(siti.inspector(), "siti");
  EXPECT_EQ(ani.device_description(), "Thinkpad bidang");
  EXPECT_EQ(siti.last_received(), "2026-12-31 12:00");
  EXPECT_EQ(siti.days_since(), 0);
  EXPECT_EQ(siti.received_this_week(), 2);
  EXPECT_FALSE(siti.quiet());
  EXPECT_EQ(activity->quiet(), 1);
  EXPECT_THAT(activity->inspectors_without_laptop(), ::testing::ElementsAre("budi", "rudi"));
  // No laptop has reported a sync: none is known.
  EXPECT_EQ(ani.last_sync(), "");
  EXPECT_EQ(ani.days_since_sync(), -1);
  EXPECT_EQ(activity->refused_waiting(), 0);

  // Ani's laptop synced yesterday (Wednesday 30 December, 16:30 WITA) with 2 refused records
  // waiting and 1 not delivered: it is not quiet, though its last record is 5 days old. A contact
  // of Siti's laptop made under another account (the laptop moved) is not Siti's.
  auto contact = [](const std::string& device, const std::string& account, absl::Time at, int64_t pending,
                    int64_t refused) {
    v1::DeviceContact c;
    c.set_device_id(device);
    c.set_account_name(account);
    *c.mutable_contacted_at() = common::ToTimestamp(at);
    c.set_pending(pending);
    c.set_needs_attention(refused);
    return c;
  };
  contacts = {contact("laptop-ani", "ani", Wita(2026, 12, 30, 16, 30), 1, 2),
              contact("laptop-siti", "rudi", Wita(2026, 12, 31, 8, 0), 0, 7)};
  auto synced = queries_->FieldActivity({});
  ASSERT_THAT(synced, IsOk());
  EXPECT_EQ(synced->rows(0).last_sync(), "2026-12-30 16:30");
  EXPECT_EQ(synced->rows(0).days_since_sync(), 1);
  EXPECT_EQ(synced->rows(0).pending_on_laptop(), 1);
  EXPECT_EQ(synced->rows(0).refused_waiting(), 2);
  EXPECT_FALSE(synced->rows(0).quiet());
  EXPECT_EQ(synced->rows(1).last_sync(), "");
  EXPECT_EQ(synced->rows(1).refused_waiting(), 0);
  EXPECT_EQ(synced->refused_waiting(), 2);
  EXPECT_EQ(synced->quiet(), 0);
  // With one quiet day, the sync a day ago is quiet as well.
  v1::GetFieldActivityRequest strict;
  strict.set_quiet_days(1);
  EXPECT_TRUE(queries_->FieldActivity(strict)->rows(0).quiet());

  // Six quiet days: Ani's five are not yet.
  v1::GetFieldActivityRequest patient;
  patient.set_quiet_days(6);
  EXPECT_FALSE(queries_->FieldActivity(patient)->rows(0).quiet());
  // Counted to Sunday 27 December: Siti's records had not arrived (never, -1, quiet), Ani's had.
  v1::GetFieldActivityRequest sunday;
  sunday.set_as_of("2026-12-27");
  auto earlier = queries_->FieldActivity(sunday);
  ASSERT_THAT(earlier, IsOk());
  EXPECT_EQ(earlier->rows(0).days_since(), 1);
  EXPECT_EQ(earlier->rows(0).received_this_week(), 1);
  EXPECT_EQ(earlier->rows(0).last_sync(), "");  // Ani's sync came after that Sunday
  EXPECT_EQ(earlier->refused_waiting(), 0);
  EXPECT_EQ(earlier->rows(1).last_received(), "");
  EXPECT_EQ(earlier->rows(1).days_since(), -1);
  EXPECT_TRUE(earlier->rows(1).quiet());

  // A supervisor of Marabahan: Rudi (Alalak) is not listed; the others are.
  auto scoped = queries_->FieldActivity({}, Principal("camat", v1::ROLE_SUPERVISOR, marabahan));
  ASSERT_THAT(scoped, IsOk());
  EXPECT_EQ(scoped->rows_size(), 2);
  EXPECT_THAT(scoped->inspectors_without_laptop(), ::testing::ElementsAre("budi"));

  v1::GetFieldActivityRequest bad;
  bad.set_as_of("kemarin");
  EXPECT_THAT(queries_->FieldActivity(bad), StatusIs(absl::StatusCode::kInvalidArgument));
  bad.set_as_of("");
  bad.set_quiet_days(-1);
  EXPECT_THAT(queries_->FieldActivity(bad), StatusIs(absl::StatusCode::kInvalidArgument));
}

v1::Record PriceAt(uint32_t n, int64_t price, absl::Time at, const std::string& market = "pasar_marabahan") {
  v1::Record r = PriceRecord(TestUlid(9, n), price, at);
  r.mutable_price_sample()->set_market_code(market);
  return r;
}

// Extremes through roll-ups and every price report: the means, changes and percentages of prices at
// the absolute ceiling are exact (they wrapped in 64 bits: Rp 13.000 and a confirmed INT64_MAX
// once gave a mean of -4611686018427381404.50; 3 500 samples at the ceiling on two days overflowed
// the change in percent).
TEST_F(QueryServiceTest, PricesAtTheCeilingGiveExactFiguresInEveryReport) {
  clock_.Set(Wita(2026, 11, 30, 12, 0));
  auto sample = [](uint32_t group, uint32_t n, int64_t price, absl::Time at) {
    v1::Record r = PriceRecord(TestUlid(group, n), price, at);
    r.mutable_price_sample()->set_trader("pedagang " + std::to_string(n));
    r.mutable_price_sample()->set_confirm_reason("diperiksa ulang");
    return r;
  };
  // The reported case, at the ceiling instead of INT64_MAX (which is now refused).
  Push({sample(40, 0, 13000, Wita(2026, 11, 2, 9, 0)), sample(40, 1, common::kMaxRupiah, Wita(2026, 11, 2, 9, 5))});
  constexpr uint32_t kSamples = 3500;
  for (uint32_t day : {3u, 4u}) {
    for (uint32_t first = 0; first < kSamples; first += 500) {
      std::vector<v1::Record> batch;
      for (uint32_t n = first; n < first + 500; ++n) {
        const int64_t price = day == 3 ? common::kMaxRupiah : common::kMaxRupiah - 2000;
        batch.push_back(sample(40 + day, n, price, Wita(2026, 11, static_cast<int>(day), 9, 0) + absl::Seconds(n)));
      }
      Push(std::move(batch));
    }
  }
  v1::GetPriceStatisticsRequest request;
  request.set_commodity_code("beras_medium");
  request.set_market_code("pasar_marabahan");
  request.set_from("2026-11-01");
  request.set_to("2026-11-30");
  auto stats = queries_->PriceStatistics(request);
  ASSERT_THAT(stats, IsOk());
  ASSERT_EQ(stats->points_size(), 3);
  EXPECT_EQ(stats->points(0).mean_rupiah().text(), "500000006500");
  EXPECT_EQ(stats->points(0).median_rupiah().text(), "500000006500");
  EXPECT_EQ(stats->points(1).mean_rupiah().text(), "1000000000000");
  EXPECT_EQ(stats->points(2).mean_rupiah().text(), "999999998000");
  EXPECT_EQ(stats->points(2).samples(), kSamples);
  // -2000 / 10^12 x 100 = -0.0000002 %: exactly, as a ratio.
  const auto& change = stats->points(2).change_percent();
  EXPECT_EQ(absl::int128(change.numerator()) * 10'000'000, absl::int128(-2) * change.denominator());
  EXPECT_EQ(stats->points(2).change_rupiah().text(), "-2000");
  // +99.9999987 % from day 2 to 3: 10^12 against 500000006500.
  const auto& up = stats->points(1).change_percent();
  EXPECT_EQ(absl::int128(up.numerator()) * 500000006500, absl::int128(100) * (1'000'000'000'000 - 500000006500) * up.denominator());
  for (const auto& p : stats->points()) {
    EXPECT_GT(p.mean_rupiah().numerator(), 0);
    EXPECT_GT(p.mean_rupiah().denominator(), 0);
  }
  // Stability, coverage and the IKK table take the same cells without failing or going negative.
  v1::GetPriceStabilityRequest stability;
  stability.set_from("2026-01-01");
  stability.set_to("2026-12-31");
  auto kv = queries_->PriceStability(stability);
  ASSERT_THAT(kv, IsOk());
  for (const auto& row : kv->rows()) {
    for (int64_t mean : row.period_means_rupiah()) EXPECT_GT(mean, 0);
  }
  EXPECT_THAT(queries_->IndicatorTable("2026"), IsOk());
  v1::GetCoverageRequest coverage;
  coverage.set_from("2026-11-01");
  coverage.set_to("2026-11-30");
  EXPECT_THAT(queries_->Coverage(coverage), IsOk());
}

TEST_F(QueryServiceTest, PriceStabilityOverAYearFromTheStoredSamples) {
  // Beras: January 13000 and 13200 at Marabahan, 14000 at the other market; February 13100;
  // March 13500. Monthly means 13400, 13100, 13500 -> KV 1.56 %. Market means 13200, 14000.
  Push({PriceAt(1, 13000, Wita(2026, 1, 6, 9, 0)), PriceAt(2, 13200, Wita(2026, 1, 6, 9, 5)),
        PriceAt(3, 14000, Wita(2026, 1, 6, 9, 0), "pasar_lain"), PriceAt(4, 13100, Wita(2026, 2, 3, 9, 0)),
        PriceAt(5, 13500, Wita(2026, 3, 3, 9, 0))});
  v1::GetPriceStabilityRequest request;
  request.set_from("2026-01-01");
  request.set_to("2026-12-31");
  auto got = queries_->PriceStability(request);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->by(), "month");
  ASSERT_EQ(got->rows_size(), 1);
  const auto& row = got->rows(0);
  EXPECT_EQ(row.commodity_name(), "Beras Medium");
  EXPECT_EQ(std::vector<int64_t>(row.period_means_rupiah().begin(), row.period_means_rupiah().end()),
            (std::vector<int64_t>{13400, 13100, 13500}));
  EXPECT_EQ(row.kv_percent().text(), "1.56");  // SD 208.17 / mean 13333.33
  EXPECT_EQ(row.kv_percent().numerator(), 156);
  EXPECT_EQ(row.cheapest_market(), "pasar_marabahan");
  EXPECT_EQ(row.dearest_market(), "pasar_lain");
  EXPECT_EQ(row.gap_rupiah(), 800);  // 14000 - (13000 + 13200 + 13100 + 13500) / 4
  EXPECT_EQ(row.gap_percent().text(), "6.06");
  EXPECT_EQ(got->mean_kv_percent().text(), "1.56");
  EXPECT_EQ(got->commodities_with_kv(), 1);

  request.set_by("fortnight");
  EXPECT_THAT(queries_->PriceStability(request), StatusIs(absl::StatusCode::kInvalidArgument));
  request.set_by("month");
  request.set_market_code("pasar_tidak_ada");
  EXPECT_THAT(queries_->PriceStability(request), StatusIs(absl::StatusCode::kInvalidArgument));
  request.clear_market_code();
  request.set_from("2025-01-01");
  request.set_to("2025-12-31");
  got = queries_->PriceStability(request);
  EXPECT_EQ(got->rows_size(), 0);
  EXPECT_FALSE(got->has_mean_kv_percent());  // an empty year has no KV, not 0 %
}

TEST_F(QueryServiceTest, CoverageOfTheTuesdayCheckCountsLocalDays) {
  // November 2026 Tuesdays: 3, 10, 17, 24. 23:59 WITA on Monday the 9th is Monday's; 00:00 WITA
  // on Tuesday the 17th is Tuesday's.
  Push({PriceAt(1, 13000, Wita(2026, 11, 3, 8, 0)), PriceAt(2, 13000, Wita(2026, 11, 9, 23, 59)),
        PriceAt(3, 13000, Wita(2026, 11, 17, 0, 0)), PriceAt(4, 13000, Wita(2026, 11, 24, 8, 0), "pasar_lain")});
  v1::GetCoverageRequest request;
  request.set_from("2026-11-01");
  request.set_to("2026-11-30");
  request.set_commodity_code("beras_medium");
  auto got = queries_->Coverage(request);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(std::vector<std::string>(got->weekdays().begin(), got->weekdays().end()),
            std::vector<std::string>{"selasa"});  // the server's default schedule
  EXPECT_EQ(got->scheduled_days_size(), 4);
  ASSERT_EQ(got->rows_size(), 2);  // pasar_lain, pasar_marabahan
  const auto& lain = got->rows(0);
  const auto& marabahan = got->rows(1);
  EXPECT_EQ(lain.market_code(), "pasar_lain");
  EXPECT_EQ(lain.covered_days(), 1);
  EXPECT_EQ(marabahan.covered_days(), 2);
  EXPECT_EQ(std::vector<std::string>(marabahan.missing_days().begin(), marabahan.missing_days().end()),
            (std::vector<std::string>{"2026-11-10", "2026-11-24"}));
  EXPECT_EQ(marabahan.unscheduled_days_with_data(), 1);
  EXPECT_EQ(marabahan.covered_percent().text(), "50.00");
  EXPECT_EQ(got->covered(), 3);
  EXPECT_EQ(got->scheduled(), 8);
  EXPECT_EQ(got->covered_percent().text(), "37.50");
  // Asking for Mondays instead: only the 23:59 sample counts.
  request.add_weekdays("senin");
  got = queries_->Coverage(request);
  EXPECT_EQ(got->rows(1).covered_days(), 1);
  request.set_weekdays(0, "monday");
  EXPECT_THAT(queries_->Coverage(request), StatusIs(absl::StatusCode::kInvalidArgument));
}

// One inspector's coverage: only its samples (as they stand), over the markets of its kecamatan;
// an unknown name is refused.
TEST_F(QueryServiceTest, CoverageOfOneInspectorCountsItsOwnSamplesOverItsMarkets) {
  std::vector<v1::ReferenceEntity> more(3);
  more[0].mutable_kecamatan()->set_code("alalak");
  more[1].mutable_market()->set_code("pasar_alalak");
  more[1].mutable_market()->set_kecamatan_code("alalak");
  more[2].mutable_device()->set_id("laptop-ani");
  more[2].mutable_device()->set_account_name("ani");
  ASSERT_THAT(reference_->Put(more, {}), IsOk());
  v1::AccountScope alalak;
  alalak.add_kecamatan_codes("alalak");
  queries_->SetFieldDirectory([&]() -> absl::StatusOr<QueryService::FieldDirectory> {
    return QueryService::FieldDirectory{{{"ani", alalak}, {"siti", {}}}, {}};
  });
  // Siti at Pasar Marabahan on Tuesdays 3 and 10 November; Ani at Pasar Alalak on the 3rd.
  v1::Record from_ani = PriceAt(3, 13500, Wita(2026, 11, 3, 9, 0), "pasar_alalak");
  from_ani.set_device_id("laptop-ani");
  Push({PriceAt(1, 13000, Wita(2026, 11, 3, 8, 0)), PriceAt(2, 13100, Wita(2026, 11, 10, 8, 0))});
  Push({from_ani}, "ani");
  v1::GetCoverageRequest request;
  request.set_from("2026-11-01");
  request.set_to("2026-11-10");
  request.set_commodity_code("beras_medium");
  auto everyone = queries_->Coverage(request);
  ASSERT_THAT(everyone, IsOk());
  EXPECT_EQ(everyone->covered(), 3);
  EXPECT_EQ(everyone->inspector(), "");

  request.set_inspector("siti");
  auto siti = queries_->Coverage(request);
  ASSERT_THAT(siti, IsOk());
  EXPECT_EQ(siti->inspector(), "siti");
  ASSERT_EQ(siti->rows_size(), 3);  // siti has no kecamatan: every market
  EXPECT_EQ(siti->rows(0).market_code(), "pasar_alalak");
  EXPECT_EQ(siti->rows(0).covered_days(), 0);  // Ani's sample is not Siti's
  EXPECT_EQ(siti->rows(2).market_code(), "pasar_marabahan");
  EXPECT_EQ(siti->rows(2).covered_days(), 2);
  EXPECT_EQ(siti->covered(), 2);

  request.set_inspector("ani");
  auto ani = queries_->Coverage(request);
  ASSERT_THAT(ani, IsOk());
  ASSERT_EQ(ani->rows_size(), 1);  // Alalak's market only
  EXPECT_EQ(ani->rows(0).market_code(), "pasar_alalak");
  EXPECT_EQ(ani->rows(0).covered_days(), 1);
  EXPECT_EQ(ani->rows(0).missing_days_size(), 1);  // the 10th

  // Siti's sample of the 10th is voided: that day is missing for her.
  v1::Record void_sample = PriceRecord(TestUlid(3, 7), 0, Wita(2026, 11, 10, 9, 0));
  void_sample.mutable_void_()->set_target_id(TestUlid(9, 2));
  void_sample.mutable_void_()->set_reason("salah pasar");
  Push({void_sample});
  request.set_inspector("siti");
  EXPECT_EQ(queries_->Coverage(request)->covered(), 1);

  request.set_inspector("rudi");
  auto unknown = queries_->Coverage(request);
  EXPECT_THAT(unknown, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(unknown.status().message().find("no inspector account \"rudi\""), std::string::npos);
}

v1::Record FollowUpOn(uint32_t n, const std::string& audit_id, const std::string& action,
                      const std::string& date, const std::string& due, v1::FollowUpStatus status) {
  const absl::CivilDay day = *common::ParseLocalDate(date);
  v1::Record r = PriceRecord(TestUlid(6, n), 0, absl::FromCivil(absl::CivilMinute(day) + 600, kWita));
  auto* f = r.mutable_follow_up();
  f->set_audit_record_id(audit_id);
  f->set_finding_code("harga_di_atas_het");
  f->set_action_code(action);
  f->set_action_date(date);
  f->set_due_date(due);
  f->set_status(status);
  return r;
}

TEST_F(QueryServiceTest, ViolationsFollowTheirCasesThroughCorrectionsAndVoids) {
  const auto first = Audit(1, "pkl_1", Wita(2026, 11, 2, 10, 0));
  const auto second = Audit(2, "pkl_1", Wita(2026, 11, 9, 10, 0));
  auto clean = Audit(3, "pkl_1", Wita(2026, 11, 16, 10, 0));
  clean.mutable_outlet_audit()->clear_findings();
  Push({first, second, clean,
        FollowUpOn(1, first.id(), "teguran_lisan", "2026-11-03", "2026-11-10", v1::FOLLOW_UP_STATUS_OPEN),
        FollowUpOn(2, first.id(), "teguran_tertulis", "2026-11-12", "2026-11-26", v1::FOLLOW_UP_STATUS_CLOSED)});
  v1::ListViolationsRequest request;
  request.set_from("2026-11-01");
  request.set_to("2026-11-30");
  request.set_as_of("2026-11-28");
  auto got = queries_->Violations(request);
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->rows_size(), 2);
  EXPECT_EQ(got->rows(0).audit_record_id(), first.id());
  EXPECT_EQ(got->rows(0).status(), "selesai");
  EXPECT_EQ(got->rows(0).actions(), 2);
  EXPECT_EQ(got->rows(0).last_action_code(), "teguran_tertulis");
  EXPECT_EQ(got->rows(0).outlet_name(), "Pangkalan 1");
  EXPECT_EQ(got->rows(0).outlet_kind(), "lpg_pangkalan");
  EXPECT_EQ(got->rows(0).inspector(), "siti");
  // The case history, oldest first, each action a record of its own.
  ASSERT_EQ(got->rows(0).history_size(), 2);
  EXPECT_EQ(got->rows(0).history(0), "2026-11-03 teguran_lisan, due 2026-11-10, open (record " + TestUlid(6, 1) + ")");
  EXPECT_EQ(got->rows(0).history(1), "2026-11-12 teguran_tertulis, due 2026-11-26, closed (record " + TestUlid(6, 2) + ")");
  EXPECT_EQ(got->rows(1).status(), "terlambat");  // no action: due 2026-11-23
  EXPECT_EQ(got->rows(1).due_date(), "2026-11-23");
  EXPECT_EQ(got->rows(1).days_overdue(), 5);
  EXPECT_EQ(got->closed(), 1);
  EXPECT_EQ(got->overdue(), 1);
  // Closed on the 12th, due by the 10th: closed late by 2 days.
  EXPECT_EQ(got->rows(0).days_late(), 2);
  EXPECT_EQ(got->closed_late(), 1);
  // As of the 11th only the first action had been taken: overdue by a day, one action in its history.
  v1::ListViolationsRequest earlier = request;
  earlier.set_as_of("2026-11-11");
  auto then = queries_->Violations(earlier);
  ASSERT_THAT(then, IsOk());
  EXPECT_EQ(then->rows(0).status(), "terlambat");
  EXPECT_EQ(then->rows(0).days_overdue(), 1);
  EXPECT_EQ(then->rows(0).actions(), 1);
  EXPECT_EQ(then->rows(0).history_size(), 1);
  EXPECT_EQ(then->rows(0).days_late(), 0);
  EXPECT_EQ(then->closed(), 0);

  // The closing action is voided: the first case is open again, overdue since the 10th.
  v1::Record void_action = PriceRecord(TestUlid(3, 9), 0, Wita(2026, 11, 27, 9, 0));
  void_action.mutable_void_()->set_target_id(TestUlid(6, 2));
  void_action.mutable_void_()->set_reason("salah catat");
  // The second audit is corrected: it found nothing after all.
  v1::Record correction = PriceRecord(TestUlid(2, 9), 0, Wita(2026, 11, 9, 10, 0));
  correction.mutable_correction()->set_target_id(second.id());
  correction.mutable_correction()->set_reason("salah centang");
  *correction.mutable_correction()->mutable_outlet_audit() = clean.outlet_audit();
  Push({void_action, correction});
  got = queries_->Violations(request);
  ASSERT_EQ(got->rows_size(), 1);
  EXPECT_EQ(got->rows(0).status(), "terlambat");
  EXPECT_EQ(got->rows(0).actions(), 1);
  EXPECT_EQ(got->rows(0).history_size(), 1);  // the voided action is gone from the case
  EXPECT_EQ(got->rows(0).days_overdue(), 18);

  request.set_status("selesai");
  EXPECT_EQ(queries_->Violations(request)->rows_size(), 0);
  request.set_status("ditutup");
  EXPECT_THAT(queries_->Violations(request), StatusIs(absl::StatusCode::kInvalidArgument));
  // Without as_of, today on the server clock (2026-12-31).
  request.clear_status();
  request.clear_as_of();
  EXPECT_EQ(queries_->Violations(request)->as_of(), "2026-12-31");
}

TEST_F(QueryServiceTest, UttpDueFromStoredVerifications) {
  Push({SahTeraUlang(TestUlid(7, 1), "UTTP-1", Wita(2025, 12, 20, 9, 0))});
  v1::ListUttpDueRequest request;
  request.set_as_of("2026-11-28");
  auto got = queries_->UttpDue(request);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->within_days(), 30);
  EXPECT_EQ(got->registry(), 2);
  ASSERT_EQ(got->rows_size(), 2);
  EXPECT_EQ(got->rows(0).instrument_id(), "UTTP-2");  // never verified
  EXPECT_EQ(got->rows(0).status(), "terlambat");
  EXPECT_EQ(got->rows(1).instrument_id(), "UTTP-1");
  EXPECT_EQ(got->rows(1).status(), "jatuh_tempo");
  EXPECT_EQ(got->rows(1).next_due(), "2026-12-20");
  EXPECT_EQ(got->rows(1).days(), 22);
  EXPECT_EQ(got->rows(1).type_name(), "Timbangan elektronik");
  request.set_within_days(10);
  got = queries_->UttpDue(request);
  EXPECT_EQ(got->rows_size(), 1);  // UTTP-1 is valid beyond ten days
  request.set_include_valid(true);
  EXPECT_EQ(queries_->UttpDue(request)->rows(1).status(), "berlaku");
}

TEST_F(QueryServiceTest, ExportGoesOutInChunksExactlyOnceEvenWithinOneInstant) {
  // 1 203 samples at the very same instant, so chunks split inside it, plus one audit.
  std::vector<v1::Record> records;
  for (uint32_t i = 0; i < 1203; ++i) records.push_back(PriceAt(i, 13000, Wita(2026, 11, 24, 9, 0)));
  for (size_t start = 0; start < records.size(); start += 500) {
    Push(std::vector<v1::Record>(records.begin() + start, records.begin() + std::min(records.size(), start + 500)));
  }
  Push({Audit(1, "pkl_1", Wita(2026, 11, 25, 0, 0))});  // the next local day
  v1::ExportRecordsRequest request;
  request.set_from("2026-11-24");
  request.set_to("2026-11-24");
  ASSERT_THAT(queries_->CheckExport(request), IsOk());
  QueryService::ExportCursor cursor;
  std::vector<std::string> ids;
  int chunks = 0;
  while (true) {
    v1::ExportRecordsResponse chunk;
    auto done = queries_->ExportChunk(request, cursor, 500, &chunk);
    ASSERT_THAT(done, IsOk());
    for (const auto& r : chunk.records()) ids.push_back(r.record().id());
    ++chunks;
    if (*done) break;
  }
  EXPECT_EQ(chunks, 3);
  ASSERT_EQ(ids.size(), 1203u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 1203u);

  request.set_to("2026-11-25");
  request.add_kinds("outlet_audit");
  cursor = {};
  v1::ExportRecordsResponse chunk;
  auto done = queries_->ExportChunk(request, cursor, 500, &chunk);
  ASSERT_THAT(done, IsOk());
  EXPECT_TRUE(*done);
  ASSERT_EQ(chunk.records_size(), 1);
  EXPECT_TRUE(chunk.records(0).record().has_outlet_audit());
  request.add_kinds("harga");
  EXPECT_THAT(queries_->CheckExport(request), StatusIs(absl::StatusCode::kInvalidArgument));
}

// The records behind row 21: each audit of the period as it stands (a correction shows through its
// original, a void removes it), its outlet, findings and photos; distinct outlets equal row 21's
// realisation; one kind; a supervisor of another kecamatan sees none of them.
TEST_F(QueryServiceTest, AuditsListTheRecordsBehindRow21) {
  std::vector<v1::ReferenceEntity> more(2);
  more[0].mutable_kecamatan()->set_code("alalak");
  more[0].mutable_kecamatan()->set_name("Alalak");
  auto* kios = more[1].mutable_outlet();
  kios->set_code("kios_alalak");
  kios->set_name("Kios Tani Alalak");
  kios->set_kind(v1::OUTLET_KIND_PUPUK_KIOS);
  kios->set_kecamatan_code("alalak");
  ASSERT_THAT(reference_->Put(more, {}), IsOk());
  const auto first = Audit(1, "pkl_1", Wita(2026, 11, 2, 10, 0));
  const auto second = Audit(2, "pkl_1", Wita(2026, 11, 9, 10, 0));
  auto third = Audit(3, "kios_alalak", Wita(2026, 11, 10, 10, 0));
  third.mutable_outlet_audit()->set_outlet_kind(v1::OUTLET_KIND_PUPUK_KIOS);
  third.mutable_outlet_audit()->clear_findings();
  const auto october = Audit(4, "pkl_1", Wita(2026, 10, 31, 23, 59));  // the day before the period
  Push({first, second, third, october});
  v1::ListAuditsRequest request;
  request.set_from("2026-11-01");
  request.set_to("2026-11-30");
  auto got = queries_->Audits(request);
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->rows_size(), 3) << got->DebugString();
  EXPECT_EQ(got->rows(0).record_id(), first.id());
  EXPECT_EQ(got->rows(0).day(), "2026-11-02");
  EXPECT_EQ(got->rows(0).outlet_name(), "Pangkalan 1");
  EXPECT_EQ(got->rows(0).outlet_kind(), "lpg_pangkalan");
  EXPECT_EQ(got->rows(0).kecamatan_code(), "marabahan");
  EXPECT_EQ(got->rows(0).inspector(), "siti");
  EXPECT_THAT(got->rows(0).findings(), ::testing::ElementsAre("harga_di_atas_het"));
  EXPECT_EQ(got->rows(2).outlet_code(), "kios_alalak");
  EXPECT_EQ(got->rows(2).outlet_kind(), "pupuk_kios");
  EXPECT_EQ(got->rows(2).findings_size(), 0);
  EXPECT_EQ(got->audits(), 3);
  EXPECT_EQ(got->outlets(), 2);
  EXPECT_EQ(got->with_findings(), 2);
  EXPECT_EQ(StrCat(got->outlets()), Realisasi("2026-11", 21));

  // The second audit is voided and the first corrected to no finding: gone, and clean.
  v1::Record void_audit = PriceRecord(TestUlid(3, 8), 0, Wita(2026, 11, 20, 9, 0));
  void_audit.mutable_void_()->set_target_id(second.id());
  void_audit.mutable_void_()->set_reason("audit ganda");
  v1::Record correction = PriceRecord(TestUlid(2, 8), 0, Wita(2026, 11, 2, 10, 0));
  correction.mutable_correction()->set_target_id(first.id());
  correction.mutable_correction()->set_reason("salah centang");
  *correction.mutable_correction()->mutable_outlet_audit() = third.outlet_audit();
  correction.mutable_correction()->mutable_outlet_audit()->set_outlet_code("pkl_1");
  correction.mutable_correction()->mutable_outlet_audit()->set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
  Push({void_audit, correction});
  got = queries_->Audits(request);
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->rows_size(), 2);
  EXPECT_EQ(got->rows(0).record_id(), first.id());
  EXPECT_EQ(got->rows(0).findings_size(), 0);
  EXPECT_EQ(got->with_findings(), 0);
  EXPECT_EQ(StrCat(got->outlets()), Realisasi("2026-11", 21));

  request.set_outlet_kind("pupuk_kios");
  got = queries_->Audits(request);
  ASSERT_EQ(got->rows_size(), 1);
  EXPECT_EQ(got->rows(0).outlet_code(), "kios_alalak");
  request.clear_outlet_kind();
  v1::AccountScope marabahan;
  marabahan.add_kecamatan_codes("marabahan");
  auto scoped = queries_->Audits(request, Principal("camat", v1::ROLE_SUPERVISOR, marabahan));
  ASSERT_THAT(scoped, IsOk());
  ASSERT_EQ(scoped->rows_size(), 1);
  EXPECT_EQ(scoped->rows(0).outlet_code(), "pkl_1");
  request.set_outlet_kind("spbu");
  EXPECT_THAT(queries_->Audits(request), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryServiceTest, UttpVerificationsShowTheComputedVerdictAndDiscrepancies) {
  auto agreed = SahTeraUlang(TestUlid(7, 1), "UTTP-1", Wita(2026, 3, 2, 9, 0));
  auto disputed = SahTeraUlang(TestUlid(7, 2), "UTTP-2", Wita(2026, 3, 3, 9, 0));
  disputed.mutable_uttp_verification()->mutable_weighing_points(0)->set_indication_mg(1003000);  // 3 g > 2.5 g
  disputed.mutable_uttp_verification()->set_certificate_number("SKHP-2");
  Push({agreed, disputed});
  v1::ListUttpVerificationsRequest request;
  request.set_from("2026-01-01");
  request.set_to("2026-12-31");
  auto got = queries_->UttpVerifications(request);
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->rows_size(), 2);
  EXPECT_EQ(got->rows(0).instrument_id(), "UTTP-1");
  EXPECT_EQ(got->rows(0).computed_verdict(), "sah");
  EXPECT_FALSE(got->rows(0).discrepancy());
  const auto& row = got->rows(1);
  EXPECT_EQ(row.day(), "2026-03-03");
  EXPECT_EQ(row.kind(), "tera_ulang");
  EXPECT_EQ(row.computed_verdict(), "batal");
  EXPECT_EQ(row.claimed_verdict(), "sah");
  EXPECT_TRUE(row.discrepancy());
  EXPECT_EQ(std::vector<std::string>(row.reasons().begin(), row.reasons().end()),
            std::vector<std::string>{"point 1 (load 1 kg): error 3 g exceeds the MPE of 2.5 g"});
  EXPECT_EQ(row.certificate_number(), "SKHP-2");
  EXPECT_EQ(got->sah(), 1);
  EXPECT_EQ(got->batal(), 1);
  EXPECT_EQ(got->discrepancies(), 1);
  request.set_discrepancies_only(true);
  EXPECT_EQ(queries_->UttpVerifications(request)->rows_size(), 1);

  // Corrected (the indication was 1 001 g after all): sah, no discrepancy; the due list follows.
  v1::Record correction = PriceRecord(TestUlid(2, 7), 0, Wita(2026, 3, 3, 9, 0));
  correction.mutable_correction()->set_target_id(disputed.id());
  correction.mutable_correction()->set_reason("salah baca");
  *correction.mutable_correction()->mutable_uttp_verification() = disputed.uttp_verification();
  correction.mutable_correction()->mutable_uttp_verification()->mutable_weighing_points(0)->set_indication_mg(1001000);
  Push({correction});
  got = queries_->UttpVerifications(request);
  EXPECT_EQ(got->rows_size(), 0);
  EXPECT_EQ(got->discrepancies(), 0);
  EXPECT_EQ(got->sah(), 2);
  v1::ListUttpDueRequest due;
  due.set_as_of("2026-11-28");
  due.set_include_valid(true);
  auto list = queries_->UttpDue(due);
  ASSERT_EQ(list->rows_size(), 2);
  EXPECT_EQ(list->rows(1).instrument_id(), "UTTP-2");
  EXPECT_EQ(list->rows(1).last_sah_day(), "2026-03-03");
  EXPECT_EQ(list->rows(1).next_due(), "2027-03-03");
}

}  // namespace
}  // namespace pantau::service

namespace pantau::service {
namespace {

// A second kecamatan with its own market, outlet and instrument, and IKK rows of two bidang.
class ScopedQueryTest : public QueryServiceTest {
 protected:
  void SetUp() override {
    QueryServiceTest::SetUp();
    std::vector<v1::ReferenceEntity> more(5);
    more[0].mutable_kecamatan()->set_code("alalak");
    more[0].mutable_kecamatan()->set_name("Alalak");
    auto* m = more[1].mutable_market();
    m->set_code("pasar_alalak");
    m->set_name("Pasar Alalak");
    m->set_kecamatan_code("alalak");
    auto* o = more[2].mutable_outlet();
    o->set_code("pkl_2");
    o->set_name("Pangkalan 2");
    o->set_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
    o->set_kecamatan_code("alalak");
    auto* koperasi = more[3].mutable_indicator();
    koperasi->set_number(1);
    koperasi->set_name("indikator 1");
    koperasi->set_computation(v1::INDICATOR_COMPUTATION_MANUAL);
    koperasi->set_bidang("Bidang Koperasi dan Usaha Mikro");
    auto* perdagangan = more[4].mutable_indicator();
    perdagangan->set_number(20);
    perdagangan->set_name("indikator 20");
    perdagangan->set_computation(v1::INDICATOR_COMPUTATION_BAHAN_POKOK_MONITORED);
    perdagangan->set_bidang("Bidang Perdagangan");
    ASSERT_THAT(reference_->Put(more, {}), IsOk());
  }

  static Principal Limited(std::vector<std::string> kecamatan, std::vector<std::string> bidang = {}) {
    v1::AccountScope scope;
    for (auto& k : kecamatan) scope.add_kecamatan_codes(k);
    for (auto& b : bidang) scope.add_bidang(b);
    return Principal("camat_view", v1::ROLE_SUPERVISOR, scope);
  }
};

v1::Record InMarket(v1::Record r, const std::string& market) {
  r.mutable_price_sample()->set_market_code(market);
  return r;
}

TEST_F(ScopedQueryTest, AKecamatanLimitedSupervisorSeesOnlyItsMarketsOutletsAndRecords) {
  const auto marabahan_audit = Audit(1, "pkl_1", Wita(2026, 11, 2, 10, 0));
  const auto alalak_audit = Audit(2, "pkl_2", Wita(2026, 11, 3, 10, 0));
  Push({PriceRecord(TestUlid(1, 1), 13100, Wita(2026, 11, 3, 9, 0)),
        InMarket(PriceRecord(TestUlid(1, 2), 13500, Wita(2026, 11, 3, 9, 5)), "pasar_alalak"), marabahan_audit,
        alalak_audit});
  v1::Record void_alalak = PriceRecord(TestUlid(3, 1), 0, Wita(2026, 11, 4, 9, 0));
  void_alalak.mutable_void_()->set_target_id(TestUlid(1, 2));
  void_alalak.mutable_void_()->set_reason("salah pasar");
  v1::Record void_marabahan = PriceRecord(TestUlid(3, 2), 0, Wita(2026, 11, 4, 9, 1));
  void_marabahan.mutable_void_()->set_target_id(TestUlid(1, 1));
  void_marabahan.mutable_void_()->set_reason("salah harga");
  Push({void_alalak, void_marabahan});
  const Principal alalak = Limited({"alalak"});

  // Prices: only the market in scope; naming another market is refused.
  v1::GetPriceStatisticsRequest prices;
  prices.set_commodity_code("beras_medium");
  prices.set_from("2026-11-01");
  prices.set_to("2026-11-30");
  auto everyone = queries_->PriceStatistics(prices);
  ASSERT_THAT(everyone, IsOk());
  EXPECT_EQ(everyone->points_size(), 0);  // both samples were voided
  auto seen = queries_->PriceStatistics(prices, alalak);
  ASSERT_THAT(seen, IsOk());
  for (const auto& p : seen->points()) EXPECT_EQ(p.market_code(), "pasar_alalak");
  prices.set_market_code("pasar_marabahan");
  auto refused = queries_->PriceStatistics(prices, alalak);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_NE(refused.status().message().find("market pasar_marabahan is outside"), std::string::npos);

  // Violations: only pkl_2's case, and the totals count only it.
  v1::ListViolationsRequest violations;
  violations.set_from("2026-11-01");
  violations.set_to("2026-11-30");
  violations.set_as_of("2026-11-28");
  auto all_cases = queries_->Violations(violations);
  ASSERT_THAT(all_cases, IsOk());
  EXPECT_EQ(all_cases->rows_size(), 2);
  auto cases = queries_->Violations(violations, alalak);
  ASSERT_THAT(cases, IsOk());
  ASSERT_EQ(cases->rows_size(), 1);
  EXPECT_EQ(cases->rows(0).outlet_code(), "pkl_2");
  EXPECT_EQ(cases->open() + cases->overdue() + cases->closed(), 1);

  // Coverage: only pasar_alalak, totals over it alone.
  v1::GetCoverageRequest coverage;
  coverage.set_from("2026-11-01");
  coverage.set_to("2026-11-30");
  auto covered = queries_->Coverage(coverage, alalak);
  ASSERT_THAT(covered, IsOk());
  ASSERT_EQ(covered->markets_size(), 1);
  EXPECT_EQ(covered->markets(0).market_code(), "pasar_alalak");
  EXPECT_EQ(covered->scheduled(), covered->markets(0).scheduled());

  // The IKK table: the rows from field records count what is in scope only; the manual rows are the
  // kabupaten's, marked "di luar cakupan" without a realisasi.
  auto whole = queries_->IndicatorTable("2026");
  auto scoped = queries_->IndicatorTable("2026", alalak);
  ASSERT_THAT(scoped, IsOk());
  ASSERT_EQ(scoped->rows_size(), whole->rows_size());
  EXPECT_EQ(Row(*whole, 21).realisasi().text(), "2");
  EXPECT_EQ(Row(*scoped, 21).realisasi().text(), "1");  // pkl_2, in Alalak
  EXPECT_EQ(Row(*scoped, 21).breakdown().count("kecamatan:marabahan"), 0u);
  EXPECT_EQ(Row(*scoped, 21).source(), "otomatis");
  EXPECT_EQ(Row(*scoped, 1).source(), "di luar cakupan");
  EXPECT_FALSE(Row(*scoped, 1).has_realisasi());
  EXPECT_FALSE(Row(*scoped, 1).has_capaian());
  // Stability covers the whole kabupaten: refused; of one market in scope it is answered.
  v1::GetPriceStabilityRequest stability;
  stability.set_from("2026-01-01");
  stability.set_to("2026-12-31");
  EXPECT_THAT(queries_->PriceStability(stability, alalak), StatusIs(absl::StatusCode::kPermissionDenied));
  stability.set_market_code("pasar_alalak");
  EXPECT_THAT(queries_->PriceStability(stability, alalak), IsOk());

  // The export: the alalak price, its void and audit; nothing of marabahan.
  v1::ExportRecordsRequest exported;
  exported.set_from("2026-11-01");
  exported.set_to("2026-11-30");
  ASSERT_THAT(queries_->CheckExport(exported, alalak), IsOk());
  QueryService::ExportCursor cursor;
  std::set<std::string> ids;
  while (true) {
    v1::ExportRecordsResponse chunk;
    auto done = queries_->ExportChunk(exported, cursor, 2, &chunk, alalak);
    ASSERT_THAT(done, IsOk());
    for (const auto& r : chunk.records()) ids.insert(r.record().id());
    if (*done) break;
  }
  EXPECT_EQ(ids, (std::set<std::string>{TestUlid(1, 2), TestUlid(3, 1), alalak_audit.id()}));
}

TEST_F(ScopedQueryTest, ABidangLimitedSupervisorSeesOnlyThoseIkkRowsAndNoFieldRecordsOutsidePerdagangan) {
  auto koperasi = queries_->IndicatorTable("2026", Limited({}, {"koperasi"}));
  ASSERT_THAT(koperasi, IsOk());
  ASSERT_EQ(koperasi->rows_size(), 1);
  EXPECT_EQ(koperasi->rows(0).indicator().number(), 1);
  auto perdagangan = queries_->IndicatorTable("2026", Limited({}, {"perdagangan"}));
  ASSERT_THAT(perdagangan, IsOk());
  ASSERT_EQ(perdagangan->rows_size(), 1);
  EXPECT_EQ(perdagangan->rows(0).indicator().number(), 20);
  v1::ListViolationsRequest violations;
  violations.set_from("2026-11-01");
  violations.set_to("2026-11-30");
  auto refused = queries_->Violations(violations, Limited({}, {"koperasi"}));
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_NE(refused.status().message().find("Bidang Perdagangan"), std::string::npos) << refused.status();
  EXPECT_THAT(queries_->Violations(violations, Limited({}, {"perdagangan"})), IsOk());
}

}  // namespace
}  // namespace pantau::service

namespace pantau::service {
namespace {

// Price early warning from the stored samples: a HET run and a jump at Pasar Marabahan, each at the
// market and across the kabupaten; a void changes the alerts it caused; rebuilding the roll-ups
// from the records gives the same alerts; the Tuesday checks missed, addressed to the inspector
// assigned, today's not yet; ALPS on 36 months (the hand-solved series of
// AlpsTest.AHandSolvedRegressionGivesTheTrendSeasonsAndBands), and a short history said as such.
TEST_F(QueryServiceTest, AlertsFromTheStoredSamplesFollowVoidsAndRebuilds) {
  ASSERT_THAT(reference_->Put({pantau::testing::BerasMediumHet()}, {}), IsOk());  // Rp 13.100
  // Calm: 12.000 / 12.100 from 2 to 8 November; 10 November 13.300 (+10,83 % on the 8th's 12.000,
  // above the HET); 11 November 13.250 (above); 12 November 13.000 (below: the run ends).
  Push(pantau::testing::CalmThenAboveHetNovember2026());
  v1::ListAlertsRequest request;
  request.set_from("2026-11-01");
  request.set_to("2026-11-30");
  request.add_kinds("het");
  request.add_kinds("lonjakan");
  auto got = queries_->Alerts(request);
  ASSERT_THAT(got, IsOk());
  // Each rule twice: Pasar Marabahan, and the kabupaten (market ""), whose only samples they are.
  EXPECT_EQ(got->by_kind().at("het"), 2);
  EXPECT_EQ(got->by_kind().at("lonjakan"), 2);
  ASSERT_EQ(got->alerts_size(), 4) << got->DebugString();
  const v1::PriceAlert* het = nullptr;
  const v1::PriceAlert* jump = nullptr;
  for (const auto& a : got->alerts()) {
    if (a.market_code() != "pasar_marabahan") continue;
    (a.kind() == "het" ? het : jump) = &a;
  }
  ASSERT_NE(het, nullptr);
  ASSERT_NE(jump, nullptr);
  EXPECT_EQ(het->day(), "2026-11-11");
  EXPECT_EQ(het->run_first_day(), "2026-11-10");
  EXPECT_EQ(het->run_days(), 2);
  EXPECT_EQ(het->reference_rupiah(), 13100);
  EXPECT_EQ(het->reference_kind(), "HET");
  EXPECT_EQ(het->above_percent().text(), "1.15");  // 150 / 13.100
  EXPECT_EQ(het->mean_rupiah().text(), "13250");
  EXPECT_EQ(het->level(), "waspada");
  // Messages are for people: dates in words, as the pages write them; the fields keep ISO dates.
  EXPECT_EQ(het->message(),
            "Rata-rata Rp 13.250 di atas HET Rp 13.100 (+1,15 %) selama 2 hari pengamatan berturut-turut sejak "
            "10 Nov 2026");
  EXPECT_EQ(jump->day(), "2026-11-10");
  EXPECT_EQ(jump->previous_day(), "2026-11-08");  // the 9th had no sample: never a change against 0
  EXPECT_EQ(jump->change_percent().text(), "10.83");
  EXPECT_EQ(jump->threshold_percent(), "10.00");  // the calm history's spread is under the floor
  EXPECT_NE(jump->message().find("Naik 10,83 % dari Rp 12.000 (8 Nov 2026) menjadi Rp 13.300"), std::string::npos)
      << jump->message();
  // A supervisor of Marabahan gets the market's alerts, not the kabupaten's.
  v1::AccountScope marabahan;
  marabahan.add_kecamatan_codes("marabahan");
  auto scoped = queries_->Alerts(request, Principal("camat", v1::ROLE_SUPERVISOR, marabahan));
  ASSERT_THAT(scoped, IsOk());
  EXPECT_EQ(scoped->alerts_size(), 2);

  // The roll-ups rebuilt from the records give the same alerts.
  ASSERT_THAT(storage_->records().RebuildRollups(), IsOk());
  auto rebuilt = queries_->Alerts(request);
  ASSERT_THAT(rebuilt, IsOk());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*rebuilt, *got)) << rebuilt->DebugString();

  // The 10th's sample is voided: the run is the 11th alone, and the jump is on the 11th (13.250
  // on the 8th's 12.000: +10,42 %).
  v1::Record void_sample = PriceRecord(TestUlid(3, 6), 0, Wita(2026, 11, 12, 10, 0));
  void_sample.mutable_void_()->set_target_id(TestUlid(9, 10));
  void_sample.mutable_void_()->set_reason("salah komoditas");
  Push({void_sample});
  request.set_market_code("pasar_marabahan");
  auto after = queries_->Alerts(request);
  ASSERT_THAT(after, IsOk());
  ASSERT_EQ(after->alerts_size(), 2) << after->DebugString();
  for (const auto& a : after->alerts()) {
    EXPECT_EQ(a.day(), "2026-11-11") << a.DebugString();
    if (a.kind() == "het") {
      EXPECT_EQ(a.run_days(), 1);
    } else {
      EXPECT_EQ(a.change_percent().text(), "10.42");
    }
  }

  // Missing observations: the Tuesdays of December up to Tuesday the 29th (today, not yet over).
  std::vector<v1::ReferenceEntity> kecamatan(1);
  kecamatan[0].mutable_kecamatan()->set_code("alalak");
  ASSERT_THAT(reference_->Put(kecamatan, {}), IsOk());
  v1::AccountScope alalak;
  alalak.add_kecamatan_codes("alalak");
  queries_->SetFieldDirectory([&]() -> absl::StatusOr<QueryService::FieldDirectory> {
    return QueryService::FieldDirectory{{{"ani", alalak}, {"siti", {}}}, {}};
  });
  clock_.Set(Wita(2026, 12, 29, 12, 0));
  Push({PriceAt(20, 12500, Wita(2026, 12, 8, 9, 0))});
  v1::ListAlertsRequest missing;
  missing.set_from("2026-12-01");
  missing.set_to("2026-12-31");
  missing.add_kinds("tidak_teramati");
  missing.set_commodity_code("beras_medium");
  missing.set_market_code("pasar_marabahan");
  auto absent = queries_->Alerts(missing);
  ASSERT_THAT(absent, IsOk());
  std::vector<std::string> days;
  for (const auto& a : absent->alerts()) {
    days.push_back(a.day());
    EXPECT_THAT(a.inspectors(), ::testing::ElementsAre("siti"));  // ani is assigned to Alalak
  }
  EXPECT_EQ(days, (std::vector<std::string>{"2026-12-01", "2026-12-15", "2026-12-22"}));
  ASSERT_FALSE(absent->alerts().empty());
  EXPECT_EQ(absent->alerts(0).message(), "Tidak ada sampel harga pada hari jadwal 1 Des 2026");

  // ALPS at Pasar Lain: 36 months, January 2024 to December 2026, one sample on the 15th.
  clock_.Set(Wita(2026, 12, 31, 12, 0));
  std::vector<v1::Record> months;
  for (int t = 0; t < 36; ++t) {
    const int year = 2024 + t / 12, month = t % 12 + 1;
    int64_t residual = 0;
    if (month == 1) residual = year == 2025 ? -60 : 30;
    v1::Record r = PriceRecord(TestUlid(12, static_cast<uint32_t>(t)), 10000 + 50 * t + 100 * month + residual,
                               Wita(year, month, 15, 9, 0));
    r.mutable_price_sample()->set_market_code("pasar_lain");
    months.push_back(std::move(r));
  }
  Push(months);
  v1::ListAlertsRequest alps;
  alps.set_from("2024-01-01");
  alps.set_to("2026-12-31");
  alps.add_kinds("alps");
  alps.set_market_code("pasar_lain");
  auto spikes = queries_->Alerts(alps);
  ASSERT_THAT(spikes, IsOk());
  ASSERT_EQ(spikes->alerts_size(), 2) << spikes->DebugString();
  EXPECT_EQ(spikes->alerts(0).month(), "2024-01");
  EXPECT_EQ(spikes->alerts(0).value(), "2.42");
  EXPECT_EQ(spikes->alerts(0).band(), "crisis");
  EXPECT_EQ(spikes->alerts(0).level(), "siaga");
  EXPECT_EQ(spikes->alerts(1).month(), "2026-01");
  EXPECT_EQ(spikes->short_history_size(), 0);
  // Pasar Marabahan has two months of samples: no ALPS, said as a short history.
  alps.set_market_code("pasar_marabahan");
  auto short_history = queries_->Alerts(alps);
  ASSERT_THAT(short_history, IsOk());
  EXPECT_EQ(short_history->alerts_size(), 0);
  ASSERT_EQ(short_history->short_history_size(), 1);
  EXPECT_EQ(short_history->short_history(0).months(), 2);

  v1::ListAlertsRequest bad;
  bad.set_from("2026-11-01");
  bad.set_to("2026-11-30");
  bad.add_kinds("banjir");
  EXPECT_THAT(queries_->Alerts(bad), StatusIs(absl::StatusCode::kInvalidArgument));
  bad.clear_kinds();
  bad.set_market_code("kabupaten");
  EXPECT_THAT(queries_->Alerts(bad, Principal("camat", v1::ROLE_SUPERVISOR, marabahan)),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

}  // namespace
}  // namespace pantau::service
