// The laptop client `pantau` and the server `pantau-server`, both as real processes on loopback:
// a large backlog, either side killed in the middle of a sync, a revoked token, reference-data
// deltas, and a laptop clock hours off (libfaketime).
#include <signal.h>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "absl/strings/str_split.h"
#include "common/dates.h"
#include "common/reference_csv.h"
#include "common/str_cat.h"
#include "common/text.h"
#include "common/ulid.h"
#include "pantau/v1/admin_service.grpc.pb.h"
#include "pantau/v1/query_service.grpc.pb.h"
#include "tests/testing/fault_proxy.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/process.h"
#include "tests/testing/test_support.h"

namespace pantau::integration {
namespace {

using ::pantau::testing::CommandResult;
using ::pantau::testing::RunCommand;
using ::pantau::testing::ServerProcess;
using ::pantau::testing::TempDir;

const std::string kServer = PANTAU_SERVER_BINARY;
const std::string kClient = PANTAU_CLIENT_BINARY;
const std::string kReference = std::string(PANTAU_SOURCE_DIR) + "/deploy/reference";

// `audit add` flags answering every item of the bundled LPG checklist 2026-1 with no finding, but
// for the items in `typed` (ITEM=VALUE, as typed); the photo tidak dapat diperiksa unless typed.
std::vector<std::string> LpgAnswers(const std::map<std::string, std::string>& typed = {}) {
  const std::vector<std::pair<std::string, std::string>> clean = {
      {"papan_nama", "ya"},        {"harga_jual", "18.000"},       {"timbangan_sah", "ya"},
      {"berat_tabung_isi_g", "8000 g"}, {"pencatatan_map", "ya"},  {"pembeli_tidak_berhak", "tidak"},
      {"stok_diterima", "60"},     {"stok_terjual", "50"},         {"stok_ada", "10"},
      {"pengecer_dalam_batas", "ya"}, {"alat_keselamatan", "ya"},  {"segel_utuh", "ya"}};
  std::vector<std::string> args;
  for (const auto& [item, value] : clean) {
    auto it = typed.find(item);
    args.insert(args.end(), {"--answer", item + "=" + (it != typed.end() ? it->second : value)});
  }
  if (auto photo = typed.find("foto_papan"); photo != typed.end()) {
    args.insert(args.end(), {"--answer", "foto_papan=" + photo->second});
  } else {
    args.insert(args.end(), {"--not-checked", "foto_papan=kamera rusak"});
  }
  return args;
}

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class ClientProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.Sub("data");
    ASSERT_EQ(RunCommand({kServer, "import-reference", "--data-dir", data_, kReference}).exit_code, 0);
    for (const char* account : {"siti:inspector", "kabid:supervisor", "admin:admin"}) {
      std::string spec = account;
      std::string name = spec.substr(0, spec.find(':'));
      auto added = RunCommand({kServer, "accounts", "add", "--data-dir", data_, "--name", name,
                               "--role", spec.substr(spec.find(':') + 1), "--token-file",
                               dir_.Sub(name + ".token")});
      ASSERT_EQ(added.exit_code, 0) << added.err;
    }
    server_ = std::make_unique<ServerProcess>(kServer, data_, dir_.path());
    ASSERT_TRUE(server_->Start()) << "see " << server_->log_path();
    address_ = server_->address();
    auto login = Pantau({"login", "--server", address_, "--token-file", dir_.Sub("siti.token")});
    ASSERT_EQ(login.exit_code, 0) << login.err;
  }

  CommandResult Pantau(std::vector<std::string> args, const std::string& faketime = "") {
    std::vector<std::string> argv;
    if (!faketime.empty()) argv = {"/usr/bin/faketime", "-f", faketime};
    argv.push_back(kClient);
    argv.push_back("--home");
    argv.push_back(dir_.Sub("laptop"));
    for (auto& a : args) argv.push_back(std::move(a));
    return RunCommand(argv);
  }

  // `pantau` on the supervisor's laptop (home kabid-laptop).
  CommandResult AsSupervisor(std::vector<std::string> args) {
    std::vector<std::string> argv = {kClient, "--home", dir_.Sub("kabid-laptop")};
    for (auto& a : args) argv.push_back(std::move(a));
    return RunCommand(argv);
  }

  std::string Token(const std::string& name) {
    std::ifstream in(dir_.Sub(name + ".token"));
    std::string token;
    in >> token;
    return token;
  }

  // Records of each kind the server holds, asked over gRPC as the supervisor.
  uint64_t ServerPriceSamples() {
    auto stub = v1::AdminService::NewStub(
        grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
    v1::GetRecordCountsResponse counts;
    auto status = stub->GetRecordCounts(pantau::testing::AuthedContext(Token("kabid")).get(), {}, &counts);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return counts.counts(0).count();
  }

  nlohmann::json Status() {
    auto status = Pantau({"status", "--json"});
    EXPECT_EQ(status.exit_code, 0) << status.err;
    return nlohmann::json::parse(status.out);
  }

  // A CSV of `n` distinct price samples observed over the last days.
  std::string WriteBacklogCsv(int n, const std::string& name) {
    static const char* kRows[][3] = {{"beras_medium", "12500", "kg"},
                                     {"gula_konsumsi", "17500", "kg"},
                                     {"minyakita", "15700", "liter"},
                                     {"bawang_merah", "38000", "kg"}};
    const std::string path = dir_.Sub(name);
    std::ofstream out(path);
    out << "market,commodity,trader,price_rupiah,observed_at\n";
    const absl::TimeZone wita = common::ZoneWithoutDeployment();
    const absl::Time base = absl::Now() - absl::Hours(24 * 20);
    for (int i = 0; i < n; ++i) {
      const auto& row = kRows[i % 4];
      out << "pasar_marabahan," << row[0] << ",Pedagang " << i << "," << std::atoi(row[1]) + i % 300
          << "," << absl::FormatTime("%Y-%m-%d %H:%M:%S", base + absl::Seconds(i * 10), wita) << "\n";
    }
    return path;
  }

  // Starts `pantau sync` in the background.
  pid_t StartSync() {
    return pantau::testing::StartCommand(
        {kClient, "--home", dir_.Sub("laptop"), "sync", "--json"}, dir_.Sub("sync.out"),
        dir_.Sub("sync.err"));
  }

  TempDir dir_;
  std::string data_;
  std::string address_;
  std::unique_ptr<ServerProcess> server_;
};

// 100 000 records; PANTAU_TEST_BACKLOG sets another size (deploy/sanitize.sh: 10 000, since the
// sanitizers make every step several times slower).
TEST_F(ClientProcessTest, ALargeBacklogArrivesExactlyOnce) {
  const char* size = std::getenv("PANTAU_TEST_BACKLOG");
  const int n = size != nullptr ? std::atoi(size) : 100000;
  ASSERT_GT(n, 0);
  auto imported = Pantau({"import", "prices", WriteBacklogCsv(n, "backlog.csv")});
  ASSERT_EQ(imported.exit_code, 0) << imported.err.substr(0, 2000);
  EXPECT_NE(imported.out.find(StrCat("imported ", n, " new")), std::string::npos) << imported.out;
  auto sync = Pantau({"sync", "--json"});
  ASSERT_EQ(sync.exit_code, 0) << sync.err << sync.out;
  auto summary = nlohmann::json::parse(sync.out);
  EXPECT_EQ(summary["pushed"]["acknowledged"], n);
  EXPECT_EQ(summary["pending"], 0);
  EXPECT_EQ(ServerPriceSamples(), static_cast<uint64_t>(n));
  // Importing the same file again adds nothing, and a second sync sends nothing.
  auto again = Pantau({"import", "prices", dir_.Sub("backlog.csv")});
  EXPECT_NE(again.out.find("imported 0 new"), std::string::npos) << again.out;
  EXPECT_EQ(nlohmann::json::parse(Pantau({"sync", "--json"}).out)["pushed"]["records"], 0);
  EXPECT_EQ(ServerPriceSamples(), static_cast<uint64_t>(n));
}

// One spreadsheet imported on two inspectors' laptops: every row is two records (one per laptop),
// none a conflict; importing it again on either laptop adds nothing.
TEST_F(ClientProcessTest, TwoLaptopsImportingOneSpreadsheetDeliverEachRowOncePerLaptop) {
  auto stub = v1::AdminService::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  v1::CreateAccountRequest create;
  create.set_name("budi");
  create.set_role(v1::ROLE_INSPECTOR);
  v1::CreateAccountResponse created;
  ASSERT_TRUE(stub->CreateAccount(pantau::testing::AuthedContext(Token("admin")).get(), create, &created).ok());
  {
    std::ofstream out(dir_.Sub("budi.token"));
    out << created.token() << "\n";
  }
  auto as_budi = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {kClient, "--home", dir_.Sub("budi-laptop")};
    for (auto& a : args) argv.push_back(std::move(a));
    return RunCommand(argv);
  };
  ASSERT_EQ(as_budi({"login", "--server", address_, "--token-file", dir_.Sub("budi.token")}).exit_code, 0);
  const std::string csv = WriteBacklogCsv(40, "pasar-hari-ini.csv");
  for (int round = 0; round < 2; ++round) {
    auto siti = Pantau({"import", "prices", csv});
    ASSERT_EQ(siti.exit_code, 0) << siti.err;
    EXPECT_NE(siti.out.find(round == 0 ? "imported 40 new" : "imported 0 new"), std::string::npos) << siti.out;
    auto budi = as_budi({"import", "prices", csv});
    ASSERT_EQ(budi.exit_code, 0) << budi.err;
    EXPECT_NE(budi.out.find(round == 0 ? "imported 40 new" : "imported 0 new"), std::string::npos) << budi.out;
    EXPECT_EQ(Pantau({"sync"}).exit_code, 0);
    EXPECT_EQ(as_budi({"sync"}).exit_code, 0);
  }
  EXPECT_EQ(ServerPriceSamples(), 80u);
  EXPECT_EQ(Status()["needs_attention"], 0);
  auto budi_status = as_budi({"status", "--json"});
  ASSERT_EQ(budi_status.exit_code, 0) << budi_status.err;
  EXPECT_EQ(nlohmann::json::parse(budi_status.out)["needs_attention"], 0);
}

