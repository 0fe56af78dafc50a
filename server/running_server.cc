#include "server/running_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <sys/stat.h>
#include <sys/un.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/dates.h"
#include "common/report/xlsx.h"
#include "common/status_macros.h"
#include "common/str_cat.h"
#include "server/rpc/admin_rpc.h"
#include "server/rpc/query_rpc.h"
#include "server/rpc/sync_rpc.h"
#include "server/service/log.h"
#include "server/storage/rocks_storage.h"

namespace pantau::server {

// A PEM file's text; FAILED_PRECONDITION naming the file when it cannot be read or is no PEM.
absl::StatusOr<std::string> ReadPem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || text.str().find("-----BEGIN ") == std::string::npos) {
    return absl::FailedPreconditionError(StrCat(path, ": cannot be read as a PEM file"));
  }
  return text.str();
}

bool IsLoopbackListenAddress(std::string_view host_port) {
  std::string_view host = host_port;
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    if (close == std::string_view::npos) return false;
    host = host.substr(1, close - 1);
    return host == "::1";
  }
  auto colon = host.rfind(':');
  if (colon != std::string_view::npos) host = host.substr(0, colon);
  if (host == "localhost") return true;
  return host.substr(0, 4) == "127." && host.find_first_not_of("0123456789.") == std::string_view::npos;
}

