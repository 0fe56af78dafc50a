// The gRPC surface on a real in-process server (in-memory storage, real gRPC stack).
#include "grpc/health/v1/health.grpc.pb.h"
#include <gtest/gtest.h>

#include <limits>
#include <thread>

#include "common/dates.h"
#include "server/running_server.h"
#include "server/storage/memory_storage.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/test_support.h"

namespace pantau::rpc {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::PriceRecord;
using ::pantau::testing::PullChanges;
using ::pantau::testing::PushBatches;
using ::pantau::testing::TestUlid;

class SyncRpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server::ServerOptions options;
    options.executor_threads = 4;
    auto started = server::RunningServer::Start(options, storage::NewMemoryStorage(),
                                                std::make_unique<service::FakeClock>(
                                                    pantau::testing::TestNow()));
    ASSERT_THAT(started, IsOk());
    server_ = *std::move(started);
    ASSERT_THAT(server_->reference().Put(pantau::testing::TestReferenceData(), {}), IsOk());
    inspector_ = server_->accounts().Create("siti", v1::ROLE_INSPECTOR)->token;
    supervisor_ = server_->accounts().Create("kabid", v1::ROLE_SUPERVISOR)->token;
    admin_ = server_->accounts().Create("admin", v1::ROLE_ADMIN)->token;
    auto channel = server_->InProcessChannel();
    sync_ = v1::SyncService::NewStub(channel);
    admin_stub_ = v1::AdminService::NewStub(channel);
  }

  std::vector<v1::Record> Batch(int first, int n) {
    std::vector<v1::Record> out;
    for (int i = first; i < first + n; ++i) out.push_back(PriceRecord(TestUlid(100, i), 13000 + i));
    return out;
  }

  uint64_t StoredPriceSamples() { return (*server_->storage().records().CountByKind())[0]; }

  std::unique_ptr<server::RunningServer> server_;
  std::string inspector_, supervisor_, admin_;
  std::unique_ptr<v1::SyncService::Stub> sync_;
  std::unique_ptr<v1::AdminService::Stub> admin_stub_;
};

TEST_F(SyncRpcTest, ReplayOfABatchIsAllDuplicateAndStoredOnce) {
  auto first = PushBatches(*sync_, inspector_, {Batch(0, 50)});
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  ASSERT_EQ(first.responses.size(), 1u);
  for (const auto& r : first.responses[0].results()) EXPECT_EQ(r.outcome(), v1::PUSH_OUTCOME_ACCEPTED);
  auto replay = PushBatches(*sync_, inspector_, {Batch(0, 50)});
  ASSERT_TRUE(replay.status.ok());
  for (const auto& r : replay.responses[0].results()) EXPECT_EQ(r.outcome(), v1::PUSH_OUTCOME_DUPLICATE);
  EXPECT_EQ(StoredPriceSamples(), 50u);
}

TEST_F(SyncRpcTest, TwoStreamsRacingWithTheSameIdsStoreEachOnce) {
  std::vector<std::vector<v1::Record>> batches;
  for (int b = 0; b < 10; ++b) batches.push_back(Batch(b * 100, 100));
  pantau::testing::PushResult a, b;
  std::thread ta([&] { a = PushBatches(*sync_, inspector_, batches); });
  std::thread tb([&] { b = PushBatches(*sync_, inspector_, batches); });
  ta.join();
  tb.join();
  ASSERT_TRUE(a.status.ok() && b.status.ok());
  int accepted = 0, duplicate = 0;
  for (const auto* result : {&a, &b}) {
    for (const auto& response : result->responses) {
      for (const auto& r : response.results()) {
        if (r.outcome() == v1::PUSH_OUTCOME_ACCEPTED) ++accepted;
        if (r.outcome() == v1::PUSH_OUTCOME_DUPLICATE) ++duplicate;
      }
    }
  }
  EXPECT_EQ(accepted, 1000);
  EXPECT_EQ(duplicate, 1000);
  EXPECT_EQ(StoredPriceSamples(), 1000u);
}