TEST_F(ClientProcessTest, TheServerKilledMidSyncAndRestartedEndsWithEveryRecordOnce) {
  ASSERT_EQ(Pantau({"import", "prices", WriteBacklogCsv(30000, "b.csv")}).exit_code, 0);
  pid_t sync = StartSync();
  ASSERT_GT(sync, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(server_->Stop(SIGKILL), -SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE(server_->Start(address_)) << "restart on " << address_;
  // The same sync waits the restart out and finishes by itself.
  const int first = pantau::testing::WaitCommand(sync);
  EXPECT_EQ(first, 0) << ReadFile(dir_.Sub("sync.err"));
  EXPECT_EQ(ServerPriceSamples(), 30000u);
  auto status = Status();
  EXPECT_EQ(status["pending"], 0);
  EXPECT_EQ(status["acknowledged"], 30000);
}

// A laptop that reaches the server through a link the test breaks (tests/testing/fault_proxy.h).
class FaultyLinkTest : public ClientProcessTest {
 protected:
  void SetUp() override {
    ClientProcessTest::SetUp();
    if (HasFatalFailure()) return;
    proxy_ = std::make_unique<pantau::testing::FaultProxy>(server_->port());
    auto login = Field({"login", "--server", proxy_->address(), "--token-file", dir_.Sub("siti.token")});
    ASSERT_EQ(login.exit_code, 0) << login.err;
  }

  CommandResult Field(std::vector<std::string> args) {
    std::vector<std::string> argv = {kClient, "--home", dir_.Sub("field-laptop")};
    for (auto& a : args) argv.push_back(std::move(a));
    return RunCommand(argv);
  }

  // `pantau sync` on the field laptop in the background, ended by `timeout` if it ever hangs.
  pid_t StartFieldSync(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"/usr/bin/timeout", "150", kClient, "--home", dir_.Sub("field-laptop"), "sync"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return pantau::testing::StartCommand(argv, dir_.Sub("field-sync.out"), dir_.Sub("field-sync.err"));
  }

  // Waits until `bytes` more than `since` have come from the server (login's pull included in
  // `since`, so the wait is for the sync's own bytes).
  void WaitForBytes(uint64_t since, uint64_t bytes) {
    for (int i = 0; i < 1000 && proxy_->bytes_from_server() < since + bytes; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void ExpectAllDelivered(uint64_t n) {
    EXPECT_EQ(ServerPriceSamples(), n);
    auto status = Field({"status", "--json"});
    ASSERT_EQ(status.exit_code, 0) << status.err;
    auto j = nlohmann::json::parse(status.out);
    EXPECT_EQ(j["pending"], 0);
    EXPECT_EQ(j["acknowledged"], n);
  }

  std::unique_ptr<pantau::testing::FaultProxy> proxy_;
};

// The link goes silent mid-stream with its TCP connection open: the sync notices within its answer
// timeout, drops the connection, opens a new one and finishes.
TEST_F(FaultyLinkTest, ALinkGoneSilentMidStreamIsCutAndTheSyncFinishes) {
  ASSERT_EQ(Field({"import", "prices", WriteBacklogCsv(20000, "b.csv")}).exit_code, 0);
  const uint64_t before = proxy_->bytes_from_server();
  pid_t sync = StartFieldSync({"--answer-timeout", "2"});
  ASSERT_GT(sync, 0);
  WaitForBytes(before, 20000);
  proxy_->StallOpenConnections();
  EXPECT_EQ(pantau::testing::WaitCommand(sync), 0) << ReadFile(dir_.Sub("field-sync.err"));
  EXPECT_NE(ReadFile(dir_.Sub("field-sync.err")).find("no answer from the server within 2s (the link stalled)"),
            std::string::npos)
      << ReadFile(dir_.Sub("field-sync.err"));
  EXPECT_GE(proxy_->connections(), 2);
  ExpectAllDelivered(20000);
}

// Every connection is cut after 64 KiB from the server: the sync goes on over new connections.
TEST_F(FaultyLinkTest, ConnectionsCutAfterAFewBytesStillDeliverEveryRecordOnce) {
  ASSERT_EQ(Field({"import", "prices", WriteBacklogCsv(5000, "b.csv")}).exit_code, 0);
  proxy_->set_cut_after_bytes(64 * 1024);
  proxy_->set_delay_ms(1);
  pid_t sync = StartFieldSync();
  ASSERT_GT(sync, 0);
  EXPECT_EQ(pantau::testing::WaitCommand(sync), 0) << ReadFile(dir_.Sub("field-sync.err"));
  EXPECT_GE(proxy_->connections(), 2);
  ExpectAllDelivered(5000);
}

// No server behind the address for a while (refused, then a server restarted on another port):
// the sync says it is waiting, and finishes once the server answers.
TEST_F(FaultyLinkTest, ASyncWaitsForARefusingLinkAndAServerBackOnAnotherPort) {
  ASSERT_EQ(Field({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium", "--price",
                   "13100"}).exit_code, 0);
  proxy_->set_mode(pantau::testing::FaultProxy::Mode::kRefuse);
  pid_t sync = StartFieldSync();
  ASSERT_GT(sync, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(server_->Stop(SIGKILL), -SIGKILL);
  ASSERT_TRUE(server_->Start()) << "see " << server_->log_path();
  proxy_->set_target(server_->port());
  proxy_->set_mode(pantau::testing::FaultProxy::Mode::kPass);
  EXPECT_EQ(pantau::testing::WaitCommand(sync), 0) << ReadFile(dir_.Sub("field-sync.err"));
  EXPECT_NE(ReadFile(dir_.Sub("field-sync.err")).find("pantau: waiting for the server ("), std::string::npos)
      << ReadFile(dir_.Sub("field-sync.err"));
  ExpectAllDelivered(1);
}

// Given up after --retry-for: the message tells a link problem from a push or pull problem, and
// nothing is lost.
TEST_F(FaultyLinkTest, GivingUpSaysWhatFailedAndKeepsTheRecords) {
  ASSERT_EQ(Field({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium", "--price",
                   "13100"}).exit_code, 0);
  proxy_->set_mode(pantau::testing::FaultProxy::Mode::kRefuse);
  auto failed = Field({"sync", "--retry-for", "2"});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.err.find("delivering records failed: the server could not be reached"), std::string::npos)
      << failed.err;
  EXPECT_NE(failed.err.find("1 record is still pending"), std::string::npos) << failed.err;
}

// The link breaks after every record was delivered, as the sync fetches reference data (the second
// call: Push, then Pull): the message says the records are safe and what to do, the exit code is 1,
// nothing is pending and a later sync fetches the reference data.
TEST_F(FaultyLinkTest, APullFailingAfterEveryRecordWasDeliveredSaysTheRecordsAreSafe) {
  ASSERT_EQ(Field({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium", "--price",
                   "13100"}).exit_code, 0);
  const int before = proxy_->calls_opened();
  proxy_->set_refuse_from_call(2);
  auto failed = Field({"sync", "--retry-for", "2"});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_EQ(proxy_->calls_opened(), before + 2);
  EXPECT_NE(failed.out.find("delivered 1 records"), std::string::npos) << failed.out;
  EXPECT_NE(failed.err.find("every record was delivered, but fetching reference data failed: "), std::string::npos)
      << failed.err;
  EXPECT_NE(failed.err.find("sync again when the link is back"), std::string::npos) << failed.err;
  EXPECT_EQ(failed.err.find("delivering records failed"), std::string::npos) << failed.err;
  ExpectAllDelivered(1);

  proxy_->set_refuse_from_call(0);
  proxy_->set_mode(pantau::testing::FaultProxy::Mode::kPass);
  auto again = Field({"sync", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["status"], "ok");
}

// A server whose ExportRecords sends one good record, then one whose created_at is outside the
// range any date can be written in (no Pantau server stores one: validation refuses it; a damaged
// store or another server could). It stands in for the server only; the client under test is real.
class OutOfRangeExportServer final : public v1::QueryService::Service {
 public:
  grpc::Status ExportRecords(grpc::ServerContext*, const v1::ExportRecordsRequest*,
                             grpc::ServerWriter<v1::ExportRecordsResponse>* writer) override {
    v1::ExportRecordsResponse chunk;
    auto* good = chunk.add_records();
    good->mutable_record()->set_id("01J0000000000000000000GOOD");
    good->mutable_record()->mutable_created_at()->set_seconds(1767225600);
    auto* bad = chunk.add_records();
    bad->mutable_record()->set_id("01J00000000000000000000BAD");
    bad->mutable_record()->mutable_created_at()->set_seconds(int64_t{1} << 50);
    writer->Write(chunk);
    return grpc::Status::OK;
  }
};

// `pantau export` never leaves a silent gap: a record it cannot write as JSON ends the export with
// an error naming the record, and with --out no file is left that looks complete.
TEST_F(FaultyLinkTest, AnExportWithARecordThatCannotBeWrittenAsJsonFailsAndLeavesNoFile) {
  OutOfRangeExportServer service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  auto fake = builder.BuildAndStart();
  ASSERT_NE(fake, nullptr);
  proxy_->set_target(port);

  const std::string out = dir_.Sub("export.jsonl");
  auto failed = Field({"export", "--from", "2026-01-01", "--to", "2026-01-31", "--out", out});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.err.find("pantau: export failed: record 01J00000000000000000000BAD could not be written as JSON ("),
            std::string::npos)
      << failed.err;
  EXPECT_NE(failed.err.find("the export is incomplete"), std::string::npos) << failed.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(out + ".tmp"));

  auto to_terminal = Field({"export", "--from", "2026-01-01", "--to", "2026-01-31"});
  EXPECT_EQ(to_terminal.exit_code, 1);
  EXPECT_NE(to_terminal.out.find("01J0000000000000000000GOOD"), std::string::npos) << to_terminal.out;
  EXPECT_EQ(to_terminal.out.find("01J00000000000000000000BAD"), std::string::npos) << to_terminal.out;
  EXPECT_NE(to_terminal.err.find("could not be written as JSON"), std::string::npos) << to_terminal.err;
  fake->Shutdown();
}

// A storm: 24 laptops sync at once against a server that takes 4 streams. The refused ones are told
// UNAVAILABLE ("busy"), wait and try again; every laptop ends at exit 0 with every record stored
// once, and the refusals are counted.
TEST_F(ClientProcessTest, ManyLaptopsSyncingAtOnceAgainstASmallStreamCapAllFinish) {
  {
    std::ofstream config(dir_.Sub("storm.toml"));
    config << "[limits]\nmax_streams = 4\n";
  }
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  server_->set_extra_args({"--config", dir_.Sub("storm.toml")});
  ASSERT_TRUE(server_->Start(address_)) << "see " << server_->log_path();
  constexpr int kLaptops = 24;
  constexpr int kRecords = 300;
  auto stub = v1::AdminService::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  const std::string csv = WriteBacklogCsv(kRecords, "storm.csv");
  for (int i = 0; i < kLaptops; ++i) {
    const std::string name = "petugas" + std::to_string(i);
    v1::CreateAccountRequest create;
    create.set_name(name);
    create.set_role(v1::ROLE_INSPECTOR);
    v1::CreateAccountResponse created;
    ASSERT_TRUE(stub->CreateAccount(pantau::testing::AuthedContext(Token("admin")).get(), create, &created).ok());
    {
      std::ofstream out(dir_.Sub(name + ".token"));
      out << created.token() << "\n";
    }
    const std::string home = dir_.Sub(name + "-laptop");
    auto login = RunCommand({kClient, "--home", home, "login", "--server", address_, "--token-file", dir_.Sub(name + ".token")});
    ASSERT_EQ(login.exit_code, 0) << login.err;
    ASSERT_EQ(RunCommand({kClient, "--home", home, "import", "prices", csv}).exit_code, 0);
  }
  std::vector<pid_t> syncs;
  for (int i = 0; i < kLaptops; ++i) {
    const std::string name = "petugas" + std::to_string(i);
    syncs.push_back(pantau::testing::StartCommand(
        {"/usr/bin/timeout", "300", kClient, "--home", dir_.Sub(name + "-laptop"), "sync"},
        dir_.Sub(name + ".out"), dir_.Sub(name + ".err")));
  }
  int waited = 0;
  for (int i = 0; i < kLaptops; ++i) {
    const int code = pantau::testing::WaitCommand(syncs[static_cast<size_t>(i)]);
    EXPECT_EQ(code, 0) << "laptop " << i << ": " << ReadFile(dir_.Sub("petugas" + std::to_string(i) + ".err"));
    waited += ReadFile(dir_.Sub("petugas" + std::to_string(i) + ".err")).find("waiting for the server") != std::string::npos;
  }
  EXPECT_EQ(ServerPriceSamples(), static_cast<uint64_t>(kLaptops * kRecords));
  EXPECT_GT(waited, 0) << "with 4 streams for 24 laptops some must have waited";
}

TEST_F(ClientProcessTest, TheClientKilledMidSyncAndRunAgainEndsWithEveryRecordOnce) {
  ASSERT_EQ(Pantau({"import", "prices", WriteBacklogCsv(30000, "b.csv")}).exit_code, 0);
  std::mt19937 random(std::random_device{}());
  for (int round = 0; round < 3; ++round) {
    pid_t sync = StartSync();
    ASSERT_GT(sync, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + random() % 400));
    kill(sync, SIGKILL);
    pantau::testing::WaitCommand(sync);
  }
  auto last = Pantau({"sync", "--json"});
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_EQ(ServerPriceSamples(), 30000u);
  auto status = Status();
  EXPECT_EQ(status["pending"], 0);
  EXPECT_EQ(status["acknowledged"], 30000);
}

TEST_F(ClientProcessTest, ARevokedTokenGetsAClearMessageAndNothingIsLost) {
  ASSERT_EQ(Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium",
                    "--price", "13100", "--trader", "Bu Ani"}).exit_code, 0);
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
  ASSERT_EQ(RunCommand({kServer, "accounts", "disable", "--data-dir", data_, "--name", "siti"}).exit_code, 0);
  ASSERT_TRUE(server_->Start(address_));
  auto sync = Pantau({"sync"});
  EXPECT_EQ(sync.exit_code, 1);
  EXPECT_NE(sync.err.find("refused the token"), std::string::npos) << sync.err;
  EXPECT_NE(sync.err.find("nothing is lost: 1 record is still pending"), std::string::npos) << sync.err;
  EXPECT_EQ(Status()["pending"], 1);
}

TEST_F(ClientProcessTest, ReferenceDataChangedOnTheServerArrivesAsExactlyTheDelta) {
  auto admin = v1::AdminService::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  v1::PutReferenceRequest put;
  auto* market = put.add_upserts()->mutable_market();
  market->set_code("pasar_jejangkit");
  market->set_name("Pasar Jejangkit");
  market->set_kecamatan_code("jejangkit");
  v1::PutReferenceResponse response;
  ASSERT_TRUE(admin->PutReference(pantau::testing::AuthedContext(Token("admin")).get(), put, &response).ok());
  auto pull = Pantau({"pull"});
  ASSERT_EQ(pull.exit_code, 0) << pull.err;
  EXPECT_NE(pull.out.find("reference data: 1 changes"), std::string::npos) << pull.out;
  EXPECT_NE(Pantau({"pull"}).out.find("reference data: 0 changes"), std::string::npos);
  auto add = Pantau({"price", "add", "--market", "pasar_jejangkit", "--commodity", "beras_medium",
                     "--price", "13100"});
  EXPECT_EQ(add.exit_code, 0) << add.err;
}

TEST_F(ClientProcessTest, ALaptopClockHoursOffIsRefusedWithAReasonOrAcceptedWhenBehind) {
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/faketime")) << "deploy/install-deps.sh installs faketime";
  auto ahead = Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium",
                       "--price", "13100", "--trader", "Bu Ani"},
                      "+3h");
  ASSERT_EQ(ahead.exit_code, 0) << ahead.err;
  auto behind = Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium",
                        "--price", "13200", "--trader", "Bu Ina"},
                       "-5h");
  ASSERT_EQ(behind.exit_code, 0) << behind.err;
  auto sync = Pantau({"sync"});
  EXPECT_EQ(sync.exit_code, 3) << sync.err;  // delivered, but a record needs attention
  EXPECT_NE(sync.out.find("delivered 1 records; 1 need attention"), std::string::npos) << sync.out;
  EXPECT_NE(sync.err.find("1 record needs attention: see `pantau status --attention`"), std::string::npos) << sync.err;
  auto status = Pantau({"status", "--attention"});
  EXPECT_NE(status.out.find("ahead of the server clock"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("check the laptop's date, time and time zone"), std::string::npos);
  // What the refused record is, so the inspector knows which one to enter again.
  EXPECT_NE(status.out.find("  Beras Medium at Pasar Marabahan (contoh), Bu Ani, Rp 13.100/kg, "), std::string::npos)
      << status.out;
  EXPECT_EQ(ServerPriceSamples(), 1u);
  // The supervisor sees this laptop's sync, and the refused record waiting on it, on Petugas.
  ASSERT_EQ(AsSupervisor({"login", "--server", address_, "--token-file", dir_.Sub("kabid.token")}).exit_code, 0);
  auto activity = AsSupervisor({"report", "petugas", "--format", "json"});
  ASSERT_EQ(activity.exit_code, 0) << activity.err;
  auto act = nlohmann::json::parse(activity.out);
  ASSERT_EQ(act["rows"].size(), 1u) << activity.out;
  EXPECT_NE(act["rows"][0]["last_sync"], "") << activity.out;
  EXPECT_EQ(act["rows"][0]["days_since_sync"], "0") << activity.out;
  EXPECT_EQ(act["rows"][0]["refused_waiting"], "1") << activity.out;
  EXPECT_EQ(act["rows"][0]["pending_on_laptop"], "0") << activity.out;
  EXPECT_EQ(act["refused_waiting"], "1") << activity.out;
  // Once dropped on the laptop and synced again, nothing waits.
  auto waiting = nlohmann::json::parse(Pantau({"status", "--attention", "--json"}).out);
  ASSERT_EQ(waiting["attention"].size(), 1u);
  auto dropped = Pantau({"void", waiting["attention"][0]["id"].get<std::string>(), "--reason", "jam laptop salah"});
  ASSERT_EQ(dropped.exit_code, 0) << dropped.err;
  ASSERT_EQ(Pantau({"sync"}).exit_code, 0);
  auto after = nlohmann::json::parse(AsSupervisor({"report", "petugas", "--format", "json"}).out);
  EXPECT_EQ(after["rows"][0]["refused_waiting"], "0") << after.dump();
  EXPECT_EQ(after["refused_waiting"], "0") << after.dump();
}

