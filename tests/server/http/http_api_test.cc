// The HTTP side's request handling as a function (no sockets): health and readiness against the
// gRPC health service, metrics (counted from real pushes, checked by promtool), the JSON API
// against the QueryService it mirrors, CSV/XLSX downloads, roles, scopes, errors and back-off —
// on a RocksDB store.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/str_split.h"
#include "common/dates.h"
#include "common/report/tables.h"
#include "common/report/xlsx.h"
#include "common/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "server/http/api.h"
#include "server/running_server.h"
#include "server/service/digest.h"
#include "server/storage/rocks_storage.h"
#include "tests/testing/process.h"
#include "tests/testing/test_support.h"

namespace pantau::http {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::PriceRecord;
using ::pantau::testing::RunCommand;
using ::pantau::testing::TempDir;
using ::pantau::testing::TestNow;
using ::pantau::testing::TestUlid;

std::string Header(const Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

// Every non-empty cell of a workbook, read by openpyxl (tests/tools/xlsx_cells.py).
std::string Cells(const std::string& path) {
  auto result = RunCommand({"/usr/bin/python3", std::string(PANTAU_SOURCE_DIR) + "/tests/tools/xlsx_cells.py", path});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

// The value of the sample line `name` (with its labels) in a metrics text; -1 when absent.
double MetricValue(const std::string& text, const std::string& name) {
  for (const std::string& line : std::vector<std::string>(absl::StrSplit(text, '\n'))) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return -1;
}

class HttpApiTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(server::ServerOptions{}); }

  void Start(server::ServerOptions options, bool read_only = false) {
    server_.reset();
    storage::RocksOptions rocks;
    rocks.path = dir_.Sub(StrCat("db", ++starts_));
    if (read_only) {
      auto created = storage::OpenRocksStorage(rocks);  // create it, then reopen read-only
      ASSERT_THAT(created, IsOk());
      created->reset();
      rocks.read_only = true;
    }
    auto store = storage::OpenRocksStorage(rocks);
    ASSERT_THAT(store, IsOk());
    auto clock = std::make_unique<service::FakeClock>(TestNow());
    clock_ = clock.get();
    auto started = server::RunningServer::Start(options, *std::move(store), std::move(clock));
    ASSERT_THAT(started, IsOk());
    server_ = *std::move(started);
    if (read_only) return;
    ASSERT_THAT(server_->reference().Put(pantau::testing::TestReferenceData(), {}), IsOk());
    for (auto [name, role] : {std::pair{"siti", v1::ROLE_INSPECTOR}, std::pair{"kabid", v1::ROLE_SUPERVISOR},
                              std::pair{"admin", v1::ROLE_ADMIN}, std::pair{"prometheus", v1::ROLE_MONITOR}}) {
      auto created = server_->accounts().Create(name, role);
      ASSERT_THAT(created, IsOk());
      tokens_[name] = created->token;
    }
    v1::AccountScope marabahan;
    marabahan.add_kecamatan_codes("marabahan");
    auto limited = server_->accounts().Create("camat", v1::ROLE_SUPERVISOR, std::nullopt, marabahan, {"admin", "local"});
    ASSERT_THAT(limited, IsOk());
    tokens_["camat"] = limited->token;
  }

  Response Get(const std::string& target, const std::string& account = "", const std::string& peer = "ipv4:10.0.0.7") {
    Request request;
    request.method = "GET";
    request.target = target;
    if (!account.empty()) request.authorization = "Bearer " + (tokens_.count(account) ? tokens_[account] : account);
    request.peer = peer;
    request.request_id = "test";
    return server_->http_api().Handle(request);
  }

  // Pushes `records` as siti; returns the response.
  v1::PushResponse Push(std::vector<v1::Record> records) {
    v1::PushRequest request;
    request.set_batch_number(++batches_);
    for (auto& r : records) *request.add_records() = std::move(r);
    auto response = server_->ingest().Push(service::Principal("siti", v1::ROLE_INSPECTOR), std::move(request));
    EXPECT_THAT(response, IsOk());
    return response.ok() ? *response : v1::PushResponse{};
  }

  // Three price samples on 2026-11-23 and 2026-11-24 in Pasar Marabahan.
  std::vector<v1::Record> Samples() {
    return {PriceRecord(TestUlid(1, 1), 13100, TestNow() - absl::Hours(26)),
            PriceRecord(TestUlid(1, 2), 13300, TestNow() - absl::Hours(1)),
            PriceRecord(TestUlid(1, 3), 13200, TestNow() - absl::Hours(2))};
  }

  // A dashboard request: `cookie` as the browser would send it; a form as the body.
  Response Page(const std::string& method, const std::string& target, const std::string& cookie = "",
                const std::string& body = "", const std::string& origin = "", bool tls = false) {
    Request request;
    request.method = method;
    request.target = target;
    request.cookie = cookie;
    request.body = body;
    request.origin = origin;
    request.host = "pantau.example:8443";
    request.tls = tls;
    request.content_type = "application/x-www-form-urlencoded";
    request.peer = "ipv4:10.0.0.20";
    request.request_id = "test";
    return server_->http_api().Handle(request);
  }

  // The value a Set-Cookie of `r` gives cookie `name`, or "" (and every Set-Cookie in `all`).
  static std::string SetCookie(const Response& r, const std::string& name, std::string* all = nullptr) {
    std::string value;
    for (const auto& [n, v] : r.headers) {
      if (n != "Set-Cookie") continue;
      if (all != nullptr) *all += v + "\n";
      if (v.rfind(name + "=", 0) == 0) value = v.substr(name.size() + 1, v.find(';') - name.size() - 1);
    }
    return value;
  }

  // Signs `name` in through the form; the session cookie's value ("" when refused) and the answer.
  std::pair<std::string, Response> SignIn(const std::string& name, const std::string& password,
                                          const std::string& planted = "") {
    Response form = Page("GET", "/masuk");
    const std::string csrf = SetCookie(form, "pantau_masuk");
    Response answer = Page("POST", "/masuk",
                           "pantau_masuk=" + csrf + (planted.empty() ? "" : "; pantau_sesi=" + planted),
                           "csrf=" + csrf + "&nama=" + name + "&sandi=" + password);
    return {SetCookie(answer, "pantau_sesi"), answer};
  }

  TempDir dir_;
  service::FakeClock* clock_ = nullptr;
  std::unique_ptr<server::RunningServer> server_;
  std::map<std::string, std::string> tokens_;
  int64_t batches_ = 0;
  int starts_ = 0;
};

TEST_F(HttpApiTest, HealthAnswersWithoutATokenAndReadinessMatchesGrpcHealth) {
  auto healthz = Get("/healthz");
  EXPECT_EQ(healthz.status, 200);
  EXPECT_EQ(healthz.body, "ok\n");
  auto readyz = Get("/readyz");
  EXPECT_EQ(readyz.status, 200);
  EXPECT_EQ(readyz.body, "ready\n");
  auto health = grpc::health::v1::Health::NewStub(server_->InProcessChannel());
  grpc::health::v1::HealthCheckResponse answer;
  grpc::ClientContext context;
  ASSERT_TRUE(health->Check(&context, {}, &answer).ok());
  EXPECT_EQ(answer.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(HttpApiTest, AStoreThatTakesNoWritesIsNotReadyOnBothSides) {
  Start(server::ServerOptions{}, /*read_only=*/true);
  auto readyz = Get("/readyz");
  EXPECT_EQ(readyz.status, 503);
  EXPECT_EQ(readyz.body, "not ready: the store is open read-only\n");
  EXPECT_EQ(Get("/healthz").status, 200);  // the process is up all the same
  // The gRPC health service turns NOT_SERVING within the maintenance period (2 s).
  auto health = grpc::health::v1::Health::NewStub(server_->InProcessChannel());
  grpc::health::v1::HealthCheckResponse answer;
  for (int i = 0; i < 100; ++i) {
    grpc::ClientContext context;
    ASSERT_TRUE(health->Check(&context, {}, &answer).ok());
    if (answer.status() == grpc::health::v1::HealthCheckResponse::NOT_SERVING) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(answer.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
}

TEST_F(HttpApiTest, MetricsCountWhatHappenedAndPassPromtool) {
  // 3 accepted; then the same 3 again (duplicates), a conflict and an invalid record.
  Push(Samples());
  auto again = Samples();
  again.push_back(PriceRecord(TestUlid(1, 1), 13999, TestNow() - absl::Hours(26)));  // same id, other content
  again.push_back(PriceRecord("not-a-ulid", 13100));
  Push(again);
  EXPECT_EQ(Get("/metrics").status, 401);                    // no token
  EXPECT_EQ(Get("/metrics", "pantau_" + std::string(64, '1')).status, 401);  // unknown token
  auto inspector = Get("/metrics", "siti");
  EXPECT_EQ(inspector.status, 403);
  EXPECT_NE(inspector.body.find("may not read the metrics"), std::string::npos) << inspector.body;

  Request lower;  // the scheme is case-insensitive
  lower.method = "GET";
  lower.target = "/metrics";
  lower.authorization = "bearer " + tokens_["prometheus"];
  lower.peer = "ipv4:10.0.0.7";
  EXPECT_EQ(server_->http_api().Handle(lower).status, 200);
  lower.authorization = "Basic " + tokens_["prometheus"];
  EXPECT_EQ(server_->http_api().Handle(lower).status, 401);
  auto metrics = Get("/metrics", "prometheus");
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
  const std::string& m = metrics.body;
  EXPECT_EQ(MetricValue(m, R"(pantau_records_total{kind="price_sample",result="accepted"})"), 3);
  EXPECT_EQ(MetricValue(m, R"(pantau_records_total{kind="price_sample",result="duplicate"})"), 3);
  EXPECT_EQ(MetricValue(m, R"(pantau_records_total{kind="price_sample",result="conflict"})"), 1);
  EXPECT_EQ(MetricValue(m, R"(pantau_records_total{kind="price_sample",result="invalid"})"), 1);
  EXPECT_EQ(MetricValue(m, "pantau_push_batch_seconds_count"), 2);
  // Every accepted record went through a synced write; duplicates and conflicts wrote nothing.
  EXPECT_EQ(MetricValue(m, "pantau_records_per_synced_write_sum"), 3);
  EXPECT_EQ(MetricValue(m, R"(pantau_auth_failures_total{reason="no_token"})"), 2);  // none, and Basic
  EXPECT_EQ(MetricValue(m, R"(pantau_auth_failures_total{reason="unknown_token"})"), 1);
  EXPECT_EQ(MetricValue(m, "pantau_open_streams"), 0);
  EXPECT_EQ(MetricValue(m, "pantau_ready"), 1);
  EXPECT_GT(MetricValue(m, "pantau_rocksdb_memtable_bytes"), 0);
  EXPECT_GE(MetricValue(m, "pantau_rocksdb_live_data_bytes"), 0);
  EXPECT_EQ(MetricValue(m, "pantau_rocksdb_write_stalls"), 0);
  EXPECT_NE(m.find("pantau_backup_age_seconds +Inf"), std::string::npos);  // no backup yet
  EXPECT_NE(m.find("pantau_rocksdb_pending_compaction_bytes"), std::string::npos);

  // Prometheus's own checker reads it as valid exposition format.
  const std::string file = dir_.Sub("metrics.txt");
  std::ofstream(file) << m;
  auto checked = RunCommand({"/bin/sh", "-c", "promtool check metrics < " + file});
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
  // And the checker does catch a broken exposition (the check can fail).
  std::ofstream(file) << m << "pantau_broken{ 1\n";
  EXPECT_NE(RunCommand({"/bin/sh", "-c", "promtool check metrics < " + file}).exit_code, 0);
}

TEST_F(HttpApiTest, TheJsonApiAnswersWhatQueryServiceAnswers) {
  Push(Samples());
  const service::Principal kabid("kabid", v1::ROLE_SUPERVISOR);

  v1::GetPriceStatisticsRequest prices;
  prices.set_commodity_code("beras_medium");
  prices.set_from("2026-11-01");
  prices.set_to("2026-11-30");
  auto expected_prices = server_->queries().PriceStatistics(prices, kabid);
  ASSERT_THAT(expected_prices, IsOk());
  ASSERT_GT(expected_prices->points_size(), 0);
  auto json = Get("/api/v1/prices?commodity_code=beras_medium&from=2026-11-01&to=2026-11-30", "kabid");
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(json.content_type, "application/json");
  EXPECT_EQ(json.body, report::PriceJson(*expected_prices));
  EXPECT_NE(json.body.find("13200"), std::string::npos);

  auto table = server_->queries().IndicatorTable("2026", kabid);
  ASSERT_THAT(table, IsOk());
  EXPECT_EQ(Get("/api/v1/indicators?period=2026", "kabid").body, report::IkkJson(*table));
  EXPECT_EQ(Get("/api/v1/indicators.json?period=2026", "admin").body, report::IkkJson(*table));

  v1::ListUttpDueRequest due;
  due.set_within_days(30);
  due.set_include_valid(true);
  auto expected_due = server_->queries().UttpDue(due, kabid);
  ASSERT_THAT(expected_due, IsOk());
  EXPECT_EQ(Get("/api/v1/uttp-due?within_days=30&include_valid=true", "kabid").body,
            report::ResponseJson(*expected_due));

  // The index lists every report with its parameters.
  auto index = Get("/api/v1", "kabid");
  ASSERT_EQ(index.status, 200);
  for (const char* path : {"/api/v1/indicators", "/api/v1/prices", "/api/v1/price-stability", "/api/v1/coverage",
                           "/api/v1/violations", "/api/v1/uttp-due", "/api/v1/uttp-verifications"}) {
    EXPECT_NE(index.body.find(path), std::string::npos) << path;
  }
}

TEST_F(HttpApiTest, CsvAndXlsxDownloadsAreTheLaptopsReportsAsAttachments) {
  Push(Samples());
  v1::GetPriceStatisticsRequest prices;
  prices.set_commodity_code("beras_medium");
  prices.set_from("2026-11-01");
  prices.set_to("2026-11-30");
  auto answer = server_->queries().PriceStatistics(prices, service::Principal("kabid", v1::ROLE_SUPERVISOR));
  ASSERT_THAT(answer, IsOk());

  auto csv = Get("/api/v1/prices.csv?commodity_code=beras_medium&from=2026-11-01&to=2026-11-30", "kabid");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(Header(csv, "Content-Disposition"), "attachment; filename=\"pantau-prices-2026-11-01-2026-11-30.csv\"");
  EXPECT_EQ(csv.body, report::PriceCsv(*answer));

  auto xlsx = Get("/api/v1/prices.xlsx?commodity_code=beras_medium&from=2026-11-01&to=2026-11-30", "kabid");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(Header(xlsx, "Content-Disposition"), "attachment; filename=\"pantau-prices-2026-11-01-2026-11-30.xlsx\"");
  ASSERT_EQ(xlsx.body.substr(0, 2), "PK");  // a zip container
  std::ofstream(dir_.Sub("served.xlsx"), std::ios::binary) << xlsx.body;
  // The workbook the laptop writes for the same answer, signed the same day, with names from the
  // same reference data, has the same cells.
  report::Signatory signatory;
  signatory.date = report::IndonesianDate(absl::CivilDay(2026, 11, 24));
  report::Table named = report::PriceStatisticsTable(*answer);
  report::ShowNames(named, *server_->queries().Catalog());
  ASSERT_THAT(report::WriteTableXlsx(named, signatory, dir_.Sub("laptop.xlsx")), IsOk());
  const std::string served = Cells(dir_.Sub("served.xlsx"));
  EXPECT_NE(served.find("13200"), std::string::npos) << served;
  EXPECT_NE(served.find("\ts\tPasar Marabahan\n"), std::string::npos) << served;  // a name, not pasar_marabahan
  EXPECT_EQ(served, Cells(dir_.Sub("laptop.xlsx")));

  auto ikk = Get("/api/v1/indicators.xlsx?period=2026", "kabid");
  ASSERT_EQ(ikk.status, 200) << ikk.body;
  EXPECT_EQ(Header(ikk, "Content-Disposition"), "attachment; filename=\"pantau-indicators-2026.xlsx\"");
  std::ofstream(dir_.Sub("ikk.xlsx"), std::ios::binary) << ikk.body;
  EXPECT_NE(Cells(dir_.Sub("ikk.xlsx")).find("Capaian"), std::string::npos);
}

TEST_F(HttpApiTest, WorkbooksAreSignedByTheConfiguredSignatory) {
  std::ofstream(dir_.Sub("signatory.json"))
      << R"({"name": "Drs. H. Ahmad Fauzi, M.Si", "rank": "Pembina Tingkat I", "nip": "19700101 199003 1 001"})";
  server::ServerOptions options;
  options.signatory_file = dir_.Sub("signatory.json");
  Start(options);
  auto ikk = Get("/api/v1/indicators.xlsx?period=2026", "kabid");
  ASSERT_EQ(ikk.status, 200) << ikk.body;
  std::ofstream(dir_.Sub("signed.xlsx"), std::ios::binary) << ikk.body;
  const std::string cells = Cells(dir_.Sub("signed.xlsx"));
  EXPECT_NE(cells.find("Drs. H. Ahmad Fauzi, M.Si"), std::string::npos) << cells;
  EXPECT_NE(cells.find("NIP. 19700101 199003 1 001"), std::string::npos) << cells;
  EXPECT_NE(cells.find("24 November 2026"), std::string::npos) << cells;  // the day of the download
  // A misspelt key stops the start, naming the file and the key.
  std::ofstream(dir_.Sub("bad.json")) << R"({"nama": "x"})";
  options.signatory_file = dir_.Sub("bad.json");
  storage::RocksOptions rocks;
  rocks.path = dir_.Sub("bad-db");
  auto refused = server::RunningServer::Start(options, *storage::OpenRocksStorage(rocks));
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("nama"), std::string::npos) << refused.status();
}

TEST_F(HttpApiTest, RolesAndScopesAreTheOnesOfGrpc) {
  Push(Samples());
  auto inspector = Get("/api/v1/prices?commodity_code=beras_medium", "siti");
  EXPECT_EQ(inspector.status, 403);
  EXPECT_NE(inspector.body.find("account \\\"siti\\\" (inspector) may not read reports"), std::string::npos)
      << inspector.body;
  EXPECT_EQ(Get("/api/v1/coverage", "prometheus").status, 403);
  EXPECT_EQ(Get("/api/v1", "siti").status, 403);

  // A supervisor limited to a kecamatan gets the IKK table of its scope over HTTP as over gRPC:
  // field rows computed for the scope, manual rows marked as outside it.
  auto limited = Get("/api/v1/indicators?period=2026", "camat");
  EXPECT_EQ(limited.status, 200) << limited.body;
  EXPECT_NE(limited.body.find("\"period\": \"2026\""), std::string::npos) << limited.body;
  // (This server has no indicators; tests/integration's camat reads the bundled table's rows.)
  // A regency-wide figure is still refused, with the service's words.
  v1::AccountScope scope;
  scope.add_kecamatan_codes("marabahan");
  v1::GetPriceStabilityRequest stability;
  stability.set_from("2026-01-01");
  stability.set_to("2026-12-31");
  auto refused = server_->queries().PriceStability(stability, service::Principal("camat", v1::ROLE_SUPERVISOR, scope));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  auto regency = Get("/api/v1/price-stability?from=2026-01-01&to=2026-12-31", "camat");
  EXPECT_EQ(regency.status, 403) << regency.body;
  EXPECT_NE(regency.body.find("PERMISSION_DENIED"), std::string::npos);
  const std::string words(refused.status().message().substr(0, 40));
  EXPECT_NE(regency.body.find(words), std::string::npos) << regency.body << "\n" << words;
  // ... and sees its own markets' prices.
  EXPECT_EQ(Get("/api/v1/prices?commodity_code=beras_medium&from=2026-11-01&to=2026-11-30", "camat").status, 200);

  // A revoked token is refused from then on.
  ASSERT_THAT(server_->accounts().Revoke("kabid", {"admin", "local"}), IsOk());
  auto revoked = Get("/api/v1/indicators?period=2026", "kabid");
  EXPECT_EQ(revoked.status, 401);
  EXPECT_EQ(Header(revoked, "WWW-Authenticate"), "Bearer realm=\"pantau\"");
  EXPECT_NE(revoked.body.find("was revoked"), std::string::npos) << revoked.body;
}

// Evidence photos by hash, under gRPC GetPhoto's rule: supervisors and admins not limited to a
// place; the type named from the bytes, anything else a download (never a page).
TEST_F(HttpApiTest, EvidencePhotosAreServedToUnlimitedSupervisorsNamedByTheirBytes) {
  const std::string jpeg = std::string("\xff\xd8\xff\xe0", 4) + std::string(100, 'j');
  const std::string page = "<html><script>alert(1)</script></html>";
  const std::string jpeg_sha = service::HexEncode(service::Sha256(jpeg));
  const std::string page_sha = service::HexEncode(service::Sha256(page));
  ASSERT_THAT(server_->storage().photos().Finish(jpeg_sha, jpeg), IsOk());
  ASSERT_THAT(server_->storage().photos().Finish(page_sha, page), IsOk());

  auto photo = Get("/api/v1/photo/" + jpeg_sha, "kabid");
  EXPECT_EQ(photo.status, 200) << photo.body;
  EXPECT_EQ(photo.content_type, "image/jpeg");
  EXPECT_EQ(photo.body, jpeg);
  EXPECT_EQ(Get("/api/v1/photo/" + jpeg_sha, "admin").status, 200);
  auto other = Get("/api/v1/photo/" + page_sha, "kabid");
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.content_type, "application/octet-stream");
  EXPECT_EQ(Header(other, "Content-Disposition"), "attachment; filename=\"foto-" + page_sha.substr(0, 12) + "\"");

  EXPECT_EQ(Get("/api/v1/photo/" + jpeg_sha, "camat").status, 403);  // limited to Marabahan
  EXPECT_EQ(Get("/api/v1/photo/" + jpeg_sha, "siti").status, 403);
  EXPECT_EQ(Get("/api/v1/photo/" + jpeg_sha).status, 401);
  auto missing = Get("/api/v1/photo/" + std::string(64, 'b'), "kabid");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("not synced yet"), std::string::npos) << missing.body;
  auto bad = Get("/api/v1/photo/..%2fetc", "kabid");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("sha256: must be 64 lower-case hex digits"), std::string::npos) << bad.body;
}

TEST_F(HttpApiTest, BadRequestsGetAClearErrorNamingTheParameter) {
  struct Case {
    std::string target;
    int status;
    std::string words;
  };
  const std::vector<Case> cases = {
      {"/api/v1/prices?bogus=1", 400, "unknown parameter \\\"bogus\\\"; this report takes: commodity_code, market_code"},
      {"/api/v1/prices?from=2026-11-01&from=2026-11-02", 400, "parameter \\\"from\\\" is given twice"},
      {"/api/v1/uttp-due?within_days=tiga", 400, "parameter \\\"within_days\\\" = \\\"tiga\\\": expected a whole number"},
      {"/api/v1/uttp-due?include_valid=mungkin", 400, "expected true or false"},
      {"/api/v1/prices?commodity_code=%G1", 400, "not followed by two hex digits"},
      {"/api/v1/prices?commodity_code=beras%5", 400, "not followed by two hex digits"},
      {"/api/v1/indicators?period=tahun-depan", 400, "INVALID_ARGUMENT"},
      {"/api/v1/harga", 404, "no report \\\"harga\\\""},
      {"/admin", 404, "no such page"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.target);
    auto r = Get(c.target, "kabid");
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_NE(r.body.find(c.words), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("\"request_id\": \"test\""), std::string::npos) << r.body;
  }
  // The words people say are periods of the server's today, answered with the concrete label.
  const std::string month = common::FormatLocalDate(absl::ToCivilDay(clock_->Now(), server_->queries().zone())).substr(0, 7);
  auto this_month = Get("/api/v1/indicators?period=bulan%20ini", "kabid");
  EXPECT_EQ(this_month.status, 200) << this_month.body;
  EXPECT_EQ(this_month.body, Get("/api/v1/indicators?period=" + month, "kabid").body);
  // Percent-encoding is decoded: "beras%5Fmedium" is beras_medium.
  EXPECT_EQ(Get("/api/v1/prices?commodity_code=beras%5Fmedium&from=2026-11-01&to=2026-11-30", "kabid").status, 200);
  Request post;
  post.method = "POST";
  post.target = "/api/v1/prices";
  post.peer = "ipv4:10.0.0.7";
  auto refused = server_->http_api().Handle(post);
  EXPECT_EQ(refused.status, 405);
  EXPECT_EQ(Header(refused, "Allow"), "GET");
}

TEST_F(HttpApiTest, RepeatedBadTokensBackOffAndAreAuditedAsOverGrpc) {
  server::ServerOptions options;
  options.throttle.free_failures = 2;
  Start(options);
  const std::string guess = "pantau_" + std::string(64, 'a');
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Get("/api/v1/indicators?period=2026", guess, "ipv4:10.9.9.9").status, 401);
  // Now even the right token from that address waits; another address is unaffected.
  auto blocked = Get("/api/v1/indicators?period=2026", "kabid", "ipv4:10.9.9.9");
  EXPECT_EQ(blocked.status, 429);
  EXPECT_EQ(Header(blocked, "Retry-After"), "1");  // the block this address earned, in seconds
  EXPECT_NE(blocked.body.find("too many failed sign-ins"), std::string::npos) << blocked.body;
  EXPECT_EQ(Get("/api/v1/indicators?period=2026", "kabid", "ipv4:10.0.0.8").status, 200);
  auto audit = server_->accounts().ListAudit(0, 100);
  ASSERT_THAT(audit, IsOk());
  int failures = 0;
  for (const auto& e : audit->entries()) {
    failures += e.action() == "auth.failure" && e.peer() == "ipv4:10.9.9.9";
    EXPECT_EQ(e.detail().find(guess), std::string::npos);
  }
  EXPECT_EQ(failures, 3);
  auto metrics = Get("/metrics", "prometheus", "ipv4:10.0.0.8");
  EXPECT_EQ(MetricValue(metrics.body, R"(pantau_auth_failures_total{reason="blocked"})"), 1);
}

