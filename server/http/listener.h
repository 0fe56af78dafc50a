// The HTTP listener on Boost.Asio/Beast: accepts connections (TLS when a certificate is given,
// else loopback only, as gRPC), reads requests within the limits below, runs Api::Handle on the
// application executor and writes the answer. No logic of its own beyond the rules of the wire.
// Thread-safety: Start and Shutdown from one owner thread.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/http/api.h"
#include "server/service/executor.h"
#include "server/service/metrics.h"

namespace pantau::http {

struct ListenerOptions {
  std::string listen;  // "HOST:PORT"; port 0 picks a free one
  // PEM texts of the certificate (chain) and key: TLS. Empty: plaintext, loopback only unless
  // insecure_plaintext_anywhere.
  std::string tls_cert_pem;
  std::string tls_key_pem;
  bool insecure_plaintext_anywhere = false;
  // Limits, as gRPC's: the request line and headers, and a body (GET requests have none).
  uint32_t max_header_bytes = 16 << 10;
  uint64_t max_body_bytes = 64 << 10;
  // The request line and headers of a connection's first request must arrive within
  // header_timeout (a connection that sends nothing gives its slot back quickly); its body within
  // read_timeout; an answer must be taken within write_timeout.
  absl::Duration header_timeout = absl::Seconds(5);
  absl::Duration read_timeout = absl::Seconds(30);
  absl::Duration write_timeout = absl::Minutes(5);
  // Idle keep-alive connections are closed after this.
  absl::Duration idle_timeout = absl::Seconds(60);
  // Connections open at once; one more is answered 503 and closed. The last max_connections / 16
  // slots are kept for addresses with no connection open yet (a health check, Prometheus, another
  // supervisor), so a flood cannot keep them out.
  int max_connections = 256;
  // Connections open at once from one address; one more is answered 503 and closed.
  int max_connections_per_address = 32;
  // No connection serves requests longer than this (as gRPC's max connection age).
  absl::Duration max_connection_age = absl::Minutes(60);
  int threads = 2;
};

class Listener {
 public:
  // FAILED_PRECONDITION for plaintext on a non-loopback address, UNAVAILABLE when the address
  // cannot be bound, INVALID_ARGUMENT for a bad address or certificate.
  static absl::StatusOr<std::unique_ptr<Listener>> Start(const ListenerOptions& options, Api& api,
                                                         service::Executor& executor, service::Metrics& metrics);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  int port() const;
  int open_connections() const;
  // Stops accepting, closes every connection, joins the threads. Idempotent.
  void Shutdown();

  class Impl;

 private:
  explicit Listener(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pantau::http
