#include "client/ui/server.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <mutex>
#include <thread>

#include "client/photos.h"
#include "common/str_cat.h"

namespace pantau::client::ui {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Server::Impl {
 public:
  Impl(App& app) : app_(app), acceptor_(io_) {}

  absl::Status Listen(const std::string& listen) {
    const size_t colon = listen.rfind(':');
    if (colon == std::string::npos) return absl::InvalidArgumentError(StrCat("--listen \"", listen, "\": use HOST:PORT"));
    std::string host = listen.substr(0, colon);
    if (host == "localhost") host = "127.0.0.1";
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    int port = 0;
    try {
      port = std::stoi(listen.substr(colon + 1));
    } catch (...) {
      port = -1;
    }
    if (port < 0 || port > 65535) return absl::InvalidArgumentError(StrCat("--listen \"", listen, "\": bad port"));
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) return absl::InvalidArgumentError(StrCat("--listen \"", listen, "\": not an address"));
    if (!address.is_loopback()) {
      return absl::FailedPreconditionError(
          StrCat("--listen \"", listen, "\": the app is for this laptop only: use 127.0.0.1, [::1] or localhost"));
    }
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return absl::UnavailableError(StrCat("cannot listen on ", listen, ": ", ec.message()));
    port_ = acceptor_.local_endpoint().port();
    accepting_ = std::thread([this] { AcceptLoop(); });
    return absl::OkStatus();
  }

  int port() const { return port_; }

  void Shutdown() {
    if (stopping_.exchange(true)) return;
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    if (accepting_.joinable()) accepting_.join();
    std::list<Connection> connections;
    {
      std::lock_guard lock(mu_);
      for (auto& c : connections_) ::shutdown(c.socket->native_handle(), SHUT_RDWR);
      connections.swap(connections_);
    }
    for (auto& c : connections) {
      if (c.thread.joinable()) c.thread.join();
    }
  }

 private:
  struct Connection {
    std::shared_ptr<tcp::socket> socket;
    std::thread thread;
  };

  void AcceptLoop() {
    while (!stopping_) {
      auto socket = std::make_shared<tcp::socket>(io_);
      boost::system::error_code ec;
      acceptor_.accept(*socket, ec);
      if (stopping_) break;
      if (ec) continue;
      // A browser that stops talking frees its thread after 60 s.
      timeval timeout{60, 0};
      ::setsockopt(socket->native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      ::setsockopt(socket->native_handle(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
      std::lock_guard lock(mu_);
      // Threads of connections that ended are joined here, so they never pile up.
      for (auto it = connections_.begin(); it != connections_.end();) {
        if (it->socket.use_count() == 1 && it->thread.joinable()) {
          it->thread.join();
          it = connections_.erase(it);
        } else {
          ++it;
        }
      }
      connections_.push_back({socket, std::thread([this, socket] { Serve(*socket); })});
    }
  }

  void Serve(tcp::socket& socket) {
    beast::flat_buffer buffer;
    while (!stopping_) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(16 << 10);
      parser.body_limit(kMaxPhotoBytes + (64 << 10));  // a photo, the largest body
      boost::system::error_code ec;
      http::read(socket, buffer, parser, ec);
      if (ec) break;
      const auto& in = parser.get();
      Request request;
      request.method = std::string(in.method_string());
      request.target = std::string(in.target());
      request.host = std::string(in[http::field::host]);
      request.origin = std::string(in[http::field::origin]);
      request.cookie = std::string(in[http::field::cookie]);
      request.csrf = std::string(in["X-CSRF-Token"]);
      request.language = std::string(in["X-Pantau-Lang"]);
      request.body = in.body();
      const Response answer = app_.Handle(request);
      http::response<http::string_body> out{static_cast<http::status>(answer.status), in.version()};
      out.set(http::field::content_type, answer.content_type);
      for (const auto& [name, value] : answer.headers) out.set(name, value);
      out.body() = answer.body;
      out.keep_alive(in.keep_alive());
      out.prepare_payload();
      http::write(socket, out, ec);
      if (ec || !out.keep_alive()) break;
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  App& app_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread accepting_;
  std::mutex mu_;
  std::list<Connection> connections_;
};

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const std::string& listen, App& app) {
  auto impl = std::make_unique<Impl>(app);
  if (absl::Status listening = impl->Listen(listen); !listening.ok()) return listening;
  app.set_port(impl->port());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Shutdown(); }
int Server::port() const { return impl_->port(); }
void Server::Shutdown() { impl_->Shutdown(); }

}  // namespace pantau::client::ui
