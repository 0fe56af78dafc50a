// Security over real gRPC on a loopback TCP port with a RocksDB store: every RPC for every kind of
// caller (the role x RPC matrix, revoked and expired tokens), back-off after repeated failed
// sign-ins, the audit log, and a catalogue of malformed, oversized and adversarial input — each
// answered with a clear error while the server keeps serving everyone else.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "pantau/v1/query_service.grpc.pb.h"
#include "server/running_server.h"
#include "server/service/digest.h"
#include "server/storage/rocks_storage.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/test_support.h"

namespace pantau::rpc {
namespace {

using ::pantau::testing::AuthedContext;
using ::pantau::testing::IsOk;
using ::pantau::testing::PriceRecord;
using ::pantau::testing::PushBatches;
using ::pantau::testing::TestNow;
using ::pantau::testing::TestUlid;
using grpc::StatusCode;

class SecurityTest : public ::testing::Test {
 protected:
  void Start(server::ServerOptions options) {
    options.grpc_listen = "127.0.0.1:0";
    options.executor_threads = 4;
    storage::RocksOptions rocks;
    rocks.path = dir_.Sub("db");
    auto store = storage::OpenRocksStorage(rocks);
    ASSERT_THAT(store, IsOk());
    auto clock = std::make_unique<service::FakeClock>(TestNow());
    clock_ = clock.get();
    auto started = server::RunningServer::Start(options, *std::move(store), std::move(clock));
    ASSERT_THAT(started, IsOk());
    server_ = *std::move(started);
    ASSERT_THAT(server_->reference().Put(pantau::testing::TestReferenceData(), {}), IsOk());
    grpc::ChannelArguments args;
    args.SetMaxSendMessageSize(64 << 20);
    channel_ = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(server_->grpc_port()),
                                         grpc::InsecureChannelCredentials(), args);
    sync_ = v1::SyncService::NewStub(channel_);
    query_ = v1::QueryService::NewStub(channel_);
    admin_ = v1::AdminService::NewStub(channel_);
    tokens_["inspector"] = server_->accounts().Create("siti", v1::ROLE_INSPECTOR)->token;
    tokens_["supervisor"] = server_->accounts().Create("kabid", v1::ROLE_SUPERVISOR)->token;
    tokens_["admin"] = server_->accounts().Create("admin", v1::ROLE_ADMIN)->token;
    tokens_["monitor"] = server_->accounts().Create("prometheus", v1::ROLE_MONITOR)->token;
  }

  // A normal push by siti: one record, accepted. Proves the server still serves.
  void ExpectServing(uint32_t n) {
    auto pushed = PushBatches(*sync_, tokens_["inspector"], {{PriceRecord(TestUlid(900, n), 13100)}});
    ASSERT_TRUE(pushed.status.ok()) << pushed.status.error_message();
    ASSERT_EQ(pushed.responses.size(), 1u);
    EXPECT_EQ(pushed.responses[0].results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED)
        << pushed.responses[0].results(0).message();
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckResponse health;
    ASSERT_TRUE(grpc::health::v1::Health::NewStub(channel_)->Check(&context, {}, &health).ok());
    EXPECT_EQ(health.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  }

  // Sends raw bytes as the messages of a call to `method` and returns its status.
  grpc::Status RawCall(const std::string& method, const std::vector<std::string>& messages, const std::string& token) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    grpc::CompletionQueue cq;
    auto call = stub.PrepareCall(&context, method, &cq);
    void* tag = nullptr;
    bool ok = false;
    auto step = [&](intptr_t want) {
      EXPECT_TRUE(cq.Next(&tag, &ok));
      EXPECT_EQ(reinterpret_cast<intptr_t>(tag), want);
      return ok;
    };
    call->StartCall(reinterpret_cast<void*>(1));
    bool open = step(1);
    for (const auto& m : messages) {
      if (!open) break;
      grpc::Slice slice(m);
      grpc::ByteBuffer buffer(&slice, 1);
      call->Write(buffer, reinterpret_cast<void*>(2));
      open = step(2);
    }
    if (open) {
      call->WritesDone(reinterpret_cast<void*>(3));
      (void)step(3);
    }
    grpc::ByteBuffer reply;
    while (true) {
      call->Read(&reply, reinterpret_cast<void*>(4));
      if (!step(4)) break;
    }
    grpc::Status status;
    call->Finish(&status, reinterpret_cast<void*>(5));
    (void)step(5);
    return status;
  }

