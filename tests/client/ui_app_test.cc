// The inspector's app as a function (client/ui/app.h), without sockets: its defences (Host,
// session, Origin, CSRF), and a price saved through it the CLI's way — checked, fsynced, and in
// the outbox — with the same refusals. The real-browser run is tests/ui/inspector_app_test.py.
#include "client/ui/app.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "client/laptop_store.h"
#include "common/dates.h"
#include "common/reference_csv.h"
#include "tests/testing/test_support.h"

namespace pantau::client::ui {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::TempDir;
using nlohmann::json;

class NoSleep final : public Sleeper {
 public:
  void Sleep(absl::Duration) override {}
};

class UiAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      auto store = LaptopStore::Open(dir_.Sub("home"));
      ASSERT_THAT(store, IsOk());
      std::vector<v1::ReferenceChange> changes;
      uint64_t seq = 0;
      std::vector<v1::ReferenceEntity> entities = pantau::testing::TestReferenceData();
      // The bundled checklists, follow-up ladders and UTTP registry (deploy/reference), for the
      // Audit and UTTP screens.
      for (const char* file : {"checklists.csv", "follow_up_actions.csv", "uttp_types.csv", "uttp_instruments.csv"}) {
        std::ifstream in(std::string(PANTAU_SOURCE_DIR) + "/deploy/reference/" + file);
        std::stringstream text;
        text << in.rdbuf();
        auto parsed = common::ParseReferenceCsv(file, text.str());
        ASSERT_THAT(parsed, IsOk());
        entities.insert(entities.end(), parsed->entities.begin(), parsed->entities.end());
      }
      for (const auto& e : entities) {
        auto& c = changes.emplace_back();
        c.set_sequence(++seq);
        *c.mutable_entity() = e;
      }
      ASSERT_THAT((*store)->ApplyReferenceChanges(changes, absl::Now()), IsOk());
      auto settings = (*store)->Settings();
      ASSERT_THAT(settings, IsOk());
      settings->account = "siti";
      settings->device_id = "laptop-siti";
      ASSERT_THAT((*store)->SaveSettings(*settings), IsOk());
    }
    Reopen();
  }

  // The app on the laptop's home again (after a test changed the outbox behind it).
  void Reopen() {
    auto app = App::Open(dir_.Sub("home"), kSecret, sleeper_);
    ASSERT_THAT(app, IsOk());
    app_ = *std::move(app);
    app_->set_port(4242);
  }

  Request Get(const std::string& target) {
    Request r;
    r.method = "GET";
    r.target = target;
    r.host = "127.0.0.1:4242";
    r.cookie = cookie_;
    return r;
  }

  Request Post(const std::string& target, const json& body) {
    Request r = Get(target);
    r.method = "POST";
    r.origin = "http://127.0.0.1:4242";
    r.csrf = csrf_;
    r.body = body.dump();
    return r;
  }

  void SignIn() {
    Response in = app_->Handle(Get("/masuk?kunci=" + std::string(kSecret)));
    ASSERT_EQ(in.status, 303);
    for (const auto& [name, value] : in.headers) {
      if (name == "Set-Cookie") cookie_ = value.substr(0, value.find(';'));
    }
    ASSERT_FALSE(cookie_.empty());
    Response session = app_->Handle(Get("/api/v1/session"));
    ASSERT_EQ(session.status, 200) << session.body;
    csrf_ = json::parse(session.body)["csrf"];
  }

  uint64_t Pending() {
    Response state = app_->Handle(Get("/api/v1/state"));
    EXPECT_EQ(state.status, 200) << state.body;
    return json::parse(state.body)["pending"].get<uint64_t>();
  }

  static constexpr char kSecret[] = "0123456789abcdef0123456789abcdef0123456789abcdef";
  TempDir dir_;
  NoSleep sleeper_;
  std::unique_ptr<App> app_;
  std::string cookie_, csrf_;
};

