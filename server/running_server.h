// The composition root: owns the storage, the services, the executor and the gRPC server, and
// wires them. Holds no logic of its own. Used by `pantau-server serve` and by tests, which start
// it in-process on an ephemeral loopback port or with no port at all.
// Thread-safety: Start and Shutdown from one owner thread; accessors are thread-safe.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "server/rpc/call_support.h"
#include "pantau/v1/admin_service.pb.h"
#include "server/http/api.h"
#include "server/http/listener.h"
#include "server/http/webhook.h"
#include "server/service/account_service.h"
#include "server/service/metrics.h"
#include "server/service/clock.h"
#include "server/service/executor.h"
#include "server/service/ingest_service.h"
#include "server/service/photo_service.h"
#include "server/service/query_service.h"
#include "server/service/reference_service.h"
#include "server/storage/storage.h"

namespace pantau::server {

struct ServerOptions {
  // TLS: PEM files of the server's certificate (chain) and private key. With both set the gRPC
  // listener speaks TLS on any address; without, plaintext on loopback only.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Plaintext on a non-loopback address, for tests on a closed network only.
  bool insecure_plaintext_anywhere = false;
  // The largest evidence photo accepted, in bytes.
  int64_t max_photo_bytes = 8 << 20;
  // "HOST:PORT" to listen on with plaintext gRPC, loopback only; port 0 picks a free one.
  // Empty: no listening port (in-process channel only).
  std::string grpc_listen;
  int executor_threads = 8;
  service::IngestOptions ingest;
  service::IkkSettings ikk;
  // Back-off on repeated failed authentication from one address.
  service::ThrottleOptions throttle;
  // Largest gRPC message accepted, in bytes.
  int max_message_bytes = 16 << 20;
  // Streaming calls (Push, Pull, photo uploads and downloads, exports) open at once, server-wide;
  // and per connection (HTTP/2 concurrent streams).
  int max_streams = 256;
  int max_streams_per_connection = 16;
  // A connection is closed (GOAWAY) after this age, and its calls cancelled after the grace:
  // no call, however slow or idle its client, lasts longer than their sum. Laptops reconnect.
  absl::Duration max_connection_age = absl::Minutes(60);
  absl::Duration connection_age_grace = absl::Minutes(5);
  // Pings on idle connections find dead peers, whose calls are then cancelled.
  absl::Duration keepalive_time = absl::Minutes(1);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // Memory gRPC may use for its buffers, across all calls.
  int64_t memory_quota_bytes = int64_t{1} << 30;
  // How long in-flight calls get to finish at shutdown before they are cancelled.
  absl::Duration shutdown_grace = absl::Seconds(5);
  // "HOST:PORT" of the HTTP side (health, metrics, JSON API, downloads); empty: none. Same TLS
  // and loopback rule as gRPC; port 0 picks a free one.
  std::string http_listen;
  // Backups: the folder of scheduled backups (also the default of CreateBackup), how often (zero:
  // no schedule), and how many are kept there.
  std::string backup_dir;
  absl::Duration backup_every = absl::ZeroDuration();
  int backup_keep = 7;
  // A Unix socket (mode 0600) on which gRPC is also served; `pantau-server backup --data-dir`
  // reaches the running server through it without a token: whoever may open it may read the
  // data directory anyway. "" : none. `serve` puts it in the data directory.
  std::string local_socket;
  // Who signs the XLSX downloads: a JSON file as the laptop's signatory.json ("" : a blank line
  // for the name). Read at start; an unreadable or wrong file stops the start.
  std::string signatory_file;
  // The alert webhook ([alerts] webhook_url); an empty URL: none.
  http::WebhookOptions alert_webhook;
};

// True for 127.0.0.0/8, ::1 and "localhost" (with a port, "[::1]:50051" style for IPv6).
bool IsLoopbackListenAddress(std::string_view host_port);

class RunningServer {
 public:
  // Starts serving on `storage`. FAILED_PRECONDITION for a non-loopback plaintext address,
  // UNAVAILABLE when the port cannot be bound.
  static absl::StatusOr<std::unique_ptr<RunningServer>> Start(
      const ServerOptions& options, std::unique_ptr<storage::Storage> storage,
      std::unique_ptr<service::Clock> clock = std::make_unique<service::SystemClock>());

  // Shuts down cleanly (see Shutdown).
  ~RunningServer();
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  // Health turns NOT_SERVING (gRPC health and /readyz), new calls are refused, in-flight pushes
  // finish (up to the grace period) while HTTP still answers, then HTTP stops, queued storage work
  // drains, and the store closes. A backup in progress finishes first. Idempotent.
  void Shutdown();

  // The bound port; 0 when not listening.
  int grpc_port() const { return port_; }
  int http_port() const { return http_ != nullptr ? http_->port() : 0; }

  // OK when the server takes records: not shutting down, and the store takes writes. /readyz and
  // the gRPC health service answer from this.
  absl::Status Ready();
  // A backup of the store into `dir` ("" the configured folder), keeping the newest `keep` there
  // (0: the configured number). FAILED_PRECONDITION when no folder is given or configured.
  absl::StatusOr<v1::CreateBackupResponse> BackupNow(const std::string& dir, int keep);
  service::Metrics& metrics() { return *metrics_; }
  // The HTTP side's request handling (also when no HTTP port is open).
  http::Api& http_api() { return *api_; }
  // The gauges of /metrics, now.
  service::Metrics::Sample SampleMetrics();
  std::shared_ptr<grpc::Channel> InProcessChannel();

  storage::Storage& storage() { return *storage_; }
  service::AccountService& accounts() { return *accounts_; }
  service::ReferenceService& reference() { return *reference_; }
  service::IngestService& ingest() { return *ingest_; }
  service::QueryService& queries() { return *queries_; }

  RunningServer() = default;

 private:
  // Declaration order is construction order; destruction runs backwards, so the gRPC server and
  // its services go before the executor, and the executor before the storage it writes to.
  // The schedule's thread: backups when due, and the gRPC health status kept equal to Ready().
  void Maintain();

  ServerOptions options_;
  std::unique_ptr<service::Clock> clock_;
  std::unique_ptr<service::Metrics> metrics_ = std::make_unique<service::Metrics>();
  std::unique_ptr<storage::Storage> storage_;
  std::unique_ptr<service::ReferenceService> reference_;
  std::unique_ptr<service::AccountService> accounts_;
  std::unique_ptr<service::IngestService> ingest_;
  std::unique_ptr<service::QueryService> queries_;
  std::unique_ptr<service::PhotoService> photos_;
  std::unique_ptr<service::Executor> executor_;
  std::unique_ptr<rpc::StreamSlots> streams_;
  std::unique_ptr<grpc::Service> sync_rpc_;
  std::unique_ptr<grpc::Service> admin_rpc_;
  std::unique_ptr<grpc::Service> query_rpc_;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::unique_ptr<http::Api> api_;
  std::unique_ptr<http::Listener> http_;
  std::unique_ptr<http::AlertWebhook> webhook_;
  int port_ = 0;
  bool shut_down_ = false;
  std::atomic<bool> shutting_down_{false};

  std::mutex maintain_mu_;
  std::condition_variable maintain_cv_;
  bool stop_maintaining_ = false;                // guarded by maintain_mu_
  std::optional<absl::Time> last_backup_;        // guarded by maintain_mu_
  bool last_backup_failed_ = false;              // guarded by maintain_mu_
  absl::Time last_attempt_ = absl::InfinitePast();  // guarded by maintain_mu_
  std::mutex backup_mu_;                         // one backup at a time
  std::thread maintainer_;
};

}  // namespace pantau::server