absl::StatusOr<std::unique_ptr<RunningServer>> RunningServer::Start(
    const ServerOptions& options, std::unique_ptr<storage::Storage> storage,
    std::unique_ptr<service::Clock> clock) {
  const bool tls = !options.tls_cert_file.empty() || !options.tls_key_file.empty();
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (tls) {
    if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
      return absl::InvalidArgumentError("TLS needs both the certificate and the key file");
    }
    auto cert = ReadPem(options.tls_cert_file);
    if (!cert.ok()) return cert.status();
    auto key = ReadPem(options.tls_key_file);
    if (!key.ok()) return key.status();
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({*key, *cert});
    credentials = grpc::SslServerCredentials(ssl);
  }
  if (!tls && !options.insecure_plaintext_anywhere && !options.grpc_listen.empty() &&
      !IsLoopbackListenAddress(options.grpc_listen)) {
    return absl::FailedPreconditionError(
        StrCat("refusing plaintext gRPC on ", options.grpc_listen,
               ": without TLS the server listens on loopback only (127.0.0.1, ::1, localhost)"));
  }
  auto server = std::make_unique<RunningServer>();
  server->options_ = options;
  server->clock_ = std::move(clock);
  server->storage_ = std::move(storage);
  PANTAU_ASSIGN_OR_RETURN(server->reference_,
                          service::ReferenceService::Create(server->storage_->reference(),
                                                            *server->clock_));
  // Every day the server counts (roll-ups, ingest, queries, signatures) is a local date in the
  // deployment's time zone, which the store's roll-ups must already use.
  const absl::TimeZone zone = server->storage_->records().zone();
  if (const absl::TimeZone named = server->reference_->catalog()->TimeZone(); named != zone) {
    return absl::FailedPreconditionError(StrCat("the deployment's time zone is ", common::ZoneName(named),
                                                " but the store counts days in ", common::ZoneName(zone)));
  }
  server->reference_->set_fixed_zone(zone);
  server->options_.ingest.zone = zone;
  server->options_.ingest.policy.display_zone = zone;
  server->options_.ikk.zone = zone;
  server->accounts_ = std::make_unique<service::AccountService>(
      server->storage_->accounts(), server->storage_->audit(), *server->reference_, *server->clock_,
      options.throttle);
  service::Metrics* metrics = server->metrics_.get();
  server->accounts_->set_metrics(metrics);
  server->ingest_ = std::make_unique<service::IngestService>(
      server->storage_->records(), *server->reference_, *server->clock_, server->options_.ingest);
  server->ingest_->set_metrics(metrics);
  server->queries_ = std::make_unique<service::QueryService>(
      server->storage_->records(), *server->reference_, *server->clock_, server->options_.ikk);
  if (!options.alert_webhook.url.empty()) {
    // The webhook sees the kabupaten's every alert, as an admin would.
    service::QueryService* queries = server->queries_.get();
    PANTAU_ASSIGN_OR_RETURN(
        server->webhook_,
        http::AlertWebhook::Create(
            options.alert_webhook,
            [queries](absl::CivilDay from, absl::CivilDay to) -> absl::StatusOr<std::vector<v1::PriceAlert>> {
              v1::ListAlertsRequest request;
              request.set_from(common::FormatLocalDate(from));
              request.set_to(common::FormatLocalDate(to));
              auto got = queries->Alerts(request, service::Principal("alert-webhook", v1::ROLE_ADMIN));
              if (!got.ok()) return got.status();
              return std::vector<v1::PriceAlert>(got->alerts().begin(), got->alerts().end());
            },
            http::DeliveryMarks{
                [log = &server->storage_->deliveries()](const std::string& id) { return log->Delivered(id); },
                [log = &server->storage_->deliveries()](const std::string& id, absl::Time at) {
                  return log->MarkDelivered(id, at);
                }},
            *server->clock_, zone));
  }
  // Every synced write of records is counted, and tells the webhook to look at the alerts again.
  server->storage_->SetSyncedWriteObserver([metrics, webhook = server->webhook_.get()](size_t records) {
    metrics->ObserveSyncedWrite(records);
    if (webhook != nullptr) webhook->Notify();
  });
  // The field activity lists the inspector accounts in service, with their kecamatan, and each
  // laptop's last sync.
  server->queries_->SetFieldDirectory(
      [accounts = server->accounts_.get()]() -> absl::StatusOr<service::QueryService::FieldDirectory> {
        auto listed = accounts->List();
        if (!listed.ok()) return listed.status();
        service::QueryService::FieldDirectory directory;
        for (const auto& a : *listed) {
          if (a.role() == v1::ROLE_INSPECTOR && !a.disabled()) directory.inspectors.push_back({a.name(), a.scope()});
        }
        auto contacts = accounts->Contacts();
        if (!contacts.ok()) return contacts.status();
        directory.contacts = *std::move(contacts);
        return directory;
      });
  server->executor_ = std::make_unique<service::Executor>(options.executor_threads);
  server->photos_ = std::make_unique<service::PhotoService>(server->storage_->photos(), options.max_photo_bytes);
  server->streams_ = std::make_unique<rpc::StreamSlots>(options.max_streams, server->metrics_.get());
  auto sync_rpc = std::make_unique<rpc::SyncRpc>(*server->accounts_, *server->ingest_, *server->reference_,
                                                 *server->photos_, *server->executor_, *server->streams_);
  // Each inspector's pull carries the scheduled price checks it missed in the last 7 days.
  sync_rpc->set_missing_observations([queries = server->queries_.get()](const service::Principal& inspector) {
    return queries->MissingObservationsFor(inspector);
  });
  RunningServer* self = server.get();
  auto admin_rpc = std::make_unique<rpc::AdminRpc>(
      *server->accounts_, *server->reference_, *server->ingest_, *server->executor_,
      [self](const std::string& dir, int keep) { return self->BackupNow(dir, keep); });
  auto query_rpc = std::make_unique<rpc::QueryRpc>(*server->accounts_, *server->queries_, *server->photos_,
                                                   *server->executor_, *server->streams_);
  sync_rpc->set_metrics(server->metrics_.get());
  admin_rpc->set_metrics(server->metrics_.get());
  query_rpc->set_metrics(server->metrics_.get());
  server->sync_rpc_ = std::move(sync_rpc);
  server->admin_rpc_ = std::move(admin_rpc);
  server->query_rpc_ = std::move(query_rpc);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  if (!options.grpc_listen.empty()) {
    builder.AddListeningPort(options.grpc_listen, credentials,
                             &server->port_);
  }
  int local_port = 0;
  if (!options.local_socket.empty()) {
    if (options.local_socket.size() >= sizeof(sockaddr_un{}.sun_path)) {
      return absl::InvalidArgumentError(StrCat(options.local_socket, ": too long for a Unix socket path"));
    }
    std::error_code ec;
    std::filesystem::remove(options.local_socket, ec);  // left by a server that crashed
    builder.AddListeningPort("unix:" + options.local_socket, grpc::InsecureServerCredentials(), &local_port);
  }
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_streams_per_connection);
  auto millis = [](absl::Duration d) { return static_cast<int>(absl::ToInt64Milliseconds(d)); };
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, millis(options.max_connection_age));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, millis(options.connection_age_grace));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, millis(options.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, millis(options.keepalive_timeout));
  // Laptops ping every 15 s to find a silent link (client/cli.cc LinkArguments): allowed, also
  // between calls, rather than answered with GOAWAY "too many pings".
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  grpc::ResourceQuota quota("pantau-server");
  quota.Resize(static_cast<size_t>(options.memory_quota_bytes));
  builder.SetResourceQuota(quota);
  builder.RegisterService(server->sync_rpc_.get());
  builder.RegisterService(server->admin_rpc_.get());
  builder.RegisterService(server->query_rpc_.get());
  server->grpc_server_ = builder.BuildAndStart();
  if (server->grpc_server_ == nullptr || (!options.grpc_listen.empty() && server->port_ == 0)) {
    server->grpc_server_.reset();
    return absl::UnavailableError(StrCat("cannot listen on ", options.grpc_listen,
                                         " (address in use or not local?)"));
  }
  if (!options.local_socket.empty()) {
    if (local_port == 0 || chmod(options.local_socket.c_str(), 0600) != 0) {
      return absl::UnavailableError(StrCat("cannot serve on the Unix socket ", options.local_socket));
    }
  }
  server->grpc_server_->GetHealthCheckService()->SetServingStatus(true);

  report::Signatory signatory;
  if (!options.signatory_file.empty()) {
    std::ifstream in(options.signatory_file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return absl::FailedPreconditionError(StrCat(options.signatory_file, ": cannot be read"));
    PANTAU_ASSIGN_OR_RETURN(signatory, report::ParseSignatory(text.str(), options.signatory_file));
  }
  server->api_ = std::make_unique<http::Api>(http::Api::Dependencies{
      *server->accounts_, *server->queries_, *server->reference_, *server->metrics_, [self] { return self->Ready(); },
      [self] { return self->SampleMetrics(); }, *server->clock_, signatory, server->photos_.get()});
  if (!options.http_listen.empty()) {
    http::ListenerOptions http_options;
    http_options.listen = options.http_listen;
    if (tls) {
      PANTAU_ASSIGN_OR_RETURN(http_options.tls_cert_pem, ReadPem(options.tls_cert_file));
      PANTAU_ASSIGN_OR_RETURN(http_options.tls_key_pem, ReadPem(options.tls_key_file));
    }
    http_options.insecure_plaintext_anywhere = options.insecure_plaintext_anywhere;
    http_options.max_connections = options.max_streams;
    http_options.max_connection_age = options.max_connection_age;
    PANTAU_ASSIGN_OR_RETURN(server->http_,
                            http::Listener::Start(http_options, *server->api_, *server->executor_, *server->metrics_));
  }
  if (!options.backup_dir.empty()) {
    // The age of the newest backup already there counts from its creation, across restarts.
    auto existing = storage::ListBackups(options.backup_dir);
    if (existing.ok() && !existing->empty()) server->last_backup_ = existing->back().created;
  }
  server->maintainer_ = std::thread([self] { self->Maintain(); });
  if (server->webhook_ != nullptr) server->webhook_->Start();
  service::log::Info("server.start", {{"grpc_port", server->port_},
                                      {"http_port", server->http_port()},
                                      {"tls", tls},
                                      {"backup_dir", options.backup_dir},
                                      {"backup_every_minutes", absl::ToInt64Minutes(options.backup_every)}});
  return server;
}

