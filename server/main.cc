// pantau-server: the dinas server. Subcommands parse flags and call into the library; this file
// holds no logic beyond wiring, and only main() decides to exit.
#include <signal.h>
#include <sys/stat.h>

#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "absl/strings/str_split.h"
#include "common/prompt.h"
#include "common/dates.h"
#include "common/record_kinds.h"
#include "common/scope.h"
#include "common/status_macros.h"
#include "common/str_cat.h"
#include "common/text.h"
#include "server/config.h"
#include "server/reference_import.h"
#include "server/rpc/admin_rpc.h"
#include "server/running_server.h"
#include "server/service/account_service.h"
#include "server/service/log.h"
#include "server/storage/rocks_storage.h"

namespace pantau::server {
namespace {

// The running server's Unix socket, in its data directory (mode 0600).
constexpr const char* kLocalSocket = "admin.sock";

int Fail(const absl::Status& status) {
  std::cerr << "pantau-server: " << status.message() << "\n";
  return status.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot be opened"));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes `text` to `path` atomically (temporary file, fsync-free rename), with `mode`.
absl::Status WriteFileAtomically(const std::string& path, const std::string& text, mode_t mode) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return absl::UnavailableError(StrCat(tmp, ": cannot be written"));
    out << text;
    if (!out.good()) return absl::UnavailableError(StrCat(tmp, ": cannot be written"));
  }
  if (chmod(tmp.c_str(), mode) != 0) return absl::UnavailableError(StrCat(tmp, ": chmod failed"));
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return absl::UnavailableError(StrCat(path, ": ", ec.message()));
  return absl::OkStatus();
}

// How a tool opens the data directory.
enum class Opening {
  kAsStored,   // read-write, roll-ups in the zone they were built in (reference and account tools)
  kReadOnly,   // while the server may be stopped or not: nothing written
  kServing,    // roll-ups in the deployment's time zone; refused if they were counted in another
  kRebuilding  // roll-ups about to be recounted in the deployment's time zone
};

// The deployment's time zone, as the reference data in `store` names it.
absl::StatusOr<absl::TimeZone> DeploymentZone(storage::Storage& store) {
  service::SystemClock clock;
  PANTAU_ASSIGN_OR_RETURN(auto reference, service::ReferenceService::Create(store.reference(), clock));
  return reference->catalog()->TimeZone();
}

absl::StatusOr<std::unique_ptr<storage::Storage>> OpenStore(const std::string& data_dir,
                                                            Opening opening = Opening::kAsStored) {
  if (data_dir.empty()) return absl::InvalidArgumentError("--data-dir is required");
  const bool read_only = opening == Opening::kReadOnly;
  std::error_code ec;
  if (!read_only) std::filesystem::create_directories(data_dir, ec);
  storage::RocksOptions options;
  options.path = data_dir;
  options.read_only = read_only;
  PANTAU_ASSIGN_OR_RETURN(auto store, storage::OpenRocksStorage(options));
  if (opening != Opening::kServing && opening != Opening::kRebuilding) return store;
  // The deployment (reference data in the same store) says which zone the roll-ups count days in.
  PANTAU_ASSIGN_OR_RETURN(const absl::TimeZone zone, DeploymentZone(*store));
  if (zone == store->records().zone() && opening == Opening::kServing) return store;
  store.reset();
  options.zone = zone;
  options.rebuilding_rollups = opening == Opening::kRebuilding;
  return storage::OpenRocksStorage(options);
}

int Serve(ServeConfig config, const std::string& config_file, const std::string& port_file,
          const std::string& http_port_file) {
  if (!config_file.empty()) {
    auto text = ReadFile(config_file);
    if (!text.ok()) return Fail(text.status());
    // Flags given on the command line win over the file: apply the file under them.
    ServeConfig flags = config;
    auto parsed = ParseServeConfig(*text, ServeConfig{});
    if (!parsed.ok()) return Fail(absl::InvalidArgumentError(StrCat(config_file, ": ", parsed.status().message())));
    config = *parsed;
    if (!flags.data_dir.empty()) config.data_dir = flags.data_dir;
    if (!flags.server.grpc_listen.empty()) config.server.grpc_listen = flags.server.grpc_listen;
    if (!flags.server.tls_cert_file.empty()) config.server.tls_cert_file = flags.server.tls_cert_file;
    if (!flags.server.tls_key_file.empty()) config.server.tls_key_file = flags.server.tls_key_file;
    config.server.insecure_plaintext_anywhere |= flags.server.insecure_plaintext_anywhere;
    if (!flags.server.http_listen.empty()) config.server.http_listen = flags.server.http_listen;
    if (!flags.server.backup_dir.empty()) config.server.backup_dir = flags.server.backup_dir;
    if (flags.server.backup_every > absl::ZeroDuration()) config.server.backup_every = flags.server.backup_every;
    if (flags.server.backup_keep != ServerOptions{}.backup_keep) config.server.backup_keep = flags.server.backup_keep;
    if (flags.log_level != ServeConfig{}.log_level) config.log_level = flags.log_level;
  }
  if (config.server.grpc_listen.empty()) config.server.grpc_listen = "127.0.0.1:50051";
  if (!service::log::SetLevel(config.log_level)) {
    return Fail(absl::InvalidArgumentError("--log-level must be debug, info, warning or error"));
  }
  if (config.server.backup_every > absl::ZeroDuration() && config.server.backup_dir.empty()) {
    return Fail(absl::InvalidArgumentError("--backup-every-hours needs --backup-dir, the folder the backups go to"));
  }

  // SIGINT and SIGTERM are taken synchronously below; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto store = OpenStore(config.data_dir, Opening::kServing);
  if (!store.ok()) return Fail(store.status());
  // `pantau-server backup --data-dir` reaches the running server through this socket.
  const std::string socket_path = (std::filesystem::path(config.data_dir) / kLocalSocket).string();
  if (socket_path.size() < 100) {
    config.server.local_socket = socket_path;
  } else {
    service::log::Warn("server.no_local_socket", {{"path", socket_path}, {"reason", "too long for a Unix socket"}});
  }
  auto server = RunningServer::Start(config.server, *std::move(store));
  if (!server.ok()) return Fail(server.status());
  const std::string host = config.server.grpc_listen.substr(0, config.server.grpc_listen.rfind(':'));
  const bool tls = !config.server.tls_cert_file.empty();
  nlohmann::ordered_json serving = {{"grpc", StrCat(host, ":", (*server)->grpc_port())}, {"tls", tls}, {"data_dir", config.data_dir}};
  if ((*server)->http_port() != 0) {
    const std::string& h = config.server.http_listen;
    serving["http"] = StrCat(tls ? "https://" : "http://", h.substr(0, h.rfind(':')), ":", (*server)->http_port());
  }
  service::log::Info("server.serving", serving);
  if (!port_file.empty()) {
    absl::Status written = WriteFileAtomically(port_file, StrCat((*server)->grpc_port(), "\n"), 0644);
    if (!written.ok()) return Fail(written);
  }
  if (!http_port_file.empty()) {
    absl::Status written = WriteFileAtomically(http_port_file, StrCat((*server)->http_port(), "\n"), 0644);
    if (!written.ok()) return Fail(written);
  }
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  service::log::Info("server.stopping", {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"},
                                         {"detail", "finishing in-flight pushes and closing"}});
  (*server)->Shutdown();
  service::log::Info("server.stopped", {{"detail", "stopped cleanly"}});
  return 0;
}

// The account tools work on a stopped server's data directory, as the local admin.
struct OfflineAccounts {
  std::unique_ptr<storage::Storage> store;
  service::SystemClock clock;
  std::unique_ptr<service::ReferenceService> reference;
  std::unique_ptr<service::AccountService> accounts;
  absl::TimeZone zone;  // the deployment's: expiry days and times printed
};

const service::Actor kLocalAdmin{"pantau-server", "local"};

absl::StatusOr<std::unique_ptr<OfflineAccounts>> OpenAccounts(const std::string& data_dir) {
  auto out = std::make_unique<OfflineAccounts>();
  PANTAU_ASSIGN_OR_RETURN(out->store, OpenStore(data_dir));
  PANTAU_ASSIGN_OR_RETURN(out->reference, service::ReferenceService::Create(out->store->reference(), out->clock));
  out->accounts = std::make_unique<service::AccountService>(out->store->accounts(), out->store->audit(),
                                                            *out->reference, out->clock);
  out->zone = out->reference->catalog()->TimeZone();
  return out;
}

int PrintToken(const std::string& what, const std::string& token, const std::string& token_file) {
  if (!token_file.empty()) {
    absl::Status written = WriteFileAtomically(token_file, token + "\n", 0600);
    if (!written.ok()) return Fail(written);
    std::cerr << "pantau-server: " << what << "; the token is in " << token_file << " (readable by you only)\n";
  } else {
    std::cerr << "pantau-server: " << what << "; the token is below and is never shown again\n";
    std::cout << token << "\n";
  }
  return 0;
}

struct AccountFlags {
  std::string name, role, token_file, expires, kecamatan, bidang;
  bool password_prompt = false;
};

// A new dashboard password: asked twice on a terminal, else the first line of standard input.
absl::StatusOr<std::string> NewPassword(const std::string& name) {
  auto password = common::ReadNewPassword(name, std::cin, std::cerr, common::StdinIsTerminal());
  if (!password.ok()) return password.status();
  PANTAU_RETURN_IF_ERROR(service::AccountService::PasswordProblem(name, *password));
  return password;
}

int AddAccount(const std::string& data_dir, const AccountFlags& f) {
  auto role = service::RoleFromName(f.role);
  if (!role) return Fail(absl::InvalidArgumentError("--role must be inspector, supervisor, admin or monitor (metrics only)"));
  auto tools = OpenAccounts(data_dir);
  if (!tools.ok()) return Fail(tools.status());
  auto expiry = common::ExpiryAfterLocalDay(f.expires, (*tools)->zone);
  if (!expiry.ok()) return Fail(expiry.status());
  std::optional<std::string> password;
  if (f.password_prompt) {  // asked before anything is created, so a refused one changes nothing
    auto typed = NewPassword(f.name);
    if (!typed.ok()) return Fail(typed.status());
    password = *std::move(typed);
  }
  auto created = (*tools)->accounts->Create(f.name, *role, *expiry, common::ScopeFromLists(f.kecamatan, f.bidang), kLocalAdmin);
  if (!created.ok()) return Fail(created.status());
  if (password) {
    auto set = (*tools)->accounts->SetPassword(f.name, *password, kLocalAdmin);
    if (!set.ok()) return Fail(set.status());
  }
  return PrintToken(StrCat("account \"", f.name, "\" (", f.role, ") created", password ? " with a dashboard password" : ""),
                    created->token, f.token_file);
}

int SetPassword(const std::string& data_dir, const std::string& name) {
  auto tools = OpenAccounts(data_dir);
  if (!tools.ok()) return Fail(tools.status());
  auto password = NewPassword(name);
  if (!password.ok()) return Fail(password.status());
  auto set = (*tools)->accounts->SetPassword(name, *password, kLocalAdmin);
  if (!set.ok()) return Fail(set.status());
  std::cerr << "pantau-server: account \"" << name << "\" has a new dashboard password\n";
  return 0;
}

int RotateToken(const std::string& data_dir, const AccountFlags& f) {
  auto tools = OpenAccounts(data_dir);
  if (!tools.ok()) return Fail(tools.status());
  auto expiry = common::ExpiryAfterLocalDay(f.expires, (*tools)->zone);
  if (!expiry.ok()) return Fail(expiry.status());
  auto rotated = (*tools)->accounts->Rotate(f.name, *expiry, kLocalAdmin);
  if (!rotated.ok()) return Fail(rotated.status());
  return PrintToken(StrCat("account \"", f.name, "\" has a new token; the old one is refused"), rotated->token,
                    f.token_file);
}

int RevokeAccount(const std::string& data_dir, const std::string& name) {
  auto tools = OpenAccounts(data_dir);
  if (!tools.ok()) return Fail(tools.status());
  auto revoked = (*tools)->accounts->Revoke(name, kLocalAdmin);
  if (!revoked.ok()) return Fail(revoked.status());
  std::cerr << "pantau-server: account \"" << name << "\" revoked; its token is refused from now on\n";
  return 0;
}

int ScopeAccount(const std::string& data_dir, const AccountFlags& f) {
  auto tools = OpenAccounts(data_dir);
  if (!tools.ok()) return Fail(tools.status());
  auto changed = (*tools)->accounts->SetScope(f.name, common::ScopeFromLists(f.kecamatan, f.bidang), kLocalAdmin);
  if (!changed.ok()) return Fail(changed.status());
  std::cerr << "pantau-server: account \"" << f.name << "\" scope changed\n";
  return 0;
}

int ListAccounts(const std::string& data_dir) {
  auto tools = OpenAccounts(data_dir);
  if (!tools.ok()) return Fail(tools.status());
  auto list = (*tools)->accounts->List();
  if (!list.ok()) return Fail(list.status());
  for (const auto& a : *list) {
    std::cout << a.name() << "\t" << service::RoleName(a.role()) << (a.disabled() ? "\trevoked" : "\tactive");
    if (a.has_expires_at()) {
      std::cout << "\texpires " << common::FormatLocalMinute(common::FromTimestamp(a.expires_at()), (*tools)->zone);
    }
    if (a.scope().kecamatan_codes_size() > 0) std::cout << "\tkecamatan " << StrJoin(a.scope().kecamatan_codes(), ",");
    if (a.scope().bidang_size() > 0) std::cout << "\tbidang " << StrJoin(a.scope().bidang(), ",");
    std::cout << "\n";
  }
  return 0;
}

int AuditLog(const std::string& data_dir) {
  auto store = OpenStore(data_dir, Opening::kReadOnly);
  if (!store.ok()) return Fail(store.status());
  auto zone = DeploymentZone(**store);
  if (!zone.ok()) return Fail(zone.status());
  uint64_t after = 0;
  while (true) {
    auto page = (*store)->audit().Scan(after, 1000);
    if (!page.ok()) return Fail(page.status());
    if (page->empty()) break;
    for (const auto& e : *page) {
      std::cout << e.sequence() << "\t"
                << common::FormatLocalMinute(common::FromTimestamp(e.at()), *zone)
                << "\t" << (e.actor().empty() ? "-" : e.actor()) << "\t" << e.peer() << "\t" << e.action()
                << "\t" << e.target() << "\t" << e.outcome() << "\t" << e.detail() << "\n";
      after = e.sequence();
    }
  }
  return 0;
}

int ImportReference(const std::string& data_dir, const std::string& folder) {
  auto store = OpenStore(data_dir);
  if (!store.ok()) return Fail(store.status());
  service::SystemClock clock;
  auto reference = service::ReferenceService::Create((*store)->reference(), clock);
  if (!reference.ok()) return Fail(reference.status());
  auto summary = ImportReferenceFolder(folder, **reference);
  if (!summary.ok()) return Fail(summary.status());
  std::cerr << "pantau-server: read " << summary->entities << " entities from "
            << summary->files.size() << " files; " << summary->changed
            << " new or changed; reference data now at change " << summary->last_sequence << "\n";
  const absl::TimeZone zone = (*reference)->catalog()->TimeZone();
  auto counts = service::CountRecords((*store)->records());
  if (!counts.ok()) return Fail(counts.status());
  if (zone != (*store)->records().zone() && counts->total() > 0) {
    std::cerr << "pantau-server: the deployment's time zone is now " << common::ZoneName(zone)
              << "; the roll-ups count days in " << common::ZoneName((*store)->records().zone())
              << ": run `pantau-server rebuild-rollups --data-dir " << data_dir
              << "` before serving (the server refuses to start until then)\n";
  }
  return 0;
}

int RebuildRollups(const std::string& data_dir) {
  auto store = OpenStore(data_dir, Opening::kRebuilding);
  if (!store.ok()) return Fail(store.status());
  absl::Status rebuilt = (*store)->records().RebuildRollups();
  if (!rebuilt.ok()) return Fail(rebuilt);
  size_t cells = 0;
  (void)(*store)->records().ScanRollups(std::string(1, '\0'), std::string(1, '\xff'),
                                        [&](std::string_view, const pantau::v1::RollupCell&) {
                                          ++cells;
                                          return true;
                                        });  // only for the message
  std::cerr << "pantau-server: roll-ups rebuilt from the records: " << cells << " cells\n";
  return 0;
}

int Stats(const std::string& data_dir, bool json) {
  auto store = OpenStore(data_dir, Opening::kReadOnly);
  if (!store.ok()) return Fail(store.status());
  auto counts = service::CountRecords((*store)->records());
  if (!counts.ok()) return Fail(counts.status());
  auto sequence = (*store)->reference().LastSequence();
  if (!sequence.ok()) return Fail(sequence.status());
  auto accounts = (*store)->accounts().List();
  if (!accounts.ok()) return Fail(accounts.status());
  if (json) {
    nlohmann::ordered_json out;
    out["data_dir"] = data_dir;
    nlohmann::ordered_json records = nlohmann::ordered_json::object();
    for (const auto& c : counts->counts()) records[c.kind()] = c.count();
    out["records"] = records;
    out["total_records"] = counts->total();
    out["reference_sequence"] = *sequence;
    out["accounts"] = accounts->size();
    std::cout << out.dump(2) << "\n";
  } else {
    for (const auto& c : counts->counts()) std::cout << c.kind() << "\t" << c.count() << "\n";
    std::cout << "total\t" << counts->total() << "\n";
    std::cout << "reference_sequence\t" << *sequence << "\n";
    std::cout << "accounts\t" << accounts->size() << "\n";
  }
  return 0;
}

// Asks the running server for a backup (AdminService.CreateBackup) on `channel`.
int BackupByServer(const std::shared_ptr<grpc::Channel>& channel, const std::string& token, const std::string& where,
                   const std::string& to, int keep) {
  auto stub = v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::hours(6));
  v1::CreateBackupRequest request;
  request.set_backup_dir(to.empty() ? "" : std::filesystem::absolute(to).string());
  request.set_keep(keep);
  v1::CreateBackupResponse response;
  grpc::Status status = stub->CreateBackup(&context, request, &response);
  if (!status.ok()) {
    return Fail(absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                             StrCat("the server at ", where, " did not back up: ", status.error_message())));
  }
  std::cerr << "pantau-server: backup " << response.backup_id() << " made by the running server in "
            << response.backup_dir() << " (" << response.bytes() << " bytes, " << response.files() << " files)\n";
  return 0;
}

