// The Push handling of the server on any bytes: parse as a PushRequest (as the raw Push method
// does), ingest into an in-memory store with the bundled reference data, as an inspector
// assigned one kecamatan. No crash; one result per record; a stored record reads back with the
// fingerprint of what was sent; a replay of the same batch stores nothing new.
#include <cstdint>
#include <cstdlib>

#include "common/dates.h"
#include "server/service/ingest_service.h"
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
  std::unique_ptr<service::IngestService> ingest;
  Server() {
    reference = *service::ReferenceService::Create(storage->reference(), clock);
    if (!reference->Put(fuzz::BundledEntities(), {}).ok()) std::abort();
    ingest = std::make_unique<service::IngestService>(storage->records(), *reference, clock, service::IngestOptions{});
  }
};

Server& TheServer() {
  static Server* server = new Server();
  return *server;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  v1::PushRequest all;
  all.set_batch_number(1);
  std::vector<std::string> seeds;
  for (const auto& r : fuzz::SeedRecords(kNow)) {
    v1::PushRequest one;
    *one.add_records() = r;
    seeds.push_back(one.SerializeAsString());
    *all.add_records() = r;
  }
  seeds.push_back(all.SerializeAsString());
  fuzz::MaybeWriteSeedsAndExit(seeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::PushRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  Server& server = TheServer();
  v1::AccountScope scope;
  scope.add_kecamatan_codes("marabahan");
  const service::Principal siti("siti", v1::ROLE_INSPECTOR, scope);
  const int n = request.records_size();
  auto first = server.ingest->Push(siti, request);
  if (!first.ok()) {
    if (first.status().code() != absl::StatusCode::kResourceExhausted) std::abort();
    return 0;
  }
  if (first->results_size() != n) std::abort();
  for (const auto& result : first->results()) {
    if (result.outcome() == v1::PUSH_OUTCOME_INVALID && result.errors_size() == 0) std::abort();
    if (result.outcome() == v1::PUSH_OUTCOME_ACCEPTED) {
      auto stored = server.storage->records().Get(result.record_id());
      if (!stored.ok() || !stored->has_value()) std::abort();
      if ((*stored)->record().author() != "siti") std::abort();
    }
  }
  auto replay = server.ingest->Push(siti, request);
  if (!replay.ok()) std::abort();
  for (const auto& result : replay->results()) {
    if (result.outcome() == v1::PUSH_OUTCOME_ACCEPTED) std::abort();  // retries never store twice
  }
  return 0;
}
