#include "server/http/listener.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/str_cat.h"
#include "server/service/log.h"

namespace pantau::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

std::chrono::steady_clock::duration Chrono(absl::Duration d) { return absl::ToChronoNanoseconds(d); }

// "ipv4:10.0.0.5" / "ipv6:[::1]", as the gRPC side names peers (the back-off key).
std::string PeerName(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  if (address.is_v4()) return StrCat("ipv4:", address.to_string());
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return StrCat("ipv4:", address.to_v6().to_v4().to_string());
  }
  return StrCat("ipv6:[", address.to_string(), "]");
}

bool IsLoopback(const net::ip::address& address) {
  return address.is_loopback() || (address.is_v6() && address.to_v6().is_v4_mapped() &&
                                   address.to_v6().to_v4().is_loopback());
}

}  // namespace

class Listener::Impl {
 public:
  Impl(const ListenerOptions& options, Api& api, service::Executor& executor, service::Metrics& metrics)
      : options_(options), api_(api), executor_(executor), metrics_(metrics), acceptor_(net::make_strand(ioc_)) {}

  absl::Status Open() {
    const size_t colon = options_.listen.rfind(':');
    if (colon == std::string::npos) {
      return absl::InvalidArgumentError(StrCat("--http-listen ", options_.listen, ": expected HOST:PORT"));
    }
    std::string host = options_.listen.substr(0, colon);
    const std::string port_text = options_.listen.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host == "localhost") host = "127.0.0.1";
    beast::error_code ec;
    const auto address = net::ip::make_address(host, ec);
    if (ec) return absl::InvalidArgumentError(StrCat("--http-listen ", options_.listen, ": not an IP address"));
    int port = 0;
    try {
      port = std::stoi(port_text);
    } catch (const std::exception&) {
      port = -1;
    }
    if (port < 0 || port > 65535) return absl::InvalidArgumentError(StrCat("--http-listen ", options_.listen, ": bad port"));
    tls_ = !options_.tls_cert_pem.empty();
    if (!tls_ && !options_.insecure_plaintext_anywhere && !IsLoopback(address)) {
      return absl::FailedPreconditionError(
          StrCat("refusing plaintext HTTP on ", options_.listen,
                 ": without TLS the server listens on loopback only (127.0.0.1, ::1, localhost)"));
    }
    if (tls_) {
      ssl_.emplace(net::ssl::context::tls_server);
      ssl_->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                        net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
      ssl_->use_certificate_chain(net::buffer(options_.tls_cert_pem), ec);
      if (!ec) ssl_->use_private_key(net::buffer(options_.tls_key_pem), net::ssl::context::pem, ec);
      if (ec) return absl::InvalidArgumentError(StrCat("the TLS certificate or key cannot be used: ", ec.message()));
    }
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return absl::UnavailableError(StrCat("cannot listen for HTTP on ", options_.listen, ": ", ec.message()));
    port_ = acceptor_.local_endpoint().port();
    Accept();
    for (int i = 0; i < std::max(1, options_.threads); ++i) threads_.emplace_back([this] { ioc_.run(); });
    return absl::OkStatus();
  }

  void Shutdown() {
    if (stopped_.exchange(true)) return;
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
    });
    ioc_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    *stopped_flag_ = true;
  }

  ~Impl() { Shutdown(); }

  int port() const { return port_; }
  int open_connections() const { return open_->load(); }

  // Connections open per peer address: taken at accept, given back when the session ends.
  // False when `peer` has its maximum open, or when the server is near its limit and `peer`
  // already has a connection (the reserve is for addresses with none).
  bool TakeAddressSlot(const std::string& peer, int open_now) {
    std::lock_guard lock(per_address_mu_);
    int& n = per_address_[peer];
    const int reserve = options_.max_connections / 16;
    if (n >= options_.max_connections_per_address || (n > 0 && open_now >= options_.max_connections - reserve)) {
      if (n == 0) per_address_.erase(peer);
      return false;
    }
    ++n;
    return true;
  }
  void GiveAddressSlot(const std::string& peer) {
    std::lock_guard lock(per_address_mu_);
    auto it = per_address_.find(peer);
    if (it != per_address_.end() && --it->second <= 0) per_address_.erase(it);
  }

  // Everything a session needs from its listener.
  const ListenerOptions& options() const { return options_; }
  Api& api() { return api_; }
  bool tls() const { return tls_; }
  service::Executor& executor() { return executor_; }
  service::Metrics& metrics() { return metrics_; }
  // Shared with the sessions: a session whose handler the stopped io_context destroys late still
  // has its counter.
  const std::shared_ptr<std::atomic<int>>& open() { return open_; }
  // Set when the listener shuts down: a session destroyed later touches nothing of it.
  const std::shared_ptr<std::atomic<bool>>& stopped_flag() { return stopped_flag_; }

 private:
  void Accept();

  const ListenerOptions options_;
  Api& api_;
  service::Executor& executor_;
  service::Metrics& metrics_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  std::optional<net::ssl::context> ssl_;
  bool tls_ = false;
  int port_ = 0;
  std::shared_ptr<std::atomic<int>> open_ = std::make_shared<std::atomic<int>>(0);
  std::mutex per_address_mu_;
  std::map<std::string, int> per_address_;  // guarded by per_address_mu_
  std::atomic<bool> stopped_{false};
  std::shared_ptr<std::atomic<bool>> stopped_flag_ = std::make_shared<std::atomic<bool>>(false);
  std::vector<std::thread> threads_;
};

