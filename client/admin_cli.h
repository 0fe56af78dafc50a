// `pantau admin ...`: accounts, tokens, scopes, dashboard passwords, the audit log and the reference data of a running
// server, through AdminService with an admin token. Thread-safety: single-threaded (one CLI run).
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "pantau/v1/admin_service.grpc.pb.h"

namespace pantau::client {

struct AdminFlags {
  std::string name, role, expires, kecamatan, bidang, token_file;
  std::string folder;  // admin reference export --out / apply DIR
  bool dry_run = false;
  std::string format = "table";
  uint64_t after = 0;
  uint32_t limit = 0;
};

// Where `pantau admin password` reads the password: `in`, asked twice without echo when
// `terminal`, else its first line.
struct AdminInput {
  std::istream& in;
  bool terminal = false;
};

class AdminCommands {
 public:
  // Adds `admin` and its subcommands to `app`, filling `flags`.
  AdminCommands(CLI::App& app, AdminFlags& flags);
  bool parsed() const { return admin_->parsed(); }
  // Runs the parsed subcommand against `stub` with `token`; expiry days and times are local to
  // `zone` (the deployment's). Output for people and programs on `out`; the new token goes to
  // --token-file (mode 0600) or `out`, never anywhere else.
  absl::Status Run(v1::AdminService::StubInterface& stub, const std::string& token, absl::TimeZone zone,
                   AdminInput input, std::ostream& out, std::ostream& err) const;

 private:
  const AdminFlags& flags_;
  CLI::App* admin_;
  CLI::App* list_;
  CLI::App* add_;
  CLI::App* revoke_;
  CLI::App* rotate_;
  CLI::App* scope_;
  CLI::App* password_;
  CLI::App* audit_;
  CLI::App* reference_export_;
  CLI::App* reference_apply_;
};

}  // namespace pantau::client
