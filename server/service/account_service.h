// Accounts and bearer tokens: create, list, revoke, rotate, expiry, scope; authentication with
// back-off per peer; and the audit log of admin actions and authentication failures.
// A token is 256 random bits, shown once at creation or rotation and stored only as its SHA-256.
// No method ever writes a token into the audit log or an error message.
// Thread-safety: thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pantau/v1/admin_service.pb.h"
#include "pantau/v1/sync_service.pb.h"
#include "common/scope.h"
#include "server/service/auth_throttle.h"
#include "server/service/clock.h"
#include "server/service/metrics.h"
#include "server/service/principal.h"
#include "server/service/reference_service.h"
#include "server/storage/storage.h"

namespace pantau::service {

struct CreatedAccount {
  v1::AccountSummary account;
  std::string token;  // the only copy; never logged
};

using common::RoleFromName;
using common::RoleName;

// The token of an "authorization: Bearer <token>" value (the scheme in any case, RFC 7235), or ""
// for any other value. The one parser for gRPC metadata and HTTP headers.
std::string_view BearerToken(std::string_view authorization);

// OK when `principal` has one of `allowed`; PERMISSION_DENIED naming the action otherwise.
absl::Status RequireRole(const Principal& principal, std::initializer_list<v1::Role> allowed,
                         std::string_view action);

class AccountService {
 public:
  // Refused authentications are counted in `metrics` too (set before serving; may stay unset).
  void set_metrics(Metrics* metrics) { metrics_ = metrics; }

  // `reference` checks the kecamatan named in scopes.
  AccountService(storage::AccountStore& store, storage::AuditLog& audit, ReferenceService& reference,
                 const Clock& clock, ThrottleOptions throttle = {})
      : store_(store), audit_(audit), reference_(reference), clock_(clock), throttle_(throttle) {}

  // Creates an account with a fresh token. INVALID_ARGUMENT for a bad name, role, expiry or
  // scope; ALREADY_EXISTS when the name is taken.
  absl::StatusOr<CreatedAccount> Create(std::string_view name, v1::Role role,
                                        std::optional<absl::Time> expires_at,
                                        const v1::AccountScope& scope, const Actor& actor);
  // Kept for tests and tools: no expiry, no scope, acting as "pantau-server" locally.
  absl::StatusOr<CreatedAccount> Create(std::string_view name, v1::Role role) {
    return Create(name, role, std::nullopt, {}, Actor{"pantau-server", "local"});
  }

  // The account holding `token`. UNAUTHENTICATED when no account does, it is revoked or its
  // token expired; RESOURCE_EXHAUSTED while `peer` is backing off after repeated failures.
  // Failures go to the audit log (never the token).
  absl::StatusOr<Principal> Authenticate(std::string_view token, std::string_view peer);

  // For a stream open for a while: `principal` as it is, when no account changed since it was
  // authenticated and its token has not expired; otherwise `token` is authenticated again, so a
  // revoked, rotated-out or expired token is refused and a changed scope applies. Cheap in the
  // usual case (an atomic load and a clock read).
  absl::StatusOr<Principal> Recheck(const Principal& principal, std::string_view token, std::string_view peer);
  // Counts every change of an account (revoke, rotate, scope, password).
  uint64_t generation() const { return generation_.load(); }

  absl::StatusOr<std::vector<v1::AccountSummary>> List();
  // Revokes the token. NOT_FOUND for an unknown account.
  absl::StatusOr<v1::AccountSummary> Revoke(std::string_view name, const Actor& actor);
  // A new token for `name`; the old one is refused from the same durable write on.
  absl::StatusOr<CreatedAccount> Rotate(std::string_view name, std::optional<absl::Time> expires_at,
                                        const Actor& actor);
  absl::StatusOr<v1::AccountSummary> SetScope(std::string_view name, const v1::AccountScope& scope,
                                              const Actor& actor);

  // Passwords, for people signing in to the dashboard (tokens stay for machines and laptops).
  // Stored only as an Argon2id hash (libsodium's crypto_pwhash_str, interactive limits: 64 MiB,
  // 2 passes). INVALID_ARGUMENT for a password shorter than kMinPasswordChars characters, longer
  // than kMaxPasswordBytes bytes, or equal to the account's name; NOT_FOUND for an unknown account.
  // Audited as "account.password" (never the password).
  static constexpr size_t kMinPasswordChars = 10;
  static constexpr size_t kMaxPasswordBytes = 1024;
  absl::StatusOr<v1::AccountSummary> SetPassword(std::string_view name, std::string_view password, const Actor& actor);
  // Why `password` may not be `name`'s (the rules above), or OK.
  static absl::Status PasswordProblem(std::string_view name, std::string_view password);
  // The account `name` when `password` is its password. UNAUTHENTICATED, in the same words, for an
  // unknown name, an account without a password and a wrong password (the hash is checked either
  // way, so the time taken does not tell them apart); UNAUTHENTICATED for a revoked or expired
  // account; RESOURCE_EXHAUSTED while `peer` backs off. Failures are audited and counted against
  // `peer` exactly as token failures are.
  absl::StatusOr<Principal> SignIn(std::string_view name, std::string_view password, std::string_view peer);
  // A signed-in person's principal as it is now: `principal` while no account changed since; else
  // reloaded by name, so a changed role or scope applies at once and a revoked or expired account,
  // or one whose password was removed, is UNAUTHENTICATED.
  absl::StatusOr<Principal> Current(const Principal& principal);

  // A laptop's contact (its pull at the end of a sync): kept as that device's last contact with
  // the server's time and `laptop`'s outbox counts. Nothing is kept for a device not registered;
  // FAILED_PRECONDITION for one registered to another account (as its records would be refused);
  // INVALID_ARGUMENT for a negative count.
  absl::Status RecordContact(const Principal& principal, std::string_view device_id, const v1::LaptopReport& laptop);
  // Every laptop's last contact, by device id.
  absl::StatusOr<std::vector<v1::DeviceContact>> Contacts() { return store_.ListDeviceContacts(); }

  // Appends one entry to the audit log (for admin actions done elsewhere, such as reference data).
  absl::Status Audit(const Actor& actor, std::string_view action, std::string_view target,
                     const absl::Status& outcome, std::string_view detail = "");
  absl::StatusOr<v1::ListAuditLogResponse> ListAudit(uint64_t after, uint32_t limit);

 private:
  absl::Status CheckScope(v1::Role role, const v1::AccountScope& scope);
  absl::StatusOr<v1::Account> ChangeAccount(std::string_view name, const Actor& actor, std::string_view action,
                                            std::string detail,
                                            const std::function<absl::Status(v1::Account&)>& change);
  v1::AuditEntry AuditEntryOf(const Actor& actor, std::string_view action, std::string_view target,
                              const absl::Status& outcome, std::string_view detail);
  absl::Status CheckExpiry(std::optional<absl::Time> expires_at);
  absl::StatusOr<v1::Account> Find(std::string_view name);
  // Logs the failure and counts it against `peer`.
  absl::Status Refuse(std::string_view peer, std::string_view account, AuthFailure reason, absl::Status why);

  storage::AccountStore& store_;
  storage::AuditLog& audit_;
  ReferenceService& reference_;
  const Clock& clock_;
  AuthThrottle throttle_;
  Metrics* metrics_ = nullptr;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace pantau::service
