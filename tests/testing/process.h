// Real processes for end-to-end tests: run a command to completion, or keep a pantau-server
// running on an ephemeral loopback port and kill it. Thread-safety: one owner thread.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace pantau::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;     // standard output
  std::string err;     // standard error
};

// Runs `argv` and waits for it; its standard input is `input` (empty: /dev/null).
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input = "");

// Starts `argv` without waiting, output to the two files; returns its pid (-1 on failure).
pid_t StartCommand(const std::vector<std::string>& argv, const std::string& out_path,
                   const std::string& err_path);
// Waits for a started command; its exit code, or -signal when a signal ended it.
int WaitCommand(pid_t pid);

// `pantau-server serve` on 127.0.0.1 with a port chosen by the kernel.
class ServerProcess {
 public:
  ServerProcess(std::string binary, std::string data_dir, std::string scratch_dir);
  ~ServerProcess();  // SIGKILL if still running

  // Starts the server and waits until it has written its port (up to 60 s). False on failure.
  bool Start(const std::string& listen = "127.0.0.1:0");
  // Arguments added to `serve` from the next Start on (e.g. --tls-cert, --tls-key).
  void set_extra_args(std::vector<std::string> args) { extra_args_ = std::move(args); }
  // Sends `signal` and waits for the exit; returns the exit code, or -signal if killed.
  int Stop(int signal);
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& log_path() const { return log_path_; }

 private:
  std::string binary_, data_dir_, scratch_dir_, port_file_, log_path_;
  pid_t pid_ = -1;
  int port_ = 0;
  int starts_ = 0;
  std::vector<std::string> extra_args_;
};

}  // namespace pantau::testing
