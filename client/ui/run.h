// `pantau ui`: the app on loopback until Ctrl-C. Thread-safety: call once, from the main thread.
#pragma once

#include <iosfwd>
#include <string>

namespace pantau::client::ui {

struct RunOptions {
  std::string home;
  std::string listen = "127.0.0.1:0";
  bool open_browser = true;
  // A file the URL is written to as well (for scripts and tests), mode 0600; "" for none.
  std::string url_file;
  // How often the page sends on its own (0: never), backing off after failures.
  int auto_sync_seconds = 60;
};

// Serves the app at the laptop `home` until SIGINT or SIGTERM; prints the URL (with its launch
// secret) on `out` and opens it with xdg-open unless told not to. Exit code: 0 after a clean stop,
// 1 when it could not start (the reason on `err`).
int RunUi(const RunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace pantau::client::ui