// Each pull tells the inspector's laptop the scheduled price checks of the last 7 days (up to
// yesterday) that have no sample at its markets: the same list as the supervisor's alerts of kind
// tidak_teramati, less what was sampled.
TEST_F(ClientProcessTest, ThePullTellsTheLaptopTheScheduledChecksItMissed) {
  const absl::TimeZone wita = common::ZoneWithoutDeployment();
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), wita);
  absl::CivilDay tuesday = today - 1;
  while (absl::GetWeekday(tuesday) != absl::Weekday::tuesday) --tuesday;
  const std::string t = common::FormatLocalDate(tuesday);
  ASSERT_EQ(Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium", "--price", "13100",
                    "--at", t + " 09:00"}).exit_code, 0);
  ASSERT_EQ(Pantau({"sync"}).exit_code, 0);
  auto status = nlohmann::json::parse(Pantau({"status", "--json"}).out);
  const auto& missed = status["missing_observations"];
  ASSERT_GT(missed.size(), 0u) << status.dump();
  for (const auto& m : missed) {
    EXPECT_EQ(m["day"], t);  // the one Tuesday of the last 7 days
    EXPECT_FALSE(m["commodity_code"] == "beras_medium" && m["market_code"] == "pasar_marabahan") << m.dump();
  }
  // The supervisor's view of the same days: the same count (siti is the only inspector).
  ASSERT_EQ(AsSupervisor({"login", "--server", address_, "--token-file", dir_.Sub("kabid.token")}).exit_code, 0);
  auto alerts = AsSupervisor({"report", "alerts", "--kind", "tidak_teramati", "--from",
                              common::FormatLocalDate(today - 7), "--to", common::FormatLocalDate(today - 1),
                              "--format", "json"});
  ASSERT_EQ(alerts.exit_code, 0) << alerts.err;
  auto al = nlohmann::json::parse(alerts.out);
  EXPECT_EQ(al["alerts"].size(), status["missing_observations_total"].get<size_t>());
  EXPECT_EQ(missed.size(), std::min<size_t>(100, al["alerts"].size()));  // at most 100 travel
  EXPECT_EQ(al["alerts"][0]["inspectors"], nlohmann::json::array({"siti"})) << al["alerts"][0].dump();
  auto text = Pantau({"status"});
  EXPECT_NE(text.out.find(StrCat("missed checks:    ", al["alerts"].size(), " scheduled price checks without a sample")),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find(StrCat("  ", t, "  ")), std::string::npos) << text.out;
}

// Indicators never lag: the moment a sync is acknowledged, the supervisor's table counts it.
TEST_F(ClientProcessTest, TheSupervisorsIkkTableCountsEachRecordTheMomentItIsAcknowledged) {
  auto as_supervisor = [&](std::vector<std::string> args) { return AsSupervisor(std::move(args)); };
  ASSERT_EQ(as_supervisor({"login", "--server", address_, "--token-file", dir_.Sub("kabid.token")}).exit_code, 0);
  const std::string year = absl::FormatTime("%Y", absl::Now(), common::ZoneWithoutDeployment());
  auto row20 = [&] {
    auto report = as_supervisor({"report", "ikk", "--year", year, "--format", "json"});
    EXPECT_EQ(report.exit_code, 0) << report.err;
    auto table = nlohmann::json::parse(report.out);
    EXPECT_EQ(table["rows"].size(), 25u);  // the whole IKK table
    for (const auto& row : table["rows"]) {
      if (row["indicator"]["number"] == 20) return row["realisasi"]["text"].get<std::string>();
    }
    return std::string("missing");
  };
  EXPECT_EQ(row20(), "0");
  ASSERT_EQ(Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium",
                    "--price", "13100"}).exit_code, 0);
  ASSERT_EQ(Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "minyakita",
                    "--price", "15700"}).exit_code, 0);
  EXPECT_EQ(row20(), "0");  // saved on the laptop, not yet synced
  ASSERT_EQ(Pantau({"sync"}).exit_code, 0);
  EXPECT_EQ(row20(), "2");
  auto csv = as_supervisor({"report", "ikk", "--year", year, "--format", "csv", "--out", dir_.Sub("ikk.csv")});
  EXPECT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.Sub("ikk.csv")));
  // An inspector's token may not read the table.
  EXPECT_EQ(Pantau({"report", "ikk"}).exit_code, 1);
  const std::string today = absl::FormatTime("%Y-%m-%d", absl::Now(), common::ZoneWithoutDeployment());
  auto prices = as_supervisor({"report", "prices", "--commodity", "beras_medium", "--from", today,
                               "--to", today, "--format", "csv"});
  ASSERT_EQ(prices.exit_code, 0) << prices.err;
  EXPECT_NE(prices.out.find(StrCat("pasar_marabahan,", today, ",1,0,13100,13100,13100,13100,,,,13100,HET,0.00")),
            std::string::npos)
      << prices.out;
}

TEST_F(ClientProcessTest, SupervisorReportsCoverageViolationsUttpDueStabilityExportAndXlsx) {
  auto as_supervisor = [&](std::vector<std::string> args) { return AsSupervisor(std::move(args)); };
  ASSERT_EQ(as_supervisor({"login", "--server", address_, "--token-file", dir_.Sub("kabid.token")}).exit_code, 0);
  const absl::TimeZone wita = common::ZoneWithoutDeployment();
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), wita);
  // The last two Tuesdays before today (never today, so every record is in the past).
  absl::CivilDay tuesday = today - 1;
  while (absl::GetWeekday(tuesday) != absl::Weekday::tuesday) --tuesday;
  const absl::CivilDay earlier_tuesday = tuesday - 7;
  const std::string t1 = common::FormatLocalDate(earlier_tuesday), t2 = common::FormatLocalDate(tuesday);
  // Beras at Pasar Marabahan on both Tuesdays; an audit with a finding on the first.
  for (auto [day, price] : {std::pair{t1, "13000"}, std::pair{t1, "13200"}, std::pair{t2, "13400"}}) {
    auto added = Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium",
                         "--price", price, "--at", day + " 09:00"});
    ASSERT_EQ(added.exit_code, 0) << added.err;
  }
  auto audit = Pantau(Concat({"audit", "add", "--outlet", "pkl_contoh_marabahan_1", "--finding", "harga_di_atas_het",
                              "--at", t1 + " 10:00"},
                             LpgAnswers()));
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  ASSERT_EQ(Pantau({"sync"}).exit_code, 0);

  // Coverage of the weekly Tuesday check over those two weeks: both Tuesdays covered.
  auto coverage = as_supervisor({"report", "coverage", "--from", t1, "--to", t2, "--market", "pasar_marabahan",
                                 "--commodity", "beras_medium", "--weekday", "selasa", "--format", "csv"});
  ASSERT_EQ(coverage.exit_code, 0) << coverage.err;
  EXPECT_NE(coverage.out.find("pasar_marabahan,beras_medium,2,2,100.00,0,\n"), std::string::npos) << coverage.out;
  auto minyak = as_supervisor({"report", "coverage", "--from", t1, "--to", t2, "--market", "pasar_marabahan",
                               "--commodity", "minyakita", "--format", "csv"});
  EXPECT_NE(minyak.out.find(StrCat("pasar_marabahan,minyakita,2,0,0.00,0,", t1, " ", t2, "\n")), std::string::npos)
      << minyak.out;

  // The finding is open, and overdue once the default 14 days have passed.
  auto violations = as_supervisor({"report", "violations", "--from", t1, "--to", t2, "--as-of",
                                   common::FormatLocalDate(earlier_tuesday + 15), "--format", "json"});
  ASSERT_EQ(violations.exit_code, 0) << violations.err;
  auto v = nlohmann::json::parse(violations.out);
  ASSERT_EQ(v["rows"].size(), 1u) << violations.out;
  EXPECT_EQ(v["rows"][0]["status"], "terlambat");
  EXPECT_EQ(v["rows"][0]["outlet_name"], "Pangkalan LPG contoh Marabahan 1");
  EXPECT_EQ(v["rows"][0]["due_date"], common::FormatLocalDate(earlier_tuesday + 14));
  // Price alerts: the first Tuesday's mean is exactly the HET (13.100: not above), the second's
  // 13.400 is above — at the market and across the kabupaten.
  auto alerts = as_supervisor({"report", "alerts", "--from", t1, "--to", t2, "--kind", "het", "--format", "json"});
  ASSERT_EQ(alerts.exit_code, 0) << alerts.err;
  auto al = nlohmann::json::parse(alerts.out);
  ASSERT_EQ(al["alerts"].size(), 2u) << alerts.out;
  for (const auto& alert : al["alerts"]) {
    EXPECT_EQ(alert["day"], t2);
    EXPECT_EQ(alert["run_days"], "1");
    EXPECT_EQ(alert["above_percent"]["text"], "2.29");  // 300 / 13.100
  }
  auto alerts_table = as_supervisor({"report", "alerts", "--from", t1, "--to", t2, "--kind", "het", "--market",
                                     "pasar_marabahan"});
  ASSERT_EQ(alerts_table.exit_code, 0) << alerts_table.err;
  EXPECT_NE(alerts_table.out.find("Beras"), std::string::npos) << alerts_table.out;  // by name, wrapped
  EXPECT_NE(alerts_table.out.find("+2,29"), std::string::npos) << alerts_table.out;
  EXPECT_NE(alerts_table.out.find("1 peringatan: het 1"), std::string::npos) << alerts_table.out;
  EXPECT_NE(as_supervisor({"report", "alerts", "--kind", "banjir"}).exit_code, 0);

  // The audits behind IKK row 21: that one audit, its outlet by name on the terminal.
  auto audits = as_supervisor({"report", "audits", "--from", t1, "--to", t2, "--format", "json"});
  ASSERT_EQ(audits.exit_code, 0) << audits.err;
  auto a = nlohmann::json::parse(audits.out);
  ASSERT_EQ(a["rows"].size(), 1u) << audits.out;
  EXPECT_EQ(a["rows"][0]["outlet_code"], "pkl_contoh_marabahan_1");
  EXPECT_EQ(a["rows"][0]["findings"], nlohmann::json::array({"harga_di_atas_het"}));
  EXPECT_EQ(a["outlets"], "1");
  auto audits_table = as_supervisor({"report", "audits", "--from", t1, "--to", t2, "--kind", "lpg_pangkalan"});
  ASSERT_EQ(audits_table.exit_code, 0) << audits_table.err;
  EXPECT_NE(audits_table.out.find("1 audit di 1 outlet; 1 dengan temuan"), std::string::npos) << audits_table.out;
  EXPECT_NE(audits_table.out.find("Marabahan"), std::string::npos) << audits_table.out;
  EXPECT_NE(as_supervisor({"report", "audits", "--kind", "spbu"}).exit_code, 0);

  // UTTP: the bundled registry has three instruments and no verification: all overdue.
  auto due = as_supervisor({"report", "uttp-due", "--format", "csv"});
  ASSERT_EQ(due.exit_code, 0) << due.err;
  for (const char* id : {"UTTP-CONTOH-0001", "UTTP-CONTOH-0002", "UTTP-CONTOH-0003"}) {
    EXPECT_NE(due.out.find(StrCat(id, ",")), std::string::npos) << due.out;
  }
  EXPECT_NE(due.out.find(",terlambat,"), std::string::npos) << due.out;
  // On a terminal of 80 columns: wrapped to fit, identifiers whole, places by name; --codes gives
  // the codes; --wide one line per row (title, note, header, three instruments).
  auto due_table = as_supervisor({"report", "uttp-due"});
  ASSERT_EQ(due_table.exit_code, 0) << due_table.err;
  for (const std::string& line : std::vector<std::string>(absl::StrSplit(due_table.out, '\n'))) {
    EXPECT_LE(common::Utf8Length(line), 80u) << line << "\n" << due_table.out;
  }
  for (const char* id : {"UTTP-CONTOH-0001", "UTTP-CONTOH-0002", "UTTP-CONTOH-0003"}) {
    EXPECT_NE(due_table.out.find(id), std::string::npos) << due_table.out;
  }
  EXPECT_NE(due_table.out.find("Pasar Marabahan"), std::string::npos) << due_table.out;
  EXPECT_EQ(due_table.out.find("pasar_marabahan"), std::string::npos) << due_table.out;
  EXPECT_NE(due_table.out.find("Terlambat"), std::string::npos) << due_table.out;
  // Petugas & laptop: this laptop, its records received this week, not quiet.
  auto activity = as_supervisor({"report", "petugas", "--format", "json"});
  ASSERT_EQ(activity.exit_code, 0) << activity.err;
  auto act = nlohmann::json::parse(activity.out);
  ASSERT_EQ(act["rows"].size(), 1u) << activity.out;
  EXPECT_EQ(act["rows"][0]["inspector"], "siti");
  EXPECT_EQ(act["rows"][0]["quiet"], false) << activity.out;
  auto due_codes = as_supervisor({"report", "uttp-due", "--codes", "--wide"});
  ASSERT_EQ(due_codes.exit_code, 0) << due_codes.err;
  EXPECT_NE(due_codes.out.find("pasar_marabahan"), std::string::npos) << due_codes.out;
  EXPECT_EQ(std::count(due_codes.out.begin(), due_codes.out.end(), '\n'), 6) << due_codes.out;

  // Stability over the two weeks, by week: 13100 then 13400.
  auto stability = as_supervisor({"report", "stability", "--from", t1, "--to", t2, "--by", "week", "--format", "json"});
  ASSERT_EQ(stability.exit_code, 0) << stability.err;
  auto st = nlohmann::json::parse(stability.out);
  ASSERT_EQ(st["rows"].size(), 1u);
  EXPECT_EQ(st["rows"][0]["period_means_rupiah"], nlohmann::json::array({"13100", "13400"}));
  EXPECT_EQ(st["rows"][0]["kv_percent"]["text"], "1.60");  // SD 212.13 / mean 13250

  // The export: every record of the period, once, as JSON lines.
  auto exported = as_supervisor({"export", "--from", t1, "--to", t2, "--out", dir_.Sub("records.jsonl")});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::ifstream lines(dir_.Sub("records.jsonl"));
  std::set<std::string> ids;
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) ids.insert(nlohmann::json::parse(line)["record"]["id"]);
  EXPECT_EQ(count, 4);
  EXPECT_EQ(ids.size(), 4u);
  auto only_audits = as_supervisor({"export", "--from", t1, "--to", t2, "--kind", "outlet_audit"});
  EXPECT_EQ(std::count(only_audits.out.begin(), only_audits.out.end(), '\n'), 1);
  EXPECT_EQ(Pantau({"export", "--from", t1, "--to", t2}).exit_code, 1);  // an inspector may not

  // The IKK table as a workbook with the signatory from the home folder, read back.
  std::ofstream(dir_.Sub("kabid-laptop") + "/signatory.json") << R"({"name": "H. CONTOH, S.E.", "nip": "19700101 199003 1 001"})";
  auto xlsx = as_supervisor({"report", "ikk", "--year", StrCat(today.year()), "--format", "xlsx", "--out",
                             dir_.Sub("ikk.xlsx")});
  ASSERT_EQ(xlsx.exit_code, 0) << xlsx.err;
  auto cells = RunCommand({"/usr/bin/python3", std::string(PANTAU_SOURCE_DIR) + "/tests/tools/xlsx_cells.py",
                           dir_.Sub("ikk.xlsx")});
  ASSERT_EQ(cells.exit_code, 0) << cells.err;
  EXPECT_NE(cells.out.find("IKK!A5\ts\tNo\n"), std::string::npos);
  EXPECT_NE(cells.out.find("\ts\tH. CONTOH, S.E.\n"), std::string::npos) << cells.out;
  EXPECT_NE(cells.out.find("\ts\tNIP. 19700101 199003 1 001\n"), std::string::npos);
  // Row 20 (the 20th data row, sheet row 25): one commodity monitored, as a number.
  EXPECT_NE(cells.out.find("IKK!A25\tn\t20\n"), std::string::npos) << cells.out;
  EXPECT_NE(cells.out.find("IKK!H25\tn\t1\n"), std::string::npos) << cells.out;
  // xlsx needs a file; a misspelt signatory key is named.
  EXPECT_EQ(as_supervisor({"report", "uttp-due", "--format", "xlsx"}).exit_code, 2);
  std::ofstream(dir_.Sub("ttd.json")) << R"({"nama": "X"})";
  auto bad = as_supervisor({"report", "ikk", "--format", "xlsx", "--out", dir_.Sub("x.xlsx"), "--signatory",
                            dir_.Sub("ttd.json")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown key \"nama\""), std::string::npos) << bad.err;
}

