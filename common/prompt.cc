#include "common/prompt.h"

#include <termios.h>
#include <unistd.h>

#include <istream>
#include <ostream>

namespace pantau::common {
namespace {

// Echo off on standard input while it lives.
class NoEcho {
 public:
  NoEcho() {
    if (tcgetattr(STDIN_FILENO, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~NoEcho() {
    if (active_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

std::string Line(std::istream& in) {
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

}  // namespace

bool StdinIsTerminal() { return isatty(STDIN_FILENO) == 1; }

absl::StatusOr<std::string> ReadNewPassword(std::string_view account, std::istream& in, std::ostream& err,
                                            bool terminal) {
  if (!terminal) {
    std::string password = Line(in);
    if (password.empty()) return absl::InvalidArgumentError("no password on standard input (one line)");
    return password;
  }
  NoEcho quiet;
  err << "Password for " << account << ": " << std::flush;
  std::string first = Line(in);
  err << "\nAgain: " << std::flush;
  std::string second = Line(in);
  err << "\n";
  if (first.empty()) return absl::InvalidArgumentError("no password given");
  if (first != second) return absl::InvalidArgumentError("the two passwords differ; nothing was changed");
  return first;
}

}  // namespace pantau::common