TEST_F(SyncRpcTest, SameIdWithDifferentContentIsConflictAndTheOriginalIsKept) {
  auto original = Batch(0, 1);
  ASSERT_TRUE(PushBatches(*sync_, inspector_, {original}).status.ok());
  auto changed = original;
  changed[0].mutable_price_sample()->set_price_rupiah(14000);
  auto result = PushBatches(*sync_, inspector_, {changed});
  ASSERT_EQ(result.responses.size(), 1u);
  const auto& r = result.responses[0].results(0);
  EXPECT_EQ(r.outcome(), v1::PUSH_OUTCOME_CONFLICT);
  EXPECT_EQ(r.errors(0).field(), "id");
  auto stored = server_->storage().records().Get(original[0].id());
  EXPECT_EQ((*stored)->record().price_sample().price_rupiah(), 13000);
}

TEST_F(SyncRpcTest, OneBadRecordDoesNotBlockItsBatch) {
  auto batch = Batch(0, 5);
  batch[2].mutable_price_sample()->set_commodity_code("beras_medum");
  auto result = PushBatches(*sync_, inspector_, {batch});
  ASSERT_EQ(result.responses.size(), 1u);
  const auto& results = result.responses[0].results();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(results[i].outcome(), i == 2 ? v1::PUSH_OUTCOME_INVALID : v1::PUSH_OUTCOME_ACCEPTED);
  }
  EXPECT_NE(results[2].message().find("did you mean beras_medium"), std::string::npos);
  EXPECT_EQ(StoredPriceSamples(), 4u);
}