// UTTP verdicts computed on the laptop and again on the server: `uttp check` offline, `uttp add`
// showing each point, the supervisor's list of verifications with the laptop's claim beside the
// server's verdict, and a claim that differs kept as a discrepancy.
TEST_F(ClientProcessTest, UttpVerdictsOnTheLaptopAndTheServerAndTheirDiscrepancies) {
  // Offline, no account needed.
  std::ofstream(dir_.Sub("cerapan.json")) << R"({"instrument": "nawi", "class": "III", "max_mg": 6000000,
      "e_mg": 2000, "kind": "tera", "points": [{"load_mg": 1002000, "indication_mg": 1004001}]})";
  auto check = RunCommand({kClient, "uttp", "check", "--input", dir_.Sub("cerapan.json")});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  auto verdict = nlohmann::json::parse(check.out);
  EXPECT_EQ(verdict["verdict"], "batal");
  EXPECT_EQ(verdict["points"][0]["error_mg"], 2001);
  EXPECT_EQ(verdict["points"][0]["mpe_mg"], 2000);
  EXPECT_EQ(verdict["points"][0]["pass"], false);

  // The inspector verifies the bundled scale (class III, Max 30 kg, e 5 g) yesterday: 10 kg shown
  // as 10.005 kg, at the MPE.
  const absl::TimeZone wita = common::ZoneWithoutDeployment();
  const absl::CivilDay yesterday = absl::ToCivilDay(absl::Now(), wita) - 1;
  // Class, Max and e come from the registry entry; the masses are typed as read off the weights
  // and the display. One more gram is batal: shown, and not saved unless confirmed.
  auto too_far = Pantau({"uttp", "add", "--instrument", "UTTP-CONTOH-0001", "--kind", "tera_ulang", "--point",
                         "10 kg:10,006 kg", "--at", common::FormatLocalDate(yesterday) + " 09:50"});
  EXPECT_EQ(too_far.exit_code, 2) << too_far.err;
  EXPECT_NE(too_far.out.find("error +6000 mg, MPE 5000 mg  FAIL"), std::string::npos) << too_far.out;
  EXPECT_NE(too_far.err.find("the verdict is BATAL (above); check the points and the class, or save it as batal "
                             "with --confirm-batal"),
            std::string::npos)
      << too_far.err;
  EXPECT_EQ(Status()["pending"], 0);
  auto added = Pantau({"uttp", "add", "--instrument", "UTTP-CONTOH-0001", "--kind", "tera_ulang", "--point",
                       "10 kg:10005 g", "--certificate", "SKHP-001", "--at", common::FormatLocalDate(yesterday) + " 10:00"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("point 1 (load 10000000 mg): error +5000 mg, MPE 5000 mg  pass\nverdict: sah\n"),
            std::string::npos)
      << added.out;
  // At the fuel pump, runs typed one by one, each judged as it is entered; standard input works
  // for `uttp check` too.
  const std::string pump = StrCat(
      "printf 'max 20000 20100\\nmid 20000 20101\\n\\nya\\n' | ", kClient, " --home ", dir_.Sub("laptop"),
      " uttp add --instrument UTTP-CONTOH-0003 --kind pengawasan --class 0.5 --interactive --at '",
      common::FormatLocalDate(yesterday), " 11:30'");
  auto typed = RunCommand({"/bin/sh", "-c", pump});
  ASSERT_EQ(typed.exit_code, 0) << typed.err;
  EXPECT_EQ(typed.out.substr(0, typed.out.find("saved")),
            "  run 1 (max, 20000 mL): error +100 mL, MPE 100 mL  pass\n"
            "  run 2 (mid, 20000 mL): error +101 mL, MPE 100 mL  FAIL\n"
            "verdict: batal — run 2 (mid flow, 20000 mL): error 101 mL exceeds the MPE of 100 mL\n")
      << typed.out;
  EXPECT_NE(typed.err.find("run 1> run 2> run 3> save it as BATAL? (ya/tidak)> "), std::string::npos) << typed.err;
  auto piped = RunCommand({"/bin/sh", "-c", StrCat("cat ", dir_.Sub("cerapan.json"), " | ", kClient, " uttp check --input -")});
  EXPECT_EQ(nlohmann::json::parse(piped.out)["verdict"], "batal") << piped.err;
  ASSERT_EQ(Pantau({"sync"}).exit_code, 0);

  // A verification from a laptop that claims sah where the rule says batal (an old version, a
  // different setting): stored, with the computed verdict, and flagged.
  const std::string device = Status()["device_id"];
  v1::Record disputed;
  disputed.set_id(pantau::testing::TestUlid(static_cast<uint64_t>(absl::ToUnixMillis(absl::Now() - absl::Hours(20))), 1));
  disputed.set_device_id(device);
  *disputed.mutable_created_at() = common::ToTimestamp(absl::Now() - absl::Hours(20));
  *disputed.mutable_observed_at() = common::ToTimestamp(absl::FromCivil(yesterday, wita) + absl::Hours(11));
  auto* u = disputed.mutable_uttp_verification();
  u->set_instrument_id("UTTP-CONTOH-0002");  // timbangan meja, class IIII, Max 15 kg, e 50 g
  u->set_kind(v1::VERIFICATION_KIND_TERA_ULANG);
  u->set_accuracy_class("IIII");
  u->set_max_mg(15000000);
  u->set_e_mg(50000);
  u->set_claimed_verdict(v1::VERDICT_SAH);
  auto* p = u->add_weighing_points();
  p->set_load_mg(5000000);  // 100 e: MPE 50 g
  p->set_indication_mg(5060000);
  auto stub = v1::SyncService::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  auto pushed = pantau::testing::PushBatches(*stub, Token("siti"), {{disputed}});
  ASSERT_TRUE(pushed.status.ok()) << pushed.status.error_message();
  ASSERT_EQ(pushed.responses.at(0).results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED)
      << pushed.responses.at(0).results(0).message();

  ASSERT_EQ(AsSupervisor({"login", "--server", address_, "--token-file", dir_.Sub("kabid.token")}).exit_code, 0);
  const std::string day = common::FormatLocalDate(yesterday);
  auto list = AsSupervisor({"report", "uttp-verifications", "--from", day, "--to", day, "--format", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto rows = nlohmann::json::parse(list.out);
  ASSERT_EQ(rows["rows"].size(), 3u) << list.out;
  EXPECT_EQ(rows["rows"][0]["instrument_id"], "UTTP-CONTOH-0001");
  EXPECT_EQ(rows["rows"][0]["computed_verdict"], "sah");
  EXPECT_EQ(rows["rows"][0]["claimed_verdict"], "sah");
  EXPECT_EQ(rows["rows"][0]["certificate_number"], "SKHP-001");
  EXPECT_EQ(rows["rows"][1]["computed_verdict"], "batal");
  EXPECT_EQ(rows["rows"][1]["claimed_verdict"], "sah");
  EXPECT_EQ(rows["rows"][1]["discrepancy"], true);
  EXPECT_EQ(rows["rows"][1]["reasons"][0], "point 1 (load 5 kg): error 60 g exceeds the MPE of 50 g");
  EXPECT_EQ(rows["rows"][2]["instrument_id"], "UTTP-CONTOH-0003");  // the pump: batal, claimed batal
  EXPECT_EQ(rows["rows"][2]["computed_verdict"], "batal");
  EXPECT_EQ(rows["rows"][2]["discrepancy"], false);
  auto only = AsSupervisor({"report", "uttp-verifications", "--from", day, "--to", day, "--discrepancies",
                            "--format", "csv"});
  EXPECT_EQ(std::count(only.out.begin(), only.out.end(), '\n'), 2) << only.out;  // header + one

  // The due list follows the computed verdicts: the sah scale is valid for a year, the batal one
  // is overdue since yesterday.
  auto due = AsSupervisor({"report", "uttp-due", "--all", "--format", "json"});
  ASSERT_EQ(due.exit_code, 0) << due.err;
  std::map<std::string, std::string> status;
  const auto due_list = nlohmann::json::parse(due.out);
  for (const auto& row : due_list["rows"]) {
    status[row["instrument_id"].get<std::string>()] = row["status"].get<std::string>();
  }
  EXPECT_EQ(status["UTTP-CONTOH-0001"], "berlaku") << due.out;
  EXPECT_EQ(status["UTTP-CONTOH-0002"], "terlambat");
}

// Audits against the bundled checklists: the laptop walks the checklist and shows the findings;
// the server's rules decide, even for a laptop that listed none; a follow-up from another
// domain's ladder comes back as needing attention, with the reason.
TEST_F(ClientProcessTest, AuditFindingsFromTheChecklistOnTheLaptopAndTheServer) {
  const absl::TimeZone wita = common::ZoneWithoutDeployment();
  const std::string yesterday = common::FormatLocalDate(absl::ToCivilDay(absl::Now(), wita) - 1);
  // An audit with items left out is not saved: each unanswered item is named.
  auto partial = Pantau({"audit", "add", "--outlet", "pkl_contoh_marabahan_1", "--answer", "papan_nama=ya"});
  EXPECT_EQ(partial.exit_code, 2) << partial.err;
  EXPECT_NE(partial.err.find("harga_jual (Harga jual LPG 3 kg per tabung (Rp)) is not answered: answer it, or mark "
                             "it tidak dapat diperiksa with the reason"),
            std::string::npos)
      << partial.err;
  EXPECT_EQ(Status()["pending"], 0);
  // Walked at a prompt: every item answered; an empty answer is asked again; "-" and a reason
  // mark an item tidak dapat diperiksa (the stock received: the book was with the agen).
  const std::string walk = StrCat("printf 'ya\\nRp 19.000\\nya\\n8000\\nya\\ntidak\\n-\\nbuku stok dibawa agen\\n20\\n\\n",
                                  "-\\nbelum dihitung\\nya\\nya\\nya\\n-\\nkamera rusak\\n' | ", kClient, " --home ",
                                  dir_.Sub("laptop"), " audit add --outlet pkl_contoh_marabahan_1 -i --at '", yesterday,
                                  " 09:00'");
  auto walked = RunCommand({"/bin/sh", "-c", walk});
  ASSERT_EQ(walked.exit_code, 0) << walked.err << walked.out;
  EXPECT_NE(walked.err.find("answer it, or type - if it cannot be checked"), std::string::npos) << walked.err;
  EXPECT_NE(walked.out.find("findings (1):\n  harga_di_atas_het — harga_jual: Rp 19.000 is above the HET of Rp 18.500"),
            std::string::npos)
      << walked.out;
  EXPECT_NE(walked.err.find("[papan_nama]> "), std::string::npos) << walked.err;
  const std::string audit_id = walked.out.substr(walked.out.find("saved outlet audit ") + 19, 26);
  ASSERT_EQ(Pantau({"sync"}).exit_code, 0);

  // A laptop that says nothing was found although the stock does not add up.
  const std::string device = Status()["device_id"];
  v1::Record quiet;
  quiet.set_id(pantau::testing::TestUlid(static_cast<uint64_t>(absl::ToUnixMillis(absl::Now() - absl::Hours(20))), 7));
  quiet.set_device_id(device);
  *quiet.mutable_created_at() = common::ToTimestamp(absl::Now() - absl::Hours(20));
  *quiet.mutable_observed_at() = common::ToTimestamp(absl::Now() - absl::Hours(20));
  auto* a = quiet.mutable_outlet_audit();
  a->set_outlet_code("pkl_contoh_alalak_1");
  a->set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
  a->set_checklist_version("2026-1");
  for (auto [item, count] : {std::pair{"stok_diterima", 560}, {"stok_terjual", 500}, {"stok_ada", 50}}) {
    auto* answer = a->add_answers();
    answer->set_item_code(item);
    answer->set_count(count);
  }
  for (const char* item : {"papan_nama", "timbangan_sah", "pencatatan_map", "pengecer_dalam_batas", "alat_keselamatan",
                           "segel_utuh"}) {
    auto* answer = a->add_answers();
    answer->set_item_code(item);
    answer->set_yes(true);
  }
  a->add_answers()->set_item_code("pembeli_tidak_berhak");
  a->mutable_answers(a->answers_size() - 1)->set_yes(false);
  a->add_answers()->set_item_code("harga_jual");
  a->mutable_answers(a->answers_size() - 1)->set_price_rupiah(18000);
  a->add_answers()->set_item_code("berat_tabung_isi_g");
  a->mutable_answers(a->answers_size() - 1)->set_weight_g(8000);
  a->add_answers()->set_item_code("foto_papan");
  a->mutable_answers(a->answers_size() - 1)->set_not_checked_reason("kamera rusak");
  auto stub = v1::SyncService::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  auto pushed = pantau::testing::PushBatches(*stub, Token("siti"), {{quiet}});
  ASSERT_TRUE(pushed.status.ok());
  ASSERT_EQ(pushed.responses.at(0).results(0).outcome(), v1::PUSH_OUTCOME_ACCEPTED)
      << pushed.responses.at(0).results(0).message();
  // The same audit from a laptop that left two items out (or a client that skips the laptop's
  // check): INVALID on the server, each item named, nothing stored.
  v1::Record gaps = quiet;
  gaps.set_id(pantau::testing::TestUlid(static_cast<uint64_t>(absl::ToUnixMillis(absl::Now() - absl::Hours(20))), 8));
  gaps.mutable_outlet_audit()->mutable_answers()->DeleteSubrange(3, 2);  // papan_nama, timbangan_sah
  auto refused = pantau::testing::PushBatches(*stub, Token("siti"), {{gaps}});
  ASSERT_TRUE(refused.status.ok());
  const v1::RecordResult& gap_result = refused.responses.at(0).results(0);
  EXPECT_EQ(gap_result.outcome(), v1::PUSH_OUTCOME_INVALID);
  ASSERT_EQ(gap_result.errors_size(), 2) << gap_result.message();
  EXPECT_EQ(gap_result.errors(0).field(), "outlet_audit.answers");
  EXPECT_EQ(gap_result.errors(0).reason().rfind("papan_nama (", 0), 0u) << gap_result.errors(0).reason();
  EXPECT_EQ(gap_result.errors(1).reason().rfind("timbangan_sah (", 0), 0u) << gap_result.errors(1).reason();

  // A pupuk step on a pangkalan, or a finding the audit did not find: refused on the laptop that
  // holds the audit, with the ladder and the findings it offers.
  auto wrong_ladder = Pantau({"followup", "add", "--audit", audit_id, "--finding", "harga_di_atas_het", "--action",
                              "rujukan_aph", "--date", yesterday});
  EXPECT_EQ(wrong_ladder.exit_code, 2);
  EXPECT_NE(wrong_ladder.err.find("follow_up.action_code: \"rujukan_aph\" is on the pupuk_kios ladder, but audit " +
                                  audit_id + " is of a lpg_pangkalan; its ladder: "),
            std::string::npos)
      << wrong_ladder.err;
  auto wrong_finding = Pantau({"followup", "add", "--audit", audit_id, "--finding", "stok_tidak_sesuai", "--action",
                               "teguran_lisan", "--date", yesterday});
  EXPECT_EQ(wrong_finding.exit_code, 2);
  EXPECT_NE(wrong_finding.err.find("\"stok_tidak_sesuai\" is not a finding of audit " + audit_id +
                                   "; its findings: harga_di_atas_het"),
            std::string::npos)
      << wrong_finding.err;
  // Of an audit this laptop does not hold (another laptop's): saved here, refused by the server.
  ASSERT_EQ(Pantau({"followup", "add", "--audit", quiet.id(), "--finding", "stok_tidak_sesuai", "--action",
                    "rujukan_aph", "--date", yesterday})
                .exit_code,
            0);
  ASSERT_EQ(Pantau({"followup", "add", "--audit", audit_id, "--finding", "harga_di_atas_het", "--action",
                    "teguran_lisan", "--actor", "Bidang Perdagangan", "--date", yesterday})
                .exit_code,
            0);
  EXPECT_EQ(Pantau({"sync"}).exit_code, 3);  // one follow-up refused: needs attention
  auto attention = Pantau({"status", "--attention"});
  EXPECT_NE(attention.out.find("\"rujukan_aph\" is on the pupuk_kios ladder"), std::string::npos) << attention.out;

  ASSERT_EQ(AsSupervisor({"login", "--server", address_, "--token-file", dir_.Sub("kabid.token")}).exit_code, 0);
  auto report = AsSupervisor({"report", "violations", "--from", yesterday, "--format", "json"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const auto v = nlohmann::json::parse(report.out);
  std::map<std::string, nlohmann::json> by_outlet;
  for (const auto& row : v["rows"]) by_outlet[row["outlet_code"].get<std::string>()] = row;
  ASSERT_EQ(by_outlet.size(), 2u) << report.out;
  EXPECT_EQ(by_outlet["pkl_contoh_alalak_1"]["finding_code"], "stok_tidak_sesuai");
  EXPECT_EQ(by_outlet["pkl_contoh_alalak_1"]["finding_reason"],
            "stok_seimbang: received 560 but sold 500 + on hand 50 = 550");
  EXPECT_EQ(by_outlet["pkl_contoh_marabahan_1"]["actions"], "1");
  ASSERT_EQ(by_outlet["pkl_contoh_marabahan_1"]["history"].size(), 1u);
  EXPECT_NE(by_outlet["pkl_contoh_marabahan_1"]["history"][0].get<std::string>().find(
                "teguran_lisan by Bidang Perdagangan"),
            std::string::npos);
}

// Evidence photos: kept on the laptop by content, uploaded by `pantau sync` on their own stream,
// an interrupted upload resumed from where the server stopped, stored once, read back by a
// supervisor byte for byte; a photo over the limit or with the wrong hash is refused.
TEST_F(ClientProcessTest, EvidencePhotosSyncResumeAndComeBackByteForByte) {
  std::string photo(300 * 1024 + 17, '\0');
  std::mt19937 rng(5);
  for (auto& c : photo) c = static_cast<char>(rng());
  std::ofstream(dir_.Sub("papan.jpg"), std::ios::binary) << photo;
  auto added = Pantau({"photo", "add", dir_.Sub("papan.jpg")});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const std::string sha = added.out.substr(0, 64);
  EXPECT_EQ(Pantau({"photo", "add", dir_.Sub("papan.jpg")}).out.substr(0, 64), sha);  // kept once

  // Another device already sent the first 100 000 bytes before its link dropped.
  auto stub = v1::SyncService::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  {
    auto context = pantau::testing::AuthedContext(Token("siti"));
    v1::PhotoReceipt receipt;
    auto writer = stub->UploadPhoto(context.get(), &receipt);
    v1::PhotoChunk chunk;
    chunk.set_sha256(sha);
    chunk.set_total_bytes(static_cast<int64_t>(photo.size()));
    chunk.set_data(photo.substr(0, 100000));
    ASSERT_TRUE(writer->Write(chunk));
    writer->WritesDone();
    ASSERT_TRUE(writer->Finish().ok());
    EXPECT_EQ(receipt.received_bytes(), 100000);
    EXPECT_FALSE(receipt.complete());
  }
  // The audit references the photo; sync sends the record, then only the rest of the photo.
  ASSERT_EQ(Pantau(Concat({"audit", "add", "--outlet", "pkl_contoh_marabahan_1"}, LpgAnswers({{"foto_papan", sha}})))
                .exit_code,
            0);
  auto synced = Pantau({"sync", "--json"});
  ASSERT_EQ(synced.exit_code, 0) << synced.err << synced.out;
  auto summary = nlohmann::json::parse(synced.out);
  EXPECT_EQ(summary["photos"]["sent"], 1);
  EXPECT_EQ(summary["photos"]["bytes"], static_cast<int64_t>(photo.size()) - 100000);
  EXPECT_EQ(summary["photos"]["pending"], 0);
  // A second sync has nothing to send.
  EXPECT_EQ(nlohmann::json::parse(Pantau({"sync", "--json"}).out)["photos"]["bytes"], 0);

  // The supervisor gets it back, byte for byte; an inspector may not.
  ASSERT_EQ(AsSupervisor({"login", "--server", address_, "--token-file", dir_.Sub("kabid.token")}).exit_code, 0);
  auto got = AsSupervisor({"photo", "get", sha, "--out", dir_.Sub("back.jpg")});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  std::ifstream back(dir_.Sub("back.jpg"), std::ios::binary);
  std::stringstream bytes;
  bytes << back.rdbuf();
  EXPECT_TRUE(bytes.str() == photo);
  EXPECT_EQ(Pantau({"photo", "get", sha, "--out", dir_.Sub("x.jpg")}).exit_code, 1);
  EXPECT_EQ(AsSupervisor({"photo", "get", std::string(64, 'c'), "--out", dir_.Sub("y.jpg")}).exit_code, 1);

  // Over the limit: refused on the laptop, and by the server.
  std::ofstream(dir_.Sub("huge.jpg"), std::ios::binary) << std::string((8 << 20) + 1, 'x');
  auto huge = Pantau({"photo", "add", dir_.Sub("huge.jpg")});
  EXPECT_EQ(huge.exit_code, 2);
  EXPECT_NE(huge.err.find("over the limit of 8388608 bytes"), std::string::npos) << huge.err;
  auto upload = [&](const std::string& claimed, const std::string& data, int64_t total) {
    auto context = pantau::testing::AuthedContext(Token("siti"));
    v1::PhotoReceipt receipt;
    auto writer = stub->UploadPhoto(context.get(), &receipt);
    v1::PhotoChunk chunk;
    chunk.set_sha256(claimed);
    chunk.set_total_bytes(total);
    chunk.set_data(data);
    writer->Write(chunk);
    writer->WritesDone();
    return writer->Finish();
  };
  auto too_big = upload(std::string(64, 'd'), "x", (8 << 20) + 1);
  EXPECT_EQ(too_big.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Bytes that do not hash to the name are dropped, not stored.
  auto wrong = upload(std::string(64, 'e'), "not this photo", 14);
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(wrong.error_message().find("do not have that SHA-256"), std::string::npos) << wrong.error_message();
  v1::PhotoStatusRequest request;
  request.set_sha256(std::string(64, 'e'));
  v1::PhotoStatusResponse status;
  ASSERT_TRUE(stub->GetPhotoUploadStatus(pantau::testing::AuthedContext(Token("siti")).get(), request, &status).ok());
  EXPECT_EQ(status.received_bytes(), 0);
  EXPECT_FALSE(status.complete());
}

// TLS: certificates from deploy/make-certs.sh; a laptop trusting the dinas's CA syncs, one
// trusting another CA (or none) is refused; off loopback the server needs TLS.
TEST_F(ClientProcessTest, TlsWithTheDinasCaAndRefusalsOtherwise) {
  const std::string script = std::string(PANTAU_SOURCE_DIR) + "/deploy/make-certs.sh";
  ASSERT_EQ(RunCommand({"/bin/bash", script, dir_.Sub("ca-dinas")}).exit_code, 0);
  ASSERT_EQ(RunCommand({"/bin/bash", script, dir_.Sub("ca-other")}).exit_code, 0);
  server_->Stop(SIGTERM);
  server_->set_extra_args({"--tls-cert", dir_.Sub("ca-dinas/server.pem"), "--tls-key", dir_.Sub("ca-dinas/server.key")});
  ASSERT_TRUE(server_->Start()) << "see " << server_->log_path();
  const std::string address = server_->address();

  auto login = [&](const std::string& home, const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {kClient, "--home", dir_.Sub(home), "login", "--server", address,
                                     "--token-file", dir_.Sub("siti.token")};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunCommand(argv);
  };
  auto good = login("tls-laptop", {"--ca-file", dir_.Sub("ca-dinas/ca.pem")});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  ASSERT_EQ(RunCommand({kClient, "--home", dir_.Sub("tls-laptop"), "price", "add", "--market", "pasar_marabahan",
                        "--commodity", "beras_medium", "--price", "13100"})
                .exit_code,
            0);
  auto synced = RunCommand({kClient, "--home", dir_.Sub("tls-laptop"), "sync"});
  EXPECT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_NE(synced.out.find("delivered 1 records"), std::string::npos) << synced.out;

  auto other = login("other-laptop", {"--ca-file", dir_.Sub("ca-other/ca.pem")});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_NE(other.err.find("login failed"), std::string::npos) << other.err;
  auto plaintext = login("plain-laptop", {});
  EXPECT_EQ(plaintext.exit_code, 1) << plaintext.err;
  auto no_ca = login("bad-ca-laptop", {"--ca-file", dir_.Sub("nothing.pem")});
  EXPECT_NE(no_ca.err.find("cannot be read as a CA certificate"), std::string::npos) << no_ca.err;

  // Off loopback: plaintext is refused, TLS is served.
  auto refused = RunCommand({kServer, "serve", "--data-dir", dir_.Sub("data2"), "--grpc-listen", "0.0.0.0:0"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("refusing plaintext gRPC on 0.0.0.0:0"), std::string::npos) << refused.err;
  server_->Stop(SIGTERM);
  ASSERT_TRUE(server_->Start("0.0.0.0:0")) << "see " << server_->log_path();
}

TEST_F(ClientProcessTest, EntryErrorsNameTheFieldAndSuggestKnownCodes) {
  auto unknown = Pantau({"price", "add", "--market", "pasar_marabahn", "--commodity", "beras_medium",
                         "--price", "13100"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("price_sample.market_code: unknown market \"pasar_marabahn\"; did you mean pasar_marabahan"),
            std::string::npos)
      << unknown.err;
  auto slip = Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium",
                      "--price", "131000"});
  EXPECT_EQ(slip.exit_code, 2);
  EXPECT_NE(slip.err.find("digit slip"), std::string::npos) << slip.err;
  auto confirmed = Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium",
                           "--price", "131000", "--confirm", "harga grosir 10 kg"});
  EXPECT_EQ(confirmed.exit_code, 0) << confirmed.err;
  EXPECT_EQ(Status()["pending"], 1);

  // Prices and packs as people write them.
  for (const auto& [written, trader] : std::vector<std::pair<std::string, std::string>>{
           {"13.100", "Bu Ani"}, {"Rp 13.100", "Bu Sari"}, {"Rp13.100", "Pak Dedi"}}) {
    auto typed = Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium", "--price",
                         written, "--trader", trader});
    EXPECT_EQ(typed.exit_code, 0) << written << ": " << typed.err;
  }
  // The same trader's same price again within minutes is a slip, unless it is confirmed.
  auto twice = Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium", "--price",
                       "13100", "--trader", "Bu Ani"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("the same price from the same trader was saved less than a minute ago"), std::string::npos)
      << twice.err;
  EXPECT_NE(twice.err.find("if this is a second sample, confirm it with a reason"), std::string::npos) << twice.err;
  auto packed = Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium", "--price",
                        "Rp 65.500", "--pack", "5kg", "--trader", "Bu Ina"});
  EXPECT_EQ(packed.exit_code, 0) << packed.err;
  auto gram = Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium", "--price",
                      "6.600", "--pack", "500", "gr", "--trader", "Pak Budi"});
  EXPECT_EQ(gram.exit_code, 0) << gram.err;
  EXPECT_EQ(Status()["pending"], 6);
  auto comma = Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium", "--price",
                       "13,5"});
  EXPECT_EQ(comma.exit_code, 2);
  EXPECT_NE(comma.err.find("--price \"13,5\": write whole Rupiah, e.g. 13100, 13.100 or Rp 13.100"), std::string::npos)
      << comma.err;
  auto sack = Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium", "--price",
                      "600.000", "--pack", "50", "karung"});
  EXPECT_EQ(sack.exit_code, 2);
  EXPECT_NE(sack.err.find("\"karung\" is not a unit Pantau knows; accepted units: kg, kilo"), std::string::npos)
      << sack.err;
  EXPECT_EQ(Status()["pending"], 6);

  // The codes need not be remembered: the laptop lists them from its reference data.
  auto markets = Pantau({"list", "markets", "Marabahan", "--format", "csv"});
  ASSERT_EQ(markets.exit_code, 0) << markets.err;
  EXPECT_EQ(markets.out, "name,code,detail,kecamatan\nPasar Marabahan (contoh),pasar_marabahan,,Marabahan\n");
  auto rice = Pantau({"list", "commodities", "beras"});
  ASSERT_EQ(rice.exit_code, 0) << rice.err;
  EXPECT_NE(rice.out.find("Beras Medium"), std::string::npos) << rice.out;
  EXPECT_NE(rice.out.find("beras_medium"), std::string::npos) << rice.out;
  EXPECT_EQ(Pantau({"list", "pasar"}).exit_code, 2);

  // What this laptop recorded, with ids, to correct or void.
  auto records = Pantau({"records", "--kind", "price_sample", "--format", "csv"});
  ASSERT_EQ(records.exit_code, 0) << records.err;
  EXPECT_EQ(std::count(records.out.begin(), records.out.end(), '\n'), 7) << records.out;  // header + 6
  EXPECT_NE(records.out.find(",price_sample,"), std::string::npos) << records.out;
  EXPECT_NE(records.out.find(",pending,\"Beras Medium at Pasar Marabahan (contoh), Pak Dedi, Rp 13.100/kg,"),
            std::string::npos)
      << records.out;
  auto none = Pantau({"records", "--day", "2001-01-01", "--format", "json"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(none.out, "[]\n");
  EXPECT_EQ(Pantau({"records", "--kind", "harga"}).exit_code, 2);
}

}  // namespace
}  // namespace pantau::integration

