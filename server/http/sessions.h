// The dashboard's sessions: after a person signs in with a password, a random id in an HttpOnly,
// SameSite=Strict cookie (Secure over TLS), with its own CSRF token; ended by sign-out, by an idle
// time and by an absolute age. Kept in memory: a restart of the server signs everyone out (they
// sign in again; nothing is lost). A sign-in always makes a new id, so an id planted before it
// (session fixation) is never the one that is signed in.
// Thread-safety: thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "server/service/clock.h"
#include "server/service/principal.h"

namespace pantau::http {

struct SessionOptions {
  absl::Duration idle = absl::Minutes(30);     // no request for this long: signed out
  absl::Duration absolute = absl::Hours(12);   // a working day, whatever the activity
  size_t max_sessions = 10000;                 // the oldest is ended beyond this
};

struct DashboardSession {
  std::string id;    // 256 random bits, hex: the cookie's value
  std::string csrf;  // 256 random bits, hex: sent back with every change
  service::Principal principal;
  absl::Time created;
  absl::Time last_seen;
};

class Sessions {
 public:
  explicit Sessions(const service::Clock& clock, SessionOptions options = {}) : clock_(clock), options_(options) {}

  // A new session of `principal`.
  DashboardSession Start(service::Principal principal);
  // The live session of `id`, its idle time restarted; nullopt for an unknown, ended or expired one
  // (which is forgotten).
  std::optional<DashboardSession> Find(std::string_view id);
  // Keeps `principal` (as it is now) for the session `id`.
  void Update(std::string_view id, const service::Principal& principal);
  void End(std::string_view id);
  size_t size();
  const SessionOptions& options() const { return options_; }

 private:
  const service::Clock& clock_;
  const SessionOptions options_;
  std::mutex mu_;
  std::map<std::string, DashboardSession, std::less<>> sessions_;
};

// 256 random bits as 64 hex digits (the secure random source).
std::string RandomId();

}  // namespace pantau::http
