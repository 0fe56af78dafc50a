#include "tests/testing/fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace pantau::testing {
namespace {

int Listen(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket");
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
    ::close(fd);
    throw std::runtime_error("bind/listen");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

int ConnectTo(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool WriteAll(int fd, const char* data, size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

}  // namespace

FaultProxy::FaultProxy(int target_port) : target_port_(target_port) {
  listener_ = Listen(port_);
  acceptor_ = std::thread([this] { Accept(); });
}

FaultProxy::~FaultProxy() {
  stop_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  acceptor_.join();
  ::close(listener_);
  CutAll();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
}

void FaultProxy::Close(Link& link) {
  if (link.closed.exchange(true)) return;
  ::shutdown(link.client, SHUT_RDWR);
  ::shutdown(link.server, SHUT_RDWR);
}

void FaultProxy::CutAll() {
  std::lock_guard lock(mu_);
  for (auto& link : links_) Close(*link);
}

void FaultProxy::StallOpenConnections() {
  std::lock_guard lock(mu_);
  for (auto& link : links_) link->stalled = true;
}

bool FaultProxy::OpensRefusedCall(Link& link, const char* data, size_t n) {
  bool refused = false;
  size_t i = 0;
  while (i < n) {
    if (link.preface_left > 0) {
      const size_t skip = static_cast<size_t>(std::min<uint64_t>(link.preface_left, n - i));
      link.preface_left -= skip;
      i += skip;
    } else if (link.payload_left > 0) {
      const size_t skip = static_cast<size_t>(std::min<uint64_t>(link.payload_left, n - i));
      link.payload_left -= skip;
      i += skip;
    } else {
      link.header[link.header_have++] = static_cast<unsigned char>(data[i++]);
      if (link.header_have < 9) continue;
      link.header_have = 0;
      const unsigned char* h = link.header;
      link.payload_left = (uint64_t{h[0]} << 16) | (uint64_t{h[1]} << 8) | h[2];
      const uint32_t stream = ((uint32_t{h[5]} & 0x7f) << 24) | (uint32_t{h[6]} << 16) | (uint32_t{h[7]} << 8) | h[8];
      constexpr unsigned char kHeadersFrame = 0x1;
      if (h[3] == kHeadersFrame && stream > link.last_stream) {  // a new call
        link.last_stream = stream;
        const int opened = ++calls_opened_;
        const int refuse_from = refuse_from_call_.load();
        if (refuse_from > 0 && opened >= refuse_from) refused = true;
      }
    }
  }
  return refused;
}

void FaultProxy::Accept() {
  while (!stop_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    if (mode_ == Mode::kRefuse) {
      ::close(client);
      continue;
    }
    const int server = ConnectTo(target_port_);
    if (server < 0) {  // nothing listening behind: like a refused connection
      ::close(client);
      continue;
    }
    const int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto link = std::make_shared<Link>();
    link->client = client;
    link->server = server;
    connections_++;
    std::lock_guard lock(mu_);
    links_.push_back(link);
    threads_.emplace_back([this, link] { Pump(link); });
  }
}

void FaultProxy::Pump(std::shared_ptr<Link> link) {
  char buffer[16384];
  while (!link->closed && !stop_) {
    if (mode_ == Mode::kStall || link->stalled) {  // silent: nothing read, nothing forwarded
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    pollfd p[2] = {{link->client, POLLIN, 0}, {link->server, POLLIN, 0}};
    if (::poll(p, 2, 50) <= 0) continue;
    for (int side = 0; side < 2 && !link->closed; ++side) {
      if ((p[side].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const int from = side == 0 ? link->client : link->server;
      const int to = side == 0 ? link->server : link->client;
      const ssize_t n = ::recv(from, buffer, sizeof buffer, 0);
      if (n <= 0) {
        Close(*link);
        break;
      }
      if (const int delay = delay_ms_.load(); delay > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
      }
      size_t forward = static_cast<size_t>(n);
      bool cut = false;
      if (side == 0 && OpensRefusedCall(*link, buffer, forward)) {
        mode_ = Mode::kRefuse;
        CutAll();
        break;
      }
      if (side == 1) {
        const uint64_t limit = cut_after_.load();
        const uint64_t before = link->from_server.load();
        if (limit > 0 && before + forward >= limit) {
          forward = static_cast<size_t>(limit > before ? limit - before : 0);
          cut = true;
        }
        link->from_server += forward;
        from_server_ += forward;
      }
      if (!WriteAll(to, buffer, forward) || cut) {
        Close(*link);
        break;
      }
    }
  }
  ::close(link->client);
  ::close(link->server);
}

}  // namespace pantau::testing