// An admin enters a target and a manual realisation from the dashboard: stored as reference data,
// shown in the IKK table at once, written to the audit log; a supervisor, a forged or stale form and
// a value that is no number are refused with words a person can act on; an empty value clears it.
TEST_F(HttpApiTest, AnAdminEntersTargetsAndManualRealisationsFromTheDashboardAudited) {
  v1::ReferenceEntity manual, computed;
  manual.mutable_indicator()->set_number(1);
  manual.mutable_indicator()->set_name("Jumlah peserta rapat koordinasi");
  manual.mutable_indicator()->set_computation(v1::INDICATOR_COMPUTATION_MANUAL);
  computed.mutable_indicator()->set_number(20);
  computed.mutable_indicator()->set_name("Jumlah kebutuhan bahan pokok yang dimonitor");
  computed.mutable_indicator()->set_computation(v1::INDICATOR_COMPUTATION_BAHAN_POKOK_MONITORED);
  ASSERT_THAT(server_->reference().Put({manual, computed}, {}), IsOk());
  for (const char* name : {"admin", "kabid"}) {
    ASSERT_THAT(server_->accounts().SetPassword(name, "kata sandi dinas 2026", {"admin", "local"}), IsOk());
  }
  auto [admin, admin_in] = SignIn("admin", "kata+sandi+dinas+2026");
  auto [kabid, kabid_in] = SignIn("kabid", "kata+sandi+dinas+2026");
  ASSERT_EQ(admin_in.status, 303);
  ASSERT_EQ(kabid_in.status, 303);
  auto csrf_of = [&](const std::string& session) {
    return nlohmann::json::parse(Page("GET", "/api/v1/sesi", "pantau_sesi=" + session).body)["csrf"].get<std::string>();
  };
  auto save = [&](const std::string& session, const std::string& form, const std::string& origin = "") {
    return Page("POST", "/api/v1/isian-ikk", "pantau_sesi=" + session, "csrf=" + csrf_of(session) + "&" + form, origin);
  };
  auto row = [&](int number) {
    auto table = nlohmann::json::parse(Get("/api/v1/indicators?period=2026", "kabid").body);
    for (const auto& r : table["rows"]) {
      if (r["indicator"]["number"] == number) return r;
    }
    return nlohmann::json();
  };

  // A supervisor may read, not enter: refused, and the attempt is in the audit log.
  Response refused = save(kabid, "nomor=1&tahun=2026&jenis=target&nilai=150");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("Hanya admin"), std::string::npos) << refused.body;
  // A form without the session's token, or from another site: refused.
  EXPECT_EQ(Page("POST", "/api/v1/isian-ikk", "pantau_sesi=" + admin, "csrf=0&nomor=1&tahun=2026&jenis=target&nilai=1")
                .status,
            403);
  EXPECT_EQ(save(admin, "nomor=1&tahun=2026&jenis=target&nilai=1", "https://lain.example").status, 403);
  EXPECT_EQ(Page("POST", "/api/v1/isian-ikk", "", "nomor=1").status, 401);
  EXPECT_FALSE(row(1).contains("target"));

  // The target, written as Indonesians write it: 1.250 is one thousand two hundred and fifty.
  Response saved = save(admin, "nomor=1&tahun=2026&jenis=target&nilai=1.250");
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(row(1)["target"]["text"], "1250");
  // The manual realisation, with a decimal comma, and its capaian at once.
  ASSERT_EQ(save(admin, "nomor=1&tahun=2026&jenis=realisasi&nilai=1093%2C75&catatan=daftar+hadir").status, 200);
  EXPECT_EQ(row(1)["realisasi"]["text"], "1093.75");
  EXPECT_EQ(row(1)["capaian"]["text"], "87.50");
  // A computed row's realisation comes from the records; a value that is no number is named.
  Response computed_row = save(admin, "nomor=20&tahun=2026&jenis=realisasi&nilai=5");
  EXPECT_EQ(computed_row.status, 400);
  EXPECT_NE(computed_row.body.find("dihitung dari catatan lapangan"), std::string::npos) << computed_row.body;
  Response word = save(admin, "nomor=1&tahun=2026&jenis=target&nilai=seratus");
  EXPECT_EQ(word.status, 400);
  EXPECT_EQ(nlohmann::json::parse(word.body)["error"]["message"].get<std::string>().substr(0, 27),
            "Nilai \"seratus\" bukan angka")
      << word.body;
  EXPECT_EQ(save(admin, "nomor=99&tahun=2026&jenis=target&nilai=5").status, 400);
  EXPECT_EQ(save(admin, "nomor=1&tahun=2026&jenis=target&nilai=1%2C2345").status, 400);  // four decimals
  // "0.125" is a decimal (no thousands point after a leading 0).
  ASSERT_EQ(save(admin, "nomor=1&tahun=2025&jenis=target&nilai=0.125").status, 200);
  auto last_year = nlohmann::json::parse(Get("/api/v1/indicators?period=2025", "kabid").body);
  EXPECT_EQ(last_year["rows"][0]["target"]["text"], "0.13") << last_year["rows"][0];
  EXPECT_EQ(row(1)["target"]["text"], "1250");  // nothing refused changed what was there
  // An empty value clears it: "belum diisi" again, never 0.
  ASSERT_EQ(save(admin, "nomor=1&tahun=2026&jenis=target&nilai=").status, 200);
  EXPECT_FALSE(row(1).contains("target")) << row(1);
  EXPECT_FALSE(row(1).contains("capaian")) << row(1);

  auto log = server_->accounts().ListAudit(0, 1000);
  ASSERT_THAT(log, IsOk());
  std::vector<std::string> entries;
  for (const auto& e : log->entries()) {
    if (e.action().rfind("ikk.", 0) == 0) entries.push_back(e.actor() + " " + e.action() + " " + e.target() + " " + e.detail() + " " + e.outcome().substr(0, 17));
  }
  ASSERT_GE(entries.size(), 4u);
  EXPECT_EQ(entries[0].substr(0, 16), "kabid ikk.isian ");
  EXPECT_NE(std::find(entries.begin(), entries.end(), "admin ikk.target indikator 1 tahun 2026 target = 1250 ok"), entries.end())
      << ::testing::PrintToString(entries);
  EXPECT_NE(std::find(entries.begin(), entries.end(),
                      "admin ikk.realisasi indikator 1 tahun 2026 realisasi = 1093,75 ok"),
            entries.end())
      << ::testing::PrintToString(entries);
  EXPECT_NE(std::find(entries.begin(), entries.end(), "admin ikk.target indikator 1 tahun 2026 target = belum diisi ok"),
            entries.end())
      << ::testing::PrintToString(entries);
}

