// Delivers the outbox and fetches reference data, over the generated SyncService stub (a real
// channel in use, an in-process server or a fake in tests).
//
// Push: pending records in creation order, in batches, one batch in flight on one stream; each
// answer is written to the outbox (synced) before the next batch is sent. (A window of several
// batches would deadlock a blocking client whose writes wait for the server to read, as gRPC's
// in-process transport does; one batch of 500 already keeps the server busy.) A
// record leaves `pending` only on ACCEPTED or DUPLICATE; INVALID and CONFLICT make it
// needs-attention with the server's reasons, never dropped. Transport failures are retried with
// exponential back-off and full jitter (up to `max_backoff`), for as long as `retry_for` when no
// progress is made, so a server restarting or a busy server (UNAVAILABLE) is waited out; every
// call has a deadline, and a stream that gets no answer within `answer_deadline` is cut and
// tried again (a link gone silent with its TCP connection still open). Interrupted at any instant, a later run resends what was unanswered (the server answers
// DUPLICATE for what it already has), so nothing is lost and nothing is stored twice. Memory is
// bounded by one batch, whatever the backlog.
// Thread-safety: one engine per thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/laptop_store.h"
#include "pantau/v1/sync_service.grpc.pb.h"

namespace pantau::client {

struct SyncOptions {
  std::string token;
  size_t batch_size = 500;
  // Giving up: after failures in a row (without progress) for `retry_for` (the time waited
  // between attempts included), or after `max_attempts` of them when > 0. Pending records stay
  // pending either way.
  absl::Duration retry_for = absl::Minutes(3);
  int max_attempts = 0;
  absl::Duration initial_backoff = absl::Milliseconds(500);
  absl::Duration max_backoff = absl::Seconds(30);
  // Longest wait for the server's answer to one batch (or the next Pull message) on an open stream.
  absl::Duration answer_deadline = absl::Seconds(30);
  // A new stub on a new connection, used after a stall (the old connection may be dead while it
  // looks open); unset: the same stub goes on.
  std::function<std::unique_ptr<v1::SyncService::StubInterface>()> reconnect;
  // Told before each wait between attempts: why, and for how long (a progress line).
  std::function<void(const absl::Status& why, absl::Duration wait)> on_retry;
  // Deadline of one Push or Pull stream; a longer sync opens a new stream and goes on.
  absl::Duration stream_deadline = absl::Minutes(5);
  // Deadline of a unary call.
  absl::Duration call_deadline = absl::Seconds(30);
};

// Waits between attempts. Tests pass one that does not sleep.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void Sleep(absl::Duration d) = 0;
};
class RealSleeper final : public Sleeper {
 public:
  void Sleep(absl::Duration d) override;
};

struct PushProgress {
  uint64_t total = 0;         // pending when the push started
  uint64_t answered = 0;      // records answered so far
  uint64_t acknowledged = 0;  // of which accepted or duplicate
  uint64_t needs_attention = 0;
  absl::Duration elapsed;
};

struct PushSummary {
  PushProgress progress;
  int retries = 0;
  absl::Status status;  // OK when nothing is left pending that could be sent
};

struct PullSummary {
  uint64_t changes = 0;
  uint64_t cursor = 0;
  int retries = 0;
  absl::Status status;
};

// The one mapping from grpc::Status to absl::Status on the laptop. A TLS handshake refused because
// the server's certificate does not verify becomes FAILED_PRECONDITION (a retry cannot fix it).
absl::Status FromGrpc(const grpc::Status& status);
// True when `status` says the server's certificate did not verify against the CA.
bool IsCertificateProblem(const absl::Status& status);
// True for failures worth retrying (the link, the server restarting); false for those a retry
// cannot fix (the token, the role, a refused request).
bool IsTransient(const absl::Status& status);

class SyncEngine {
 public:
  // `store`, `stub` and `sleeper` must outlive the engine.
  SyncEngine(LaptopStore& store, v1::SyncService::StubInterface& stub, SyncOptions options,
             Sleeper& sleeper);

  PushSummary Push(const std::function<void(const PushProgress&)>& on_progress = {});
  PullSummary Pull();
  // Binds this laptop's device id to the token's account; returns the device as registered.
  absl::StatusOr<v1::Device> RegisterDevice(const std::string& device_id,
                                            const std::string& description);

 private:
  // One Push stream from `cursor` on; advances `cursor` and `progress`. OK when nothing is left.
  absl::Status PushStream(std::string& cursor, PushProgress& progress, bool& made_progress,
                          const std::function<void(const PushProgress&)>& on_progress,
                          absl::Time start);
  std::unique_ptr<grpc::ClientContext> NewContext(absl::Duration deadline) const;
  absl::Duration Backoff(int failures);
  // After a failure of an attempt: false when it is final (not transient, or the retry budget is
  // spent); otherwise waits (telling options_.on_retry) and returns true.
  bool WaitBeforeRetry(const absl::Status& status, bool progressed, int& failures, absl::Duration& spent,
                       absl::Time& failing_since);

  // Replaces the stub with options_.reconnect's, when set.
  void Reconnect();

  LaptopStore& store_;
  v1::SyncService::StubInterface* stub_;
  std::unique_ptr<v1::SyncService::StubInterface> owned_stub_;  // after a Reconnect
  const SyncOptions options_;
  Sleeper& sleeper_;
  std::mt19937_64 random_;
};

}  // namespace pantau::client
