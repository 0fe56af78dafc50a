// Operating the real `pantau-server` binary: the HTTP listener on a loopback port chosen at run time
// (health, metrics scraped and checked by promtool, downloads, limits), HTTPS with the dinas's CA,
// structured logs (JSON lines, request ids, no token), and backups made by the running server and
// offline, verified and restored with the command-line tools.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "absl/strings/str_split.h"
#include "common/str_cat.h"
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
const std::string kReference = std::string(PANTAU_SOURCE_DIR) + "/deploy/reference";
const std::string kHttpGet = std::string(PANTAU_SOURCE_DIR) + "/tests/tools/http_get.py";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// An HTTP answer as Python's client saw it.
struct Answer {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
};

// Sends raw bytes to 127.0.0.1:port and returns everything the server answered.
std::string RawExchange(int port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return "";
  }
  (void)send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = recv(fd, buffer, sizeof(buffer), 0)) > 0) out.append(buffer, static_cast<size_t>(n));
  close(fd);
  return out;
}

class OperationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.Sub("data");
    ASSERT_EQ(RunCommand({kServer, "import-reference", "--data-dir", data_, kReference}).exit_code, 0);
    for (auto [name, role] : {std::pair{"siti", "inspector"}, std::pair{"kabid", "supervisor"},
                              std::pair{"prometheus", "monitor"}, std::pair{"admin", "admin"}}) {
      auto added = RunCommand({kServer, "accounts", "add", "--data-dir", data_, "--name", name, "--role", role,
                               "--token-file", TokenFile(name)});
      ASSERT_EQ(added.exit_code, 0) << added.err;
      tokens_[name] = Trim(ReadFile(TokenFile(name)));
    }
    server_ = std::make_unique<ServerProcess>(kServer, data_, dir_.path());
  }

  std::string TokenFile(const std::string& name) { return dir_.Sub(name + ".token"); }

  void StartWithHttp(std::vector<std::string> extra) {
    extra.insert(extra.end(), {"--http-listen", "127.0.0.1:0", "--http-port-file", dir_.Sub("http.port")});
    server_->set_extra_args(extra);
    ASSERT_TRUE(server_->Start()) << "see " << server_->log_path();
    http_port_ = std::stoi(ReadFile(dir_.Sub("http.port")));
    ASSERT_GT(http_port_, 0);
  }

  Answer Get(const std::string& url, const std::string& account = "", std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"/usr/bin/python3", kHttpGet, url};
    if (!account.empty()) argv.insert(argv.end(), {"--token-file", TokenFile(account)});
    argv.insert(argv.end(), extra.begin(), extra.end());
    CommandResult result = RunCommand(argv);
    Answer answer;
    if (result.exit_code != 0) return answer;
    const size_t blank = result.out.find("\n\n");
    std::vector<std::string> head = absl::StrSplit(result.out.substr(0, blank), '\n');
    answer.status = std::stoi(head.at(0));
    for (size_t i = 1; i < head.size(); ++i) {
      const size_t colon = head[i].find(": ");
      if (colon != std::string::npos) answer.headers[head[i].substr(0, colon)] = head[i].substr(colon + 2);
    }
    answer.body = blank == std::string::npos ? "" : result.out.substr(blank + 2);
    return answer;
  }

  std::string Url(const std::string& path) { return StrCat("http://127.0.0.1:", http_port_, path); }

  // Pushes `count` price samples as siti over gRPC, ids from `first`; returns the accepted count.
  int PushSamples(uint32_t first, uint32_t count) {
    auto stub = v1::SyncService::NewStub(grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
    v1::RegisterDeviceRequest device;
    device.set_device_id("laptop-siti");
    v1::RegisterDeviceResponse registered;
    grpc::Status status =
        stub->RegisterDevice(pantau::testing::AuthedContext(tokens_["siti"]).get(), device, &registered);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<v1::Record> batch;
    for (uint32_t i = first; i < first + count; ++i) {
      auto r = pantau::testing::PriceRecord(pantau::testing::TestUlid(5000, i), 13000 + i % 500,
                                            absl::Now() - absl::Minutes(i % 600));
      r.mutable_price_sample()->set_market_code("pasar_marabahan");
      batch.push_back(r);
    }
    auto pushed = pantau::testing::PushBatches(*stub, tokens_["siti"], {batch});
    EXPECT_TRUE(pushed.status.ok()) << pushed.status.error_message();
    int accepted = 0;
    for (const auto& response : pushed.responses) {
      for (const auto& result : response.results()) {
        accepted += result.outcome() == v1::PUSH_OUTCOME_ACCEPTED;
        EXPECT_EQ(result.outcome(), v1::PUSH_OUTCOME_ACCEPTED) << result.message();
      }
    }
    return accepted;
  }

  int64_t TotalRecords(const std::string& data_dir) {
    auto stats = RunCommand({kServer, "stats", "--data-dir", data_dir, "--json"});
    EXPECT_EQ(stats.exit_code, 0) << stats.err;
    return stats.exit_code == 0 ? nlohmann::json::parse(stats.out)["total_records"].get<int64_t>() : -1;
  }

  TempDir dir_;
  std::string data_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerProcess> server_;
  int http_port_ = 0;
};

