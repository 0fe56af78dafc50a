// A TCP proxy on 127.0.0.1 that breaks the link between a laptop and the server on command: pass,
// delay every chunk, stall (keep the connections open and forward nothing, as a link gone silent),
// cut every connection after N bytes from the server, refuse new connections. The target port can
// change (a server restarted on another port stays behind the same address). For tests only.
// Thread-safety: thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pantau::testing {

class FaultProxy {
 public:
  enum class Mode { kPass, kStall, kRefuse };

  // Listens on 127.0.0.1 (a free port) and forwards to 127.0.0.1:`target_port`.
  explicit FaultProxy(int target_port);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  void set_target(int port) { target_port_ = port; }
  // kStall applies to connections open now and new ones alike; kRefuse closes new connections at once.
  void set_mode(Mode mode) { mode_ = mode; }
  // Stalls the connections open now; new connections pass.
  void StallOpenConnections();
  // Each chunk is held this long before it is forwarded (0: none).
  void set_delay_ms(int ms) { delay_ms_ = ms; }
  // Every connection open now or later is closed once `bytes` have come from the server over it
  // (0: never).
  void set_cut_after_bytes(uint64_t bytes) { cut_after_ = bytes; }
  // Closes every open connection at once.
  void CutAll();
  // The moment the laptop opens its `n`-th gRPC call (HTTP/2 stream) from now on, counted over
  // every connection, that call's bytes are dropped, every connection is cut and new ones are
  // refused (0: never). Plaintext HTTP/2 only: the proxy reads the frame headers the laptop sends.
  void set_refuse_from_call(int n) { refuse_from_call_ = n > 0 ? calls_opened_.load() + n : 0; }

  int calls_opened() const { return calls_opened_.load(); }

  uint64_t bytes_from_server() const { return from_server_.load(); }
  int connections() const { return connections_.load(); }

 private:
  struct Link {
    int client = -1;
    int server = -1;
    std::atomic<bool> closed{false};
    std::atomic<bool> stalled{false};
    std::atomic<uint64_t> from_server{0};
    // Reading the laptop's HTTP/2 frames: the 24-byte preface, then 9-byte frame headers.
    uint64_t preface_left = 24;
    unsigned char header[9] = {};
    size_t header_have = 0;
    uint64_t payload_left = 0;
    uint32_t last_stream = 0;
  };
  // Counts the calls the laptop opens in `data`; true when the call to refuse is among them.
  bool OpensRefusedCall(Link& link, const char* data, size_t n);
  void Accept();
  void Pump(std::shared_ptr<Link> link);
  static void Close(Link& link);

  int listener_ = -1;
  int port_ = 0;
  std::atomic<int> target_port_;
  std::atomic<Mode> mode_{Mode::kPass};
  std::atomic<int> delay_ms_{0};
  std::atomic<uint64_t> cut_after_{0};
  std::atomic<uint64_t> from_server_{0};
  std::atomic<int> connections_{0};
  std::atomic<int> refuse_from_call_{0};
  std::atomic<int> calls_opened_{0};
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::shared_ptr<Link>> links_;  // guarded by mu_
  std::vector<std::thread> threads_;          // guarded by mu_
  std::thread acceptor_;
};

}  // namespace pantau::testing
