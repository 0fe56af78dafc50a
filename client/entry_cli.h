// `pantau price | audit | followup | uttp | correct | void | photo | export | import`: what an
// inspector records on the laptop, over the entry layer both faces share (client/entry.h,
// audit_entry.h, uttp_check.h, laptop.h's CheckAndSave) — the app (`pantau ui`) calls the same.
// Thread-safety: single-threaded (one CLI run).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "client/cli_session.h"
#include "client/entry.h"
#include "pantau/v1/records.pb.h"

namespace pantau::client {

class EntryCommands {
 public:
  // Adds the commands to `app`.
  explicit EntryCommands(CLI::App& app);
  // `uttp check`: needs no laptop, no account.
  bool offline_parsed() const { return uttp_check->parsed(); }
  int RunOffline(Session& s, std::istream& in);
  bool parsed() const;
  // Runs the parsed command on the laptop `home` opened in `s`; returns the exit code.
  int Run(Session& s, std::istream& in, absl::Time now, const std::string& home);

 private:
  CLI::App* price_cmd = nullptr;
  CLI::App* price_add = nullptr;
  CLI::App* audit_cmd = nullptr;
  CLI::App* audit_add = nullptr;
  CLI::App* follow_cmd = nullptr;
  CLI::App* follow_add = nullptr;
  CLI::App* uttp_cmd = nullptr;
  CLI::App* uttp_add = nullptr;
  CLI::App* uttp_check = nullptr;
  CLI::App* correct = nullptr;
  CLI::App* void_cmd = nullptr;
  CLI::App* photo_cmd = nullptr;
  CLI::App* photo_add = nullptr;
  CLI::App* photo_get = nullptr;
  CLI::App* export_cmd = nullptr;
  CLI::App* import = nullptr;
  CLI::App* import_prices = nullptr;
  PriceInput price;
  std::string at, pack_spec;
  std::string price_text;
  std::string outlet, checklist_version, json_file;
  bool interactive = false;
  v1::FollowUp follow;
  std::string audit_id, finding, action, actor, action_date, due_date, follow_status = "open";
  std::string instrument, kind, accuracy_class, certificate;
  int64_t max_mg = 0, min_mg = 0, e_mg = 0, d_mg = 0;
  int64_t zero_changepoint_mg = -1, mmq_ml = 0;
  std::string uttp_input;
  bool confirm_batal = false;
  std::string target, reason;
  std::string new_price_text;
  std::string new_trader, new_market, new_commodity;
  std::string photo_file, photo_sha;
  std::string csv_file;
  std::string export_from, export_to, out_file;
  std::vector<std::string> export_kinds;
  std::vector<std::string> pack;
  std::vector<std::string> answers, findings;
  std::vector<std::string> not_checked;
  std::vector<std::string> points, runs, seals;
  std::vector<std::string> ranges, eccentricity, repeatability;
};

}  // namespace pantau::client
