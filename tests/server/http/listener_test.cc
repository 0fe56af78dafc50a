// The HTTP listener over a real loopback socket (port chosen at run time) in-process: keep-alive,
// the connection limit, and /readyz turning 503 while the server shuts down and in-flight gRPC
// calls finish.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

#include "common/str_cat.h"
#include "pantau/v1/sync_service.grpc.pb.h"
#include "server/running_server.h"
#include "server/storage/rocks_storage.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/test_support.h"

namespace pantau::http {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::TempDir;

// A connected socket to 127.0.0.1:port, closed on destruction.
class Connection {
 public:
  // `from`: the local address to connect from (any of 127.0.0.0/8 is this machine).
  explicit Connection(int port, const char* from = nullptr) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    if (from != nullptr) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      inet_pton(AF_INET, from, &local.sin_addr);
      (void)bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local));
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~Connection() { close(fd_); }
  bool connected() const { return connected_; }
  int fd() const { return fd_; }
  void Send(const std::string& bytes) { (void)send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  // Everything until the server closes (or 5 s pass).
  std::string ReadAll() {
    std::string out;
    char buffer[4096];
    ssize_t n;
    while ((n = recv(fd_, buffer, sizeof(buffer), 0)) > 0) out.append(buffer, static_cast<size_t>(n));
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

std::string Exchange(int port, const std::string& request) {
  Connection c(port);
  c.Send(request);
  return c.ReadAll();
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class ListenerTest : public ::testing::Test {
 protected:
  void Start(server::ServerOptions options) {
    options.grpc_listen = "127.0.0.1:0";
    options.http_listen = "127.0.0.1:0";
    storage::RocksOptions rocks;
    rocks.path = dir_.Sub("db");
    auto store = storage::OpenRocksStorage(rocks);
    ASSERT_THAT(store, IsOk());
    auto started = server::RunningServer::Start(options, *std::move(store));
    ASSERT_THAT(started, IsOk());
    server_ = *std::move(started);
    ASSERT_GT(server_->http_port(), 0);
  }

  TempDir dir_;
  std::unique_ptr<server::RunningServer> server_;
};

TEST_F(ListenerTest, AnswersOnALoopbackPortAndKeepsTheConnectionAlive) {
  Start(server::ServerOptions{});
  const std::string answer =
      Exchange(server_->http_port(),
               "GET /healthz HTTP/1.1\r\nHost: pantau\r\n\r\nGET /readyz HTTP/1.1\r\nHost: pantau\r\nConnection: "
               "close\r\n\r\n");
  EXPECT_EQ(Count(answer, "HTTP/1.1 200 OK\r\n"), 2u) << answer;
  EXPECT_NE(answer.find("\r\n\r\nok\n"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\r\n\r\nready\n"), std::string::npos) << answer;
  EXPECT_EQ(Count(answer, "X-Request-Id: "), 2u) << answer;
  const std::string refused = Exchange(server_->http_port(), "GET /metrics HTTP/1.1\r\nHost: pantau\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(refused.substr(0, 25), "HTTP/1.1 401 Unauthorized") << refused;
  EXPECT_NE(refused.find("WWW-Authenticate: Bearer realm=\"pantau\""), std::string::npos) << refused;
}

TEST_F(ListenerTest, ConnectionsBeyondTheLimitAreAnswered503) {
  server::ServerOptions options;
  options.max_streams = 2;
  Start(options);
  Connection first(server_->http_port()), second(server_->http_port());
  ASSERT_TRUE(first.connected() && second.connected());
  std::string third;
  for (int i = 0; i < 50 && third.find("HTTP/1.1 503") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the first two are being accepted
    third = Exchange(server_->http_port(), "GET /healthz HTTP/1.1\r\nHost: pantau\r\n\r\n");
  }
  EXPECT_EQ(third.substr(0, 12), "HTTP/1.1 503") << third;
  EXPECT_NE(third.find("Retry-After: 60"), std::string::npos);
  // Once one closes, a new connection is served.
  first.Send("GET /healthz HTTP/1.1\r\nHost: pantau\r\nConnection: close\r\n\r\n");
  EXPECT_NE(first.ReadAll().find("200 OK"), std::string::npos);
  std::string later;
  for (int i = 0; i < 50 && later.find("200 OK") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    later = Exchange(server_->http_port(), "GET /healthz HTTP/1.1\r\nHost: pantau\r\nConnection: close\r\n\r\n");
  }
  EXPECT_NE(later.find("200 OK"), std::string::npos) << later;
}

// A keep-alive connection is no session: every request is authenticated again, so a token revoked
// between two requests on the same connection gets 401 on the second.
TEST_F(ListenerTest, ARevocationReachesAKeepAliveConnectionAtItsNextRequest) {
  Start(server::ServerOptions{});
  auto created = server_->accounts().Create("prometheus", v1::ROLE_MONITOR);
  ASSERT_THAT(created, IsOk());
  Connection c(server_->http_port());
  ASSERT_TRUE(c.connected());
  const std::string request =
      "GET /metrics HTTP/1.1\r\nHost: pantau\r\nAuthorization: Bearer " + created->token + "\r\n\r\n";
  c.Send(request);
  // Read the first answer (headers and its body) before revoking.
  std::string first;
  char buffer[65536];
  while (first.find("pantau_ready") == std::string::npos) {
    const ssize_t n = recv(c.fd(), buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    first.append(buffer, static_cast<size_t>(n));
  }
  EXPECT_EQ(first.substr(0, 15), "HTTP/1.1 200 OK") << first.substr(0, 200);
  ASSERT_THAT(server_->accounts().Revoke("prometheus", {"admin", "local"}), IsOk());
  c.Send("GET /metrics HTTP/1.1\r\nHost: pantau\r\nAuthorization: Bearer " + created->token +
         "\r\nConnection: close\r\n\r\n");
  const std::string second = c.ReadAll();
  EXPECT_NE(second.find("HTTP/1.1 401 Unauthorized"), std::string::npos) << second.substr(0, 300);
  EXPECT_NE(second.find("was revoked"), std::string::npos) << second.substr(0, 600);
}

TEST_F(ListenerTest, ReadyzTurns503WhileTheServerShutsDown) {
  server::ServerOptions options;
  options.shutdown_grace = absl::Seconds(10);
  Start(options);
  auto siti = server_->accounts().Create("siti", v1::ROLE_INSPECTOR);
  ASSERT_THAT(siti, IsOk());
  // An open Push stream keeps the gRPC side in its grace period.
  auto stub = v1::SyncService::NewStub(grpc::CreateChannel(StrCat("127.0.0.1:", server_->grpc_port()),
                                                           grpc::InsecureChannelCredentials()));
  auto context = pantau::testing::AuthedContext(siti->token);
  auto stream = stub->Push(context.get());
  v1::PushRequest batch;
  batch.set_batch_number(1);
  ASSERT_TRUE(stream->Write(batch));
  v1::PushResponse answer;
  ASSERT_TRUE(stream->Read(&answer));

  const int port = server_->http_port();
  EXPECT_NE(Exchange(port, "GET /readyz HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n").find("200 OK"),
            std::string::npos);
  std::thread stopping([&] { server_->Shutdown(); });
  std::string readyz;
  for (int i = 0; i < 100 && readyz.find("HTTP/1.1 503") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    readyz = Exchange(port, "GET /readyz HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n");
  }
  EXPECT_EQ(readyz.substr(0, 12), "HTTP/1.1 503") << readyz;
  EXPECT_NE(readyz.find("not ready: the server is shutting down"), std::string::npos) << readyz;
  // The push in flight still finishes cleanly; then the server stops.
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
  stopping.join();
  EXPECT_FALSE(Connection(port).connected());
}

// 120 idle connections from two addresses that send nothing: each address gets at most 32 slots,
// the last 4 of 64 stay free for an address with none (a health check is served at once), and
// every idle connection is closed after the 5 s header deadline.
TEST_F(ListenerTest, AFloodOfIdleConnectionsCannotKeepAHealthCheckOut) {
  server::ServerOptions options;
  options.max_streams = 64;  // the HTTP connection limit too
  Start(options);
  std::vector<std::unique_ptr<Connection>> flood;
  for (const char* from : {"127.0.0.2", "127.0.0.3"}) {
    for (int i = 0; i < 60; ++i) {
      flood.push_back(std::make_unique<Connection>(server_->http_port(), from));
      ASSERT_TRUE(flood.back()->connected());
    }
  }
  // Let the acceptor take them all: the refused ones get a 503 at once.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(server_->SampleMetrics().open_http_connections, 60);
  const std::string health =
      Exchange(server_->http_port(), "GET /healthz HTTP/1.1\r\nHost: pantau\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(health.substr(0, 15), "HTTP/1.1 200 OK") << health;
  // The idle ones are closed by the header deadline; the refused ones were answered 503.
  int refused = 0, closed_silently = 0;
  for (auto& c : flood) {
    const std::string got = c->ReadAll();  // up to 5 s each, but the deadline passes during the first
    if (got.substr(0, 12) == "HTTP/1.1 503") {
      ++refused;
    } else if (got.empty()) {
      ++closed_silently;
    }
  }
  EXPECT_EQ(refused + closed_silently, 120);
  EXPECT_EQ(closed_silently, 60);  // 32 of the first address, 28 of the second (4 kept free)
  const std::string metrics = server_->metrics().Render(server_->SampleMetrics());
  EXPECT_NE(metrics.find("pantau_refused_total{reason=\"http_per_address\"} "), std::string::npos);
  for (int i = 0; i < 100 && server_->SampleMetrics().open_http_connections > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the last sessions are being destroyed
  }
  EXPECT_EQ(server_->SampleMetrics().open_http_connections, 0);
}

// RFC 9112: request smuggling shapes are refused with 400 and the connection closed.
TEST_F(ListenerTest, TransferEncodingOtherThanChunkedAndAMissingOrDoubledHostAre400) {
  Start(server::ServerOptions{});
  const int port = server_->http_port();
  for (const std::string& request : {
           std::string("GET /healthz HTTP/1.1\r\nHost: pantau\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
           std::string("GET /healthz HTTP/1.1\r\nHost: pantau\r\nTransfer-Encoding: chunked, identity\r\n\r\n"),
           std::string("GET /healthz HTTP/1.1\r\nHost: pantau\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"),
           std::string("GET /healthz HTTP/1.1\r\nHost: pantau\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n"),
           std::string("GET /healthz HTTP/1.1\r\n\r\n"),
           std::string("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
       }) {
    const std::string answer = Exchange(port, request + "GET /healthz HTTP/1.1\r\nHost: pantau\r\n\r\n");
    EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 400") << request << "\n" << answer;
    EXPECT_EQ(Count(answer, "Server: pantau-server"), 1u) << "the connection must close after the 400: " << answer;
  }
  // Exactly "chunked" (any case) is fine.
  const std::string chunked = Exchange(
      port, "GET /healthz HTTP/1.1\r\nHost: pantau\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.substr(0, 15), "HTTP/1.1 200 OK") << chunked;
}

}  // namespace
}  // namespace pantau::http