namespace {

// One connection: read a request, handle it on the executor, write the answer, read the next.
// `Stream` is beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>.
template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  // The session holds one of `peer`'s address slots (taken by the acceptor) and gives it back.
  Session(Listener::Impl& listener, Stream stream, std::string peer)
      : listener_(listener), open_(listener.open()), stream_(std::move(stream)), peer_(std::move(peer)),
        opened_(absl::Now()) {
    ++*open_;
  }
  ~Session() {
    if (!*stopped_) listener_.GiveAddressSlot(peer_);
    --*open_;
  }

  void Start() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      Read();
    } else {
      beast::get_lowest_layer(stream_).expires_after(Chrono(listener_.options().read_timeout));
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (!ec) self->Read();
                              });
    }
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->header_limit(listener_.options().max_header_bytes);
    parser_->body_limit(listener_.options().max_body_bytes);
    // The first request's line and headers must arrive within the header timeout; later ones
    // within the idle timeout. The body then has the read timeout.
    beast::get_lowest_layer(stream_).expires_after(
        Chrono(requests_ == 0 ? listener_.options().header_timeout : listener_.options().idle_timeout));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  // RFC 9112: a Transfer-Encoding other than exactly "chunked", or with a Content-Length too, and a
  // request without exactly one Host, are refused and the connection closed (no request smuggling).
  void OnHeader(beast::error_code ec) {
    if (ec) return OnRead(ec);
    const auto& header = parser_->get();
    std::string problem;
    if (header.count(bhttp::field::transfer_encoding) > 0) {
      std::string te;
      const auto range = header.equal_range(bhttp::field::transfer_encoding);
      for (auto it = range.first; it != range.second; ++it) {
        if (!te.empty()) te += ",";
        te += std::string(it->value());
      }
      std::string trimmed;
      for (char c : te) {
        if (c != ' ' && c != '\t') trimmed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      if (trimmed != "chunked") {
        problem = "Transfer-Encoding other than \"chunked\" is not accepted";
      } else if (header.count(bhttp::field::content_length) > 0) {
        problem = "Transfer-Encoding and Content-Length together are not accepted";
      }
    }
    if (problem.empty() && header.count(bhttp::field::host) != 1) {
      problem = header.count(bhttp::field::host) == 0 ? "a Host header is required" : "more than one Host header";
    }
    if (!problem.empty()) {
      Response r;
      r.status = 400;
      r.content_type = "text/plain; charset=utf-8";
      r.body = problem + "\n";
      keep_alive_ = false;
      return Write(std::move(r), "", "");
    }
    beast::get_lowest_layer(stream_).expires_after(Chrono(listener_.options().read_timeout));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted) {
      return Close();
    }
    if (ec == bhttp::error::header_limit || ec == bhttp::error::body_limit) {
      Response r;
      r.status = ec == bhttp::error::header_limit ? 431 : 413;
      r.content_type = "text/plain; charset=utf-8";
      r.body = ec == bhttp::error::header_limit ? "request line and headers too large\n" : "request body too large\n";
      keep_alive_ = false;
      return Write(std::move(r), "", "");
    }
    if (ec) {
      Response r;
      r.status = 400;
      r.content_type = "text/plain; charset=utf-8";
      r.body = StrCat("not an HTTP/1.1 request (", ec.message(), ")\n");
      keep_alive_ = false;
      return Write(std::move(r), "", "");
    }
    ++requests_;
    auto message = parser_->release();
    keep_alive_ = message.keep_alive() && absl::Now() - opened_ < listener_.options().max_connection_age;
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.authorization = std::string(message[bhttp::field::authorization]);
    request.cookie = std::string(message[bhttp::field::cookie]);
    request.origin = std::string(message[bhttp::field::origin]);
    request.host = std::string(message[bhttp::field::host]);
    request.content_type = std::string(message[bhttp::field::content_type]);
    request.body = std::move(message.body());
    request.tls = listener_.tls();
    request.peer = peer_;
    request.request_id = service::log::NewRequestId();
    beast::get_lowest_layer(stream_).expires_never();  // the executor takes its time; the write has its own
    started_ = absl::Now();
    listener_.executor().Post([self = this->shared_from_this(), request = std::move(request)]() mutable {
      Response response = self->listener_.api().Handle(request);
      net::post(self->stream_.get_executor(), [self, response = std::move(response),
                                               request = std::move(request)]() mutable {
        self->Write(std::move(response), request.method, request.target, request.request_id);
      });
    });
  }

  void Write(Response r, std::string method, std::string target, std::string request_id = "") {
    const int status = r.status;
    listener_.metrics().CountHttpRequest(status);
    if (!method.empty()) {
      // The target, never a header: no token reaches the log.
      service::log::Info("http.request", {{"request_id", request_id},
                                          {"peer", peer_},
                                          {"method", method},
                                          // without its query string: a token wrongly put there never reaches the log
                                          {"target", target.substr(0, std::min<size_t>(target.find('?'), 300))},
                                          {"status", status},
                                          {"ms", absl::ToInt64Milliseconds(absl::Now() - started_)}});
    }
    response_.emplace(static_cast<bhttp::status>(status), 11);
    response_->set(bhttp::field::server, "pantau-server");
    response_->set(bhttp::field::content_type, r.content_type);
    response_->set(bhttp::field::cache_control, "no-store");
    response_->set("X-Content-Type-Options", "nosniff");
    if (!request_id.empty()) response_->set("X-Request-Id", request_id);
    for (auto& [name, value] : r.headers) {
      if (name == "Set-Cookie") {
        response_->insert(name, value);  // one header per cookie: a sign-in sets one and clears another
      } else {
        response_->set(name, value);
      }
    }
    response_->body() = std::move(r.body);
    response_->keep_alive(keep_alive_);
    response_->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(Chrono(listener_.options().write_timeout));
    bhttp::async_write(stream_, *response_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      if (ec || !self->keep_alive_) return self->Close();
      self->Read();
    });
  }

  void Close() {
    beast::error_code ec;
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    } else {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    }
  }

  Listener::Impl& listener_;
  const std::shared_ptr<std::atomic<int>> open_;
  const std::shared_ptr<std::atomic<bool>> stopped_ = listener_.stopped_flag();
  Stream stream_;
  const std::string peer_;
  const absl::Time opened_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  bool keep_alive_ = true;
  int requests_ = 0;
  absl::Time started_;
};

}  // namespace