namespace pantau::integration {
namespace {

// Reference data changed while the server serves: export, a market added in the folder, a dry run
// that applies nothing, the apply, and a laptop that gets the market at its next sync and records
// a price there. Broken references are listed with file and line and nothing is applied; a
// kecamatan an account's scope names cannot be retired; the apply is in the audit log.
TEST_F(ClientProcessTest, ReferenceDataIsExportedChangedAndAppliedWhileTheServerServes) {
  namespace fs = std::filesystem;
  auto as_admin = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {kClient, "--home", dir_.Sub("admin-laptop")};
    for (auto& a : args) argv.push_back(std::move(a));
    return RunCommand(argv);
  };
  ASSERT_EQ(as_admin({"login", "--server", address_, "--token-file", dir_.Sub("admin.token")}).exit_code, 0);
  const std::string folder = dir_.Sub("reference");
  auto exported = as_admin({"admin", "reference", "export", "--out", folder});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find("wrote 14 files to " + folder), std::string::npos) << exported.out;
  // What was exported is what was imported: applying it back differs in nothing.
  for (const char* file : {"kecamatan.csv", "markets.csv", "reference_prices.csv", "checklists.csv"}) {
    auto text = common::ParseReferenceCsv(file, ReadFile(folder + "/" + file));
    auto original = common::ParseReferenceCsv(file, ReadFile(kReference + "/" + file));
    ASSERT_TRUE(text.ok() && original.ok()) << file;
    ASSERT_EQ(text->entities.size(), original->entities.size()) << file;
  }
  auto same = as_admin({"admin", "reference", "apply", folder});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.out.find("nothing to apply: the server already holds what the folder says"), std::string::npos)
      << same.out;

  // The time zone recounts every day: not while the server runs, and not even as a dry run.
  const std::string deployment = ReadFile(folder + "/deployment.csv");
  ASSERT_NE(deployment.find(",WITA\n"), std::string::npos) << deployment;
  {
    std::string wib = deployment;
    wib.replace(wib.find(",WITA\n"), 6, ",WIB\n");
    std::ofstream(folder + "/deployment.csv", std::ios::trunc) << wib;
  }
  for (bool dry_run : {true, false}) {
    auto rezoned = as_admin(dry_run ? std::vector<std::string>{"admin", "reference", "apply", folder, "--dry-run"}
                                    : std::vector<std::string>{"admin", "reference", "apply", folder});
    EXPECT_EQ(rezoned.exit_code, 1);
    EXPECT_NE(rezoned.err.find("the deployment's time zone would change from WITA to WIB"), std::string::npos)
        << rezoned.err;
    EXPECT_NE(rezoned.err.find("pantau-server rebuild-rollups"), std::string::npos) << rezoned.err;
  }
  std::ofstream(folder + "/deployment.csv", std::ios::trunc) << deployment;

  // A new market, and the price it cannot take yet.
  {
    std::ofstream markets(folder + "/markets.csv", std::ios::app);
    markets << "pasar_baru,Pasar Baru,marabahan,yes\n";
  }
  auto before = Pantau({"price", "add", "--market", "pasar_baru", "--commodity", "beras_medium", "--price", "13000"});
  EXPECT_EQ(before.exit_code, 2);
  auto dry = as_admin({"admin", "reference", "apply", folder, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("markets.csv\n  added  market/pasar_baru\n"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("dry run: 1 added, 0 changed, 0 retired"), std::string::npos) << dry.out;
  auto still = as_admin({"admin", "reference", "apply", folder, "--dry-run", "--format", "json"});
  ASSERT_EQ(still.exit_code, 0) << still.err;
  auto still_json = nlohmann::json::parse(still.out);
  EXPECT_EQ(still_json["applied"], false);  // the first dry run applied nothing
  ASSERT_EQ(still_json["differences"].size(), 1u);
  EXPECT_EQ(still_json["differences"][0]["key"], "market/pasar_baru");

  auto applied = as_admin({"admin", "reference", "apply", folder});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_NE(applied.out.find("applied: 1 added, 0 changed, 0 retired"), std::string::npos) << applied.out;
  // The laptop gets it at its next sync, and a price there goes in.
  ASSERT_EQ(Pantau({"sync"}).exit_code, 0);
  auto after = Pantau({"price", "add", "--market", "pasar_baru", "--commodity", "beras_medium", "--price", "13000"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  ASSERT_EQ(Pantau({"sync"}).exit_code, 0);
  EXPECT_EQ(ServerPriceSamples(), 1u);

  // Broken references: every one listed with its file and line; nothing applied.
  {
    std::ofstream markets(folder + "/markets.csv", std::ios::app);
    markets << "pasar_hilang,Pasar Hilang,atlantis,no\n";  // line 8
    std::ofstream instruments(folder + "/uttp_instruments.csv", std::ios::app);
    instruments << "UTTP-X,meteran_ajaib,Toko X,,,marabahan,,,,,0,0,2026-01-05,\n";
  }
  auto broken = as_admin({"admin", "reference", "apply", folder});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find("nothing applied; fix these first:"), std::string::npos) << broken.err;
  EXPECT_NE(broken.err.find("markets.csv line 8: kecamatan_code: \"atlantis\" is not a kecamatan (kecamatan.csv)"),
            std::string::npos)
      << broken.err;
  EXPECT_NE(broken.err.find("uttp_instruments.csv line 5: type_code: \"meteran_ajaib\" is not a UTTP type"),
            std::string::npos)
      << broken.err;
  auto check = as_admin({"admin", "reference", "export", "--out", dir_.Sub("check")});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(ReadFile(dir_.Sub("check") + "/markets.csv").find("pasar_hilang"), std::string::npos);

  // Retiring Tamban's kecamatan and market while an account's scope names Tamban is refused.
  ASSERT_EQ(as_admin({"admin", "scope", "--name", "kabid", "--kecamatan", "tamban"}).exit_code, 0);
  const std::string folder2 = dir_.Sub("check");
  auto drop_line = [&](const std::string& path, const std::string& needle) {
    std::istringstream in(ReadFile(path));
    std::string line, kept;
    while (std::getline(in, line)) {
      if (line.find(needle) == std::string::npos) kept += line + "\n";
    }
    std::ofstream(path, std::ios::trunc) << kept;
  };
  drop_line(folder2 + "/kecamatan.csv", "tamban,");
  drop_line(folder2 + "/markets.csv", "pasar_tamban,");
  auto retiring = as_admin({"admin", "reference", "apply", folder2, "--dry-run"});
  EXPECT_EQ(retiring.exit_code, 2);
  EXPECT_NE(retiring.err.find("kecamatan.csv: kecamatan tamban would be retired, but account kabid's scope names it"),
            std::string::npos)
      << retiring.err;
  ASSERT_EQ(as_admin({"admin", "scope", "--name", "kabid", "--kecamatan", ""}).exit_code, 0);
  auto retired = as_admin({"admin", "reference", "apply", folder2});
  ASSERT_EQ(retired.exit_code, 0) << retired.err;
  EXPECT_NE(retired.out.find("kecamatan.csv\n  retired  kecamatan/tamban\n"), std::string::npos) << retired.out;
  EXPECT_NE(retired.out.find("markets.csv\n  retired  market/pasar_tamban\n"), std::string::npos) << retired.out;

  // The audit log holds who applied what.
  auto audit = as_admin({"admin", "audit-log", "--format", "csv"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("reference.apply"), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("1 added, 0 changed, 0 retired, from 14 files"), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("0 added, 0 changed, 2 retired"), std::string::npos) << audit.out;
}

// A second, synthetic deployment: a kota in another province and HET zone, with its own kecamatan,
// market and indicator rows, run end to end (reference data, entry, sync, reports, the IKK table
// as a workbook). Its price is compared with its own zone's HET, its reports are signed by its own
// dinas, its days are WIT days (a sample at 00:30 WIT belongs to that day, which in WITA is the
// day before), and no fact of Barito Kuala appears in anything it prints. Then its time zone is
// changed to WIB with the server stopped: the server refuses to serve until the roll-ups are
// rebuilt, and after the rebuild the same sample belongs to the WIB day.
TEST(SecondDeploymentTest, AKotaElsewhereRunsOnItsOwnDataAlone) {
  namespace fs = std::filesystem;
  TempDir dir;
  const std::string folder = dir.Sub("kota-reference");
  fs::create_directories(folder);
  for (const char* shared : {"commodities.csv", "subsidised_products.csv", "uttp_types.csv", "follow_up_actions.csv",
                             "indicator_targets.csv", "manual_realisations.csv"}) {
    fs::copy(kReference + "/" + shared, folder + "/" + shared);
  }
  auto write = [&](const std::string& name, const std::string& text) { std::ofstream(folder + "/" + name) << text; };
  write("deployment.csv",
        "code,name,province,agency,seat,price_zones,time_zone\n"
        "82.71,Kota Contoh Timur,Maluku Utara,Dinas Perdagangan Kota Contoh Timur,Contoh Timur,3;nasional,WIT\n");
  write("kecamatan.csv", "code,name\nkota_utara,Kota Utara\nkota_selatan,Kota Selatan\n");
  write("markets.csv", "code,name,kecamatan_code,verified\npasar_sentral,Pasar Sentral,kota_utara,yes\n");
  write("reference_prices.csv",
        "product_code,zone,kind,price_rupiah,effective_from,regulation\n"
        "beras_medium,3,HET,13500,2024-06-01,Perbadan 5/2024\n"
        "minyakita,nasional,HET,15700,2024-08-14,Permendag 18/2024\n");
  write("indicators.csv",
        "no,tujuan,sasaran,indikator_kinerja_kegiatan,bidang_urusan,formulasi_cara_pengukuran,sumber_data,keterangan,"
        "computation\n"
        "1,Stabilitas harga,Harga terpantau,Jumlah bahan pokok yang dipantau,Bidang Perdagangan,Jumlah bahan pokok,"
        "Daftar harga,,bahan_pokok_monitored\n");
  const std::string data = dir.Sub("data");
  auto imported = RunCommand({kServer, "import-reference", "--data-dir", data, folder});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  for (const char* account : {"ina:inspector", "kabid:supervisor"}) {
    std::string spec = account;
    const std::string name = spec.substr(0, spec.find(':'));
    ASSERT_EQ(RunCommand({kServer, "accounts", "add", "--data-dir", data, "--name", name, "--role",
                          spec.substr(spec.find(':') + 1), "--token-file", dir.Sub(name + ".token")})
                  .exit_code,
              0);
  }
  ServerProcess server(kServer, data, dir.path());
  ASSERT_TRUE(server.Start()) << "see " << server.log_path();
  auto as = [&](const std::string& who, std::vector<std::string> args) {
    std::vector<std::string> argv = {kClient, "--home", dir.Sub(who + "-laptop")};
    for (auto& a : args) argv.push_back(std::move(a));
    return RunCommand(argv);
  };
  ASSERT_EQ(as("ina", {"login", "--server", server.address(), "--token-file", dir.Sub("ina.token")}).exit_code, 0);
  ASSERT_EQ(as("kabid", {"login", "--server", server.address(), "--token-file", dir.Sub("kabid.token")}).exit_code, 0);
  auto added = as("ina", {"price", "add", "--market", "pasar_sentral", "--commodity", "beras_medium", "--price",
                          "13800", "--trader", "Ibu Sari"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  // Yesterday at 00:30 WIT: still the day before in WITA and WIB.
  const absl::TimeZone wit = *common::IndonesianTimeZone("WIT");
  const absl::CivilDay yesterday = absl::ToCivilDay(absl::Now(), wit) - 1;
  const std::string early = common::FormatLocalDate(yesterday);
  auto added_early = as("ina", {"price", "add", "--market", "pasar_sentral", "--commodity", "beras_medium", "--price",
                                "13900", "--trader", "Ibu Sari", "--at", early + " 00:30"});
  ASSERT_EQ(added_early.exit_code, 0) << added_early.err;
  ASSERT_EQ(as("ina", {"sync"}).exit_code, 0);
  // A laptop clock 3 hours ahead: the server's refusal shows the time in WIT.
  auto ahead = RunCommand({"/usr/bin/faketime", "-f", "+3h", kClient, "--home", dir.Sub("ina-laptop"), "price", "add",
                           "--market", "pasar_sentral", "--commodity", "beras_medium", "--price", "13700"});
  ASSERT_EQ(ahead.exit_code, 0) << ahead.err;
  EXPECT_EQ(as("ina", {"sync"}).exit_code, 3);
  auto status = as("ina", {"status", "--attention"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find(" WIT\n"), std::string::npos) << status.out;  // last sync, in the kota's time
  EXPECT_NE(status.out.find(" WIT is "), std::string::npos) << status.out;  // "2h59m ahead" or "3h00m ahead"
  EXPECT_NE(status.out.find("ahead of the server clock"), std::string::npos) << status.out;

  std::string printed = added.out + added.err + added_early.out + added_early.err + status.out;
  const std::string today = absl::FormatTime("%Y-%m-%d", absl::Now(), wit);
  auto prices = as("kabid", {"report", "prices", "--commodity", "beras_medium", "--from", today, "--to", today,
                             "--format", "csv"});
  ASSERT_EQ(prices.exit_code, 0) << prices.err;
  // Compared with yesterday's (WIT) Rp 13.900 and with zone 3's HET of Rp 13.500: 2.22 % above.
  EXPECT_NE(prices.out.find(StrCat("pasar_sentral,", today, ",1,1,13800,13800,13800,13800,", early,
                                   ",-100,-0.72,13500,HET,2.22")),
            std::string::npos)
      << prices.out;
  printed += prices.out;
  auto early_prices = as("kabid", {"report", "prices", "--commodity", "beras_medium", "--from", early, "--to", early,
                                   "--format", "csv"});
  ASSERT_EQ(early_prices.exit_code, 0) << early_prices.err;
  EXPECT_NE(early_prices.out.find(StrCat("pasar_sentral,", early, ",1,1,13900,13900,13900,13900,")), std::string::npos)
      << early_prices.out;
  printed += early_prices.out;
  auto ikk = as("kabid", {"report", "ikk", "--format", "json"});
  ASSERT_EQ(ikk.exit_code, 0) << ikk.err;
  printed += ikk.out;
  auto xlsx = as("kabid", {"report", "ikk", "--format", "xlsx", "--out", dir.Sub("ikk.xlsx")});
  ASSERT_EQ(xlsx.exit_code, 0) << xlsx.err;
  auto cells = RunCommand({"/usr/bin/python3", std::string(PANTAU_SOURCE_DIR) + "/tests/tools/xlsx_cells.py",
                           dir.Sub("ikk.xlsx")});
  ASSERT_EQ(cells.exit_code, 0) << cells.err;
  EXPECT_NE(cells.out.find("\ts\tDinas Perdagangan Kota Contoh Timur\n"), std::string::npos) << cells.out;
  EXPECT_NE(cells.out.find("\ts\tKepala Dinas Perdagangan Kota Contoh Timur\n"), std::string::npos) << cells.out;
  EXPECT_NE(cells.out.find("\ts\tContoh Timur, "), std::string::npos) << cells.out;
  printed += cells.out;
  auto exported = as("kabid", {"admin", "reference", "export", "--out", dir.Sub("back")});  // a supervisor may not
  EXPECT_EQ(exported.exit_code, 1);
  for (const char* barito : {"Barito", "Marabahan", "kalsel", "Kalimantan", "63.04", "WITA"}) {
    EXPECT_EQ(printed.find(barito), std::string::npos) << barito << " in:\n" << printed;
  }

  // The kota moves to WIB. Importing says the roll-ups must be recounted; serving is refused
  // until they are; after the rebuild the 00:30 WIT sample (23:30 WIB) is on the day before.
  ASSERT_EQ(server.Stop(SIGINT), 0);
  write("deployment.csv",
        "code,name,province,agency,seat,price_zones,time_zone\n"
        "82.71,Kota Contoh Timur,Maluku Utara,Dinas Perdagangan Kota Contoh Timur,Contoh Timur,3;nasional,WIB\n");
  auto rezoned = RunCommand({kServer, "import-reference", "--data-dir", data, folder});
  ASSERT_EQ(rezoned.exit_code, 0) << rezoned.err;
  EXPECT_NE(rezoned.err.find("the deployment's time zone is now WIB; the roll-ups count days in WIT"),
            std::string::npos)
      << rezoned.err;
  auto refused = RunCommand({kServer, "serve", "--data-dir", data, "--grpc-listen", "127.0.0.1:0"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("count days in WIT but the deployment's time zone is WIB"), std::string::npos)
      << refused.err;
  auto rebuilt = RunCommand({kServer, "rebuild-rollups", "--data-dir", data});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  ASSERT_TRUE(server.Start()) << "see " << server.log_path();
  ASSERT_EQ(as("kabid", {"login", "--server", server.address(), "--token-file", dir.Sub("kabid.token")}).exit_code, 0);
  const std::string day_before = common::FormatLocalDate(yesterday - 1);
  auto moved = as("kabid", {"report", "prices", "--commodity", "beras_medium", "--from", day_before, "--to", early,
                            "--format", "csv"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_NE(moved.out.find(StrCat("pasar_sentral,", day_before, ",1,1,13900,13900,13900,13900,")), std::string::npos)
      << moved.out;
  EXPECT_EQ(moved.out.find(StrCat("pasar_sentral,", early, ",1,1,13900,")), std::string::npos) << moved.out;
}

// Every exit code is one the README documents: a mistake on the command line is 2 (input refused)
// for both programs, help is 0.
TEST_F(ClientProcessTest, CommandLineMistakesExitWithTheDocumentedCode) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"price", "add"}, {"no-such-command"}, {"sync", "--retry-for", "lama"}, {"report", "ikk", "--bogus"}}) {
    auto run = Pantau(args);
    EXPECT_EQ(run.exit_code, 2) << args[0] << " " << run.err;
  }
  EXPECT_EQ(Pantau({"--help"}).exit_code, 0);
  EXPECT_EQ(RunCommand({kServer, "serve", "--no-such-flag"}).exit_code, 2);
  EXPECT_EQ(RunCommand({kServer, "no-such-command"}).exit_code, 2);
  EXPECT_EQ(RunCommand({kServer, "--help"}).exit_code, 0);
}

// import-reference into a stopped store makes the same checks as an apply.
TEST_F(ClientProcessTest, ImportReferenceRefusesBrokenReferencesWithFileAndLine) {
  namespace fs = std::filesystem;
  const std::string folder = dir_.Sub("broken-reference");
  fs::create_directories(folder);
  for (const auto& entry : fs::directory_iterator(kReference)) fs::copy(entry.path(), folder + "/" + entry.path().filename().string());
  {
    std::ofstream outlets(folder + "/outlets.csv", std::ios::app);
    outlets << "pkl_baru,Pangkalan Baru,lpg_pangkalan,atlantis,REG-9,Agen X,100,,Jl. X\n";
    std::ofstream prices(folder + "/reference_prices.csv", std::ios::app);
    prices << "gula_pasir_ajaib,nasional,HET,20000,2026-01-01,Permendag X\n";
  }
  auto imported = RunCommand({kServer, "import-reference", "--data-dir", dir_.Sub("other-data"), folder});
  EXPECT_NE(imported.exit_code, 0);
  const std::string said = imported.out + imported.err;
  EXPECT_NE(said.find("outlets.csv line 6: kecamatan_code: \"atlantis\" is not a kecamatan"), std::string::npos) << said;
  EXPECT_NE(said.find("reference_prices.csv line 18: product_code: \"gula_pasir_ajaib\" is not a commodity or subsidised product"),
            std::string::npos)
      << said;
}

TEST_F(ClientProcessTest, TheAdminManagesAccountsFromALaptopAndScopesHold) {
  auto as_admin = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {kClient, "--home", dir_.Sub("admin-laptop")};
    for (auto& a : args) argv.push_back(std::move(a));
    return RunCommand(argv);
  };
  ASSERT_EQ(as_admin({"login", "--server", address_, "--token-file", dir_.Sub("admin.token")}).exit_code, 0);
  // An inspector for Marabahan, a supervisor for Alalak; tokens straight into 0600 files.
  auto rudi = as_admin({"admin", "add", "--name", "rudi", "--role", "inspector", "--kecamatan", "marabahan",
                        "--expires", "2099-12-31", "--token-file", dir_.Sub("rudi.token")});
  ASSERT_EQ(rudi.exit_code, 0) << rudi.err;
  EXPECT_EQ(rudi.out, "");  // the token went to the file, not the screen
  EXPECT_EQ(std::filesystem::status(dir_.Sub("rudi.token")).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto camat = as_admin({"admin", "add", "--name", "pengawas_alalak", "--role", "supervisor", "--kecamatan",
                         "alalak", "--token-file", dir_.Sub("pengawas.token")});
  ASSERT_EQ(camat.exit_code, 0) << camat.err;
  auto unknown = as_admin({"admin", "add", "--name", "x", "--role", "inspector", "--kecamatan", "atlantis"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("\"atlantis\" is not in the reference data"), std::string::npos) << unknown.err;
  auto list = as_admin({"admin", "accounts", "--format", "csv"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("rudi,inspector,active,2100-01-01 00:00 WITA,marabahan,,"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find(Token("rudi")), std::string::npos);

  // Rudi's laptop: a price in Marabahan goes in; one in Alalak (Handil Bakti) is refused with the
  // reason, and stays on the laptop.
  auto as_rudi = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {kClient, "--home", dir_.Sub("rudi-laptop")};
    for (auto& a : args) argv.push_back(std::move(a));
    return RunCommand(argv);
  };
  ASSERT_EQ(as_rudi({"login", "--server", address_, "--token-file", dir_.Sub("rudi.token")}).exit_code, 0);
  // The laptop knows rudi's kecamatan from its pull: a price outside them is refused at entry.
  auto outside = as_rudi({"price", "add", "--market", "pasar_handil_bakti", "--commodity", "beras_medium", "--price",
                          "13200"});
  EXPECT_EQ(outside.exit_code, 2);
  EXPECT_NE(outside.err.find("price_sample.market_code: market pasar_handil_bakti is in kecamatan Alalak (alalak), "
                             "outside the kecamatan assigned to account \"rudi\" (marabahan)"),
            std::string::npos)
      << outside.err;
  // Until its next pull the laptop knows only what it was told: the admin extends rudi to Alalak
  // and narrows him back before he syncs, so what he enters there now is refused by the server.
  ASSERT_EQ(as_admin({"admin", "scope", "--name", "rudi", "--kecamatan", "marabahan,alalak"}).exit_code, 0);
  ASSERT_EQ(as_rudi({"pull"}).exit_code, 0);
  ASSERT_EQ(as_admin({"admin", "scope", "--name", "rudi", "--kecamatan", "marabahan"}).exit_code, 0);
  ASSERT_EQ(as_rudi({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium", "--price",
                     "13100"}).exit_code, 0);
  ASSERT_EQ(as_rudi({"price", "add", "--market", "pasar_handil_bakti", "--commodity", "beras_medium", "--price",
                     "13200"}).exit_code, 0);
  // Two more there that were slips: one was at Marabahan really, one entered twice.
  auto id_of = [](const std::string& said) {
    const size_t end = said.find("; ");
    const size_t start = said.rfind(' ', end - 1);
    return end == std::string::npos || start == std::string::npos ? std::string() : said.substr(start + 1, end - start - 1);
  };
  const std::string misplaced = id_of(as_rudi({"price", "add", "--market", "pasar_handil_bakti", "--commodity",
                                               "gula_konsumsi", "--price", "17.000"}).out);
  const std::string twice = id_of(as_rudi({"price", "add", "--market", "pasar_handil_bakti", "--commodity",
                                           "gula_konsumsi", "--price", "17.200"}).out);
  ASSERT_EQ(misplaced.size(), 26u);
  ASSERT_EQ(twice.size(), 26u);
  auto sync = as_rudi({"sync"});
  auto attention = as_rudi({"status", "--attention"});
  EXPECT_NE(attention.out.find("market pasar_handil_bakti is in kecamatan Alalak (alalak), outside the kecamatan "
                               "assigned to account \"rudi\" (marabahan)"),
            std::string::npos)
      << sync.out << sync.err << attention.out;

  // The admin extends rudi's assignment; the refused record goes again, as it was, and is stored.
  auto extended = as_admin({"admin", "scope", "--name", "rudi", "--kecamatan", "marabahan,alalak"});
  ASSERT_EQ(extended.exit_code, 0) << extended.err;
  EXPECT_EQ(extended.out, "account rudi: kecamatan marabahan,alalak; bidang (all)\n");
  // The two slips are settled on the laptop: a refused record is replaced by a new one (not a
  // correction of a record the server never stored), or dropped.
  const std::string before = as_rudi({"status", "--json"}).out;
  EXPECT_NE(before.find("\"needs_attention\": 3"), std::string::npos) << before;
  auto replaced = as_rudi({"correct", misplaced, "--market", "pasar_marabahan", "--reason", "salah pasar"});
  ASSERT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_NE(replaced.out.find("saved replacement of refused record " + misplaced), std::string::npos) << replaced.out;
  auto dropped = as_rudi({"void", twice, "--reason", "tercatat dua kali"});
  ASSERT_EQ(dropped.exit_code, 0) << dropped.err;
  EXPECT_NE(dropped.out.find("dropped refused record " + twice), std::string::npos) << dropped.out;
  EXPECT_NE(as_rudi({"void", twice, "--reason", "lagi"}).exit_code, 0);
  auto requeued = as_rudi({"requeue", "--all"});
  ASSERT_EQ(requeued.exit_code, 0) << requeued.err;
  EXPECT_EQ(requeued.out, "1 record pending again; run `pantau sync`\n");
  auto resent = as_rudi({"sync"});
  EXPECT_EQ(resent.exit_code, 0) << resent.err;
  EXPECT_NE(resent.out.find("delivered 2 records"), std::string::npos) << resent.out;
  auto listed = as_rudi({"records", "--format", "csv"});
  EXPECT_NE(listed.out.find(misplaced + ",price_sample"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("resolved"), std::string::npos) << listed.out;
  auto at_handil = as_rudi({"records", "--market", "pasar_handil_bakti", "--format", "csv"});
  ASSERT_EQ(at_handil.exit_code, 0) << at_handil.err;
  EXPECT_NE(at_handil.out.find(misplaced), std::string::npos) << at_handil.out;
  EXPECT_NE(at_handil.out.find(twice), std::string::npos) << at_handil.out;
  EXPECT_EQ(at_handil.out.find("pasar_marabahan"), std::string::npos) << at_handil.out;
  EXPECT_EQ(as_rudi({"records", "--market", "pasar_atlantis"}).exit_code, 2);

  // The Alalak supervisor sees Handil Bakti's prices only, and the IKK table of Alalak: the field
  // rows counted there, the manual rows marked as outside its scope.
  auto as_camat = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {kClient, "--home", dir_.Sub("camat-laptop")};
    for (auto& a : args) argv.push_back(std::move(a));
    return RunCommand(argv);
  };
  ASSERT_EQ(as_camat({"login", "--server", address_, "--token-file", dir_.Sub("pengawas.token")}).exit_code, 0);
  auto ikk = as_camat({"report", "ikk", "--format", "json"});
  ASSERT_EQ(ikk.exit_code, 0) << ikk.err;
  EXPECT_NE(ikk.out.find("di luar cakupan"), std::string::npos) << ikk.out;
  auto marabahan = as_camat({"report", "prices", "--commodity", "beras_medium", "--market", "pasar_marabahan",
                             "--from", "2026-01-01", "--to", "2026-12-31"});
  EXPECT_EQ(marabahan.exit_code, 1);
  EXPECT_NE(marabahan.err.find("market pasar_marabahan is outside"), std::string::npos) << marabahan.err;

  // Rotation: the old token stops working at once, the new one works; revocation ends it.
  auto rotated = as_admin({"admin", "rotate-token", "--name", "rudi", "--token-file", dir_.Sub("rudi2.token")});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_EQ(as_rudi({"pull"}).exit_code, 1);
  ASSERT_EQ(as_rudi({"login", "--server", address_, "--token-file", dir_.Sub("rudi2.token")}).exit_code, 0);
  ASSERT_EQ(as_admin({"admin", "revoke", "--name", "rudi"}).exit_code, 0);
  auto refused = as_rudi({"pull"});
  EXPECT_EQ(refused.exit_code, 1);

  // Every admin action is in the audit log, with who and from where; no token anywhere in it.
  auto log = as_admin({"admin", "audit-log", "--format", "csv"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  for (const char* line : {",admin,ipv4:127.0.0.1,account.create,rudi,ok,", ",admin,ipv4:127.0.0.1,token.rotate,rudi,ok,",
                           ",admin,ipv4:127.0.0.1,account.revoke,rudi,ok,", ",,ipv4:127.0.0.1,auth.failure,rudi,"}) {
    EXPECT_NE(log.out.find(line), std::string::npos) << line << "\n" << log.out;
  }
  for (const char* name : {"rudi", "rudi2", "admin", "pengawas"}) {
    EXPECT_EQ(log.out.find(Token(name).substr(7, 20)), std::string::npos) << name;
  }
  // And in the server's own log neither.
  std::ifstream server_log(server_->log_path());
  std::stringstream server_text;
  server_text << server_log.rdbuf();
  for (const char* name : {"rudi", "rudi2", "admin", "pengawas", "siti"}) {
    EXPECT_EQ(server_text.str().find(Token(name).substr(7, 20)), std::string::npos) << name;
  }
  // Inspectors and supervisors cannot administer.
  EXPECT_EQ(as_camat({"admin", "accounts"}).exit_code, 1);
}

}  // namespace
}  // namespace pantau::integration

namespace pantau::integration {
namespace {

// The admin restores last night's backup: what laptops delivered after it is missing on the
// server until they send it again (`pantau requeue --delivered-since`); the server stores each
// record once, so what it still has comes back DUPLICATE.
TEST_F(ClientProcessTest, AfterARestoreLaptopsSendAgainWhatTheBackupLacks) {
  auto add = [&](const std::string& price) {
    return Pantau({"price", "add", "--market", "pasar_marabahan", "--commodity", "beras_medium", "--price", price})
        .exit_code;
  };
  ASSERT_EQ(add("13100"), 0);
  ASSERT_EQ(Pantau({"sync"}).exit_code, 0);
  // Last night's backup, made by the running server.
  auto backup = RunCommand({kServer, "backup", "--server", address_, "--token-file", dir_.Sub("admin.token"), "--to",
                            dir_.Sub("backups")});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  ASSERT_EQ(add("13200"), 0);
  ASSERT_EQ(add("13300"), 0);
  ASSERT_EQ(Pantau({"sync"}).exit_code, 0);
  EXPECT_EQ(ServerPriceSamples(), 3u);

  // The disk dies; the admin restores into a new folder and serves it on the same address.
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  auto restored = RunCommand({kServer, "restore", "--from", dir_.Sub("backups"), "--data-dir", dir_.Sub("restored")});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  std::filesystem::create_directories(dir_.Sub("restored-run"));
  server_ = std::make_unique<ServerProcess>(kServer, dir_.Sub("restored"), dir_.Sub("restored-run"));
  ASSERT_TRUE(server_->Start(address_)) << "see " << server_->log_path();
  EXPECT_EQ(ServerPriceSamples(), 1u);

  const std::string today =
      absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), common::ZoneWithoutDeployment()));
  auto requeued = Pantau({"requeue", "--delivered-since", today});
  ASSERT_EQ(requeued.exit_code, 0) << requeued.err;
  EXPECT_NE(requeued.out.find("3 delivered records pending again"), std::string::npos) << requeued.out;
  auto synced = Pantau({"sync"});
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_EQ(ServerPriceSamples(), 3u);
  EXPECT_EQ(Status()["pending"], 0);
  EXPECT_EQ(Status()["acknowledged"], 3);
  EXPECT_EQ(Pantau({"requeue", "--delivered-since", "kemarin"}).exit_code, 2);
}

// A person's dashboard password: from a laptop (`pantau admin password NAME`) or the server's tool
// (`accounts add --password-prompt`, `accounts password NAME`), read from standard input when it is
// not a terminal — never an argument — and never written to the audit log or the server's log.
TEST_F(ClientProcessTest, ADashboardPasswordIsReadNeverAnArgumentAndNeverLogged) {
  auto as_admin = [&](std::vector<std::string> args, const std::string& input = "") {
    std::vector<std::string> argv = {kClient, "--home", dir_.Sub("admin-laptop")};
    for (auto& a : args) argv.push_back(std::move(a));
    return RunCommand(argv, input);
  };
  ASSERT_EQ(as_admin({"login", "--server", address_, "--token-file", dir_.Sub("admin.token")}).exit_code, 0);
  auto set = as_admin({"admin", "password", "kabid"}, "kata sandi kabid 2026\n");
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(set.out, "account kabid has a new dashboard password; its token is unchanged\n");
  auto too_short = as_admin({"admin", "password", "kabid"}, "pendek\n");
  EXPECT_EQ(too_short.exit_code, 2);
  EXPECT_NE(too_short.err.find("a password has at least 10 characters"), std::string::npos) << too_short.err;
  auto none = as_admin({"admin", "password", "kabid"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no password on standard input"), std::string::npos) << none.err;
  EXPECT_EQ(as_admin({"admin", "password", "nobody"}, "kata sandi siapa saja\n").exit_code, 1);  // no such account
  // An inspector may not set passwords.
  EXPECT_EQ(RunCommand({kClient, "--home", dir_.Sub("laptop"), "admin", "password", "siti"}, "kata sandi siti 2026\n").exit_code,
            1);

  // The server's own tool, with the server stopped.
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  auto added = RunCommand({kServer, "accounts", "add", "--data-dir", data_, "--name", "kadis", "--role", "supervisor",
                           "--password-prompt", "--token-file", dir_.Sub("kadis.token")},
                          "kata sandi kadis 2026\n");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.err.find("account \"kadis\" (supervisor) created with a dashboard password"), std::string::npos)
      << added.err;
  // A refused password creates nothing.
  auto refused = RunCommand({kServer, "accounts", "add", "--data-dir", data_, "--name", "kasi", "--role", "supervisor",
                             "--password-prompt"},
                            "kasi\n");
  EXPECT_EQ(refused.exit_code, 2);
  auto again = RunCommand({kServer, "accounts", "password", "--data-dir", data_, "kabid"}, "kata sandi baru kabid\n");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto list = RunCommand({kServer, "accounts", "list", "--data-dir", data_});
  EXPECT_EQ(list.out.find("kasi"), std::string::npos) << list.out;
  auto log = RunCommand({kServer, "audit-log", "--data-dir", data_});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  for (const char* line : {"\tadmin\tipv4:127.0.0.1\taccount.password\tkabid\tok",
                           "\tpantau-server\tlocal\taccount.password\tkadis\tok",
                           "\tpantau-server\tlocal\taccount.password\tkabid\tok"}) {
    EXPECT_NE(log.out.find(line), std::string::npos) << line << "\n" << log.out;
  }
  std::ifstream server_log(server_->log_path());
  std::stringstream server_text;
  server_text << server_log.rdbuf();
  for (const char* secret : {"kata sandi", "pendek"}) {
    EXPECT_EQ(log.out.find(secret), std::string::npos) << secret;
    EXPECT_EQ(server_text.str().find(secret), std::string::npos) << secret;
  }
}

}  // namespace
}  // namespace pantau::integration