// The supervisor's dashboard: a password sign-in gives a session cookie that reads the same
// reports as the account's token, within the same scope; the sign-in form and every change carry a
// CSRF token; the session ends at sign-out, revocation and idle time; the page can be neither
// framed nor cached, and an id planted before the sign-in is never the one signed in.
TEST_F(HttpApiTest, ADashboardSessionReadsWhatTheTokenReadsAndEndsAtSignOutRevocationOrIdleTime) {
  const std::string password = "kata+sandi+kabid+2026";  // "kata sandi kabid 2026", form-encoded
  for (const char* name : {"kabid", "camat", "siti"}) {
    ASSERT_THAT(server_->accounts().SetPassword(name, "kata sandi kabid 2026", {"admin", "local"}), IsOk());
  }
  Push(Samples());
  // Not signed in: the dashboard sends to the form; the API wants a token.
  Response root = Page("GET", "/");
  EXPECT_EQ(root.status, 303);
  EXPECT_EQ(Header(root, "Location"), "/masuk");
  EXPECT_EQ(Page("GET", "/api/v1/indicators?period=2026").status, 401);
  Response form = Page("GET", "/masuk");
  ASSERT_EQ(form.status, 200);
  std::string cookies;
  const std::string form_csrf = SetCookie(form, "pantau_masuk", &cookies);
  EXPECT_EQ(form_csrf.size(), 64u);
  EXPECT_NE(cookies.find("; Path=/masuk; HttpOnly; SameSite=Strict"), std::string::npos) << cookies;
  EXPECT_NE(form.body.find("name=\"csrf\" value=\"" + form_csrf + "\""), std::string::npos);
  EXPECT_NE(Header(form, "Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(Header(form, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(Header(form, "Cache-Control"), "no-store");

  // The form's token, from this server's own page only.
  const std::string fields = "&nama=kabid&sandi=" + password;
  EXPECT_EQ(Page("POST", "/masuk", "pantau_masuk=" + form_csrf, "csrf=" + std::string(64, 'a') + fields).status, 403);
  EXPECT_EQ(Page("POST", "/masuk", "", "csrf=" + form_csrf + fields).status, 403);
  EXPECT_EQ(Page("POST", "/masuk", "pantau_masuk=" + form_csrf, "csrf=" + form_csrf + fields, "https://evil.example").status,
            403);
  // A wrong password: the form again, the name kept and escaped, nothing signed in.
  auto [none, wrong] = SignIn("%3Cb%3Ekabid", "salah+sekali+ini");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(none, "");
  EXPECT_NE(wrong.body.find("Nama akun atau kata sandi salah."), std::string::npos);
  EXPECT_NE(wrong.body.find("value=\"&lt;b&gt;kabid\""), std::string::npos) << wrong.body;
  EXPECT_EQ(wrong.body.find("<b>kabid"), std::string::npos);
  // An inspector has no dashboard.
  auto [inspector, refused] = SignIn("siti", password);
  EXPECT_EQ(inspector, "");
  EXPECT_EQ(refused.status, 403);

  // Signed in: a new id whatever was planted; HttpOnly, SameSite=Strict, Secure over TLS.
  auto [session, signed_in] = SignIn("kabid", password, "planted-by-someone-else");
  ASSERT_EQ(signed_in.status, 303) << signed_in.body;
  EXPECT_EQ(Header(signed_in, "Location"), "/");
  ASSERT_EQ(session.size(), 64u);
  std::string set;
  SetCookie(signed_in, "pantau_sesi", &set);
  EXPECT_NE(set.find("pantau_sesi=" + session + "; Path=/; HttpOnly; SameSite=Strict\n"), std::string::npos) << set;
  EXPECT_EQ(Page("GET", "/api/v1/sesi", "pantau_sesi=planted-by-someone-else").status, 401);
  {
    Response f = Page("GET", "/masuk");
    const std::string c = SetCookie(f, "pantau_masuk");
    Response over_tls = Page("POST", "/masuk", "pantau_masuk=" + c, "csrf=" + c + fields, "https://pantau.example:8443", true);
    std::string tls_cookies;
    SetCookie(over_tls, "pantau_sesi", &tls_cookies);
    EXPECT_NE(tls_cookies.find("; HttpOnly; SameSite=Strict; Secure"), std::string::npos) << tls_cookies;
  }
  const std::string cookie = "pantau_sesi=" + session;
  Response page = Page("GET", "/", cookie);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<script src=\"/dasbor.js\""), std::string::npos);
  // The same reports as the token reads, never cached.
  for (const char* report : {"/api/v1/indicators?period=2026", "/api/v1/prices?commodity_code=beras_medium&from=2026-11-01&to=2026-11-30"}) {
    Response by_session = Page("GET", report, cookie);
    EXPECT_EQ(by_session.status, 200) << report << by_session.body;
    EXPECT_EQ(by_session.body, Get(report, "kabid").body) << report;
    EXPECT_EQ(Header(by_session, "Cache-Control"), "no-store");
  }
  // A scoped supervisor sees what its token sees: only Marabahan.
  auto [camat, camat_in] = SignIn("camat", password);
  ASSERT_EQ(camat_in.status, 303);
  EXPECT_EQ(Page("GET", "/api/v1/violations", "pantau_sesi=" + camat).body, Get("/api/v1/violations", "camat").body);
  const nlohmann::json who = nlohmann::json::parse(Page("GET", "/api/v1/sesi", cookie).body);
  EXPECT_EQ(who["account"], "kabid");
  EXPECT_EQ(who["role"], "supervisor");
  ASSERT_FALSE(who["commodities"].empty());  // the pickers' names, from the reference data
  EXPECT_EQ(who["commodities"][0].size(), 3u);
  // A scoped supervisor's market picker lists only its kecamatan's markets.
  v1::ReferenceEntity alalak, handil;
  alalak.mutable_kecamatan()->set_code("alalak");
  alalak.mutable_kecamatan()->set_name("Alalak");
  handil.mutable_market()->set_code("pasar_handil_bakti");
  handil.mutable_market()->set_name("Pasar Handil Bakti");
  handil.mutable_market()->set_kecamatan_code("alalak");
  v1::ReferenceEntity warning;
  warning.mutable_follow_up_action()->set_code("teguran_tertulis");
  warning.mutable_follow_up_action()->set_name("Teguran tertulis");
  warning.mutable_follow_up_action()->set_domain("lpg_pangkalan");
  warning.mutable_follow_up_action()->set_step(1);
  ASSERT_THAT(server_->reference().Put({alalak, handil, warning}, {}), IsOk());
  const nlohmann::json names = nlohmann::json::parse(Page("GET", "/api/v1/sesi", cookie).body);
  EXPECT_EQ(names["markets"].size(), 2u);
  // Names for the reports' codes: kecamatan and follow-up actions.
  EXPECT_NE(names["kecamatan"].dump().find(R"({"code":"alalak","name":"Alalak"})"), std::string::npos) << names;
  EXPECT_NE(names["actions"].dump().find(R"({"code":"teguran_tertulis","name":"Teguran tertulis"})"), std::string::npos)
      << names;
  const nlohmann::json camat_who = nlohmann::json::parse(Page("GET", "/api/v1/sesi", "pantau_sesi=" + camat).body);
  ASSERT_FALSE(camat_who["markets"].empty());
  for (const auto& m : camat_who["markets"]) EXPECT_EQ(m["code"], "pasar_marabahan") << m;
  const std::string csrf = who["csrf"];

  // Sign-out needs the session's token; then the cookie is cleared and the id worth nothing.
  Response forged = Page("POST", "/keluar", cookie, "csrf=" + std::string(64, 'b'));
  EXPECT_EQ(Header(forged, "Location"), "/");
  EXPECT_EQ(Page("GET", "/api/v1/indicators?period=2026", cookie).status, 200);
  Response out = Page("POST", "/keluar", cookie, "csrf=" + csrf);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(Header(out, "Location"), "/masuk");
  std::string cleared;
  SetCookie(out, "pantau_sesi", &cleared);
  EXPECT_NE(cleared.find("pantau_sesi=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"), std::string::npos) << cleared;
  EXPECT_EQ(Page("GET", "/api/v1/indicators?period=2026", cookie).status, 401);
  EXPECT_EQ(Header(Page("GET", "/", cookie), "Location"), "/masuk");

  // Revoking the account ends its sessions at once; 30 idle minutes end any.
  ASSERT_THAT(server_->accounts().Revoke("camat", {"admin", "local"}), IsOk());
  EXPECT_EQ(Page("GET", "/api/v1/sesi", "pantau_sesi=" + camat).status, 401);
  auto [again, again_in] = SignIn("kabid", password);
  ASSERT_EQ(again_in.status, 303);
  clock_->Advance(absl::Minutes(29));
  EXPECT_EQ(Page("GET", "/api/v1/sesi", "pantau_sesi=" + again).status, 200);  // a request restarts the idle time
  clock_->Advance(absl::Minutes(30));
  EXPECT_EQ(Page("GET", "/api/v1/sesi", "pantau_sesi=" + again).status, 401);

  // The pages count their days from the server's today in the deployment's zone (WITA): at
  // 16:30 UTC on 24 November it is already the 25th, whatever the browser's clock says.
  EXPECT_EQ(who["today"], "2026-11-24");
  clock_->Set(TestNow() + absl::Hours(14) + absl::Minutes(30));
  auto [late, late_in] = SignIn("kabid", password);
  ASSERT_EQ(late_in.status, 303);
  EXPECT_EQ(absl::FormatTime("%Y-%m-%d %H:%M", clock_->Now(), absl::UTCTimeZone()), "2026-11-24 16:30");
  EXPECT_EQ(nlohmann::json::parse(Page("GET", "/api/v1/sesi", "pantau_sesi=" + late).body)["today"], "2026-11-25");
}

}  // namespace
}  // namespace pantau::http
