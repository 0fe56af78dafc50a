#include "server/service/account_service.h"

#include "common/status_macros.h"
#include "common/str_cat.h"
#include "server/service/digest.h"

namespace pantau::service {
namespace {

constexpr std::string_view kTokenPrefix = "pantau_";
constexpr size_t kTokenRandomBytes = 32;

bool IsValidAccountName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

v1::AccountSummary Summary(const v1::Account& a) {
  v1::AccountSummary s;
  s.set_name(a.name());
  s.set_role(a.role());
  s.set_disabled(a.disabled());
  return s;
}

}  // namespace

std::string_view RoleName(v1::Role role) {
  switch (role) {
    case v1::ROLE_INSPECTOR:
      return "inspector";
    case v1::ROLE_SUPERVISOR:
      return "supervisor";
    case v1::ROLE_ADMIN:
      return "admin";
    default:
      return "none";
  }
}

std::optional<v1::Role> RoleFromName(std::string_view name) {
  if (name == "inspector") return v1::ROLE_INSPECTOR;
  if (name == "supervisor") return v1::ROLE_SUPERVISOR;
  if (name == "admin") return v1::ROLE_ADMIN;
  return std::nullopt;
}

absl::Status RequireRole(const Principal& principal, std::initializer_list<v1::Role> allowed,
                         std::string_view action) {
  for (v1::Role r : allowed) {
    if (principal.role == r) return absl::OkStatus();
  }
  std::vector<std::string_view> names;
  for (v1::Role r : allowed) names.push_back(RoleName(r));
  return absl::PermissionDeniedError(StrCat("account \"", principal.name, "\" (",
                                            RoleName(principal.role), ") may not ", action,
                                            "; that needs the role ", StrJoin(names, " or ")));
}

absl::StatusOr<CreatedAccount> AccountService::Create(std::string_view name, v1::Role role) {
  if (!IsValidAccountName(name)) {
    return absl::InvalidArgumentError(
        StrCat("account name \"", name, "\": use 1 to 64 of a-z, 0-9, '.', '_' and '-'"));
  }
  if (role != v1::ROLE_INSPECTOR && role != v1::ROLE_SUPERVISOR && role != v1::ROLE_ADMIN) {
    return absl::InvalidArgumentError("role must be inspector, supervisor or admin");
  }
  PANTAU_ASSIGN_OR_RETURN(std::string random, SecureRandomBytes(kTokenRandomBytes));
  CreatedAccount created;
  created.token = StrCat(kTokenPrefix, HexEncode(random));
  v1::Account account;
  account.set_name(std::string(name));
  account.set_role(role);
  account.set_token_sha256(Sha256(created.token));
  PANTAU_RETURN_IF_ERROR(store_.Create(account));
  created.account = Summary(account);
  return created;
}

absl::StatusOr<Principal> AccountService::Authenticate(std::string_view token) {
  if (token.empty()) {
    return absl::UnauthenticatedError("no bearer token: send \"authorization: Bearer <token>\"");
  }
  // The lookup is by the token's hash, so no comparison of secret bytes depends on their value.
  PANTAU_ASSIGN_OR_RETURN(auto account, store_.FindByTokenHash(Sha256(token)));
  if (!account || account->disabled()) {
    return absl::UnauthenticatedError("the token is not valid (unknown, revoked or mistyped)");
  }
  return Principal{account->name(), account->role()};
}

absl::StatusOr<std::vector<v1::AccountSummary>> AccountService::List() {
  PANTAU_ASSIGN_OR_RETURN(auto accounts, store_.List());
  std::vector<v1::AccountSummary> out;
  for (const auto& a : accounts) out.push_back(Summary(a));
  return out;
}

}  // namespace pantau::service
