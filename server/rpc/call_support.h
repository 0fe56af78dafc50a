// What every RPC adapter shares: authenticating the caller from its metadata, and running a
// unary call's work on the application executor. Written once; every handler uses it.
// Thread-safety: stateless functions.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <initializer_list>

#include "absl/status/statusor.h"
#include "server/rpc/grpc_status.h"
#include "server/service/account_service.h"
#include "server/service/executor.h"
#include "server/service/metrics.h"

namespace pantau::rpc {

// The bearer token of the call's "authorization: Bearer <token>" metadata, or "".
std::string BearerToken(const grpc::CallbackServerContext& context);

// The caller's address without its port ("ipv4:10.0.0.5", "ipv6:[::1]", "in-process"): the key of
// the back-off on failed authentication and the "from where" of the audit log.
std::string PeerAddress(const grpc::CallbackServerContext& context);

// The audit log's view of an authenticated caller.
service::Actor ActorOf(const grpc::CallbackServerContext& context, const service::Principal& principal);

// Authenticates the caller and checks its role.
absl::StatusOr<service::Principal> Authorize(const grpc::CallbackServerContext& context,
                                             service::AccountService& accounts,
                                             std::initializer_list<v1::Role> allowed,
                                             std::string_view action);

// For each later message of a stream: the caller as `principal`, or authenticated again when an
// account changed or the token expired since (AccountService::Recheck) — a revoked, rotated-out or
// expired token ends the stream with UNAUTHENTICATED, a changed scope applies from then on.
absl::StatusOr<service::Principal> Reauthorize(const grpc::CallbackServerContext& context,
                                               service::AccountService& accounts,
                                               const service::Principal& principal,
                                               std::initializer_list<v1::Role> allowed, std::string_view action);

// The cap on streaming calls open at once, server-wide (limits.max_streams): a stream beyond it
// is answered UNAVAILABLE at once, before any work (the laptop backs off and tries again), and
// counted in `metrics` (may be null). Thread-safety: thread-safe.
class StreamSlots {
 public:
  explicit StreamSlots(int max, service::Metrics* metrics = nullptr) : max_(max), metrics_(metrics) {}
  int open() const { return open_.load(); }
  int max() const { return max_; }

 private:
  friend class StreamSlot;
  const int max_;
  service::Metrics* const metrics_;
  std::atomic<int> open_{0};
};

// One slot, held for the life of a stream's reactor.
class StreamSlot {
 public:
  explicit StreamSlot(StreamSlots& slots);
  ~StreamSlot();
  StreamSlot(const StreamSlot&) = delete;
  StreamSlot& operator=(const StreamSlot&) = delete;
  // OK when the slot is held; UNAVAILABLE when the server had none free.
  const absl::Status& status() const { return status_; }

 private:
  StreamSlots& slots_;
  absl::Status status_;
};

// Runs `work` (authorisation included) on `executor` and finishes the call with its status.
// `work` fills the response; it runs after this returns, on an executor thread.
// A call whose client gave up while it waited is not run, and counted in `metrics` (may be null).
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, service::Executor& executor,
                                   service::Metrics* metrics, std::function<absl::Status()> work);

}  // namespace pantau::rpc
