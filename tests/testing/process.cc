#include "tests/testing/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace pantau::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

pid_t Spawn(const std::vector<std::string>& argv, const std::string& out_path,
            const std::string& err_path, const std::string& in_path = "/dev/null") {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int WaitExit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1000;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1000;
}

}  // namespace

pid_t StartCommand(const std::vector<std::string>& argv, const std::string& out_path,
                   const std::string& err_path) {
  return Spawn(argv, out_path, err_path);
}

int WaitCommand(pid_t pid) { return WaitExit(pid); }

CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input) {
  char out_tmpl[] = "/tmp/pantau-cmd-out-XXXXXX";
  char err_tmpl[] = "/tmp/pantau-cmd-err-XXXXXX";
  char in_tmpl[] = "/tmp/pantau-cmd-in-XXXXXX";
  int out_fd = mkstemp(out_tmpl);
  int err_fd = mkstemp(err_tmpl);
  int in_fd = mkstemp(in_tmpl);
  close(out_fd);
  close(err_fd);
  std::ofstream(in_tmpl) << input;
  close(in_fd);
  CommandResult result;
  pid_t pid = Spawn(argv, out_tmpl, err_tmpl, input.empty() ? "/dev/null" : in_tmpl);
  if (pid > 0) {
    int code = WaitExit(pid);
    result.exit_code = code < 0 ? -1 : code;
  }
  result.out = ReadAll(out_tmpl);
  result.err = ReadAll(err_tmpl);
  unlink(out_tmpl);
  unlink(err_tmpl);
  unlink(in_tmpl);
  return result;
}

ServerProcess::ServerProcess(std::string binary, std::string data_dir, std::string scratch_dir)
    : binary_(std::move(binary)), data_dir_(std::move(data_dir)), scratch_dir_(std::move(scratch_dir)) {
  port_file_ = scratch_dir_ + "/port";
  log_path_ = scratch_dir_ + "/server.log";
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop(SIGKILL);
}

bool ServerProcess::Start(const std::string& listen) {
  std::filesystem::remove(port_file_);
  std::vector<std::string> argv = {binary_, "serve", "--data-dir", data_dir_, "--grpc-listen", listen,
                                   "--port-file", port_file_};
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  pid_ = Spawn(argv,
               scratch_dir_ + "/server.out", log_path_ + (starts_++ > 0 ? "." + std::to_string(starts_) : ""));
  if (pid_ <= 0) return false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::filesystem::exists(port_file_)) {
      port_ = std::atoi(ReadAll(port_file_).c_str());
      return port_ > 0;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {  // died during start-up
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

int ServerProcess::Stop(int signal) {
  if (pid_ <= 0) return -1000;
  kill(pid_, signal);
  int code = WaitExit(pid_);
  pid_ = -1;
  return code;
}

}  // namespace pantau::testing
