// Accounts and bearer tokens. A token is 256 random bits, shown once at creation and stored only
// as its SHA-256. Thread-safety: thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "pantau/v1/admin_service.pb.h"
#include "server/storage/storage.h"

namespace pantau::service {

// Who is calling, once authenticated.
struct Principal {
  std::string name;
  v1::Role role = v1::ROLE_UNSPECIFIED;
};

struct CreatedAccount {
  v1::AccountSummary account;
  std::string token;  // the only copy; never logged
};

// "inspector", "supervisor", "admin" <-> Role.
std::string_view RoleName(v1::Role role);
std::optional<v1::Role> RoleFromName(std::string_view name);

// OK when `principal` has one of `allowed`; PERMISSION_DENIED naming the action otherwise.
absl::Status RequireRole(const Principal& principal, std::initializer_list<v1::Role> allowed,
                         std::string_view action);

class AccountService {
 public:
  explicit AccountService(storage::AccountStore& store) : store_(store) {}

  // Creates an account with a fresh token. INVALID_ARGUMENT for a bad name or role,
  // ALREADY_EXISTS when the name is taken.
  absl::StatusOr<CreatedAccount> Create(std::string_view name, v1::Role role);

  // The account holding `token`. UNAUTHENTICATED when no enabled account does.
  absl::StatusOr<Principal> Authenticate(std::string_view token);

  absl::StatusOr<std::vector<v1::AccountSummary>> List();

 private:
  storage::AccountStore& store_;
};

}  // namespace pantau::service
