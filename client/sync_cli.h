// `pantau login | pull | sync | status | requeue | records | list`: the laptop and its link to the server —
// binding it to an account, moving records and reference data, and what is waiting or refused.
// Thread-safety: single-threaded (one CLI run).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "client/cli_session.h"

namespace pantau::client {

class SyncCommands {
 public:
  // Adds the commands to `app`.
  explicit SyncCommands(CLI::App& app);
  bool parsed() const {
    return login_->parsed() || pull_->parsed() || sync_->parsed() || list_->parsed() || status_->parsed() ||
           requeue_->parsed() || records_->parsed();
  }
  // Runs the parsed command on the laptop `home` opened in `s`; returns the exit code.
  int Run(Session& s, const std::string& home, absl::Time now);

 private:
  CLI::App* login_;
  CLI::App* pull_;
  CLI::App* sync_;
  CLI::App* list_;
  CLI::App* status_;
  CLI::App* requeue_;
  CLI::App* records_;
  std::string records_day_, records_kind_, records_market_, records_format_ = "table";
  std::string server_, token_file_, description_, ca_file_;
  bool json_ = false, attention_ = false;
  int answer_timeout_seconds_ = 30;
  int retry_for_seconds_ = 180;
  std::string list_kind_, list_text_, list_format_ = "table";
  std::vector<std::string> requeue_ids_;
  bool requeue_all_ = false;
  std::string requeue_delivered_since_;
};

}  // namespace pantau::client
