// The sync engine against a real in-process server (real gRPC, in-memory server storage) and a
// real laptop store in a temp dir.
#include "client/sync_engine.h"

#include <gtest/gtest.h>

#include "common/dates.h"
#include "server/running_server.h"
#include "server/storage/memory_storage.h"
#include "tests/testing/test_support.h"

namespace pantau::client {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::TempDir;
using ::pantau::testing::TestUlid;

class CountingSleeper final : public Sleeper {
 public:
  void Sleep(absl::Duration d) override {
    ++sleeps;
    total += d;
  }
  int sleeps = 0;
  absl::Duration total;
};

class SyncEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server::ServerOptions options;
    options.executor_threads = 2;
    auto started = server::RunningServer::Start(options, storage::NewMemoryStorage());
    ASSERT_THAT(started, IsOk());
    server_ = *std::move(started);
    ASSERT_THAT(server_->reference().Put(pantau::testing::TestReferenceData(), {}), IsOk());
    token_ = server_->accounts().Create("siti", v1::ROLE_INSPECTOR)->token;
    stub_ = v1::SyncService::NewStub(server_->InProcessChannel());
    auto store = LaptopStore::Open(dir_.path());
    ASSERT_THAT(store, IsOk());
    store_ = *std::move(store);
  }

  std::unique_ptr<SyncEngine> Engine(const std::string& token, size_t batch = 100) {
    SyncOptions options;
    options.token = token;
    options.batch_size = batch;
    options.max_attempts = 3;
    return std::make_unique<SyncEngine>(*store_, *stub_, options, sleeper_);
  }

  // Records observed now (the in-process server uses the real clock).
  std::vector<v1::Record> Records(int n, int bad_every = 0) {
    std::vector<v1::Record> out;
    const absl::Time now = absl::Now();
    for (int i = 0; i < n; ++i) {
      auto r = pantau::testing::PriceRecord(TestUlid(static_cast<uint64_t>(absl::ToUnixMillis(now)), i),
                                            13000 + i % 100, now);
      if (bad_every > 0 && i % bad_every == 0) r.mutable_price_sample()->set_price_rupiah(-1);
      out.push_back(r);
    }
    return out;
  }

  uint64_t ServerCount() { return (*server_->storage().records().CountByKind())[0]; }

  TempDir dir_;
  std::unique_ptr<server::RunningServer> server_;
  std::string token_;
  std::unique_ptr<v1::SyncService::Stub> stub_;
  std::unique_ptr<LaptopStore> store_;
  CountingSleeper sleeper_;
};

TEST_F(SyncEngineTest, DeliversEverythingAndKeepsRefusedRecordsWithReasons) {
  ASSERT_THAT(store_->AddNew(Records(2500, /*bad_every=*/100), absl::Now()), IsOk());
  std::vector<uint64_t> progress;
  auto summary = Engine(token_)->Push([&](const PushProgress& p) { progress.push_back(p.answered); });
  ASSERT_THAT(summary.status, IsOk());
  EXPECT_EQ(summary.progress.total, 2500u);
  EXPECT_EQ(summary.progress.acknowledged, 2475u);
  EXPECT_EQ(summary.progress.needs_attention, 25u);
  EXPECT_EQ(progress.size(), 25u);  // one report per batch of 100
  EXPECT_EQ(progress.back(), 2500u);
  EXPECT_EQ(ServerCount(), 2475u);
  auto counts = store_->Counts();
  EXPECT_EQ(counts->pending, 0u);
  EXPECT_EQ(counts->acknowledged, 2475u);
  EXPECT_EQ(counts->needs_attention, 25u);
  int with_reason = 0;
  ASSERT_THAT(store_->ScanAttention([&](const v1::OutboxEntry& e) {
    with_reason += e.errors_size() > 0 && e.errors(0).field() == "price_sample.price_rupiah";
    return true;
  }), IsOk());
  EXPECT_EQ(with_reason, 25);
  EXPECT_EQ(sleeper_.sleeps, 0);
}