TEST_F(OperationsTest, HttpSideBackupsAndLogsOfARunningServer) {
  StartWithHttp({"--backup-dir", dir_.Sub("backups"), "--backup-keep", "3"});

  auto healthz = Get(Url("/healthz"));
  EXPECT_EQ(healthz.status, 200);
  EXPECT_EQ(healthz.body, "ok\n");
  EXPECT_EQ(Get(Url("/readyz")).status, 200);
  EXPECT_EQ(Get(Url("/metrics")).status, 401);

  ASSERT_EQ(PushSamples(0, 120), 120);
  // The running server backs up (an admin token; the configured folder).
  auto backup = RunCommand({kServer, "backup", "--server", server_->address(), "--token-file", TokenFile("admin")});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_NE(backup.err.find("made by the running server in " + dir_.Sub("backups")), std::string::npos) << backup.err;
  // On the server's machine, as its user, the same command as for a stopped server reaches the
  // running server through its socket in the data directory (mode 0600), no token needed.
  EXPECT_EQ(std::filesystem::status(data_ + "/admin.sock").permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto local = RunCommand({kServer, "backup", "--data-dir", data_, "--to", dir_.Sub("local-backups")});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  EXPECT_NE(local.err.find("made by the running server in " + dir_.Sub("local-backups")), std::string::npos)
      << local.err;
  ASSERT_EQ(PushSamples(1000, 80), 80);

  // Metrics, scraped over the socket and checked by Prometheus's checker.
  auto metrics = Get(Url("/metrics"), "prometheus");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("pantau_records_total{kind=\"price_sample\",result=\"accepted\"} 200"),
            std::string::npos);
  EXPECT_EQ(metrics.body.find("pantau_backup_age_seconds +Inf"), std::string::npos);  // a backup was made
  std::ofstream(dir_.Sub("metrics.txt")) << metrics.body;
  auto checked = RunCommand({"/bin/sh", "-c", "promtool check metrics < " + dir_.Sub("metrics.txt")});
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;

  // A download, saved as a browser would.
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 3600));
  const std::string from = absl::FormatCivilTime(today - 2), to = absl::FormatCivilTime(today + 1);
  auto csv = Get(Url(StrCat("/api/v1/prices.csv?commodity_code=beras_medium&from=", from, "&to=", to)), "kabid");
  EXPECT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.headers["Content-Disposition"],
            StrCat("attachment; filename=\"pantau-prices-", from, "-", to, ".csv\""));
  EXPECT_NE(csv.body.find("pasar_marabahan"), std::string::npos) << csv.body;
  auto xlsx = Get(Url("/api/v1/indicators.xlsx?period=2026"), "kabid", {"--out", dir_.Sub("ikk.xlsx")});
  EXPECT_EQ(xlsx.status, 200);
  EXPECT_EQ(ReadFile(dir_.Sub("ikk.xlsx")).substr(0, 2), "PK");

  // The same limits as gRPC: an oversized request head is refused, the server serves on.
  const std::string huge = StrCat("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: ", std::string(20000, 'a'), "\r\n\r\n");
  EXPECT_EQ(RawExchange(http_port_, huge).substr(0, 12), "HTTP/1.1 431");
  EXPECT_EQ(RawExchange(http_port_, "NONSENSE\r\n\r\n").substr(0, 12), "HTTP/1.1 400");
  EXPECT_EQ(Get(Url("/healthz")).status, 200);
  // A token wrongly put in the query string never reaches the log: targets are logged without it.
  EXPECT_EQ(Get(Url(StrCat("/api/v1/indicators?period=2026&access_token=", tokens_["kabid"]))).status, 401);

  EXPECT_EQ(server_->Stop(SIGTERM), 0);

  // Logs: one JSON object per line; a Push's lines share a request id; no token anywhere.
  const std::string log = ReadFile(server_->log_path());
  std::map<std::string, std::set<std::string>> events_by_request;
  int lines = 0;
  for (const std::string& line : std::vector<std::string>(absl::StrSplit(log, '\n', absl::SkipEmpty()))) {
    ++lines;
    auto json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(json.is_object()) << line;
    ASSERT_TRUE(json.contains("ts") && json.contains("level") && json.contains("event")) << line;
    if (json.contains("request_id")) {
      events_by_request[json["request_id"].get<std::string>()].insert(json["event"].get<std::string>());
    }
  }
  EXPECT_GT(lines, 10);
  int pushes = 0;
  for (const auto& [id, events] : events_by_request) {
    if (events.count("push.open") == 0) continue;
    ++pushes;
    EXPECT_EQ(events, (std::set<std::string>{"push.open", "push.batch", "push.close"})) << id;
  }
  EXPECT_EQ(pushes, 2);
  EXPECT_NE(log.find("\"event\":\"backup.done\""), std::string::npos);
  EXPECT_NE(log.find("\"event\":\"http.request\""), std::string::npos);
  EXPECT_NE(log.find("\"target\":\"/api/v1/indicators\""), std::string::npos);
  EXPECT_EQ(log.find("access_token"), std::string::npos);
  for (const auto& [name, token] : tokens_) EXPECT_EQ(log.find(token), std::string::npos) << name << "'s token is logged";

  // The backup verifies and restores to exactly the 120 records pushed before it.
  auto verified = RunCommand({kServer, "verify-backup", "--from", dir_.Sub("backups")});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_NE(verified.out.find("\tok\n"), std::string::npos) << verified.out;
  auto restored = RunCommand({kServer, "restore", "--from", dir_.Sub("backups"), "--data-dir", dir_.Sub("restored")});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(TotalRecords(dir_.Sub("restored")), 120);
  ASSERT_EQ(RunCommand({kServer, "restore", "--from", dir_.Sub("local-backups"), "--data-dir", dir_.Sub("restored-local")})
                .exit_code,
            0);
  EXPECT_EQ(TotalRecords(dir_.Sub("restored-local")), 120);
  EXPECT_FALSE(std::filesystem::exists(data_ + "/admin.sock"));  // removed at stop
  // Offline, the tool backs up the stopped server's directory itself: all 200.
  auto offline = RunCommand({kServer, "backup", "--data-dir", data_, "--to", dir_.Sub("offline")});
  ASSERT_EQ(offline.exit_code, 0) << offline.err;
  ASSERT_EQ(RunCommand({kServer, "restore", "--from", dir_.Sub("offline"), "--data-dir", dir_.Sub("restored2")}).exit_code, 0);
  EXPECT_EQ(TotalRecords(dir_.Sub("restored2")), 200);
  // The restored directory serves.
  ServerProcess restored_server(kServer, dir_.Sub("restored"), dir_.Sub("restored-run"));
  std::filesystem::create_directories(dir_.Sub("restored-run"));
  ASSERT_TRUE(restored_server.Start()) << restored_server.log_path();
  EXPECT_EQ(restored_server.Stop(SIGTERM), 0);
}