// A backup: by the running server (over its Unix socket in the data directory, or with an admin
// token over the network) or, with the server stopped, by this process on the data directory.
int Backup(const std::string& data_dir, const std::string& to, int keep, const std::string& server_address,
           const std::string& token_file, const std::string& ca_file) {
  if (token_file.empty() && !data_dir.empty()) {
    const std::string socket_path = (std::filesystem::path(data_dir) / kLocalSocket).string();
    if (std::filesystem::exists(socket_path)) {
      auto channel = grpc::CreateChannel("unix:" + socket_path, grpc::InsecureChannelCredentials());
      // A socket left by a server that died answers nothing: then the store is free (below).
      if (channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5))) {
        return BackupByServer(channel, "", socket_path, to, keep);
      }
    }
  }
  if (!token_file.empty()) {
    auto token = ReadFile(token_file);
    if (!token.ok()) return Fail(token.status());
    std::string t = *token;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
    std::shared_ptr<grpc::ChannelCredentials> credentials;
    if (!ca_file.empty()) {
      auto ca = ReadFile(ca_file);
      if (!ca.ok()) return Fail(ca.status());
      grpc::SslCredentialsOptions ssl;
      ssl.pem_root_certs = *ca;
      credentials = grpc::SslCredentials(ssl);
    } else if (IsLoopbackListenAddress(server_address)) {
      credentials = grpc::InsecureChannelCredentials();
    } else {
      return Fail(absl::FailedPreconditionError(
          StrCat("refusing to send a token in plaintext to ", server_address, ": give --ca-file")));
    }
    return BackupByServer(grpc::CreateChannel(server_address, credentials), t, server_address, to, keep);
  }
  if (to.empty()) return Fail(absl::InvalidArgumentError("--to is required"));
  auto store = OpenStore(data_dir);
  if (!store.ok()) {
    return Fail(absl::Status(store.status().code(),
                             StrCat(store.status().message(),
                                    "\n(is the server running? then it makes the backup itself when reached: run "
                                    "this as the server's user, or give --server and --token-file with an admin token)")));
  }
  auto made = (*store)->Backup(to, keep > 0 ? keep : 0);
  if (!made.ok()) return Fail(made.status());
  std::cerr << "pantau-server: backup " << made->id << " of " << data_dir << " in " << to << " (" << made->bytes
            << " bytes, " << made->files << " files)\n";
  return 0;
}

