#include "server/rpc/admin_rpc.h"

#include "common/record_kinds.h"
#include "server/rpc/call_support.h"

namespace pantau::rpc {

absl::StatusOr<v1::GetRecordCountsResponse> CountRecords(storage::RecordStore& records) {
  auto counts = records.CountByKind();
  if (!counts.ok()) return counts.status();
  v1::GetRecordCountsResponse out;
  uint64_t total = 0;
  for (auto kind : common::AllRecordKinds()) {
    v1::RecordCount* c = out.add_counts();
    c->set_kind(std::string(common::KindName(kind)));
    c->set_count((*counts)[static_cast<size_t>(kind)]);
    total += c->count();
  }
  out.set_total(total);
  return out;
}

grpc::ServerUnaryReactor* AdminRpc::PutReference(grpc::CallbackServerContext* context,
                                                 const v1::PutReferenceRequest* request,
                                                 v1::PutReferenceResponse* response) {
  return RunUnary(context, executor_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "change reference data");
    if (!principal.ok()) return principal.status();
    std::vector<v1::ReferenceEntity> upserts(request->upserts().begin(), request->upserts().end());
    std::vector<v1::ReferenceEntity> removals(request->removals().begin(),
                                              request->removals().end());
    auto result = reference_.Put(upserts, removals);
    if (!result.ok()) return result.status();
    response->set_changed(result->changed);
    response->set_last_sequence(result->last_sequence);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::CreateAccount(grpc::CallbackServerContext* context,
                                                  const v1::CreateAccountRequest* request,
                                                  v1::CreateAccountResponse* response) {
  return RunUnary(context, executor_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "create accounts");
    if (!principal.ok()) return principal.status();
    auto created = accounts_.Create(request->name(), request->role());
    if (!created.ok()) return created.status();
    *response->mutable_account() = created->account;
    response->set_token(created->token);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::ListAccounts(grpc::CallbackServerContext* context,
                                                 const v1::ListAccountsRequest*,
                                                 v1::ListAccountsResponse* response) {
  return RunUnary(context, executor_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "list accounts");
    if (!principal.ok()) return principal.status();
    auto accounts = accounts_.List();
    if (!accounts.ok()) return accounts.status();
    for (auto& a : *accounts) *response->add_accounts() = std::move(a);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::GetRecordCounts(grpc::CallbackServerContext* context,
                                                    const v1::GetRecordCountsRequest*,
                                                    v1::GetRecordCountsResponse* response) {
  return RunUnary(context, executor_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN},
                               "read record counts");
    if (!principal.ok()) return principal.status();
    auto counts = CountRecords(records_);
    if (!counts.ok()) return counts.status();
    *response = *std::move(counts);
    return absl::OkStatus();
  });
}

}  // namespace pantau::rpc