TEST_F(SyncRpcTest, UnauthenticatedAndWrongRoleCallsAreRefused) {
  auto none = PushBatches(*sync_, "", {Batch(0, 1)});
  EXPECT_EQ(none.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  auto wrong = PushBatches(*sync_, "pantau_0000", {Batch(0, 1)});
  EXPECT_EQ(wrong.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // A supervisor may push corrections and voids only: a new price sample is refused record by record.
  auto supervisor = PushBatches(*sync_, supervisor_, {Batch(0, 1)});
  ASSERT_TRUE(supervisor.status.ok()) << supervisor.status.error_message();
  ASSERT_EQ(supervisor.responses.size(), 1u);
  EXPECT_EQ(supervisor.responses[0].results(0).outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_EQ(StoredPriceSamples(), 0u);

  v1::CreateAccountRequest create;
  create.set_name("baru");
  create.set_role(v1::ROLE_INSPECTOR);
  v1::CreateAccountResponse created;
  EXPECT_EQ(admin_stub_->CreateAccount(pantau::testing::AuthedContext(inspector_).get(), create, &created)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(admin_stub_->CreateAccount(pantau::testing::AuthedContext("").get(), create, &created)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(admin_stub_->CreateAccount(pantau::testing::AuthedContext(admin_).get(), create, &created).ok());
  EXPECT_FALSE(created.token().empty());

  v1::GetRecordCountsResponse counts;
  EXPECT_TRUE(admin_stub_
                  ->GetRecordCounts(pantau::testing::AuthedContext(supervisor_).get(), {}, &counts)
                  .ok());
  EXPECT_EQ(admin_stub_->GetRecordCounts(pantau::testing::AuthedContext(inspector_).get(), {}, &counts)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::PullResponse ignored;
  auto pull = PullChanges(*sync_, "", 0);
  EXPECT_EQ(pull.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(SyncRpcTest, PullReturnsExactlyTheChangesAfterACursorAndResumes) {
  const uint64_t base = server_->reference().catalog()->sequence();
  std::vector<v1::ReferenceEntity> markets;
  for (int i = 0; i < 1200; ++i) {  // more than two messages' worth
    auto& m = *markets.emplace_back().mutable_market();
    m.set_code("pasar_" + std::to_string(i));
    m.set_name("Pasar " + std::to_string(i));
    m.set_kecamatan_code("marabahan");
  }
  v1::PutReferenceRequest put;
  for (const auto& m : markets) *put.add_upserts() = m;
  v1::PutReferenceResponse put_response;
  ASSERT_TRUE(admin_stub_->PutReference(pantau::testing::AuthedContext(admin_).get(), put, &put_response).ok());
  EXPECT_EQ(put_response.changed(), 1200u);

  // Interrupted after the first message, then resumed from the last sequence received.
  auto first = PullChanges(*sync_, inspector_, base, /*max_messages=*/1);
  ASSERT_EQ(first.changes.size(), 500u);
  EXPECT_EQ(first.changes.front().sequence(), base + 1);
  auto rest = PullChanges(*sync_, inspector_, first.changes.back().sequence());
  ASSERT_TRUE(rest.status.ok());
  ASSERT_EQ(rest.changes.size(), 700u);
  EXPECT_EQ(rest.changes.front().sequence(), base + 501);
  EXPECT_EQ(rest.changes.back().sequence(), base + 1200);
  for (size_t i = 1; i < rest.changes.size(); ++i) {
    EXPECT_EQ(rest.changes[i].sequence(), rest.changes[i - 1].sequence() + 1);
  }
  // Re-sending the same data changes nothing; a later edit is exactly the delta.
  ASSERT_TRUE(admin_stub_->PutReference(pantau::testing::AuthedContext(admin_).get(), put, &put_response).ok());
  EXPECT_EQ(put_response.changed(), 0u);
  v1::PutReferenceRequest edit;
  *edit.add_upserts() = markets[7];
  edit.mutable_upserts(0)->mutable_market()->set_name("Pasar Tujuh");
  ASSERT_TRUE(admin_stub_->PutReference(pantau::testing::AuthedContext(admin_).get(), edit, &put_response).ok());
  auto delta = PullChanges(*sync_, inspector_, base + 1200);
  ASSERT_EQ(delta.changes.size(), 1u);
  EXPECT_EQ(delta.changes[0].entity().market().name(), "Pasar Tujuh");
  auto current = PullChanges(*sync_, inspector_, base + 1201);
  EXPECT_TRUE(current.changes.empty());
  EXPECT_EQ(current.messages, 1);  // an empty answer still says where the server is
  EXPECT_EQ(current.server_sequence, base + 1201);
}

TEST_F(SyncRpcTest, ACursorBeyondTheServersGetsNoChangeAndTheServersSequence) {
  const uint64_t base = server_->reference().catalog()->sequence();
  ASSERT_GT(base, 0u);
  // A laptop that pulled from a server later restored from an older backup, and a cursor at the
  // very end of the range (after + 1 must not wrap to 0 and return everything).
  for (uint64_t after : {base + 1, base + 1000, std::numeric_limits<uint64_t>::max() - 1,
                         std::numeric_limits<uint64_t>::max()}) {
    auto pulled = PullChanges(*sync_, inspector_, after);
    ASSERT_TRUE(pulled.status.ok()) << after;
    EXPECT_TRUE(pulled.changes.empty()) << after;
    EXPECT_EQ(pulled.messages, 1) << after;
    EXPECT_EQ(pulled.server_sequence, base) << after;
  }
}

TEST_F(SyncRpcTest, ALaptopRegistersOnceAndItsRecordsAreThenAccepted) {
  v1::RegisterDeviceRequest request;
  request.set_device_id("laptop-baru");
  v1::RegisterDeviceResponse response;
  ASSERT_TRUE(sync_->RegisterDevice(pantau::testing::AuthedContext(inspector_).get(), request, &response).ok());
  EXPECT_EQ(response.device().account_name(), "siti");
  auto record = Batch(0, 1);
  record[0].set_device_id("laptop-baru");
  auto result = PushBatches(*sync_, inspector_, {record});
  EXPECT_EQ(result.responses[0].results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED);
  auto other = server_->accounts().Create("budi", v1::ROLE_INSPECTOR)->token;
  EXPECT_EQ(sync_->RegisterDevice(pantau::testing::AuthedContext(other).get(), request, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(SyncRpcTest, AnOversizedBatchEndsTheStreamWithResourceExhausted) {
  auto result = PushBatches(*sync_, inspector_, {Batch(0, 1001)});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(StoredPriceSamples(), 0u);
}

TEST_F(SyncRpcTest, HealthReportsServing) {
  auto channel = server_->InProcessChannel();
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(health->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

}  // namespace
}  // namespace pantau::rpc
