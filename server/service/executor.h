// A fixed pool of application-owned threads for work that may block (synced writes, scans), so
// that gRPC's own threads never wait on storage.
// Thread-safety: Post may be called from any thread; Shutdown once, from an owner thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pantau::service {

class Executor {
 public:
  explicit Executor(int threads);
  // Runs every task already posted, then joins the threads.
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Queues `task`. After Shutdown, runs it on the calling thread instead, so no task is lost.
  void Post(std::function<void()> task);
  // Runs every task already posted, then stops the threads. Idempotent.
  void Shutdown();

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace pantau::service
