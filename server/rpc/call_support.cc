#include "server/rpc/call_support.h"

namespace pantau::rpc {

std::string BearerToken(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return "";
  std::string_view value(it->second.data(), it->second.size());
  constexpr std::string_view kBearer = "Bearer ";
  if (value.substr(0, kBearer.size()) != kBearer) return "";
  return std::string(value.substr(kBearer.size()));
}

absl::StatusOr<service::Principal> Authorize(const grpc::CallbackServerContext& context,
                                             service::AccountService& accounts,
                                             std::initializer_list<v1::Role> allowed,
                                             std::string_view action) {
  auto principal = accounts.Authenticate(BearerToken(context));
  if (!principal.ok()) return principal.status();
  absl::Status role = service::RequireRole(*principal, allowed, action);
  if (!role.ok()) return role;
  return principal;
}

grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context,
                                   service::Executor& executor,
                                   std::function<absl::Status()> work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  executor.Post([reactor, work = std::move(work)] { reactor->Finish(ToGrpcStatus(work())); });
  return reactor;
}

}  // namespace pantau::rpc