// The answers were lost (a laptop restored from before the sync): the resend is all DUPLICATE,
// acknowledged, and the server still holds each record once.
TEST_F(SyncEngineTest, ResendingAfterLostAnswersDuplicatesNothing) {
  auto records = Records(700);
  ASSERT_THAT(store_->AddNew(records, absl::Now()), IsOk());
  ASSERT_THAT(Engine(token_)->Push().status, IsOk());
  store_.reset();
  TempDir other;
  auto fresh = LaptopStore::Open(other.path());
  ASSERT_THAT(fresh, IsOk());
  store_ = *std::move(fresh);
  ASSERT_THAT(store_->AddNew(records, absl::Now()), IsOk());
  auto summary = Engine(token_)->Push();
  ASSERT_THAT(summary.status, IsOk());
  EXPECT_EQ(summary.progress.acknowledged, 700u);
  EXPECT_EQ(ServerCount(), 700u);
}

TEST_F(SyncEngineTest, ARefusedTokenStopsAtOnceWithoutRetriesAndLosesNothing) {
  ASSERT_THAT(store_->AddNew(Records(10), absl::Now()), IsOk());
  auto summary = Engine("pantau_revoked")->Push();
  EXPECT_EQ(summary.status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(summary.retries, 0);
  EXPECT_EQ(sleeper_.sleeps, 0);
  EXPECT_EQ(store_->Counts()->pending, 10u);
}

TEST_F(SyncEngineTest, AnUnreachableServerIsRetriedWithBoundedBackoff) {
  ASSERT_THAT(store_->AddNew(Records(10), absl::Now()), IsOk());
  auto dead = v1::SyncService::NewStub(
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()));
  SyncOptions options;
  options.token = token_;
  options.max_attempts = 4;
  options.initial_backoff = absl::Milliseconds(100);
  options.max_backoff = absl::Milliseconds(300);
  options.stream_deadline = absl::Seconds(2);
  SyncEngine engine(*store_, *dead, options, sleeper_);
  auto summary = engine.Push();
  EXPECT_EQ(summary.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(summary.retries, 3);
  EXPECT_EQ(sleeper_.sleeps, 3);
  EXPECT_LE(sleeper_.total, absl::Milliseconds(100 + 200 + 300));
  EXPECT_EQ(store_->Counts()->pending, 10u);
}

TEST_F(SyncEngineTest, PullFetchesExactlyTheDeltaAfterTheCursor) {
  auto engine = Engine(token_);
  auto first = engine->Pull();
  ASSERT_THAT(first.status, IsOk());
  EXPECT_EQ(first.changes, pantau::testing::TestReferenceData().size());
  v1::ReferenceEntity market;
  market.mutable_market()->set_code("pasar_baru");
  market.mutable_market()->set_name("Pasar Baru");
  market.mutable_market()->set_kecamatan_code("marabahan");
  ASSERT_THAT(server_->reference().Put({market}, {}), IsOk());
  auto second = engine->Pull();
  ASSERT_THAT(second.status, IsOk());
  EXPECT_EQ(second.changes, 1u);
  EXPECT_EQ(second.cursor, first.cursor + 1);
  EXPECT_NE(store_->LoadCatalog()->FindMarket("pasar_baru"), nullptr);
  EXPECT_EQ(engine->Pull().changes, 0u);
}

TEST(SyncStatusTest, TransientCodesAreRetriedOthersAreNot) {
  EXPECT_TRUE(IsTransient(absl::UnavailableError("")));
  EXPECT_TRUE(IsTransient(absl::DeadlineExceededError("")));
  EXPECT_FALSE(IsTransient(absl::UnauthenticatedError("")));
  EXPECT_FALSE(IsTransient(absl::PermissionDeniedError("")));
  EXPECT_FALSE(IsTransient(absl::ResourceExhaustedError("")));
  EXPECT_EQ(FromGrpc(grpc::Status(grpc::StatusCode::UNAVAILABLE, "x")).code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace pantau::client
