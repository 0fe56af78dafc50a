#include "client/ui/run.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <ostream>

#include "client/record_ids.h"
#include "client/ui/app.h"
#include "client/ui/server.h"
#include "common/str_cat.h"

extern char** environ;

namespace pantau::client::ui {
namespace {

// xdg-open URL, not waited for; false when it could not be started.
bool OpenBrowser(const std::string& url) {
  pid_t pid = 0;
  const char* argv[] = {"xdg-open", url.c_str(), nullptr};
  return posix_spawnp(&pid, "xdg-open", nullptr, nullptr, const_cast<char* const*>(argv), environ) == 0;
}

}  // namespace

int RunUi(const RunOptions& options, std::ostream& out, std::ostream& err) {
  const std::string secret = RandomHex(24);
  if (secret.empty()) {
    err << "pantau: ui: no random source for the launch secret\n";
    return 1;
  }
  // SIGINT and SIGTERM are taken synchronously below; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  RealSleeper sleeper;
  auto app = App::Open(options.home, secret, sleeper);
  if (!app.ok()) {
    err << "pantau: ui: " << app.status().message() << "\n";
    return 1;
  }
  (*app)->set_auto_sync_every(absl::Seconds(options.auto_sync_seconds));
  auto server = Server::Start(options.listen, **app);
  if (!server.ok()) {
    err << "pantau: ui: " << server.status().message() << "\n";
    return 1;
  }
  const std::string url = StrCat("http://127.0.0.1:", (*server)->port(), (*app)->EntryPath());
  if (!options.url_file.empty()) {
    const std::string tmp = options.url_file + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const std::string line = url + "\n";
    const bool written = fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                         ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (!written || ::rename(tmp.c_str(), options.url_file.c_str()) != 0) {
      err << "pantau: ui: cannot write " << options.url_file << "\n";
      return 1;
    }
  }
  out << "Pantau is open at " << url << "\n"
      << "(this link is for this laptop's browser only; Ctrl-C stops the app)\n"
      << std::flush;
  if (options.open_browser && !OpenBrowser(url)) {
    err << "pantau: ui: could not start a browser (xdg-open); open the link above yourself\n";
  }
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  (*server)->Shutdown();
  out << "Pantau stopped; everything saved stays on this laptop\n";
  return 0;
}

}  // namespace pantau::client::ui
