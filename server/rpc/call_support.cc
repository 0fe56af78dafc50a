#include "server/rpc/call_support.h"

#include "common/str_cat.h"

namespace pantau::rpc {

std::string BearerToken(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return "";
  return std::string(service::BearerToken(std::string_view(it->second.data(), it->second.size())));
}

std::string PeerAddress(const grpc::CallbackServerContext& context) {
  std::string peer = context.peer();
  if (peer.empty()) return "unknown";
  // "ipv4:1.2.3.4:5678", "ipv6:[::1]:5678": drop the port. Others (in-process) stay whole.
  if (peer.rfind("ipv4:", 0) == 0 || peer.rfind("ipv6:", 0) == 0) {
    const size_t colon = peer.rfind(':');
    const size_t bracket = peer.rfind(']');
    if (colon != std::string::npos && colon > 4 && (bracket == std::string::npos || colon > bracket)) {
      peer.resize(colon);
    }
  }
  return peer;
}

service::Actor ActorOf(const grpc::CallbackServerContext& context, const service::Principal& principal) {
  return service::Actor{principal.name, PeerAddress(context)};
}

absl::StatusOr<service::Principal> Authorize(const grpc::CallbackServerContext& context,
                                             service::AccountService& accounts,
                                             std::initializer_list<v1::Role> allowed,
                                             std::string_view action) {
  auto principal = accounts.Authenticate(BearerToken(context), PeerAddress(context));
  if (!principal.ok()) return principal.status();
  absl::Status role = service::RequireRole(*principal, allowed, action);
  if (!role.ok()) return role;
  return principal;
}

absl::StatusOr<service::Principal> Reauthorize(const grpc::CallbackServerContext& context,
                                               service::AccountService& accounts,
                                               const service::Principal& principal,
                                               std::initializer_list<v1::Role> allowed, std::string_view action) {
  auto now = accounts.Recheck(principal, BearerToken(context), PeerAddress(context));
  if (!now.ok()) return now.status();
  if (now->generation != principal.generation) {
    absl::Status role = service::RequireRole(*now, allowed, action);
    if (!role.ok()) return role;
  }
  return now;
}

StreamSlot::StreamSlot(StreamSlots& slots) : slots_(slots) {
  if (slots_.open_.fetch_add(1) >= slots_.max_) {
    slots_.open_.fetch_sub(1);
    status_ = absl::UnavailableError(
        StrCat("the server is busy: it has its maximum of ", slots_.max_, " streams open; try again in a moment"));
    if (slots_.metrics_ != nullptr) slots_.metrics_->CountRefusal(service::Refusal::kStreamCap, std::string(status_.message()));
  }
}

StreamSlot::~StreamSlot() {
  if (status_.ok()) slots_.open_.fetch_sub(1);
}

grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, service::Executor& executor,
                                   service::Metrics* metrics, std::function<absl::Status()> work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  executor.Post([context, reactor, work = std::move(work), metrics] {
    // A call whose client gave up (or whose deadline passed) while it waited is not run.
    if (context->IsCancelled()) {
      if (metrics != nullptr) metrics->CountRefusal(service::Refusal::kExpiredCall, "a call whose client gave up was not run");
      reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled or its deadline passed"));
      return;
    }
    reactor->Finish(ToGrpcStatus(work()));
  });
  return reactor;
}

}  // namespace pantau::rpc