  pantau::testing::TempDir dir_;
  service::FakeClock* clock_ = nullptr;
  std::unique_ptr<server::RunningServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::SyncService::Stub> sync_;
  std::unique_ptr<v1::QueryService::Stub> query_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::map<std::string, std::string> tokens_;
};

// Every RPC, called with `token`; returns the call's status code.
using Rpc = std::function<StatusCode(const std::string& token)>;

template <typename Request, typename Response, typename Stub, typename Method>
Rpc Unary(Stub& stub, Method method, Request request = {}) {
  return [&stub, method, request](const std::string& token) {
    auto context = AuthedContext(token, 20);
    Response response;
    return (stub.*method)(context.get(), request, &response).error_code();
  };
}

template <typename Request, typename Response, typename Stub, typename Method>
Rpc ServerStream(Stub& stub, Method method, Request request = {}) {
  return [&stub, method, request](const std::string& token) {
    auto context = AuthedContext(token, 20);
    auto reader = (stub.*method)(context.get(), request);
    Response response;
    while (reader->Read(&response)) {
    }
    return reader->Finish().error_code();
  };
}

TEST_F(SecurityTest, EveryRpcAnswersEachKindOfCallerAsItsRoleAllows) {
  server::ServerOptions options;
  options.throttle.free_failures = 100000;  // this test fails on purpose many times
  Start(options);
  // A revoked token, an expired one, and two that never were.
  auto revoked = server_->accounts().Create("mantan", v1::ROLE_ADMIN);
  ASSERT_THAT(server_->accounts().Revoke("mantan", {"admin", "local"}), IsOk());
  auto expiring = server_->accounts().Create("magang", v1::ROLE_ADMIN, TestNow() + absl::Hours(1), {}, {"admin", "local"});
  ASSERT_THAT(expiring, IsOk());
  clock_->Advance(absl::Hours(2));
  tokens_["revoked"] = revoked->token;
  tokens_["expired"] = expiring->token;
  tokens_["none"] = "";
  tokens_["forged"] = "pantau_" + std::string(64, '0');

  v1::CreateBackupRequest backup_request;
  backup_request.set_backup_dir(dir_.Sub("matrix-backups"));
  auto& s = *sync_;
  auto& q = *query_;
  auto& a = *admin_;
  using S = v1::SyncService::Stub;
  using Q = v1::QueryService::Stub;
  using A = v1::AdminService::Stub;
  const std::set<std::string> everyone{"inspector", "supervisor", "admin"},
      readers{"supervisor", "admin"}, admins{"admin"};
  struct Entry {
    std::string name;
    Rpc call;
    std::set<std::string> allowed;
  };
  std::vector<Entry> matrix = {
      {"SyncService.Push",
       [&](const std::string& token) { return PushBatches(s, token, {{}}).status.error_code(); }, everyone},
      {"SyncService.Pull", ServerStream<v1::PullRequest, v1::PullResponse>(s, &S::Pull), everyone},
      {"SyncService.RegisterDevice",
       Unary<v1::RegisterDeviceRequest, v1::RegisterDeviceResponse>(s, &S::RegisterDevice), everyone},
      {"SyncService.GetPhotoUploadStatus",
       Unary<v1::PhotoStatusRequest, v1::PhotoStatusResponse>(s, &S::GetPhotoUploadStatus), everyone},
      {"SyncService.UploadPhoto",
       [&](const std::string& token) {
         auto context = AuthedContext(token, 20);
         v1::PhotoReceipt receipt;
         auto writer = s.UploadPhoto(context.get(), &receipt);
         writer->WritesDone();
         return writer->Finish().error_code();
       },
       everyone},
      {"QueryService.GetIndicatorTable",
       Unary<v1::GetIndicatorTableRequest, v1::GetIndicatorTableResponse>(q, &Q::GetIndicatorTable), readers},
      {"QueryService.GetPriceStatistics",
       Unary<v1::GetPriceStatisticsRequest, v1::GetPriceStatisticsResponse>(q, &Q::GetPriceStatistics), readers},
      {"QueryService.GetPriceStability",
       Unary<v1::GetPriceStabilityRequest, v1::GetPriceStabilityResponse>(q, &Q::GetPriceStability), readers},
      {"QueryService.GetCoverage", Unary<v1::GetCoverageRequest, v1::GetCoverageResponse>(q, &Q::GetCoverage),
       readers},
      {"QueryService.ListViolations",
       Unary<v1::ListViolationsRequest, v1::ListViolationsResponse>(q, &Q::ListViolations), readers},
      {"QueryService.ListUttpDue", Unary<v1::ListUttpDueRequest, v1::ListUttpDueResponse>(q, &Q::ListUttpDue),
       readers},
      {"QueryService.ListUttpVerifications",
       Unary<v1::ListUttpVerificationsRequest, v1::ListUttpVerificationsResponse>(q, &Q::ListUttpVerifications),
       readers},
      {"QueryService.ListAudits", Unary<v1::ListAuditsRequest, v1::ListAuditsResponse>(q, &Q::ListAudits),
       readers},
      {"QueryService.ListAlerts", Unary<v1::ListAlertsRequest, v1::ListAlertsResponse>(q, &Q::ListAlerts),
       readers},
      {"QueryService.GetFieldActivity",
       Unary<v1::GetFieldActivityRequest, v1::GetFieldActivityResponse>(q, &Q::GetFieldActivity), readers},
      {"QueryService.GetPhoto", ServerStream<v1::GetPhotoRequest, v1::PhotoChunk>(q, &Q::GetPhoto), readers},
      {"QueryService.ExportRecords",
       ServerStream<v1::ExportRecordsRequest, v1::ExportRecordsResponse>(q, &Q::ExportRecords), readers},
      {"AdminService.PutReference", Unary<v1::PutReferenceRequest, v1::PutReferenceResponse>(a, &A::PutReference),
       admins},
      {"AdminService.ExportReference",
       Unary<v1::ExportReferenceRequest, v1::ExportReferenceResponse>(a, &A::ExportReference), admins},
      {"AdminService.ApplyReference",
       Unary<v1::ApplyReferenceRequest, v1::ApplyReferenceResponse>(a, &A::ApplyReference), admins},
      {"AdminService.CreateAccount",
       Unary<v1::CreateAccountRequest, v1::CreateAccountResponse>(a, &A::CreateAccount), admins},
      {"AdminService.ListAccounts", Unary<v1::ListAccountsRequest, v1::ListAccountsResponse>(a, &A::ListAccounts),
       admins},
      {"AdminService.RevokeAccount",
       Unary<v1::RevokeAccountRequest, v1::RevokeAccountResponse>(a, &A::RevokeAccount), admins},
      {"AdminService.RotateToken", Unary<v1::RotateTokenRequest, v1::RotateTokenResponse>(a, &A::RotateToken),
       admins},
      {"AdminService.SetAccountScope",
       Unary<v1::SetAccountScopeRequest, v1::SetAccountScopeResponse>(a, &A::SetAccountScope), admins},
      {"AdminService.SetPassword", Unary<v1::SetPasswordRequest, v1::SetPasswordResponse>(a, &A::SetPassword), admins},
      {"AdminService.ListAuditLog", Unary<v1::ListAuditLogRequest, v1::ListAuditLogResponse>(a, &A::ListAuditLog),
       admins},
      {"AdminService.GetRecordCounts",
       Unary<v1::GetRecordCountsRequest, v1::GetRecordCountsResponse>(a, &A::GetRecordCounts), readers},
      {"AdminService.CreateBackup",
       Unary<v1::CreateBackupRequest, v1::CreateBackupResponse>(a, &A::CreateBackup, backup_request), admins},
  };
  // Every RPC of the three services is in the matrix.
  size_t methods = 0;
  for (const char* name : {"pantau.v1.SyncService", "pantau.v1.QueryService", "pantau.v1.AdminService"}) {
    const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    methods += static_cast<size_t>(service->method_count());
  }
  EXPECT_EQ(matrix.size(), methods);

  for (const auto& entry : matrix) {
    // A monitor token (for Prometheus) reads /metrics and nothing over gRPC.
    for (const std::string who :
         {"none", "forged", "revoked", "expired", "inspector", "supervisor", "admin", "monitor"}) {
      SCOPED_TRACE(entry.name + " as " + who);
      const StatusCode code = entry.call(tokens_[who]);
      if (who == "none" || who == "forged" || who == "revoked" || who == "expired") {
        EXPECT_EQ(code, StatusCode::UNAUTHENTICATED);
      } else if (entry.allowed.count(who) > 0) {
        EXPECT_NE(code, StatusCode::UNAUTHENTICATED);
        EXPECT_NE(code, StatusCode::PERMISSION_DENIED);
      } else {
        EXPECT_EQ(code, StatusCode::PERMISSION_DENIED);
      }
    }
  }
}

TEST_F(SecurityTest, RepeatedFailedSignInsBackOffAndTheAuditLogShowsThemWithoutTokens) {
  server::ServerOptions options;
  options.throttle.free_failures = 3;
  Start(options);
  const std::string guess = "pantau_" + std::string(64, 'f');
  for (int i = 0; i < 4; ++i) {
    auto context = AuthedContext(guess);
    v1::GetRecordCountsResponse counts;
    EXPECT_EQ(admin_->GetRecordCounts(context.get(), {}, &counts).error_code(), StatusCode::UNAUTHENTICATED);
  }
  // From this address even the right token waits now.
  auto context = AuthedContext(tokens_["admin"]);
  v1::ListAuditLogResponse log;
  grpc::Status blocked = admin_->ListAuditLog(context.get(), {}, &log);
  EXPECT_EQ(blocked.error_code(), StatusCode::UNAVAILABLE);
  EXPECT_NE(blocked.error_message().find("too many failed sign-ins"), std::string::npos) << blocked.error_message();
  clock_->Advance(absl::Seconds(1));
  auto later = AuthedContext(tokens_["admin"]);
  grpc::Status read = admin_->ListAuditLog(later.get(), {}, &log);
  ASSERT_TRUE(read.ok()) << read.error_message();
  int failures = 0, blocks = 0;
  for (const auto& e : log.entries()) {
    EXPECT_EQ(e.SerializeAsString().find(std::string(16, 'f')), std::string::npos) << e.DebugString();
    for (const auto& [role, token] : tokens_) {
      EXPECT_EQ(e.SerializeAsString().find(token.substr(7, 16)), std::string::npos) << role;
    }
    if (e.action() == "auth.failure") {
      ++failures;
      EXPECT_EQ(e.peer(), "ipv4:127.0.0.1");
    }
    if (e.action() == "auth.blocked") ++blocks;
  }
  EXPECT_EQ(failures, 4);
  EXPECT_EQ(blocks, 1);
  ExpectServing(1);
}

TEST_F(SecurityTest, AdminRpcsRotateRevokeAndScopeAccountsAndLogEachAction) {
  Start({});
  auto create = AuthedContext(tokens_["admin"]);
  v1::CreateAccountRequest request;
  request.set_name("rudi");
  request.set_role(v1::ROLE_INSPECTOR);
  request.mutable_scope()->add_kecamatan_codes("marabahan");
  v1::CreateAccountResponse created;
  ASSERT_TRUE(admin_->CreateAccount(create.get(), request, &created).ok());
  ASSERT_FALSE(created.token().empty());
  EXPECT_EQ(created.account().scope().kecamatan_codes(0), "marabahan");

  auto rotate = AuthedContext(tokens_["admin"]);
  v1::RotateTokenRequest rotation;
  rotation.set_name("rudi");
  v1::RotateTokenResponse rotated;
  ASSERT_TRUE(admin_->RotateToken(rotate.get(), rotation, &rotated).ok());
  auto pull_old = pantau::testing::PullChanges(*sync_, created.token(), 0);
  EXPECT_EQ(pull_old.status.error_code(), StatusCode::UNAUTHENTICATED);
  auto pull_new = pantau::testing::PullChanges(*sync_, rotated.token(), 0);
  EXPECT_TRUE(pull_new.status.ok()) << pull_new.status.error_message();

  auto revoke = AuthedContext(tokens_["admin"]);
  v1::RevokeAccountRequest revocation;
  revocation.set_name("rudi");
  v1::RevokeAccountResponse revoked;
  ASSERT_TRUE(admin_->RevokeAccount(revoke.get(), revocation, &revoked).ok());
  EXPECT_TRUE(revoked.account().disabled());
  EXPECT_EQ(pantau::testing::PullChanges(*sync_, rotated.token(), 0).status.error_code(), StatusCode::UNAUTHENTICATED);

  auto list = AuthedContext(tokens_["admin"]);
  v1::ListAuditLogRequest since;
  v1::ListAuditLogResponse log;
  ASSERT_TRUE(admin_->ListAuditLog(list.get(), since, &log).ok());
  std::vector<std::string> actions;
  for (const auto& e : log.entries()) {
    if (e.actor() == "admin") actions.push_back(e.action() + " " + e.target());
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"account.create rudi", "token.rotate rudi", "account.revoke rudi"}));
  for (const auto& e : log.entries()) {
    EXPECT_EQ(e.SerializeAsString().find(created.token().substr(7)), std::string::npos);
    EXPECT_EQ(e.SerializeAsString().find(rotated.token().substr(7)), std::string::npos);
  }
}

