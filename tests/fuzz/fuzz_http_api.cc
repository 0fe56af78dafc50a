// The HTTP request handling on any request target, with each kind of caller (no token, a forged
// one, inspector, supervisor, a kecamatan-limited supervisor, monitor), over an in-memory store
// holding the bundled reference data and the seed records. No crash; never a 500; every answer
// has a status the API documents; every error body is JSON with a code and a message.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "common/dates.h"
#include "server/http/api.h"
#include "server/service/account_service.h"
#include "server/service/ingest_service.h"
#include "server/service/photo_service.h"
#include "server/service/query_service.h"
#include "server/service/reference_service.h"
#include "server/storage/memory_storage.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace pantau;
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 11, 24, 10, 0, 0), common::ZoneWithoutDeployment());

struct Server {
  service::FakeClock clock{kNow};
  std::unique_ptr<storage::Storage> storage = storage::NewMemoryStorage();
  std::unique_ptr<service::ReferenceService> reference;
  std::unique_ptr<service::AccountService> accounts;
  std::unique_ptr<service::QueryService> queries;
  std::unique_ptr<service::PhotoService> photos;
  service::Metrics metrics;
  std::unique_ptr<http::Api> api;
  std::vector<std::string> tokens;  // "", forged, then one per account
  Server() {
    reference = *service::ReferenceService::Create(storage->reference(), clock);
    if (!reference->Put(fuzz::BundledEntities(), {}).ok()) std::abort();
    service::ThrottleOptions throttle;
    throttle.free_failures = 1 << 30;  // the fuzzer fails sign-ins on purpose
    accounts = std::make_unique<service::AccountService>(storage->accounts(), storage->audit(), *reference, clock,
                                                         throttle);
    service::IngestService ingest(storage->records(), *reference, clock, service::IngestOptions{});
    v1::PushRequest seeds;
    for (const auto& r : fuzz::SeedRecords(kNow)) *seeds.add_records() = r;
    if (!ingest.Push(service::Principal("siti", v1::ROLE_INSPECTOR), seeds).ok()) std::abort();
    queries = std::make_unique<service::QueryService>(storage->records(), *reference, clock, service::IkkSettings{});
    photos = std::make_unique<service::PhotoService>(storage->photos(), 8 << 20);
    if (!storage->photos().Finish(std::string(64, 'a'), "\xff\xd8\xff\xe0 fuzz").ok()) std::abort();
    api = std::make_unique<http::Api>(http::Api::Dependencies{
        *accounts, *queries, *reference, metrics, [] { return absl::OkStatus(); },
        [] { return service::Metrics::Sample{}; }, clock, {}, photos.get()});
    tokens = {"", "pantau_" + std::string(64, '0')};
    v1::AccountScope marabahan;
    marabahan.add_kecamatan_codes("marabahan");
    for (auto [name, role, scope] : {std::tuple{"siti", v1::ROLE_INSPECTOR, v1::AccountScope{}},
                                     std::tuple{"kabid", v1::ROLE_SUPERVISOR, v1::AccountScope{}},
                                     std::tuple{"camat", v1::ROLE_SUPERVISOR, marabahan},
                                     std::tuple{"prometheus", v1::ROLE_MONITOR, v1::AccountScope{}}}) {
      auto created = accounts->Create(name, role, std::nullopt, scope, {"admin", "local"});
      if (!created.ok()) std::abort();
      tokens.push_back(created->token);
    }
  }
};

Server& TheServer() {
  static Server* server = new Server();
  return *server;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::vector<std::string> seeds;
  for (const char* target :
       {"/healthz", "/readyz", "/metrics", "/api/v1", "/api/v1/indicators?period=2026",
        "/api/v1/indicators.csv?period=2026-Q4", "/api/v1/prices?commodity_code=beras_medium&from=2026-11-01&to=2026-11-30",
        "/api/v1/prices.csv?commodity_code=beras%5Fmedium&from=2026-11-01&to=2026-11-30&by=week",
        "/api/v1/price-stability?from=2026-01-01&to=2026-12-31&by=month", "/api/v1/coverage?weekdays=selasa,kamis",
        "/api/v1/violations?status=terbuka", "/api/v1/uttp-due?within_days=30&include_valid=1",
        "/api/v1/uttp-verifications.json?discrepancies_only=true", "/api/v1/harga?x=%zz", "/api/v1/isian-ikk",
        "/masuk", "/api/v1/sesi", "/api/v1/photo/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "/api/v1/photo/..%2f"}) {
    for (char who = 0; who < 6; ++who) seeds.push_back(std::string(1, who) + target);
  }
  fuzz::MaybeWriteSeedsAndExit(seeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Server& server = TheServer();
  http::Request request;
  request.method = (data[0] & 0x80) ? "POST" : "GET";
  const std::string& token = server.tokens[(data[0] & 0x7f) % server.tokens.size()];
  if (!token.empty()) request.authorization = "Bearer " + token;
  request.target.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  request.peer = "ipv4:10.0.0.1";
  request.request_id = "fuzz";
  // No xlsx from the fuzzer: each one writes a temporary workbook, which is slow, not interesting.
  if (request.target.find(".xlsx") != std::string::npos) return 0;
  const http::Response response = server.api->Handle(request);
  // 303: the dashboard's redirects (to its sign-in form, after sign-in and sign-out; docs/dashboard.md).
  static const std::set<int> kDocumented = {200, 303, 400, 401, 403, 404, 405, 429, 503};
  if (kDocumented.count(response.status) == 0) std::abort();  // a 500 is a bug
  if (response.status >= 400 && response.content_type == "application/json") {
    auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object() || !body["error"]["code"].is_string() || !body["error"]["message"].is_string()) std::abort();
  }
  return 0;
}