int VerifyBackups(const std::string& from, uint32_t id) {
  auto list = storage::ListBackups(from);
  if (!list.ok()) return Fail(list.status());
  if (list->empty()) return Fail(absl::NotFoundError(StrCat(from, " holds no backup")));
  int damaged = 0, checked = 0;
  for (const auto& b : *list) {
    if (id != 0 && b.id != id) continue;
    ++checked;
    absl::Status verified = storage::VerifyBackup(from, b.id);
    std::cout << b.id << "\t" << absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", b.created, absl::UTCTimeZone()) << "\t"
              << b.bytes << " bytes\t" << b.files << " files\t" << (verified.ok() ? "ok" : verified.message())
              << "\n";
    damaged += !verified.ok();
  }
  if (checked == 0) return Fail(absl::NotFoundError(StrCat(from, " has no backup ", id)));
  if (damaged > 0) {
    std::cerr << "pantau-server: " << damaged << " of " << checked << " backups are damaged\n";
    return 1;
  }
  std::cerr << "pantau-server: " << checked << " backup(s) verified: every file has its size and checksum\n";
  return 0;
}

int Restore(const std::string& from, uint32_t id, const std::string& data_dir) {
  if (data_dir.empty()) return Fail(absl::InvalidArgumentError("--data-dir is required"));
  auto restored = storage::RestoreBackup(from, id, data_dir);
  if (!restored.ok()) return Fail(restored.status());
  // Open it once: the restored store must be one this build reads.
  auto store = OpenStore(data_dir, Opening::kReadOnly);
  if (!store.ok()) return Fail(store.status());
  auto counts = service::CountRecords((*store)->records());
  if (!counts.ok()) return Fail(counts.status());
  std::cerr << "pantau-server: backup " << restored->id << " of "
            << absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", restored->created, absl::UTCTimeZone()) << " restored into "
            << data_dir << ": " << counts->total() << " records; start the server with --data-dir " << data_dir
            << "\n";
  return 0;
}

}  // namespace
}  // namespace pantau::server