TEST_F(SecurityTest, MalformedOversizedAndAdversarialInputGetsClearErrorsAndTheServerServesOn) {
  server::ServerOptions options;
  options.max_message_bytes = 1 << 20;
  Start(options);
  const std::string& siti = tokens_["inspector"];

  // A batch mixing a huge string, negative and overflowing numbers with a good record: each bad
  // record is refused naming its field; the good one is stored.
  auto huge = PriceRecord(TestUlid(1, 1), 13100);
  huge.mutable_price_sample()->set_trader(std::string(200000, 'x'));
  auto negative = PriceRecord(TestUlid(1, 2), -13100);
  auto overflowing = PriceRecord(TestUlid(1, 3), INT64_MAX);
  auto good = PriceRecord(TestUlid(1, 4), 13100);
  v1::Record extreme_uttp = PriceRecord(TestUlid(1, 5), 0);
  auto* u = extreme_uttp.mutable_uttp_verification();
  u->set_instrument_id("UTTP-1");
  u->set_kind(v1::VERIFICATION_KIND_TERA_ULANG);
  u->set_accuracy_class("III");
  u->set_max_mg(INT64_MAX);
  u->set_min_mg(INT64_MIN);
  u->set_e_mg(INT64_MAX);
  u->set_d_mg(INT64_MAX);
  auto* point = u->add_weighing_points();
  point->set_load_mg(INT64_MAX);
  point->set_indication_mg(INT64_MIN);
  point->set_changepoint_mg(INT64_MAX);
  auto* range = u->add_ranges();
  range->set_max_mg(INT64_MAX);
  range->set_e_mg(INT64_MIN);
  v1::Record deep_ids = PriceRecord(std::string(5000, 'Z'), 13100);
  auto mixed = PushBatches(*sync_, siti, {{huge, negative, overflowing, good, extreme_uttp, deep_ids}});
  ASSERT_TRUE(mixed.status.ok()) << mixed.status.error_message();
  const auto& results = mixed.responses.at(0).results();
  ASSERT_EQ(results.size(), 6);
  const std::vector<std::string> expected_fields = {"price_sample.trader", "price_sample.price_rupiah",
                                                     "price_sample.price_rupiah", "", "uttp_verification", "id"};
  for (int i = 0; i < 6; ++i) {
    SCOPED_TRACE(i);
    if (i == 3) {
      EXPECT_EQ(results[i].outcome(), v1::PUSH_OUTCOME_ACCEPTED) << results[i].message();
      continue;
    }
    EXPECT_EQ(results[i].outcome(), v1::PUSH_OUTCOME_INVALID);
    ASSERT_GT(results[i].errors_size(), 0);
    EXPECT_EQ(results[i].errors(0).field().rfind(expected_fields[i], 0), 0u) << results[i].message();
    EXPECT_FALSE(results[i].errors(0).reason().empty());
    EXPECT_LT(results[i].message().size(), 4000u);  // the error does not echo a huge input back
  }
  ExpectServing(1);

  // A batch over the record limit is refused whole with the limit named.
  std::vector<v1::Record> too_many;
  for (uint32_t i = 0; i < 1001; ++i) too_many.push_back(PriceRecord(TestUlid(2, i), 13100));
  auto refused = PushBatches(*sync_, siti, {too_many});
  EXPECT_EQ(refused.status.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.status.error_message().find("over the limit of 1000"), std::string::npos);
  ExpectServing(2);

  // A message over the size limit is refused by the transport.
  v1::PushRequest big;
  for (int i = 0; i < 20; ++i) {
    auto r = PriceRecord(TestUlid(3, static_cast<uint32_t>(i)), 13100);
    r.set_note(std::string(64 << 10, 'n'));
    *big.add_records() = r;
  }
  EXPECT_EQ(RawCall("/pantau.v1.SyncService/Push", {big.SerializeAsString()}, siti).error_code(),
            StatusCode::RESOURCE_EXHAUSTED);
  ExpectServing(3);

  // Bytes that are not a PushRequest: invalid UTF-8 in a string, nesting past the parser's
  // limit, a message cut in the middle of a field.
  v1::PushRequest valid;
  *valid.add_records() = PriceRecord(TestUlid(4, 1), 13100);
  std::string bytes = valid.SerializeAsString();
  std::string invalid_utf8 = bytes;
  const size_t at = invalid_utf8.find("Bu Ani");
  ASSERT_NE(at, std::string::npos);
  invalid_utf8[at] = '\xC3';
  invalid_utf8[at + 1] = '\x28';
  // 2 000 nested groups of an unknown field (15): the parser recurses into groups, and stops at
  // its depth limit.
  const std::string deep = std::string(2000, '\x7B') + std::string(2000, '\x7C');
  const std::string truncated = bytes.substr(0, bytes.size() / 2);
  for (const auto& [name, message] : std::vector<std::pair<std::string, std::string>>{
           {"invalid UTF-8", invalid_utf8}, {"deep nesting", deep}, {"truncated", truncated}}) {
    SCOPED_TRACE(name);
    grpc::Status status = RawCall("/pantau.v1.SyncService/Push", {message}, siti);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_NE(status.error_message().find("message 1 of this push is not a PushRequest"), std::string::npos)
        << status.error_message();
    grpc::Status unary = RawCall("/pantau.v1.AdminService/PutReference", {message}, tokens_["admin"]);
    EXPECT_FALSE(unary.ok());
  }
  EXPECT_FALSE(server_->storage().records().Get(TestUlid(4, 1))->has_value());
  ExpectServing(4);

  // A stream dropped mid-way: the laptop sends a batch and vanishes without reading the answer.
  {
    auto context = AuthedContext(siti);
    auto stream = sync_->Push(context.get());
    v1::PushRequest request;
    *request.add_records() = PriceRecord(TestUlid(5, 1), 13100);
    ASSERT_TRUE(stream->Write(request));
    context->TryCancel();
    (void)stream->Finish();
  }
  ExpectServing(5);
}