TEST_F(UiAppTest, EveryRequestNeedsThisHostASessionAndEveryChangeItsOriginAndToken) {
  EXPECT_EQ(app_->Handle(Get("/api/v1/state")).status, 401);                // no session
  EXPECT_EQ(app_->Handle(Get("/")).status, 401);
  EXPECT_EQ(app_->Handle(Get("/masuk?kunci=wrong")).status, 403);          // a wrong secret
  EXPECT_EQ(app_->Handle(Get("/masuk?kunci=")).status, 403);
  SignIn();
  Response state = app_->Handle(Get("/api/v1/state"));
  EXPECT_EQ(state.status, 200);
  bool csp = false, cors = false;
  for (const auto& [name, value] : state.headers) {
    csp = csp || (name == "Content-Security-Policy" && value.find("script-src 'self'") != std::string::npos &&
                  value.find("frame-ancestors 'none'") != std::string::npos);
    cors = cors || name.rfind("Access-Control-", 0) == 0;
  }
  EXPECT_TRUE(csp);
  EXPECT_FALSE(cors);
  Request rebound = Get("/api/v1/state");
  rebound.host = "attacker.example:4242";  // DNS rebinding: another name for 127.0.0.1
  EXPECT_EQ(app_->Handle(rebound).status, 403);
  Request other_port = Get("/api/v1/state");
  other_port.host = "127.0.0.1:80";
  EXPECT_EQ(app_->Handle(other_port).status, 403);

  const json price = {{"market", "pasar_marabahan"}, {"commodity", "beras_medium"}, {"trader", "Bu Ani"},
                      {"price", "13100"}};
  Request foreign = Post("/api/v1/prices", price);
  foreign.origin = "http://evil.example";
  EXPECT_EQ(app_->Handle(foreign).status, 403);
  Request no_origin = Post("/api/v1/prices", price);
  no_origin.origin = "";
  EXPECT_EQ(app_->Handle(no_origin).status, 403);
  Request no_token = Post("/api/v1/prices", price);
  no_token.csrf = "";
  EXPECT_EQ(app_->Handle(no_token).status, 403);
  Request stale = Post("/api/v1/prices", price);
  stale.csrf = std::string(64, '0');
  EXPECT_EQ(app_->Handle(stale).status, 403);
  EXPECT_EQ(Pending(), 0u);  // nothing refused was saved
  EXPECT_EQ(app_->Handle(Post("/api/v1/prices", price)).status, 200);
  EXPECT_EQ(Pending(), 1u);
}

// Beranda lists the scheduled price checks the last pull said this inspector missed, kept by the
// laptop's store across a restart.
TEST_F(UiAppTest, BerandaListsTheScheduledChecksTheLastPullSaidWereMissed) {
  app_.reset();
  {
    auto store = LaptopStore::Open(dir_.Sub("home"));
    ASSERT_THAT(store, IsOk());
    v1::PriceAlert missed;
    missed.set_kind("tidak_teramati");
    missed.set_day("2026-11-24");
    missed.set_commodity_code("beras_medium");
    missed.set_commodity_name("Beras Medium");
    missed.set_market_code("pasar_marabahan");
    missed.set_market_name("Pasar Marabahan");
    missed.add_inspectors("siti");
    ASSERT_THAT((*store)->SaveMissingObservations({{missed, missed}, 2}), IsOk());
    // The latest list replaces the one before; the server sent 1 of 130.
    ASSERT_THAT((*store)->SaveMissingObservations({{missed}, 130}), IsOk());
  }
  Reopen();
  SignIn();
  Response state = app_->Handle(Get("/api/v1/state"));
  ASSERT_EQ(state.status, 200) << state.body;
  const json checks = json::parse(state.body)["missed_checks"];
  ASSERT_EQ(checks.size(), 1u) << state.body;
  EXPECT_EQ(checks[0]["day"], "2026-11-24");
  EXPECT_EQ(checks[0]["commodity_name"], "Beras Medium");
  EXPECT_EQ(checks[0]["market"], "pasar_marabahan");
  EXPECT_EQ(checks[0]["market_name"], "Pasar Marabahan");
  EXPECT_EQ(json::parse(state.body)["missed_checks_total"], 130);
}

