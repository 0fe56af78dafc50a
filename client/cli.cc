#include "client/cli.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <string>

#include "client/admin_cli.h"
#include "common/prompt.h"
#include "client/cli_session.h"
#include "client/entry_cli.h"
#include "client/laptop.h"
#include "client/report_cli.h"
#include "client/sync_cli.h"
#include "client/ui/run.h"
#include "pantau/v1/admin_service.grpc.pb.h"

namespace pantau::client {
namespace {

std::string DefaultHome() {
  if (const char* home = std::getenv("PANTAU_HOME"); home != nullptr && *home != '\0') return home;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/pantau";
  }
  const char* user_home = std::getenv("HOME");
  return std::string(user_home != nullptr ? user_home : ".") + "/.local/share/pantau";
}

}  // namespace

int RunCli(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err) {
  CLI::App app{"pantau: record field observations offline and sync them to the dinas server"};
  app.require_subcommand(1);
  std::string home = DefaultHome();
  app.add_option("--home", home, "home folder (default $PANTAU_HOME or ~/.local/share/pantau)");

  // login, pull, sync, status, requeue, list (client/sync_cli.cc)
  SyncCommands link_commands(app);
  ui::RunOptions ui_options;
  bool ui_no_browser = false;
  auto* ui_cmd = app.add_subcommand("ui", "the inspector's app in the browser, on this laptop (offline)");
  ui_cmd->add_option("--listen", ui_options.listen, "127.0.0.1:PORT (default: a free port)");
  ui_cmd->add_flag("--no-browser", ui_no_browser, "print the link only; do not open a browser");
  ui_cmd->add_option("--url-file", ui_options.url_file, "also write the link to this file (mode 0600)");
  ui_cmd->add_option("--auto-sync", ui_options.auto_sync_seconds,
                     "send on its own every SECONDS while the page is open and no form is half filled (0: never; "
                     "default 60), waiting longer after each failure")
      ->check(CLI::Range(0, 86400));

  // report ...: supervisor reads (client/report_cli.cc)
  ReportCommands reports(app);
  // price, audit, followup, uttp, correct, void, photo, export, import (client/entry_cli.cc)
  EntryCommands entry(app);

  AdminFlags admin_flags;
  AdminCommands admin(app, admin_flags);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are 0; any mistake on the command line is input refused (2), never one
    // of CLI11's own codes: the README documents 0, 1, 2 and 3.
    return app.exit(e, out, err) == 0 ? kOk : kRefused;
  }

  Session s{nullptr, {}, out, err, {}, {}};
  if (entry.offline_parsed()) return entry.RunOffline(s, in);
  if (*ui_cmd) {  // the app holds the laptop's store itself
    ui_options.home = home;
    ui_options.open_browser = !ui_no_browser;
    return ui::RunUi(ui_options, out, err);
  }
  if (int rc = OpenSession(home, s); rc != kOk) return rc;
  const absl::Time now = absl::Now();
  if (link_commands.parsed()) return link_commands.Run(s, home, now);

  if (reports.parsed()) {
    absl::Status done = reports.Run(ReportContext{s.settings, s.catalog, s.policy.display_zone, home, now}, out, err);
    return done.ok() ? kOk : s.Fail(done);
  }

  if (admin.parsed()) {
    auto token = ReadToken(s.settings);
    if (!token.ok()) return s.Fail(token.status());
    auto channel = Channel(s.settings.server, s.settings.ca_file);
    if (!channel.ok()) return s.Fail(channel.status());
    auto stub = v1::AdminService::NewStub(*channel);
    const bool terminal = &in == &std::cin && common::StdinIsTerminal();  // a password is asked for, or piped
    if (absl::Status done = admin.Run(*stub, *token, s.policy.display_zone, AdminInput{in, terminal}, out, err); !done.ok()) {
      return s.Fail(done, "admin");
    }
    return kOk;
  }

  if (entry.parsed()) return entry.Run(s, in, now, home);
  return kFailed;
}

}  // namespace pantau::client