TEST_F(SecurityTest, StreamsOverTheServerWideCapAreRefusedUntilOneCloses) {
  server::ServerOptions options;
  options.max_streams = 3;
  Start(options);
  const std::string& siti = tokens_["inspector"];
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReaderWriter<v1::PushRequest, v1::PushResponse>>> streams;
  for (int i = 0; i < 3; ++i) {
    contexts.push_back(AuthedContext(siti));
    streams.push_back(sync_->Push(contexts.back().get()));
    // One empty batch answered proves the stream is open and holding its slot.
    v1::PushRequest empty;
    ASSERT_TRUE(streams.back()->Write(empty));
    v1::PushResponse answer;
    ASSERT_TRUE(streams.back()->Read(&answer));
  }
  auto fourth = PushBatches(*sync_, siti, {{PriceRecord(TestUlid(1, 1), 13100)}});
  EXPECT_EQ(fourth.status.error_code(), StatusCode::UNAVAILABLE);
  EXPECT_NE(fourth.status.error_message().find("maximum of 3 streams"), std::string::npos);
  // Counted by reason in /metrics (and logged, rate-limited).
  const std::string metrics = server_->metrics().Render(server_->SampleMetrics());
  EXPECT_NE(metrics.find("pantau_refused_total{reason=\"stream_cap\"} 1\n"), std::string::npos) << metrics;
  // Unary calls are not streams: a supervisor still reads.
  auto context = AuthedContext(tokens_["supervisor"]);
  v1::GetRecordCountsResponse counts;
  EXPECT_TRUE(admin_->GetRecordCounts(context.get(), {}, &counts).ok());
  ASSERT_TRUE(streams[0]->WritesDone());
  EXPECT_TRUE(streams[0]->Finish().ok());
  streams.erase(streams.begin());
  // The slot comes back when the server has finished with the stream.
  bool served = false;
  for (int attempt = 0; attempt < 50 && !served; ++attempt) {
    auto again = PushBatches(*sync_, siti, {{PriceRecord(TestUlid(1, 2), 13100)}});
    served = again.status.ok();
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(served);
  for (auto& s : streams) {
    s->WritesDone();
    (void)s->Finish();
  }
}

// An account revoked, rotated or expired while its streams are open: the next batch, chunk or
// message ends the stream with UNAUTHENTICATED; a changed scope applies from the next batch on.
TEST_F(SecurityTest, RevocationRotationExpiryAndScopeReachStreamsAlreadyOpen) {
  Start(server::ServerOptions{});
  const service::Actor admin{"admin", "local"};
  // An inspector account with its laptop registered.
  auto inspector = [&](const std::string& name, std::optional<absl::Time> expires = std::nullopt) {
    auto created = server_->accounts().Create(name, v1::ROLE_INSPECTOR, expires, {}, admin);
    EXPECT_THAT(created, IsOk());
    EXPECT_THAT(server_->reference().RegisterDevice(service::Principal(name, v1::ROLE_INSPECTOR), "laptop-" + name, ""),
                IsOk());
    return created.ok() ? created->token : std::string();
  };
  auto record = [](uint32_t n, const std::string& name) {
    v1::Record r = PriceRecord(TestUlid(70, n), 13100);
    r.set_device_id("laptop-" + name);
    return r;
  };
  std::string who;  // the account pushing on the stream below
  auto push_one = [&](grpc::ClientReaderWriter<v1::PushRequest, v1::PushResponse>& stream, uint32_t n) {
    v1::PushRequest request;
    request.set_batch_number(n);
    *request.add_records() = record(n, who);
    EXPECT_TRUE(stream.Write(request));
    v1::PushResponse answer;
    return stream.Read(&answer) ? std::optional<v1::PushResponse>(answer) : std::nullopt;
  };
  // Revoked.
  {
    who = "rina";
    auto context = AuthedContext(inspector(who));
    auto stream = sync_->Push(context.get());
    auto first = push_one(*stream, 1);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED) << first->results(0).message();
    ASSERT_THAT(server_->accounts().Revoke(who, admin), IsOk());
    EXPECT_FALSE(push_one(*stream, 2).has_value());
    grpc::Status status = stream->Finish();
    EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED);
    EXPECT_NE(status.error_message().find("revoked"), std::string::npos) << status.error_message();
    EXPECT_FALSE(server_->storage().records().Get(TestUlid(70, 2))->has_value());
  }
  // Rotated: the old token's stream ends, the new token works.
  {
    who = "budi";
    auto context = AuthedContext(inspector(who));
    auto stream = sync_->Push(context.get());
    ASSERT_TRUE(push_one(*stream, 3).has_value());
    auto rotated = server_->accounts().Rotate("budi", std::nullopt, admin);
    ASSERT_THAT(rotated, IsOk());
    EXPECT_FALSE(push_one(*stream, 4).has_value());
    EXPECT_EQ(stream->Finish().error_code(), StatusCode::UNAUTHENTICATED);
    auto fresh = PushBatches(*sync_, rotated->token, {{record(5, who)}});
    ASSERT_TRUE(fresh.status.ok()) << fresh.status.error_message();
    EXPECT_EQ(fresh.responses[0].results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED) << fresh.responses[0].results(0).message();
  }
  // Expired while the stream is open (no account changed: the expiry itself is checked).
  {
    who = "magang";
    auto context = AuthedContext(inspector(who, TestNow() + absl::Hours(1)));
    auto stream = sync_->Push(context.get());
    ASSERT_TRUE(push_one(*stream, 6).has_value());
    clock_->Advance(absl::Hours(1));
    EXPECT_FALSE(push_one(*stream, 7).has_value());
    grpc::Status status = stream->Finish();
    EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED);
    EXPECT_NE(status.error_message().find("expired"), std::string::npos) << status.error_message();
  }
  // A scope narrowed while the stream is open applies to the next batch.
  std::vector<v1::ReferenceEntity> alalak(1);
  alalak[0].mutable_kecamatan()->set_code("alalak");
  alalak[0].mutable_kecamatan()->set_name("Alalak");
  ASSERT_THAT(server_->reference().Put(alalak, {}), IsOk());
  {
    who = "ani";
    auto context = AuthedContext(inspector(who));
    auto stream = sync_->Push(context.get());
    ASSERT_TRUE(push_one(*stream, 8).has_value());
    v1::AccountScope scope;
    scope.add_kecamatan_codes("alalak");
    ASSERT_THAT(server_->accounts().SetScope("ani", scope, admin), IsOk());
    auto second = push_one(*stream, 9);
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->results(0).outcome(), v1::PUSH_OUTCOME_INVALID) << second->results(0).message();
    EXPECT_NE(second->results(0).message().find("outside the kecamatan assigned"), std::string::npos);
    ASSERT_TRUE(stream->WritesDone());
    EXPECT_TRUE(stream->Finish().ok());
  }
  // Pull: a revoked account's stream ends at the next message. Flow control keeps the server a
  // few messages ahead of the reader at most (no BDP probing on this channel): 40 messages of
  // changes cannot all be on their way when the account is revoked.
  const std::string puller = inspector("pulang");
  constexpr int kMarkets = 20000;
  std::vector<v1::ReferenceEntity> markets(kMarkets);
  for (int i = 0; i < kMarkets; ++i) {
    markets[i].mutable_market()->set_code("pasar_" + std::to_string(i));
    markets[i].mutable_market()->set_name("Pasar " + std::to_string(i));
    markets[i].mutable_market()->set_kecamatan_code("marabahan");
  }
  ASSERT_THAT(server_->reference().Put(markets, {}), IsOk());
  {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    auto channel = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(server_->grpc_port()),
                                             grpc::InsecureChannelCredentials(), args);
    auto stub = v1::SyncService::NewStub(channel);
    auto context = AuthedContext(puller);
    v1::PullRequest request;
    auto reader = stub->Pull(context.get(), request);
    v1::PullResponse message;
    ASSERT_TRUE(reader->Read(&message));
    size_t received = static_cast<size_t>(message.changes_size());
    ASSERT_THAT(server_->accounts().Revoke("pulang", admin), IsOk());
    while (reader->Read(&message)) received += static_cast<size_t>(message.changes_size());
    EXPECT_EQ(reader->Finish().error_code(), StatusCode::UNAUTHENTICATED);
    EXPECT_LT(received, static_cast<size_t>(kMarkets));
  }
  // Photo upload: the chunk after the revocation is refused, the one before it is kept.
  const std::string photographer = inspector("foto");
  {
    const std::string photo(2 * 64 * 1024, 'p');
    const std::string sha = service::HexEncode(service::Sha256(photo));
    auto context = AuthedContext(photographer);
    v1::PhotoReceipt receipt;
    auto writer = sync_->UploadPhoto(context.get(), &receipt);
    v1::PhotoChunk chunk;
    chunk.set_sha256(sha);
    chunk.set_total_bytes(static_cast<int64_t>(photo.size()));
    chunk.set_offset(0);
    chunk.set_data(photo.substr(0, 64 * 1024));
    ASSERT_TRUE(writer->Write(chunk));
    auto received_bytes = [&] {
      auto status_context = AuthedContext(tokens_["admin"]);
      v1::PhotoStatusRequest request;
      request.set_sha256(sha);
      v1::PhotoStatusResponse response;
      EXPECT_TRUE(sync_->GetPhotoUploadStatus(status_context.get(), request, &response).ok());
      return response.received_bytes();
    };
    int64_t received = 0;
    for (int i = 0; i < 200 && received == 0; ++i) {
      received = received_bytes();
      if (received == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(received, 64 * 1024);
    ASSERT_THAT(server_->accounts().Revoke("foto", admin), IsOk());
    chunk.set_offset(64 * 1024);
    chunk.set_data(photo.substr(64 * 1024));
    (void)writer->Write(chunk);
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_code(), StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(received_bytes(), 64 * 1024);
  }
  ExpectServing(1);
}

}  // namespace
}  // namespace pantau::rpc
