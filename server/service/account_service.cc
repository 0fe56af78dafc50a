#include "server/service/account_service.h"


#include <openssl/crypto.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <set>

#include "common/dates.h"
#include "common/scope.h"
#include "common/status_macros.h"
#include "common/str_cat.h"
#include "common/text.h"
#include "server/service/digest.h"
#include "server/service/log.h"

namespace pantau::service {
namespace {

constexpr std::string_view kTokenPrefix = "pantau_";
constexpr size_t kTokenRandomBytes = 32;
// Longer than any token this server makes; a longer one is refused before hashing.
constexpr size_t kMaxTokenBytes = 256;
constexpr uint32_t kDefaultAuditPage = 1000;
constexpr uint32_t kMaxAuditPage = 10000;

bool IsValidAccountName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// libsodium, initialised once (thread-safe after).
absl::Status Sodium() {
  static const int initialised = sodium_init();
  if (initialised < 0) return absl::InternalError("libsodium could not be initialised");
  return absl::OkStatus();
}

// Characters of UTF-8 text: the bytes that do not continue a character.
size_t CharacterCount(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

absl::StatusOr<std::string> HashPassword(std::string_view password) {
  PANTAU_RETURN_IF_ERROR(Sodium());
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return absl::ResourceExhaustedError("not enough memory to hash the password (Argon2id needs 64 MiB)");
  }
  return std::string(hash);
}

// True when `password` is the one `hash` was made from. An empty or malformed hash never matches.
bool PasswordMatches(const std::string& hash, std::string_view password) {
  if (!Sodium().ok() || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

// A hash no password is checked against for real: an unknown name costs what a known one does.
const std::string& DecoyHash() {
  static const std::string decoy = [] {
    auto h = HashPassword("decoy password of no account");
    return h.ok() ? *h : std::string();
  }();
  return decoy;
}

v1::AccountSummary Summary(const v1::Account& a) {
  v1::AccountSummary s;
  s.set_name(a.name());
  s.set_role(a.role());
  s.set_disabled(a.disabled());
  if (a.has_created_at()) *s.mutable_created_at() = a.created_at();
  if (a.has_token_issued_at()) *s.mutable_token_issued_at() = a.token_issued_at();
  if (a.has_expires_at()) *s.mutable_expires_at() = a.expires_at();
  if (a.has_scope()) *s.mutable_scope() = a.scope();
  s.set_has_password(!a.password_hash().empty());
  return s;
}

std::string ExpiryText(std::optional<absl::Time> t) {
  return t ? StrCat("expires ", absl::FormatTime("%Y-%m-%d %H:%M UTC", *t, absl::UTCTimeZone())) : "no expiry";
}

// A fresh token and its hash, set on `account`.
absl::StatusOr<std::string> NewToken(v1::Account& account, absl::Time now,
                                     std::optional<absl::Time> expires_at) {
  PANTAU_ASSIGN_OR_RETURN(std::string random, SecureRandomBytes(kTokenRandomBytes));
  std::string token = StrCat(kTokenPrefix, HexEncode(random));
  account.set_token_sha256(Sha256(token));
  *account.mutable_token_issued_at() = common::ToTimestamp(now);
  if (expires_at) {
    *account.mutable_expires_at() = common::ToTimestamp(*expires_at);
  } else {
    account.clear_expires_at();
  }
  account.set_disabled(false);
  return token;
}

}  // namespace

std::string_view BearerToken(std::string_view authorization) {
  constexpr std::string_view kBearer = "bearer ";
  if (authorization.size() < kBearer.size()) return "";
  for (size_t i = 0; i < kBearer.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kBearer[i]) return "";
  }
  return authorization.substr(kBearer.size());
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

absl::Status AccountService::CheckScope(v1::Role role, const v1::AccountScope& scope) {
  if (scope.kecamatan_codes_size() == 0 && scope.bidang_size() == 0) return absl::OkStatus();
  if (role == v1::ROLE_ADMIN || role == v1::ROLE_MONITOR) {
    return absl::InvalidArgumentError(StrCat("an ", RoleName(role),
                                             " account cannot be limited: give it no kecamatan and no bidang"));
  }
  if (role == v1::ROLE_INSPECTOR && scope.bidang_size() > 0) {
    return absl::InvalidArgumentError(
        "inspectors are assigned kecamatan only; every field record is Bidang Perdagangan's work");
  }
  const auto catalog = reference_.catalog();
  std::set<std::string_view> seen;
  for (const auto& code : scope.kecamatan_codes()) {
    if (catalog->FindKecamatan(code) == nullptr) {
      return absl::InvalidArgumentError(StrCat("kecamatan \"", common::TruncateUtf8(code, 64),
                                               "\" is not in the reference data (see kecamatan.csv)"));
    }
    if (!seen.insert(code).second) {
      return absl::InvalidArgumentError(StrCat("kecamatan \"", code, "\" is named twice"));
    }
  }
  for (const auto& word : scope.bidang()) {
    if (std::find(std::begin(common::kBidangWords), std::end(common::kBidangWords), word) == std::end(common::kBidangWords)) {
      return absl::InvalidArgumentError(StrCat("bidang \"", common::TruncateUtf8(word, 64),
                                               "\": use koperasi, perindustrian or perdagangan"));
    }
  }
  return absl::OkStatus();
}

absl::Status AccountService::CheckExpiry(std::optional<absl::Time> expires_at) {
  if (expires_at && *expires_at <= clock_.Now()) {
    return absl::InvalidArgumentError("the expiry is in the past: give a later date");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Account> AccountService::Find(std::string_view name) {
  PANTAU_ASSIGN_OR_RETURN(auto account, store_.FindByName(name));
  if (!account) return absl::NotFoundError(StrCat("no account \"", common::TruncateUtf8(name, 64), "\""));
  return *std::move(account);
}

absl::StatusOr<CreatedAccount> AccountService::Create(std::string_view name, v1::Role role,
                                                      std::optional<absl::Time> expires_at,
                                                      const v1::AccountScope& scope, const Actor& actor) {
  auto created = [&]() -> absl::StatusOr<CreatedAccount> {
    if (!IsValidAccountName(name)) {
      return absl::InvalidArgumentError(
          StrCat("account name \"", common::TruncateUtf8(name, 64), "\": use 1 to 64 of a-z, 0-9, '.', '_' and '-'"));
    }
    if (role != v1::ROLE_INSPECTOR && role != v1::ROLE_SUPERVISOR && role != v1::ROLE_ADMIN &&
        role != v1::ROLE_MONITOR) {
      return absl::InvalidArgumentError("role must be inspector, supervisor, admin or monitor");
    }
    PANTAU_RETURN_IF_ERROR(CheckExpiry(expires_at));
    PANTAU_RETURN_IF_ERROR(CheckScope(role, scope));
    const absl::Time now = clock_.Now();
    v1::Account account;
    account.set_name(std::string(name));
    account.set_role(role);
    *account.mutable_created_at() = common::ToTimestamp(now);
    if (scope.kecamatan_codes_size() > 0 || scope.bidang_size() > 0) *account.mutable_scope() = scope;
    CreatedAccount out;
    PANTAU_ASSIGN_OR_RETURN(out.token, NewToken(account, now, expires_at));
    PANTAU_RETURN_IF_ERROR(store_.Create(account));
    out.account = Summary(account);
    return out;
  }();
  PANTAU_RETURN_IF_ERROR(Audit(actor, "account.create", name, created.status(),
                               StrCat("role ", RoleName(role), "; ", common::ScopeDescription(scope), "; ", ExpiryText(expires_at))));
  return created;
}

absl::Status AccountService::Refuse(std::string_view peer, std::string_view account, AuthFailure reason,
                                    absl::Status why) {
  if (metrics_ != nullptr) metrics_->CountAuthFailure(reason);
  log::Warn("auth.failure", {{"peer", peer}, {"account", account}, {"reason", why.message()}});
  const absl::Duration block = throttle_.Failure(peer, clock_.Now());
  PANTAU_RETURN_IF_ERROR(Audit(Actor{"", std::string(peer)}, "auth.failure", account, why));
  if (block > absl::ZeroDuration()) {
    PANTAU_RETURN_IF_ERROR(Audit(Actor{"", std::string(peer)}, "auth.blocked", "", absl::OkStatus(),
                                 StrCat("refused for ", absl::FormatDuration(block), " after repeated failures")));
  }
  return why;
}

absl::StatusOr<Principal> AccountService::Authenticate(std::string_view token, std::string_view peer) {
  const uint64_t generation = generation_.load();  // read before the account: a later change is seen next time
  const absl::Time now = clock_.Now();
  if (absl::Status open = throttle_.Check(peer, now); !open.ok()) {
    if (metrics_ != nullptr) metrics_->CountAuthFailure(AuthFailure::kBlocked);
    return open;
  }
  if (token.empty()) {
    return Refuse(peer, "", AuthFailure::kNoToken, absl::UnauthenticatedError("no bearer token: send \"authorization: Bearer <token>\""));
  }
  if (token.size() > kMaxTokenBytes) {
    return Refuse(peer, "", AuthFailure::kUnknownToken, absl::UnauthenticatedError("the token is not valid (unknown, revoked or mistyped)"));
  }
  // The lookup is keyed by the token's SHA-256, so the index walk reveals nothing about the
  // token's bytes; the stored hash is then compared in constant time.
  const std::string hash = Sha256(token);
  PANTAU_ASSIGN_OR_RETURN(auto account, store_.FindByTokenHash(hash));
  if (!account || account->token_sha256().size() != hash.size() ||
      CRYPTO_memcmp(account->token_sha256().data(), hash.data(), hash.size()) != 0) {
    return Refuse(peer, "", AuthFailure::kUnknownToken, absl::UnauthenticatedError("the token is not valid (unknown, revoked or mistyped)"));
  }
  if (account->disabled()) {
    return Refuse(peer, account->name(), AuthFailure::kRevoked,
                  absl::UnauthenticatedError(StrCat("the token of account \"", account->name(),
                                                    "\" was revoked; ask the admin for a new one")));
  }
  if (account->has_expires_at() && now >= common::FromTimestamp(account->expires_at())) {
    return Refuse(peer, account->name(), AuthFailure::kExpired,
                  absl::UnauthenticatedError(StrCat(
                      "the token of account \"", account->name(), "\" expired on ",
                      absl::FormatTime("%Y-%m-%d %H:%M UTC", common::FromTimestamp(account->expires_at()),
                                       absl::UTCTimeZone()),
                      "; ask the admin for a new one (pantau admin rotate-token)")));
  }
  Principal principal{account->name(), account->role(), account->scope()};
  if (account->has_expires_at()) principal.expires_at = common::FromTimestamp(account->expires_at());
  principal.generation = generation;
  return principal;
}

absl::StatusOr<Principal> AccountService::Recheck(const Principal& principal, std::string_view token,
                                                  std::string_view peer) {
  if (principal.generation == generation_.load() &&
      (!principal.expires_at || clock_.Now() < *principal.expires_at)) {
    return principal;
  }
  return Authenticate(token, peer);
}

absl::StatusOr<std::vector<v1::AccountSummary>> AccountService::List() {
  PANTAU_ASSIGN_OR_RETURN(auto accounts, store_.List());
  std::vector<v1::AccountSummary> out;
  for (const auto& a : accounts) out.push_back(Summary(a));
  return out;
}

absl::Status AccountService::RecordContact(const Principal& principal, std::string_view device_id,
                                           const v1::LaptopReport& laptop) {
  const v1::Device* device = reference_.catalog()->FindDevice(device_id);
  if (device == nullptr) return absl::OkStatus();  // not registered (yet): nothing to show it under
  if (device->account_name() != principal.name) {
    return absl::FailedPreconditionError(
        StrCat("device_id: laptop \"", device_id, "\" is registered to another inspector; ask the admin"));
  }
  if (laptop.pending() < 0 || laptop.needs_attention() < 0) {
    return absl::InvalidArgumentError("laptop: counts cannot be negative");
  }
  v1::DeviceContact contact;
  contact.set_device_id(std::string(device_id));
  contact.set_account_name(principal.name);
  *contact.mutable_contacted_at() = common::ToTimestamp(clock_.Now());
  contact.set_pending(laptop.pending());
  contact.set_needs_attention(laptop.needs_attention());
  return store_.PutDeviceContact(contact);
}

// A change of one account and its audit entry, in one durable write under the store's lock (so two
// changes at once never undo each other, and none is stored unaudited). A change that is refused
// is audited on its own, with its reason, and changes nothing.
absl::StatusOr<v1::Account> AccountService::ChangeAccount(std::string_view name, const Actor& actor,
                                                          std::string_view action, std::string detail,
                                                          const std::function<absl::Status(v1::Account&)>& change) {
  auto changed = store_.Change(name, change, AuditEntryOf(actor, action, name, absl::OkStatus(), detail));
  if (!changed.ok()) {
    PANTAU_RETURN_IF_ERROR(Audit(actor, action, name, changed.status(), detail));
    return changed.status();
  }
  generation_++;
  return changed;
}

absl::StatusOr<v1::AccountSummary> AccountService::Revoke(std::string_view name, const Actor& actor) {
  PANTAU_ASSIGN_OR_RETURN(v1::Account account, ChangeAccount(name, actor, "account.revoke", "", [](v1::Account& a) {
                            a.set_disabled(true);
                            return absl::OkStatus();
                          }));
  return Summary(account);
}

absl::StatusOr<CreatedAccount> AccountService::Rotate(std::string_view name,
                                                      std::optional<absl::Time> expires_at,
                                                      const Actor& actor) {
  CreatedAccount out;
  absl::Status expiry = CheckExpiry(expires_at);
  const absl::Time now = clock_.Now();
  PANTAU_ASSIGN_OR_RETURN(v1::Account account,
                          ChangeAccount(name, actor, "token.rotate", ExpiryText(expires_at), [&](v1::Account& a) {
                            PANTAU_RETURN_IF_ERROR(expiry);
                            PANTAU_ASSIGN_OR_RETURN(out.token, NewToken(a, now, expires_at));
                            return absl::OkStatus();
                          }));
  out.account = Summary(account);
  return out;
}

absl::StatusOr<v1::AccountSummary> AccountService::SetScope(std::string_view name,
                                                            const v1::AccountScope& scope,
                                                            const Actor& actor) {
  PANTAU_ASSIGN_OR_RETURN(v1::Account account,
                          ChangeAccount(name, actor, "account.scope", common::ScopeDescription(scope), [&](v1::Account& a) {
                            PANTAU_RETURN_IF_ERROR(CheckScope(a.role(), scope));
                            if (scope.kecamatan_codes_size() > 0 || scope.bidang_size() > 0) {
                              *a.mutable_scope() = scope;
                            } else {
                              a.clear_scope();
                            }
                            return absl::OkStatus();
                          }));
  return Summary(account);
}

absl::Status AccountService::PasswordProblem(std::string_view name, std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return absl::InvalidArgumentError(StrCat("a password has at most ", kMaxPasswordBytes, " bytes"));
  }
  if (!common::IsValidUtf8(password)) return absl::InvalidArgumentError("the password is not valid UTF-8 text");
  if (CharacterCount(password) < kMinPasswordChars) {
    return absl::InvalidArgumentError(StrCat("a password has at least ", kMinPasswordChars, " characters"));
  }
  if (password == name) return absl::InvalidArgumentError("the password may not be the account's name");
  return absl::OkStatus();
}

absl::StatusOr<v1::AccountSummary> AccountService::SetPassword(std::string_view name, std::string_view password,
                                                               const Actor& actor) {
  const absl::Status acceptable = PasswordProblem(name, password);
  // Hashed before the store's lock is taken (64 MiB and a few hundred milliseconds).
  absl::StatusOr<std::string> hash = acceptable.ok() ? HashPassword(password) : acceptable;
  const absl::Time now = clock_.Now();
  PANTAU_ASSIGN_OR_RETURN(v1::Account account, ChangeAccount(name, actor, "account.password", "", [&](v1::Account& a) {
                            PANTAU_RETURN_IF_ERROR(hash.status());
                            a.set_password_hash(*hash);
                            *a.mutable_password_set_at() = common::ToTimestamp(now);
                            return absl::OkStatus();
                          }));
  return Summary(account);
}

absl::StatusOr<Principal> AccountService::SignIn(std::string_view name, std::string_view password,
                                                 std::string_view peer) {
  const uint64_t generation = generation_.load();
  const absl::Time now = clock_.Now();
  if (absl::Status open = throttle_.Check(peer, now); !open.ok()) {
    if (metrics_ != nullptr) metrics_->CountAuthFailure(AuthFailure::kBlocked);
    return open;
  }
  const absl::Status wrong = absl::UnauthenticatedError("the name or the password is wrong");
  std::optional<v1::Account> account;
  if (IsValidAccountName(name) && password.size() <= kMaxPasswordBytes) {
    PANTAU_ASSIGN_OR_RETURN(account, store_.FindByName(name));
  }
  const bool has_password = account && !account->password_hash().empty();
  const bool matches = PasswordMatches(has_password ? account->password_hash() : DecoyHash(), password);
  const std::string who = account ? account->name() : "";
  if (!has_password || !matches) return Refuse(peer, who, AuthFailure::kWrongPassword, wrong);
  if (account->disabled()) {
    return Refuse(peer, who, AuthFailure::kRevoked,
                  absl::UnauthenticatedError(StrCat("account \"", who, "\" was revoked; ask the admin")));
  }
  if (account->has_expires_at() && now >= common::FromTimestamp(account->expires_at())) {
    return Refuse(peer, who, AuthFailure::kExpired,
                  absl::UnauthenticatedError(StrCat("account \"", who, "\" expired; ask the admin")));
  }
  Principal principal{account->name(), account->role(), account->scope()};
  if (account->has_expires_at()) principal.expires_at = common::FromTimestamp(account->expires_at());
  principal.generation = generation;
  PANTAU_RETURN_IF_ERROR(Audit(Actor{who, std::string(peer)}, "auth.sign_in", who, absl::OkStatus()));
  return principal;
}

absl::StatusOr<Principal> AccountService::Current(const Principal& principal) {
  const uint64_t generation = generation_.load();
  const absl::Time now = clock_.Now();
  if (principal.generation == generation && (!principal.expires_at || now < *principal.expires_at)) return principal;
  PANTAU_ASSIGN_OR_RETURN(auto account, store_.FindByName(principal.name));
  if (!account || account->disabled() || account->password_hash().empty() ||
      (account->has_expires_at() && now >= common::FromTimestamp(account->expires_at()))) {
    return absl::UnauthenticatedError("the session ended: the account was revoked or changed; sign in again");
  }
  Principal current{account->name(), account->role(), account->scope()};
  if (account->has_expires_at()) current.expires_at = common::FromTimestamp(account->expires_at());
  current.generation = generation;
  return current;
}

absl::Status AccountService::Audit(const Actor& actor, std::string_view action, std::string_view target,
                                   const absl::Status& outcome, std::string_view detail) {
  return audit_.Append(AuditEntryOf(actor, action, target, outcome, detail)).status();
}

v1::AuditEntry AccountService::AuditEntryOf(const Actor& actor, std::string_view action, std::string_view target,
                                            const absl::Status& outcome, std::string_view detail) {
  v1::AuditEntry entry;
  *entry.mutable_at() = common::ToTimestamp(clock_.Now());
  entry.set_actor(actor.name);
  entry.set_peer(std::string(common::TruncateUtf8(actor.peer, 128)));
  entry.set_action(std::string(action));
  entry.set_target(std::string(common::TruncateUtf8(target, 128)));
  entry.set_outcome(outcome.ok() ? "ok" : std::string(common::TruncateUtf8(outcome.ToString(), 1024)));
  entry.set_detail(std::string(common::TruncateUtf8(detail, 1024)));
  return entry;
}

absl::StatusOr<v1::ListAuditLogResponse> AccountService::ListAudit(uint64_t after, uint32_t limit) {
  if (limit == 0) limit = kDefaultAuditPage;
  limit = std::min(limit, kMaxAuditPage);
  v1::ListAuditLogResponse response;
  PANTAU_ASSIGN_OR_RETURN(auto entries, audit_.Scan(after, limit));
  for (auto& e : entries) *response.add_entries() = std::move(e);
  PANTAU_ASSIGN_OR_RETURN(uint64_t last, audit_.LastSequence());
  response.set_last_sequence(last);
  return response;
}

}  // namespace pantau::service
