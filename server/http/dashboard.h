// The supervisor's dashboard at "/" on the server's HTTP side (docs/dashboard.md): people sign in
// with a password (AccountService::SignIn: Argon2id, the tokens' back-off and audit log) and get a
// session (sessions.h); its pages are built into the binary and read the same /api/v1 reports as a
// token does, with the session's account, role and scope.
//
//   GET  /              the dashboard (signed in), else 303 to /masuk
//   GET  /masuk         the sign-in form (its CSRF token in a cookie and the form: double submit)
//   POST /masuk         name, password, csrf -> a new session cookie and 303 to /; 401 again the
//                       form with the reason; 429 while the address backs off
//   POST /keluar        csrf -> the session ended, its cookie cleared, 303 to /masuk
//   GET  /api/v1/sesi   the signed-in account, role, scope and the session's CSRF token
//   POST /api/v1/isian-ikk  an admin's target or manual realisation of an IKK row for a year
//                       (csrf, nomor, tahun, jenis=target|realisasi, nilai; an empty nilai
//                       clears it), stored as reference data and written to the audit log
//   GET  /dasbor.js, /dasbor.css
//
// Every change (POST) must carry the form's CSRF token and, when the browser sends one, an Origin
// of this server. Every answer forbids framing and caching and allows only this server's scripts.
// Thread-safety: thread-safe.
#pragma once

#include <optional>

#include "server/http/api_types.h"
#include "server/http/sessions.h"
#include "server/service/account_service.h"
#include "server/service/query_service.h"
#include "server/service/reference_service.h"

namespace pantau::http {

class Dashboard {
 public:
  Dashboard(service::AccountService& accounts, service::QueryService& queries, service::ReferenceService& reference,
            const service::Clock& clock, SessionOptions options = {})
      : accounts_(accounts), queries_(queries), reference_(reference), sessions_(clock, options) {}

  // The answer for a dashboard path, or nullopt for any other.
  std::optional<Response> Handle(const Request& request);
  // The account signed in by the request's session cookie, as it is now; nullopt without one.
  std::optional<service::Principal> SignedIn(const Request& request);
  // The headers of every dashboard answer (and of /api/v1 answers read by it).
  static void Harden(Response& response);

  Sessions& sessions() { return sessions_; }

 private:
  Response SignInForm(int status, const std::string& message, const std::string& name);
  Response SignIn(const Request& request);
  Response SignOut(const Request& request);
  Response SaveIkkValue(const Request& request);
  // The live session of the request's cookie, its principal refreshed (revoked: ended).
  std::optional<DashboardSession> SessionOf(const Request& request);

  service::AccountService& accounts_;
  service::QueryService& queries_;
  service::ReferenceService& reference_;
  Sessions sessions_;
};

}  // namespace pantau::http
