#include "server/running_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <fstream>
#include <sstream>

#include "common/status_macros.h"
#include "common/str_cat.h"
#include "server/rpc/admin_rpc.h"
#include "server/rpc/query_rpc.h"
#include "server/rpc/sync_rpc.h"

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
  server->accounts_ = std::make_unique<service::AccountService>(
      server->storage_->accounts(), server->storage_->audit(), *server->reference_, *server->clock_,
      options.throttle);
  server->ingest_ = std::make_unique<service::IngestService>(
      server->storage_->records(), *server->reference_, *server->clock_, options.ingest);
  server->queries_ = std::make_unique<service::QueryService>(
      server->storage_->records(), *server->reference_, *server->clock_, options.ikk);
  server->executor_ = std::make_unique<service::Executor>(options.executor_threads);
  server->photos_ = std::make_unique<service::PhotoService>(server->storage_->photos(), options.max_photo_bytes);
  server->streams_ = std::make_unique<rpc::StreamSlots>(options.max_streams);
  server->sync_rpc_ = std::make_unique<rpc::SyncRpc>(*server->accounts_, *server->ingest_, *server->reference_,
                                                     *server->photos_, *server->executor_, *server->streams_);
  server->admin_rpc_ = std::make_unique<rpc::AdminRpc>(
      *server->accounts_, *server->reference_, server->storage_->records(), *server->executor_);

  server->query_rpc_ =
      std::make_unique<rpc::QueryRpc>(*server->accounts_, *server->queries_, *server->photos_,
                                      *server->executor_, *server->streams_);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  if (!options.grpc_listen.empty()) {
    builder.AddListeningPort(options.grpc_listen, credentials,
                             &server->port_);
  }
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_streams_per_connection);
  auto millis = [](absl::Duration d) { return static_cast<int>(absl::ToInt64Milliseconds(d)); };
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, millis(options.max_connection_age));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, millis(options.connection_age_grace));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, millis(options.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, millis(options.keepalive_timeout));
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
  server->grpc_server_->GetHealthCheckService()->SetServingStatus(true);
  return server;
}

RunningServer::~RunningServer() { Shutdown(); }

void RunningServer::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (grpc_server_ != nullptr) {
    grpc_server_->GetHealthCheckService()->SetServingStatus(false);
    grpc_server_->Shutdown(std::chrono::system_clock::now() +
                           absl::ToChronoMilliseconds(options_.shutdown_grace));
    grpc_server_->Wait();
  }
  if (executor_ != nullptr) executor_->Shutdown();
  grpc_server_.reset();
  sync_rpc_.reset();
  admin_rpc_.reset();
  query_rpc_.reset();
  streams_.reset();
  executor_.reset();
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
