#include "server/rpc/admin_rpc.h"

#include <map>

#include "common/dates.h"
#include "common/reference_change.h"
#include "common/str_cat.h"
#include "server/rpc/call_support.h"

namespace pantau::rpc {
namespace {

std::optional<absl::Time> OptionalTime(bool has, const google::protobuf::Timestamp& ts) {
  if (!has) return std::nullopt;
  return common::FromTimestamp(ts);
}

}  // namespace

grpc::ServerUnaryReactor* AdminRpc::PutReference(grpc::CallbackServerContext* context,
                                                 const v1::PutReferenceRequest* request,
                                                 v1::PutReferenceResponse* response) {
  return RunUnary(context, executor_, metrics_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "change reference data");
    if (!principal.ok()) return principal.status();
    std::vector<v1::ReferenceEntity> upserts(request->upserts().begin(), request->upserts().end());
    std::vector<v1::ReferenceEntity> removals(request->removals().begin(),
                                              request->removals().end());
    auto result = reference_.Put(upserts, removals);
    absl::Status logged = accounts_.Audit(
        ActorOf(*context, *principal), "reference.put", "",
        result.status(),
        result.ok() ? StrCat(upserts.size(), " upserts, ", removals.size(), " removals sent; ",
                             result->changed, " changed; now at change ", result->last_sequence)
                    : StrCat(upserts.size(), " upserts, ", removals.size(), " removals sent"));
    if (!result.ok()) return result.status();
    if (!logged.ok()) return logged;
    response->set_changed(result->changed);
    response->set_last_sequence(result->last_sequence);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::ExportReference(grpc::CallbackServerContext* context,
                                                    const v1::ExportReferenceRequest*,
                                                    v1::ExportReferenceResponse* response) {
  return RunUnary(context, executor_, metrics_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "export reference data");
    if (!principal.ok()) return principal.status();
    const auto catalog = reference_.catalog();
    for (auto& f : common::ExportReferenceFiles(*catalog)) {
      auto* file = response->add_files();
      file->set_name(std::move(f.name));
      file->set_text(std::move(f.text));
    }
    response->set_sequence(catalog->sequence());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::ApplyReference(grpc::CallbackServerContext* context,
                                                   const v1::ApplyReferenceRequest* request,
                                                   v1::ApplyReferenceResponse* response) {
  return RunUnary(context, executor_, metrics_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "change reference data");
    if (!principal.ok()) return principal.status();
    std::vector<common::ReferenceFile> files;
    for (const auto& f : request->files()) files.push_back({f.name(), f.text()});
    // A kecamatan an account's scope names cannot be retired from under it.
    auto accounts = accounts_.List();
    if (!accounts.ok()) return accounts.status();
    std::multimap<std::string, std::string> in_use;
    for (const auto& a : *accounts) {
      for (const auto& code : a.scope().kecamatan_codes()) in_use.emplace(code, StrCat("account ", a.name(), "'s scope"));
    }
    auto result = reference_.ApplyFiles(files, common::Retire::kMissingFromTheirFile, request->dry_run(), in_use);
    if (!request->dry_run()) {
      std::map<std::string_view, int> counts;
      if (result.ok()) {
        for (const auto& d : result->plan.differences) counts[common::ReferenceDifferenceName(d.kind)]++;
      }
      absl::Status logged = accounts_.Audit(
          ActorOf(*context, *principal), "reference.apply", "", result.status(),
          result.ok() ? StrCat(counts["added"], " added, ", counts["changed"], " changed, ", counts["retired"],
                               " retired, from ", files.size(), " files; now at change ", result->last_sequence)
                      : StrCat(files.size(), " files sent"));
      if (result.ok() && !logged.ok()) return logged;
    }
    if (!result.ok()) return result.status();
    for (const auto& d : result->plan.differences) {
      auto* out = response->add_differences();
      out->set_file(d.file);
      out->set_key(d.key);
      out->set_change(std::string(common::ReferenceDifferenceName(d.kind)));
    }
    response->set_applied(result->applied);
    response->set_last_sequence(result->last_sequence);
    response->set_entities(result->plan.entities);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::CreateAccount(grpc::CallbackServerContext* context,
                                                  const v1::CreateAccountRequest* request,
                                                  v1::CreateAccountResponse* response) {
  return RunUnary(context, executor_, metrics_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "create accounts");
    if (!principal.ok()) return principal.status();
    auto created = accounts_.Create(request->name(), request->role(),
                                    OptionalTime(request->has_expires_at(), request->expires_at()),
                                    request->scope(), ActorOf(*context, *principal));
    if (!created.ok()) return created.status();
    *response->mutable_account() = created->account;
    response->set_token(created->token);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::ListAccounts(grpc::CallbackServerContext* context,
                                                 const v1::ListAccountsRequest*,
                                                 v1::ListAccountsResponse* response) {
  return RunUnary(context, executor_, metrics_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "list accounts");
    if (!principal.ok()) return principal.status();
    auto accounts = accounts_.List();
    if (!accounts.ok()) return accounts.status();
    for (auto& a : *accounts) *response->add_accounts() = std::move(a);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::RevokeAccount(grpc::CallbackServerContext* context,
                                                  const v1::RevokeAccountRequest* request,
                                                  v1::RevokeAccountResponse* response) {
  return RunUnary(context, executor_, metrics_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "revoke accounts");
    if (!principal.ok()) return principal.status();
    auto revoked = accounts_.Revoke(request->name(), ActorOf(*context, *principal));
    if (!revoked.ok()) return revoked.status();
    *response->mutable_account() = *std::move(revoked);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::RotateToken(grpc::CallbackServerContext* context,
                                                const v1::RotateTokenRequest* request,
                                                v1::RotateTokenResponse* response) {
  return RunUnary(context, executor_, metrics_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "rotate tokens");
    if (!principal.ok()) return principal.status();
    auto rotated = accounts_.Rotate(request->name(),
                                    OptionalTime(request->has_expires_at(), request->expires_at()),
                                    ActorOf(*context, *principal));
    if (!rotated.ok()) return rotated.status();
    *response->mutable_account() = rotated->account;
    response->set_token(rotated->token);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::SetAccountScope(grpc::CallbackServerContext* context,
                                                    const v1::SetAccountScopeRequest* request,
                                                    v1::SetAccountScopeResponse* response) {
  return RunUnary(context, executor_, metrics_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "change account scopes");
    if (!principal.ok()) return principal.status();
    auto changed = accounts_.SetScope(request->name(), request->scope(), ActorOf(*context, *principal));
    if (!changed.ok()) return changed.status();
    *response->mutable_account() = *std::move(changed);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::SetPassword(grpc::CallbackServerContext* context,
                                                const v1::SetPasswordRequest* request,
                                                v1::SetPasswordResponse* response) {
  return RunUnary(context, executor_, metrics_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "set passwords");
    if (!principal.ok()) return principal.status();
    auto changed = accounts_.SetPassword(request->name(), request->password(), ActorOf(*context, *principal));
    if (!changed.ok()) return changed.status();
    *response->mutable_account() = *std::move(changed);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::ListAuditLog(grpc::CallbackServerContext* context,
                                                 const v1::ListAuditLogRequest* request,
                                                 v1::ListAuditLogResponse* response) {
  return RunUnary(context, executor_, metrics_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "read the audit log");
    if (!principal.ok()) return principal.status();
    auto page = accounts_.ListAudit(request->after_sequence(), request->limit());
    if (!page.ok()) return page.status();
    *response = *std::move(page);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::GetRecordCounts(grpc::CallbackServerContext* context,
                                                    const v1::GetRecordCountsRequest*,
                                                    v1::GetRecordCountsResponse* response) {
  return RunUnary(context, executor_, metrics_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN},
                               "read record counts");
    if (!principal.ok()) return principal.status();
    auto counts = ingest_.CountRecords();
    if (!counts.ok()) return counts.status();
    *response = *std::move(counts);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminRpc::CreateBackup(grpc::CallbackServerContext* context,
                                                 const v1::CreateBackupRequest* request,
                                                 v1::CreateBackupResponse* response) {
  return RunUnary(context, executor_, metrics_, [=, this]() -> absl::Status {
    // Over the server's Unix socket (mode 0600, in the data directory) the caller is the local
    // admin, as for the offline tools; anywhere else it needs an admin token.
    const bool local = context->peer().rfind("unix:", 0) == 0;
    absl::StatusOr<service::Principal> principal = service::Principal("local-admin", v1::ROLE_ADMIN);
    if (!local) principal = Authorize(*context, accounts_, {v1::ROLE_ADMIN}, "make backups");
    if (!principal.ok()) return principal.status();
    if (!backup_) return absl::UnimplementedError("this server makes no backups");
    auto made = backup_(request->backup_dir(), request->keep());
    absl::Status logged = accounts_.Audit(
        ActorOf(*context, *principal), "backup.create", made.ok() ? made->backup_dir() : request->backup_dir(),
        made.status(), made.ok() ? StrCat("backup ", made->backup_id(), ", ", made->bytes(), " bytes") : "");
    if (!made.ok()) return made.status();
    if (!logged.ok()) return logged;
    *response = *std::move(made);
    return absl::OkStatus();
  });
}

}  // namespace pantau::rpc