void Listener::Impl::Accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || stopped_) return;
      return Accept();  // a failed accept (out of descriptors?) does not stop the listener
    }
    beast::error_code peer_ec;
    const auto endpoint = socket.remote_endpoint(peer_ec);
    const std::string peer = peer_ec ? "unknown" : PeerName(endpoint);
    const int open_now = open_->load();
    const bool over_all = open_now >= options_.max_connections;
    if (over_all || !TakeAddressSlot(peer, open_now)) {
      // Over a limit: a short answer, written synchronously, and the connection closed.
      static constexpr std::string_view kBusy =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 60\r\n"
          "Connection: close\r\nContent-Length: 45\r\n\r\ntoo many connections open; try again shortly\n";
      if (!tls_) net::write(socket, net::buffer(kBusy.data(), kBusy.size()), peer_ec);
      metrics_.CountHttpRequest(503);
      metrics_.CountRefusal(over_all ? service::Refusal::kHttpConnections : service::Refusal::kHttpPerAddress,
                            StrCat("HTTP connection from ", peer, " refused: ",
                                   over_all ? "the server's connection limit" : "that address's connection limit"));
      socket.close(peer_ec);
      return Accept();
    }
    if (tls_) {
      std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          *this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *ssl_), peer)
          ->Start();
    } else {
      std::make_shared<Session<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)), peer)->Start();
    }
    Accept();
  });
}

absl::StatusOr<std::unique_ptr<Listener>> Listener::Start(const ListenerOptions& options, Api& api,
                                                          service::Executor& executor, service::Metrics& metrics) {
  auto impl = std::make_unique<Impl>(options, api, executor, metrics);
  if (absl::Status opened = impl->Open(); !opened.ok()) return opened;
  return std::unique_ptr<Listener>(new Listener(std::move(impl)));
}

Listener::Listener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Listener::~Listener() { Shutdown(); }
int Listener::port() const { return impl_->port(); }
int Listener::open_connections() const { return impl_->open_connections(); }
void Listener::Shutdown() { impl_->Shutdown(); }

}  // namespace pantau::http