int main(int argc, char** argv) {
  using namespace pantau::server;
  CLI::App app{"pantau-server: the Pantau server of the dinas"};
  app.require_subcommand(1);

  ServeConfig serve_config;
  std::string config_file, port_file;
  auto* serve = app.add_subcommand("serve", "run the gRPC server until SIGINT/SIGTERM");
  serve->add_option("--data-dir", serve_config.data_dir, "data directory (RocksDB)");
  serve->add_option("--grpc-listen", serve_config.server.grpc_listen,
                    "HOST:PORT, loopback only without TLS (default 127.0.0.1:50051; port 0 = any)");
  serve->add_option("--config", config_file, "TOML settings file; flags override it");
  serve->add_option("--port-file", port_file, "write the bound port here once serving");
  serve->add_option("--tls-cert", serve_config.server.tls_cert_file, "PEM certificate (chain) of the server: serve TLS");
  serve->add_option("--tls-key", serve_config.server.tls_key_file, "PEM private key of the server");
  serve->add_flag("--insecure-plaintext-anywhere", serve_config.server.insecure_plaintext_anywhere,
                  "allow plaintext on a non-loopback address (tests on a closed network only)");
  std::string http_port_file;
  int backup_every_hours = 0;
  serve->add_option("--http-listen", serve_config.server.http_listen,
                    "HOST:PORT of the HTTP side (health, metrics, JSON API); loopback only without TLS");
  serve->add_option("--http-port-file", http_port_file, "write the bound HTTP port here once serving");
  serve->add_option("--backup-dir", serve_config.server.backup_dir, "folder of the scheduled backups");
  serve->add_option("--backup-every-hours", backup_every_hours, "make a backup this often (0: no schedule)");
  serve->add_option("--backup-keep", serve_config.server.backup_keep, "keep this many newest backups (default 7)");
  serve->add_option("--log-level", serve_config.log_level, "debug, info (default), warning or error");

  std::string data_dir, folder;
  AccountFlags account;
  bool json = false;
  auto* accounts = app.add_subcommand("accounts", "manage accounts (server stopped; running: pantau admin)");
  accounts->require_subcommand(1);
  auto* add = accounts->add_subcommand("add", "create an account and print its token once");
  add->add_option("--data-dir", data_dir, "data directory")->required();
  add->add_option("--name", account.name, "account name (a-z, 0-9, . _ -)")->required();
  add->add_option("--role", account.role, "inspector, supervisor, admin or monitor (metrics only)")->required();
  add->add_option("--token-file", account.token_file, "write the token to this file (mode 0600) instead");
  add->add_option("--expires", account.expires, "YYYY-MM-DD: the token works through that day");
  add->add_option("--kecamatan", account.kecamatan, "comma-separated kecamatan codes the account is limited to");
  add->add_option("--bidang", account.bidang, "supervisors: koperasi, perindustrian and/or perdagangan");
  add->add_flag("--password-prompt", account.password_prompt,
                "also a dashboard password: asked twice on a terminal, else read from standard input");
  auto* password = accounts->add_subcommand("password", "set an account's dashboard password (asked, never an argument)");
  password->add_option("--data-dir", data_dir, "data directory")->required();
  password->add_option("name,--name", account.name, "account name")->required();
  auto* revoke = accounts->add_subcommand("revoke", "refuse an account's token from now on");
  revoke->alias("disable");
  revoke->add_option("--data-dir", data_dir, "data directory")->required();
  revoke->add_option("--name", account.name, "account name")->required();
  auto* rotate = accounts->add_subcommand("rotate", "give an account a new token (the old one is refused)");
  rotate->add_option("--data-dir", data_dir, "data directory")->required();
  rotate->add_option("--name", account.name, "account name")->required();
  rotate->add_option("--token-file", account.token_file, "write the token to this file (mode 0600) instead");
  rotate->add_option("--expires", account.expires, "YYYY-MM-DD: the token works through that day");
  auto* scope = accounts->add_subcommand("scope", "set the kecamatan/bidang an account is limited to");
  scope->add_option("--data-dir", data_dir, "data directory")->required();
  scope->add_option("--name", account.name, "account name")->required();
  scope->add_option("--kecamatan", account.kecamatan, "comma-separated kecamatan codes (empty: no limit)");
  scope->add_option("--bidang", account.bidang, "supervisors: koperasi, perindustrian and/or perdagangan");
  auto* list = accounts->add_subcommand("list", "list accounts (never their tokens)");
  list->add_option("--data-dir", data_dir, "data directory")->required();
  auto* audit = app.add_subcommand("audit-log", "print the audit log (admin actions, failed sign-ins)");
  audit->add_option("--data-dir", data_dir, "data directory")->required();

  auto* import = app.add_subcommand("import-reference", "load a reference-data folder of CSV files");
  import->add_option("--data-dir", data_dir, "data directory")->required();
  import->add_option("PATH", folder, "folder with the CSV files")->required();

  auto* rebuild = app.add_subcommand("rebuild-rollups",
                                     "recompute every roll-up from the records (server stopped)");
  rebuild->add_option("--data-dir", data_dir, "data directory")->required();

  std::string backup_to, backup_from, backup_server = "127.0.0.1:50051", backup_token_file, backup_ca_file;
  int backup_keep = 0;
  uint32_t backup_id = 0;
  auto* backup = app.add_subcommand("backup", "back up the store (the running server with --token-file, else offline)");
  backup->add_option("--data-dir", data_dir, "data directory (server stopped)");
  backup->add_option("--to", backup_to, "backup folder (with --token-file: default the server's [backup] dir)");
  backup->add_option("--keep", backup_keep, "then keep only the newest N backups there");
  backup->add_option("--server", backup_server, "the running server (default 127.0.0.1:50051)");
  backup->add_option("--token-file", backup_token_file, "an admin token: the running server makes the backup");
  backup->add_option("--ca-file", backup_ca_file, "CA certificate of a TLS server");
  auto* restore = app.add_subcommand("restore", "restore a backup into a new data directory");
  restore->add_option("--from", backup_from, "backup folder")->required();
  restore->add_option("--data-dir", data_dir, "new, empty data directory")->required();
  restore->add_option("--backup-id", backup_id, "which backup (default the newest)");
  auto* verify = app.add_subcommand("verify-backup", "check every file of the backups against its checksum");
  verify->add_option("--from", backup_from, "backup folder")->required();
  verify->add_option("--backup-id", backup_id, "only this backup (default all)");

  auto* stats = app.add_subcommand("stats", "record counts per kind");
  stats->add_option("--data-dir", data_dir, "data directory")->required();
  stats->add_flag("--json", json, "print JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // a mistake on the command line is input refused (README)
  }
  try {
    if (*serve) {
      serve_config.server.backup_every = absl::Hours(backup_every_hours);
      return Serve(serve_config, config_file, port_file, http_port_file);
    }
    if (*backup) return Backup(data_dir, backup_to, backup_keep, backup_server, backup_token_file, backup_ca_file);
    if (*restore) return Restore(backup_from, backup_id, data_dir);
    if (*verify) return VerifyBackups(backup_from, backup_id);
    if (*add) return AddAccount(data_dir, account);
    if (*list) return ListAccounts(data_dir);
    if (*revoke) return RevokeAccount(data_dir, account.name);
    if (*rotate) return RotateToken(data_dir, account);
    if (*scope) return ScopeAccount(data_dir, account);
    if (*password) return SetPassword(data_dir, account.name);
    if (*audit) return AuditLog(data_dir);
    if (*import) return ImportReference(data_dir, folder);
    if (*stats) return Stats(data_dir, json);
    if (*rebuild) return RebuildRollups(data_dir);
  } catch (const std::exception& e) {
    std::cerr << "pantau-server: internal error: " << e.what() << "\n";
    return 1;
  }
  return 2;
}