absl::Status RunningServer::Ready() {
  if (shutting_down_.load()) return absl::UnavailableError("the server is shutting down");
  return storage_->Writable();
}

absl::StatusOr<v1::CreateBackupResponse> RunningServer::BackupNow(const std::string& dir_in, int keep_in) {
  const std::string dir = dir_in.empty() ? options_.backup_dir : dir_in;
  const int keep = keep_in > 0 ? keep_in : options_.backup_keep;
  if (dir.empty()) {
    return absl::FailedPreconditionError(
        "no backup folder given and none configured ([backup] dir in the settings file, or --backup-dir)");
  }
  std::lock_guard one_at_a_time(backup_mu_);
  const absl::Time started = absl::Now();
  auto made = storage_->Backup(dir, keep);
  {
    std::lock_guard lock(maintain_mu_);
    if (made.ok()) last_backup_ = made->created;
    last_backup_failed_ = !made.ok();
    last_attempt_ = absl::Now();
  }
  if (!made.ok()) {
    service::log::Error("backup.failed", {{"backup_dir", dir}, {"reason", made.status().message()}});
    return made.status();
  }
  service::log::Info("backup.done", {{"backup_dir", dir},
                                     {"backup_id", made->id},
                                     {"bytes", made->bytes},
                                     {"files", made->files},
                                     {"kept", keep},
                                     {"ms", absl::ToInt64Milliseconds(absl::Now() - started)}});
  v1::CreateBackupResponse out;
  out.set_backup_dir(dir);
  out.set_backup_id(made->id);
  *out.mutable_created_at() = common::ToTimestamp(made->created);
  out.set_bytes(made->bytes);
  out.set_files(made->files);
  return out;
}