TEST_F(OperationsTest, HttpsWithTheDinasCaAndPlaintextOnlyOnLoopback) {
  const std::string script = std::string(PANTAU_SOURCE_DIR) + "/deploy/make-certs.sh";
  ASSERT_EQ(RunCommand({"/bin/bash", script, dir_.Sub("ca-dinas")}).exit_code, 0);
  ASSERT_EQ(RunCommand({"/bin/bash", script, dir_.Sub("ca-other")}).exit_code, 0);
  StartWithHttp({"--tls-cert", dir_.Sub("ca-dinas/server.pem"), "--tls-key", dir_.Sub("ca-dinas/server.key")});
  const std::string base = StrCat("https://127.0.0.1:", http_port_);
  auto good = Get(base + "/api/v1/indicators?period=2026", "kabid", {"--ca-file", dir_.Sub("ca-dinas/ca.pem")});
  EXPECT_EQ(good.status, 200);
  EXPECT_NE(good.body.find("\"period\": \"2026\""), std::string::npos) << good.body;
  // A client trusting another CA gets no answer; plaintext to the TLS port gets none either.
  EXPECT_EQ(Get(base + "/healthz", "", {"--ca-file", dir_.Sub("ca-other/ca.pem")}).status, 0);
  EXPECT_EQ(Get(Url("/healthz")).status, 0);
  EXPECT_EQ(server_->Stop(SIGTERM), 0);

  auto refused = RunCommand({kServer, "serve", "--data-dir", dir_.Sub("data2"), "--grpc-listen", "127.0.0.1:0",
                             "--http-listen", "0.0.0.0:0"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("refusing plaintext HTTP on 0.0.0.0:0"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace pantau::integration