TEST_F(UiAppTest, APriceIsSavedTheCliWayWithTheSameRefusals) {
  SignIn();
  auto save = [&](const std::string& price, const std::string& reason = "") {
    Response r = app_->Handle(Post("/api/v1/prices", {{"market", "pasar_marabahan"},
                                                      {"commodity", "beras_medium"},
                                                      {"trader", "Bu Ani"},
                                                      {"price", price},
                                                      {"confirm_reason", reason}}));
    return std::make_pair(r.status, json::parse(r.body));
  };
  auto [status, saved] = save("Rp 13.100");
  ASSERT_EQ(status, 200) << saved;
  EXPECT_EQ(saved["price_rupiah"], 13100);
  EXPECT_EQ(saved["text"], "Rp 13.100");
  auto [pack_status, pack] = save("65.000 / 5kg");
  ASSERT_EQ(pack_status, 200) << pack;
  EXPECT_EQ(pack["price_rupiah"], 13000);
  EXPECT_EQ(pack["pack_price_rupiah"], 65000);

  auto [slip_status, slip] = save("13100");  // Bu Ani's Rp 13.100 again, seconds later
  EXPECT_EQ(slip_status, 422);
  EXPECT_EQ(slip["needs_reason"], true);
  // Every message in the page's language: Bahasa Indonesia unless the page asks for English.
  EXPECT_NE(slip.dump().find("harga yang sama dari pedagang yang sama tersimpan"), std::string::npos) << slip;

  auto [typo_status, typo] = save("13.1OO");
  EXPECT_EQ(typo_status, 422);
  EXPECT_EQ(typo["errors"][0]["field"], "price");
  EXPECT_NE(typo["errors"][0]["reason"].get<std::string>().find("\"13.1OO\" bukan harga"), std::string::npos) << typo;
  Request in_english = Post("/api/v1/prices", {{"market", "pasar_marabahan"}, {"commodity", "beras_medium"},
                                               {"trader", "Bu Ani"}, {"price", "13.1OO"}});
  in_english.language = "en";
  const json typo_en = json::parse(app_->Handle(in_english).body);
  EXPECT_EQ(typo_en["errors"][0]["reason"], "\"13.1OO\" is not a price: write whole Rupiah, e.g. 13100, 13.100 or Rp 13.100");

  auto [outlier_status, outlier] = save("131.000");  // above the plausible Rp 25.000
  EXPECT_EQ(outlier_status, 422);
  EXPECT_EQ(outlier["needs_reason"], true);
  EXPECT_EQ(outlier["errors"][0]["field"], "price_sample.price_rupiah");
  auto [confirmed_status, confirmed] = save("131.000", "harga grosir 10 kg");
  EXPECT_EQ(confirmed_status, 200) << confirmed;

  auto [bad_pack_status, bad_pack] = save("65.000/5 karung");
  EXPECT_EQ(bad_pack_status, 422);
  EXPECT_EQ(bad_pack["needs_reason"], false);
  EXPECT_NE(bad_pack.dump().find("bukan satuan yang dikenal Pantau; satuan yang diterima: kg"), std::string::npos) << bad_pack;
  EXPECT_EQ(Pending(), 3u);

  // The sheet shows what was saved today for the trader, and knows the trader.
  Response sheet = app_->Handle(Get("/api/v1/sheet?market=pasar_marabahan"));
  ASSERT_EQ(sheet.status, 200) << sheet.body;
  const json s = json::parse(sheet.body);
  EXPECT_EQ(s["traders"], json::array({"Bu Ani"}));
  bool found = false;
  for (const auto& row : s["rows"]) {
    if (row["code"] == "beras_medium") {
      found = true;
      EXPECT_EQ(row["cells"]["Bu Ani"]["state"], "pending");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(app_->Handle(Get("/api/v1/sheet?market=pasar_atlantis")).status, 404);
  // "Kirim ulang" only for a refused record (tests/ui/inspector_app_test.py sends one for real).
  EXPECT_EQ(app_->Handle(Post("/api/v1/requeue", {{"id", saved["id"]}})).status, 409);  // pending, not refused
  EXPECT_EQ(app_->Handle(Post("/api/v1/requeue", {{"id", "01NOSUCHRECORD0000000000000"}})).status, 404);
  EXPECT_EQ(app_->Handle(Post("/api/v1/requeue", {{"record", "x"}})).status, 400);

  // Impor: the CLI's import, from the page.
  const std::string when = absl::FormatTime("%Y-%m-%d %H:%M", absl::Now() - absl::Hours(1), absl::FixedTimeZone(8 * 3600));
  Response imported = app_->Handle(Post("/api/v1/import", {{"csv", "market;commodity;trader;price_rupiah;observed_at\n"
                                                                   "pasar_marabahan;beras_medium;Pak Eko;13.300;" + when + "\n"
                                                                   "pasar_x;beras_medium;Pak Eko;13.300;" + when + "\n"}}));
  ASSERT_EQ(imported.status, 200) << imported.body;
  const json result = json::parse(imported.body);
  EXPECT_EQ(result["rows"], 2);
  EXPECT_EQ(result["added"], 1);
  EXPECT_EQ(result["already"], 0);
  ASSERT_EQ(result["problems"].size(), 1u);
  EXPECT_EQ(result["problems"][0], "baris 3: price_sample.market_code: pasar \"pasar_x\" tidak dikenal; maksudnya pasar_marabahan?");
  EXPECT_EQ(Pending(), 4u);
  EXPECT_EQ(app_->Handle(Post("/api/v1/import", {{"csv", "harga,pasar\n1,2\n"}})).status, 422);
  EXPECT_EQ(app_->Handle(Get("/api/v1/sheet?market=pasar_marabahan&day=2026-02-30")).status, 400);
}

TEST_F(UiAppTest, ARefusedPriceIsFixedByANewRecordOrDroppedAndTheCountClears) {
  // Two records the server refused (the answer applied to the outbox as a sync would).
  std::vector<v1::Record> refused;
  app_.reset();
  {
    auto store = LaptopStore::Open(dir_.Sub("home"));
    ASSERT_THAT(store, IsOk());
    for (int i = 0; i < 2; ++i) {
      v1::Record& r = refused.emplace_back();
      r.set_id(i == 0 ? "01JD00000000000000000000A1" : "01JD00000000000000000000A2");
      r.set_device_id("laptop-siti");
      *r.mutable_observed_at() = common::ToTimestamp(absl::Now() - absl::Hours(26));
      *r.mutable_created_at() = r.observed_at();
      auto* p = r.mutable_price_sample();
      p->set_market_code("pasar_marabahan");
      p->set_commodity_code("beras_medium");
      p->set_trader("Bu Ani");
      p->set_price_rupiah(131000);
      p->set_unit("kg");
      ASSERT_THAT((*store)->Add(r, absl::Now()), IsOk());
    }
    v1::PushResponse answer;
    for (const auto& r : refused) {
      auto* result = answer.add_results();
      result->set_record_id(r.id());
      result->set_outcome(v1::PUSH_OUTCOME_INVALID);
      auto* e = result->add_errors();
      e->set_field("price_sample.price_rupiah");
      e->set_reason("Rp 131.000 is outside the plausible range");
    }
    ASSERT_THAT((*store)->ApplyResults(refused, answer, absl::Now()), IsOk());
  }
  Reopen();
  SignIn();

  json state = json::parse(app_->Handle(Get("/api/v1/state")).body);
  ASSERT_EQ(state["needs_attention"], 2);
  ASSERT_EQ(state["attention"].size(), 2u);
  const json& first = state["attention"][0];
  EXPECT_EQ(first["kind"], "price_sample");
  EXPECT_EQ(first["price"]["market_name"], "Pasar Marabahan");
  EXPECT_EQ(first["price"]["price"], 131000);
  EXPECT_EQ(first["price"]["trader"], "Bu Ani");

  // "Perbaiki": the price retyped, saved as a new record in place of the refused one.
  auto fix = [&](const std::string& id, const std::string& price) {
    return app_->Handle(Post("/api/v1/prices", {{"market", "pasar_marabahan"},
                                                {"commodity", "beras_medium"},
                                                {"trader", "Bu Ani"},
                                                {"price", price},
                                                {"replaces", id}}));
  };
  Response still_wrong = fix(refused[0].id(), "131.000");  // the same outlier: refused again, nothing changes
  EXPECT_EQ(still_wrong.status, 422) << still_wrong.body;
  EXPECT_EQ(json::parse(app_->Handle(Get("/api/v1/state")).body)["needs_attention"], 2);
  Response fixed = fix(refused[0].id(), "13.100");
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  const std::string new_id = json::parse(fixed.body)["id"];
  EXPECT_NE(new_id, refused[0].id());
  EXPECT_EQ(fix(refused[0].id(), "13.200").status, 409);  // already fixed
  // "Batalkan": dropped with a reason; never without one.
  EXPECT_EQ(app_->Handle(Post("/api/v1/drop", {{"id", refused[1].id()}, {"reason", " "}})).status, 422);
  EXPECT_EQ(app_->Handle(Post("/api/v1/drop", {{"id", refused[1].id()}, {"reason", "tercatat dua kali"}})).status, 200);
  EXPECT_EQ(app_->Handle(Post("/api/v1/drop", {{"id", new_id}, {"reason", "x"}})).status, 409);  // pending, not refused

  state = json::parse(app_->Handle(Get("/api/v1/state")).body);
  EXPECT_EQ(state["needs_attention"], 0);
  EXPECT_EQ(state["pending"], 1);
  // The new record is observed when the refused one was, and the history says what became of both.
  Response history = app_->Handle(Get("/api/v1/records?day=" + common::FormatLocalDate(absl::ToCivilDay(
                                                                    absl::Now() - absl::Hours(26), absl::FixedTimeZone(8 * 3600)))));
  const json records = json::parse(history.body)["records"];
  std::map<std::string, std::string> states;
  for (const auto& r : records) states[r["id"]] = r["state"];
  EXPECT_EQ(states[refused[0].id()], "resolved");
  EXPECT_EQ(states[refused[1].id()], "resolved");
  EXPECT_EQ(states[new_id], "pending");
}

TEST_F(UiAppTest, AnAuditIsAFormWithLiveFindingsSavedOnlyWhenEveryItemIsAnsweredThenItsFollowUp) {
  SignIn();
  Response form = app_->Handle(Get("/api/v1/checklist?outlet=pkl_1"));
  ASSERT_EQ(form.status, 200) << form.body;
  const json checklist = json::parse(form.body);
  EXPECT_EQ(checklist["version"], "2026-1");
  EXPECT_EQ(checklist["outlet"]["kind"], "lpg_pangkalan");
  ASSERT_EQ(checklist["items"].size(), 13u);  // 14 items, the stock balance a rule
  EXPECT_EQ(checklist["items"][0]["code"], "papan_nama");
  EXPECT_EQ(checklist["items"][0]["type"], "yes_no");
  EXPECT_EQ(checklist["items"][12]["type"], "photo");
  ASSERT_FALSE(checklist["ladder"].empty());
  for (const auto& step : checklist["ladder"]) EXPECT_NE(step["code"], "rujukan_aph");  // a pupuk step
  EXPECT_EQ(app_->Handle(Get("/api/v1/checklist?outlet=pkl_x")).status, 404);

  // The findings as the answers are given, and what is left.
  json answers = {{"papan_nama", "tidak"}};
  Response check = app_->Handle(Post("/api/v1/audit/check", {{"outlet", "pkl_1"}, {"answers", answers}}));
  ASSERT_EQ(check.status, 200) << check.body;
  json checked = json::parse(check.body);
  ASSERT_EQ(checked["findings"].size(), 1u);
  EXPECT_EQ(checked["findings"][0]["code"], "papan_nama_tidak_ada");
  EXPECT_EQ(checked["missing"].size(), 12u);
  // Not saved with items left out.
  Response partial = app_->Handle(Post("/api/v1/audits", {{"outlet", "pkl_1"}, {"answers", answers}}));
  EXPECT_EQ(partial.status, 422);
  EXPECT_NE(partial.body.find("belum dijawab: jawab, atau tandai tidak dapat diperiksa dengan alasannya"), std::string::npos)
      << partial.body;
  EXPECT_EQ(Pending(), 0u);

  // An answer that cannot be read is named beside its item.
  answers.update({{"harga_jual", "sembilan belas ribu"}, {"timbangan_sah", "ya"}, {"berat_tabung_isi_g", "8000 g"},
                  {"pencatatan_map", "ya"}, {"pembeli_tidak_berhak", "tidak"}, {"stok_diterima", "60"},
                  {"stok_terjual", "50"}, {"stok_ada", "10"}, {"pengecer_dalam_batas", "ya"},
                  {"alat_keselamatan", "ya"}, {"segel_utuh", "ya"}});
  Response unread = app_->Handle(Post("/api/v1/audits", {{"outlet", "pkl_1"}, {"answers", answers}}));
  EXPECT_EQ(unread.status, 422);
  const json unread_body = json::parse(unread.body);
  ASSERT_FALSE(unread_body["errors"].empty());
  EXPECT_EQ(unread_body["errors"][0]["field"], "answers.harga_jual");
  answers["harga_jual"] = "Rp 18.000";

  // The photo: its bytes kept on the laptop by SHA-256, fsynced; an empty one refused.
  Request empty = Post("/api/v1/photos", {});
  empty.body.clear();
  EXPECT_EQ(app_->Handle(empty).status, 422);
  Request photo = Post("/api/v1/photos", {});
  photo.body = std::string("\xff\xd8\xff\xe0 papan nama", 15);
  Response kept = app_->Handle(photo);
  ASSERT_EQ(kept.status, 200) << kept.body;
  const std::string sha = json::parse(kept.body)["sha256"];
  EXPECT_TRUE(std::filesystem::exists(dir_.Sub("home") + "/photos/" + sha));
  // The weight could not be taken: marked, with the reason; no reason, no mark.
  answers.erase("berat_tabung_isi_g");
  answers["foto_papan"] = sha;
  Response no_reason = app_->Handle(
      Post("/api/v1/audits", {{"outlet", "pkl_1"}, {"answers", answers}, {"not_checked", {{"berat_tabung_isi_g", " "}}}}));
  EXPECT_EQ(no_reason.status, 422);
  Response saved = app_->Handle(Post("/api/v1/audits", {{"outlet", "pkl_1"},
                                                        {"answers", answers},
                                                        {"not_checked", {{"berat_tabung_isi_g", "timbangan rusak"}}}}));
  ASSERT_EQ(saved.status, 200) << saved.body;
  const json audit = json::parse(saved.body);
  EXPECT_EQ(audit["all_findings"], json::array({"papan_nama_tidak_ada"}));
  EXPECT_EQ(Pending(), 1u);

  // Its follow-up: the audit's finding and the pangkalan's ladder only.
  auto follow = [&](const std::string& finding, const std::string& action) {
    return app_->Handle(Post("/api/v1/followups", {{"audit", audit["id"]}, {"finding", finding}, {"action", action},
                                                   {"actor", "Bidang Perdagangan"}}));
  };
  Response other_ladder = follow("papan_nama_tidak_ada", "rujukan_aph");
  EXPECT_EQ(other_ladder.status, 422);
  EXPECT_NE(other_ladder.body.find("termasuk tahapan pupuk_kios"), std::string::npos) << other_ladder.body;
  Response other_finding = follow("harga_di_atas_het", "teguran_lisan");
  EXPECT_EQ(other_finding.status, 422);
  EXPECT_NE(other_finding.body.find("temuannya: papan_nama_tidak_ada"), std::string::npos) << other_finding.body;
  Response followed = follow("papan_nama_tidak_ada", checklist["ladder"][0]["code"]);
  ASSERT_EQ(followed.status, 200) << followed.body;
  EXPECT_EQ(Pending(), 2u);
}

TEST_F(UiAppTest, AUttpVerificationTakesTheRegistrysClassJudgesEachPointAndConfirmsABatal) {
  SignIn();
  Response instrument = app_->Handle(Get("/api/v1/instrument?id=UTTP-CONTOH-0001"));
  ASSERT_EQ(instrument.status, 200) << instrument.body;
  const json scale = json::parse(instrument.body);
  EXPECT_EQ(scale["category"], "nawi");
  EXPECT_EQ(scale["class"], "III");
  EXPECT_EQ(scale["max"], "30 kg");
  EXPECT_EQ(scale["e"], "5 g");
  EXPECT_EQ(app_->Handle(Get("/api/v1/instrument?id=UTTP-X")).status, 404);

  auto judge = [&](const std::string& path, const json& points, bool confirm = false) {
    Response r = app_->Handle(Post(path, {{"instrument", "UTTP-CONTOH-0001"},
                                          {"kind", "tera_ulang"},
                                          {"points", points},
                                          {"seals", json::array({"TS-26-001"})},
                                          {"confirm_batal", confirm}}));
    return std::make_pair(r.status, json::parse(r.body));
  };
  // The class, Max and e from the registry; 10 kg shown as 10 005 g: at the MPE, sah.
  auto [status, at_mpe] = judge("/api/v1/uttp/check", json::array({{{"load", "10 kg"}, {"indication", "10005 g"}}}));
  ASSERT_EQ(status, 200) << at_mpe;
  EXPECT_EQ(at_mpe["class"], "III");
  EXPECT_EQ(at_mpe["verdict"]["verdict"], "sah");
  EXPECT_EQ(at_mpe["verdict"]["points"][0]["error_mg"], 5000);
  EXPECT_EQ(at_mpe["verdict"]["points"][0]["mpe_mg"], 5000);
  EXPECT_EQ(at_mpe["verdict"]["points"][0]["pass"], true);
  // A mass without its unit is named at its cell.
  auto [unit_status, no_unit] = judge("/api/v1/uttp/check", json::array({{{"load", "10 kg"}, {"indication", "10006"}}}));
  EXPECT_EQ(no_unit["errors"][0]["field"], "points.1.indication");
  // One gram more: batal, shown, and saved only when confirmed.
  const json over = json::array({{{"load", "10 kg"}, {"indication", "10,006 kg"}}});
  auto [batal_status, batal] = judge("/api/v1/uttp", over);
  EXPECT_EQ(batal_status, 422);
  EXPECT_EQ(batal["needs_confirm"], true);
  EXPECT_EQ(batal["verdict"]["verdict"], "batal");
  EXPECT_EQ(batal["verdict"]["points"][0]["pass"], false);
  EXPECT_EQ(Pending(), 0u);
  auto [confirmed_status, confirmed] = judge("/api/v1/uttp", over, /*confirm=*/true);
  ASSERT_EQ(confirmed_status, 200) << confirmed;
  EXPECT_EQ(Pending(), 1u);

  // A scale whose registry entry has no class: an error, never a verdict.
  Response classless = app_->Handle(Post("/api/v1/uttp", {{"instrument", "UTTP-1"},
                                                          {"kind", "tera"},
                                                          {"points", json::array({{{"load", "1 kg"}, {"indication", "1 kg"}}})}}));
  EXPECT_EQ(classless.status, 422);
  EXPECT_NE(classless.body.find("wajib diisi untuk menilai UTTP-1"), std::string::npos) << classless.body;
  EXPECT_EQ(json::parse(classless.body)["verdict"], nullptr);

  // A fuel pump: runs in litres or mL.
  Response pump = app_->Handle(Post("/api/v1/uttp/check",
                                    {{"instrument", "UTTP-CONTOH-0003"},
                                     {"kind", "pengawasan"},
                                     {"runs", json::array({{{"flow", "max"}, {"actual", "20 L"}, {"indication", "20100 mL"}}})}}));
  ASSERT_EQ(pump.status, 200) << pump.body;
  const json runs = json::parse(pump.body)["verdict"]["runs"];
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["error_ml"], 100);
  EXPECT_EQ(runs[0]["pass"], true);
}

// "Perbaiki" of a refused audit or verification: the state gives its answers as the form takes
// them; saved with `replaces`, the new record takes the refused one's place in the same write.
TEST_F(UiAppTest, ARefusedAuditOrVerificationOpensItsFormFilledAndItsFixReplacesIt) {
  SignIn();
  Request photo = Post("/api/v1/photos", {});
  photo.body = std::string("\xff\xd8\xff\xe0 papan nama", 15);
  const std::string sha = json::parse(app_->Handle(photo).body)["sha256"];
  const json answers = {{"papan_nama", "tidak"},        {"harga_jual", "Rp 18.000"}, {"timbangan_sah", "ya"},
                        {"pencatatan_map", "ya"},       {"pembeli_tidak_berhak", "tidak"},
                        {"stok_diterima", "60"},        {"stok_terjual", "50"},      {"stok_ada", "10"},
                        {"pengecer_dalam_batas", "ya"}, {"alat_keselamatan", "ya"},  {"segel_utuh", "ya"},
                        {"foto_papan", sha}};
  Response audit = app_->Handle(Post("/api/v1/audits", {{"outlet", "pkl_1"},
                                                        {"answers", answers},
                                                        {"not_checked", {{"berat_tabung_isi_g", "timbangan rusak"}}},
                                                        {"findings", {"catatan_tidak_lengkap"}}}));
  ASSERT_EQ(audit.status, 200) << audit.body;
  const std::string audit_id = json::parse(audit.body)["id"];
  Response uttp = app_->Handle(Post("/api/v1/uttp", {{"instrument", "UTTP-1"},
                                                     {"kind", "tera_ulang"},
                                                     {"class", "III"},
                                                     {"max", "30 kg"},
                                                     {"e", "5 g"},
                                                     {"points", json::array({{{"load", "1 kg"}, {"indication", "1 kg"}},
                                                                             {{"load", "20 kg"}, {"indication", "20,004 kg"}}})},
                                                     {"seals", {"TS-1"}}}));
  ASSERT_EQ(uttp.status, 200) << uttp.body;
  const std::string uttp_id = json::parse(uttp.body)["id"];

  // The server refuses both (the answer applied to the outbox as a sync would).
  app_.reset();
  {
    auto store = LaptopStore::Open(dir_.Sub("home"));
    ASSERT_THAT(store, IsOk());
    std::vector<v1::Record> sent;
    v1::PushResponse answer;
    for (const auto& [id, field, why] :
         {std::tuple{audit_id, "outlet_audit.outlet_code", common::Msg("unknown outlet \"{}\"", "pkl_1")},
          std::tuple{uttp_id, "uttp_verification.instrument_id", common::Msg("unknown UTTP instrument \"{}\"", "UTTP-1")}}) {
      auto entry = (*store)->Get(id);
      ASSERT_THAT(entry, IsOk());
      ASSERT_TRUE(entry->has_value());
      sent.push_back((**entry).record());
      auto* result = answer.add_results();
      result->set_record_id(id);
      result->set_outcome(v1::PUSH_OUTCOME_INVALID);
      *result->add_errors() = common::FieldErrorOf(field, why);
    }
    ASSERT_THAT((*store)->ApplyResults(sent, answer, absl::Now()), IsOk());
  }
  Reopen();
  SignIn();

  json state = json::parse(app_->Handle(Get("/api/v1/state")).body);
  ASSERT_EQ(state["needs_attention"], 2);
  json audit_item, uttp_item;
  for (const auto& item : state["attention"]) (item["kind"] == "outlet_audit" ? audit_item : uttp_item) = item;
  // The server's reason in the page's language, and the form as the inspector filled it.
  EXPECT_EQ(audit_item["errors"][0]["reason"], "outlet \"pkl_1\" tidak dikenal");
  EXPECT_EQ(audit_item["errors"][0]["label"], "Pangkalan/kios");  // the field in words
  const json& form = audit_item["audit"];
  EXPECT_EQ(form["outlet"], "pkl_1");
  EXPECT_EQ(form["answers"]["papan_nama"], "tidak");
  EXPECT_EQ(form["answers"]["harga_jual"], "18000");
  EXPECT_EQ(form["answers"]["foto_papan"], sha);
  EXPECT_EQ(form["answers"].size(), 12u);
  EXPECT_EQ(form["not_checked"], json({{"berat_tabung_isi_g", "timbangan rusak"}}));
  EXPECT_EQ(form["findings"], json::array({"catatan_tidak_lengkap"}));  // the checklist's own come back by themselves
  const json& scale = uttp_item["uttp"];
  EXPECT_EQ(scale["instrument"], "UTTP-1");
  EXPECT_EQ(scale["kind"], "tera_ulang");
  EXPECT_EQ(scale["class"], "III");
  EXPECT_EQ(scale["max"], "30 kg");
  EXPECT_EQ(scale["e"], "5 g");
  EXPECT_EQ(scale["points"], json::array({{{"load", "1 kg"}, {"indication", "1 kg"}},
                                          {{"load", "20 kg"}, {"indication", "20004 g"}}}));
  EXPECT_EQ(scale["seals"], json::array({"TS-1"}));

  // Saved as it was filled, in place of the refused one: the count clears, the new one counts.
  json fixed_audit = form;
  fixed_audit["replaces"] = audit_id;
  Response audit_fixed = app_->Handle(Post("/api/v1/audits", fixed_audit));
  ASSERT_EQ(audit_fixed.status, 200) << audit_fixed.body;
  EXPECT_EQ(json::parse(audit_fixed.body)["all_findings"], json::array({"catatan_tidak_lengkap", "papan_nama_tidak_ada"}));
  EXPECT_EQ(app_->Handle(Post("/api/v1/audits", fixed_audit)).status, 409);  // replaced already
  json fixed_uttp = scale;
  fixed_uttp["replaces"] = uttp_id;
  fixed_uttp["seals"] = json::array({"TS-2"});
  Response uttp_fixed = app_->Handle(Post("/api/v1/uttp", fixed_uttp));
  ASSERT_EQ(uttp_fixed.status, 200) << uttp_fixed.body;
  EXPECT_EQ(json::parse(uttp_fixed.body)["verdict"]["verdict"], "sah");
  state = json::parse(app_->Handle(Get("/api/v1/state")).body);
  EXPECT_EQ(state["needs_attention"], 0);
  EXPECT_EQ(state["pending"], 2);
  std::map<std::string, std::string> states;
  const json listed = json::parse(app_->Handle(Get("/api/v1/records")).body)["records"];
  for (const auto& r : listed) states[r["id"]] = r["state"];
  EXPECT_EQ(states.size(), 4u) << listed;
  EXPECT_EQ(states[audit_id], "resolved");
  EXPECT_EQ(states[uttp_id], "resolved");
  EXPECT_EQ(states[json::parse(audit_fixed.body)["id"]], "pending");
  EXPECT_EQ(states[json::parse(uttp_fixed.body)["id"]], "pending");
}

TEST_F(UiAppTest, AutomaticSyncRunsWhenDueAndWaitsLongerAfterEachFailure) {
  SignIn();
  app_->set_sync_retry_for(absl::ZeroDuration());
  app_->set_auto_sync_every(absl::Seconds(60));
  auto sync = [&](bool automatic) {
    Response r = app_->Handle(Post("/api/v1/sync", automatic ? json{{"auto", true}} : json::object()));
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  };
  auto auto_state = [&] { return json::parse(app_->Handle(Get("/api/v1/state")).body)["auto_sync"]; };
  EXPECT_EQ(json::parse(app_->Handle(Get("/api/v1/session")).body)["auto_sync_seconds"], 60);
  EXPECT_EQ(auto_state()["next"], nullptr);  // due at once
  // This laptop has no server to reach (never logged in to one here): the attempt fails, and the
  // next is not due for a minute; asked again at once, it is skipped.
  const json first = sync(true);
  EXPECT_EQ(first["ok"], false);
  EXPECT_FALSE(first.contains("skipped"));
  EXPECT_FALSE(first["failure"].get<std::string>().empty());
  EXPECT_EQ(sync(true)["skipped"], true);
  json state = auto_state();
  EXPECT_EQ(state["failures"], 1);
  EXPECT_NE(state["last"].get<std::string>().find(": gagal ("), std::string::npos) << state;
  // "Kirim sekarang" is never held back; its failure doubles the wait of the next automatic one.
  EXPECT_EQ(sync(false)["ok"], false);
  EXPECT_EQ(auto_state()["failures"], 2);
  EXPECT_EQ(sync(true)["skipped"], true);
  // Off: the page's asking does nothing.
  app_->set_auto_sync_every(absl::ZeroDuration());
  EXPECT_EQ(sync(true)["skipped"], true);
}

TEST_F(UiAppTest, RiwayatCorrectsAPriceAndVoidsARecordTheCliWay) {
  SignIn();
  Response saved = app_->Handle(Post("/api/v1/prices", {{"market", "pasar_marabahan"},
                                                        {"commodity", "beras_medium"},
                                                        {"trader", "Bu Ani"},
                                                        {"price", "13.100"}}));
  ASSERT_EQ(saved.status, 200) << saved.body;
  const std::string id = json::parse(saved.body)["id"];
  auto change = [&](const json& body) {
    Response r = app_->Handle(Post("/api/v1/change", body));
    return std::make_pair(r.status, json::parse(r.body));
  };
  EXPECT_EQ(change({{"id", id}, {"price", "13.1OO"}, {"reason", "salah ketik"}}).first, 422);
  auto [no_reason_status, no_reason] = change({{"id", id}, {"price", "13.150"}, {"reason", ""}});
  EXPECT_EQ(no_reason_status, 422);
  EXPECT_EQ(no_reason["errors"][0]["field"], "correction.reason") << no_reason;
  auto [corrected_status, corrected] = change({{"id", id}, {"price", "13.150"}, {"reason", "salah ketik"}});
  ASSERT_EQ(corrected_status, 200) << corrected;
  auto [voided_status, voided] = change({{"id", id}, {"void", true}, {"reason", "pedagang salah"}});
  ASSERT_EQ(voided_status, 200) << voided;
  EXPECT_EQ(change({{"id", "01NOSUCHRECORD0000000000000"}, {"void", true}, {"reason", "x"}}).first, 404);
  EXPECT_EQ(Pending(), 3u);
  // Riwayat lists them, by kind too.
  const json corrections = json::parse(app_->Handle(Get("/api/v1/records?kind=correction")).body)["records"];
  ASSERT_EQ(corrections.size(), 1u);
  EXPECT_EQ(corrections[0]["id"], corrected["id"]);
  EXPECT_EQ(json::parse(app_->Handle(Get("/api/v1/records?kind=void")).body)["records"].size(), 1u);
  EXPECT_EQ(app_->Handle(Get("/api/v1/records?kind=harga")).status, 400);
  // By market: the price and its correction are at Pasar Marabahan (a void names no place).
  const json at_market = json::parse(app_->Handle(Get("/api/v1/records?market=pasar_marabahan")).body)["records"];
  ASSERT_EQ(at_market.size(), 2u);
  EXPECT_EQ(at_market[0]["id"], id);
  EXPECT_EQ(at_market[1]["id"], corrected["id"]);
  EXPECT_EQ(app_->Handle(Get("/api/v1/records?market=pasar_atlantis")).status, 400);
}

}  // namespace
}  // namespace pantau::client::ui
