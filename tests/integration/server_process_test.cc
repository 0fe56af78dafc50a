// End to end against the real `pantau-server` binary on a loopback port: real processes, real
// sockets, real RocksDB, real signals.
#include <signal.h>

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "common/dates.h"
#include "common/str_cat.h"
#include "server/storage/rocks_storage.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/process.h"
#include "tests/testing/test_support.h"

namespace pantau::integration {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::RunCommand;
using ::pantau::testing::ServerProcess;
using ::pantau::testing::TempDir;

const std::string kServer = PANTAU_SERVER_BINARY;
const std::string kReference = std::string(PANTAU_SOURCE_DIR) + "/deploy/reference";

std::string ReadToken(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  in >> token;
  return token;
}

class ServerProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.Sub("data");
    auto imported = RunCommand({kServer, "import-reference", "--data-dir", data_, kReference});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    auto added = RunCommand({kServer, "accounts", "add", "--data-dir", data_, "--name", "siti",
                             "--role", "inspector", "--token-file", dir_.Sub("siti.token")});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    token_ = ReadToken(dir_.Sub("siti.token"));
    ASSERT_FALSE(token_.empty());
    server_ = std::make_unique<ServerProcess>(kServer, data_, dir_.path());
  }

  std::unique_ptr<v1::SyncService::Stub> Connect() {
    return v1::SyncService::NewStub(
        grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
  }

  void RegisterLaptop(v1::SyncService::Stub& stub) {
    v1::RegisterDeviceRequest request;
    request.set_device_id("laptop-siti");
    v1::RegisterDeviceResponse response;
    auto status = stub.RegisterDevice(pantau::testing::AuthedContext(token_).get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // A valid price sample observed now, unique by (a, b).
  v1::Record Record(uint32_t a, uint32_t b) {
    auto r = pantau::testing::PriceRecord(pantau::testing::TestUlid(1000 + a, b), 13000 + b % 1000,
                                          absl::Now());
    r.mutable_price_sample()->set_market_code("pasar_marabahan");
    return r;
  }

  TempDir dir_;
  std::string data_;
  std::string token_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerProcessTest, ReplayAndRacingStreamsStoreEachRecordOnceOverRealSockets) {
  ASSERT_TRUE(server_->Start());
  auto stub = Connect();
  RegisterLaptop(*stub);
  std::vector<std::vector<v1::Record>> batches;
  for (uint32_t b = 0; b < 8; ++b) {
    auto& batch = batches.emplace_back();
    for (uint32_t i = 0; i < 250; ++i) batch.push_back(Record(b, i));
  }
  pantau::testing::PushResult r1, r2;
  std::thread t1([&] { r1 = pantau::testing::PushBatches(*stub, token_, batches); });
  std::thread t2([&] { r2 = pantau::testing::PushBatches(*Connect(), token_, batches); });
  t1.join();
  t2.join();
  ASSERT_TRUE(r1.status.ok()) << r1.status.error_message();
  ASSERT_TRUE(r2.status.ok()) << r2.status.error_message();
  int accepted = 0;
  for (const auto* r : {&r1, &r2}) {
    for (const auto& response : r->responses) {
      for (const auto& result : response.results()) {
        ASSERT_TRUE(result.outcome() == v1::PUSH_OUTCOME_ACCEPTED ||
                    result.outcome() == v1::PUSH_OUTCOME_DUPLICATE)
            << result.message();
        accepted += result.outcome() == v1::PUSH_OUTCOME_ACCEPTED;
      }
    }
  }
  EXPECT_EQ(accepted, 2000);
  auto replay = pantau::testing::PushBatches(*stub, token_, {batches[3]});
  for (const auto& result : replay.responses.at(0).results()) {
    EXPECT_EQ(result.outcome(), v1::PUSH_OUTCOME_DUPLICATE);
  }

  // SIGTERM: a clean stop, then `stats --json` reads exactly the stored counts.
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
  auto stats = RunCommand({kServer, "stats", "--data-dir", data_, "--json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_NE(stats.out.find("\"price_sample\": 2000"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("\"total_records\": 2000"), std::string::npos) << stats.out;

  // rebuild-rollups recomputes exactly what ingest maintained.
  auto dump = [&] {
    storage::RocksOptions options;
    options.path = data_;
    auto store = storage::OpenRocksStorage(options);
    EXPECT_THAT(store, IsOk());
    std::vector<std::string> cells;
    EXPECT_THAT((*store)->records().ScanRollups(std::string(1, '\0'), std::string(1, '\xff'),
                                                [&](std::string_view key, const v1::RollupCell& c) {
                                                  cells.push_back(std::string(key) + c.SerializeAsString());
                                                  return true;
                                                }),
                IsOk());
    return cells;
  };
  const auto incremental = dump();
  ASSERT_FALSE(incremental.empty());
  auto rebuilt = RunCommand({kServer, "rebuild-rollups", "--data-dir", data_});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_EQ(dump(), incremental);
}

// Pushers run flat out; the server is SIGKILLed at a random instant; every record acknowledged
// before the kill must be in the store after it. Repeated over several rounds on one data dir.
TEST_F(ServerProcessTest, EveryAcknowledgedRecordSurvivesSigkillAtRandomInstants) {
  std::random_device seed_source;
  const unsigned seed = seed_source();
  SCOPED_TRACE(StrCat("random seed ", seed));
  std::mt19937 random(seed);
  std::set<std::string> acknowledged;
  std::mutex mu;
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(StrCat("round ", round));
    ASSERT_TRUE(server_->Start()) << "server did not start; see " << server_->log_path();
    auto stub = Connect();
    if (round == 0) RegisterLaptop(*stub);
    std::atomic<bool> stop{false};
    std::vector<std::thread> pushers;
    for (uint32_t t = 0; t < 3; ++t) {
      pushers.emplace_back([&, t] {
        auto own = Connect();
        for (uint32_t b = 0; !stop.load(); ++b) {
          std::vector<v1::Record> batch;
          for (uint32_t i = 0; i < 200; ++i) batch.push_back(Record(round * 16 + t, b * 200 + i));
          auto result = pantau::testing::PushBatches(*own, token_, {batch});
          if (result.responses.empty()) break;  // the server is gone
          std::lock_guard lock(mu);
          for (const auto& r : result.responses[0].results()) {
            if (r.outcome() == v1::PUSH_OUTCOME_ACCEPTED || r.outcome() == v1::PUSH_OUTCOME_DUPLICATE) {
              acknowledged.insert(r.record_id());
            }
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + random() % 600));
    EXPECT_EQ(server_->Stop(SIGKILL), -SIGKILL);
    stop = true;
    for (auto& t : pushers) t.join();
  }
  ASSERT_GT(acknowledged.size(), 0u);

  storage::RocksOptions options;
  options.path = data_;
  auto store = storage::OpenRocksStorage(options);
  ASSERT_THAT(store, IsOk());
  size_t missing = 0;
  for (const auto& id : acknowledged) {
    auto got = (*store)->records().Get(id);
    ASSERT_THAT(got, IsOk());
    if (!got->has_value()) ++missing;
  }
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged records";
  auto counts = (*store)->records().CountByKind();
  ASSERT_THAT(counts, IsOk());
  EXPECT_GE((*counts)[0], acknowledged.size());  // unanswered batches may also have landed
  std::cerr << "acknowledged before kills: " << acknowledged.size() << ", stored: " << (*counts)[0]
            << "\n";
}

TEST_F(ServerProcessTest, PlaintextOffLoopbackIsRefusedAtStart) {
  auto result = RunCommand({kServer, "serve", "--data-dir", data_, "--grpc-listen", "0.0.0.0:0"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("loopback only"), std::string::npos) << result.err;
}

TEST_F(ServerProcessTest, AccountsAddPrintsTheTokenOnceAndNeverStoresIt) {
  auto added = RunCommand({kServer, "accounts", "add", "--data-dir", data_, "--name", "kabid",
                           "--role", "supervisor"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  std::string token = added.out.substr(0, added.out.find('\n'));
  EXPECT_EQ(token.rfind("pantau_", 0), 0u);
  auto listed = RunCommand({kServer, "accounts", "list", "--data-dir", data_});
  EXPECT_NE(listed.out.find("kabid\tsupervisor"), std::string::npos);
  EXPECT_EQ(listed.out.find(token), std::string::npos);
  auto bad = RunCommand({kServer, "accounts", "add", "--data-dir", data_, "--name", "x", "--role", "boss"});
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace pantau::integration