service::Metrics::Sample RunningServer::SampleMetrics() {
  service::Metrics::Sample sample;
  sample.open_streams = streams_ != nullptr ? streams_->open() : 0;
  sample.open_http_connections = http_ != nullptr ? http_->open_connections() : 0;
  sample.store = storage_->Figures();
  sample.ready = Ready().ok();
  sample.now = absl::Now();
  std::lock_guard lock(maintain_mu_);
  sample.last_backup = last_backup_;
  sample.last_backup_failed = last_backup_failed_;
  return sample;
}

void RunningServer::Maintain() {
  constexpr absl::Duration kHealthEvery = absl::Seconds(2);
  constexpr absl::Duration kRetryAfterFailure = absl::Minutes(10);
  bool serving = true;
  std::unique_lock lock(maintain_mu_);
  while (!stop_maintaining_) {
    lock.unlock();
    const bool ready = Ready().ok();
    if (ready != serving && grpc_server_ != nullptr) {
      grpc_server_->GetHealthCheckService()->SetServingStatus(ready);
      service::log::Warn(ready ? "server.ready" : "server.not_ready", {{"reason", std::string(Ready().message())}});
      serving = ready;
    }
    lock.lock();
    if (options_.backup_every > absl::ZeroDuration() && !options_.backup_dir.empty()) {
      // A failed attempt is retried after ten minutes (or the period, when shorter).
      const absl::Time due = last_backup_failed_
                                 ? last_attempt_ + std::min(options_.backup_every, kRetryAfterFailure)
                             : last_backup_ ? *last_backup_ + options_.backup_every
                                            : absl::InfinitePast();
      if (absl::Now() >= due) {
        lock.unlock();
        (void)BackupNow("", 0);  // logged and shown in the metrics either way
        lock.lock();
        continue;
      }
    }
    maintain_cv_.wait_for(lock, absl::ToChronoMilliseconds(kHealthEvery), [this] { return stop_maintaining_; });
  }
}

RunningServer::~RunningServer() { Shutdown(); }

void RunningServer::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  shutting_down_ = true;
  {
    std::lock_guard lock(maintain_mu_);
    stop_maintaining_ = true;
  }
  maintain_cv_.notify_all();
  if (maintainer_.joinable()) maintainer_.join();  // after a backup in progress
  if (webhook_ != nullptr) webhook_->Stop();  // a POST in progress finishes or times out
  // While gRPC calls finish (up to the grace), HTTP still answers: /readyz says 503.
  if (grpc_server_ != nullptr) {
    grpc_server_->GetHealthCheckService()->SetServingStatus(false);
    grpc_server_->Shutdown(std::chrono::system_clock::now() +
                           absl::ToChronoMilliseconds(options_.shutdown_grace));
    grpc_server_->Wait();
  }
  if (http_ != nullptr) http_->Shutdown();
  if (!options_.local_socket.empty()) {
    std::error_code ec;
    std::filesystem::remove(options_.local_socket, ec);
  }
  if (executor_ != nullptr) executor_->Shutdown();
  http_.reset();
  api_.reset();
  grpc_server_.reset();
  sync_rpc_.reset();
  admin_rpc_.reset();
  query_rpc_.reset();
  streams_.reset();
  executor_.reset();
  webhook_.reset();
  queries_.reset();
  ingest_.reset();
  accounts_.reset();
  reference_.reset();
  storage_.reset();
}

std::shared_ptr<grpc::Channel> RunningServer::InProcessChannel() {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options_.max_message_bytes);
  args.SetMaxSendMessageSize(options_.max_message_bytes);
  return grpc_server_->InProcessChannel(args);
}

}  // namespace pantau::server
