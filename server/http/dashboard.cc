#include "server/http/dashboard.h"
#include "server/service/photo_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"

#include "common/amounts.h"
#include "common/scope.h"
#include "common/str_cat.h"
#include "common/text.h"
#include "common/web.h"
#include "server/http/api.h"
#include "server/http/dashboard_assets.h"
#include "server/service/auth_throttle.h"

namespace pantau::http {
namespace {

constexpr std::string_view kSessionCookie = "pantau_sesi";
constexpr std::string_view kSignInCookie = "pantau_masuk";  // the sign-in form's CSRF token (double submit)

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or "".
std::string CookieValue(std::string_view header, std::string_view name) {
  size_t start = 0;
  while (start < header.size()) {
    size_t end = header.find(';', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = common::StripAsciiSpace(header.substr(start, end - start));
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    start = end + 1;
  }
  return "";
}

// HTML text: every character that could start markup escaped.
std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string CookieHeader(std::string_view name, std::string_view value, const Request& request, std::string_view max_age) {
  return StrCat(name, "=", value, "; Path=/; HttpOnly; SameSite=Strict", request.tls ? "; Secure" : "",
                max_age.empty() ? "" : StrCat("; Max-Age=", max_age));
}

Response Redirect(std::string_view to) {
  Response r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("Location", std::string(to));
  return r;
}

// Constant-time comparison of two tokens of this server's making.
bool SameToken(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// A change must come from a page of this server: an Origin, when the browser sends one, naming it.
bool SameOrigin(const Request& request) {
  if (request.origin.empty()) return true;  // SameSite=Strict cookies and the CSRF token still hold
  return request.origin == StrCat(request.tls ? "https://" : "http://", request.host);
}

std::string FormValue(const std::vector<std::pair<std::string, std::string>>& form, std::string_view name) {
  for (const auto& [k, v] : form) {
    if (k == name) return v;
  }
  return "";
}

}  // namespace

void Dashboard::Harden(Response& r) {
  // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" with a form's
  // post, and the sign-in could not tell this server's own form from another site's.
  for (auto& header : common::PageSecurityHeaders("same-origin")) r.headers.push_back(std::move(header));
}

std::optional<DashboardSession> Dashboard::SessionOf(const Request& request) {
  const std::string id = CookieValue(request.cookie, kSessionCookie);
  if (id.empty()) return std::nullopt;
  std::optional<DashboardSession> session = sessions_.Find(id);
  if (!session) return std::nullopt;
  auto current = accounts_.Current(session->principal);
  if (!current.ok()) {  // revoked, expired, password removed: signed out
    sessions_.End(id);
    return std::nullopt;
  }
  if (current->generation != session->principal.generation) {
    sessions_.Update(id, *current);
    session->principal = *current;
  }
  return session;
}

std::optional<service::Principal> Dashboard::SignedIn(const Request& request) {
  std::optional<DashboardSession> session = SessionOf(request);
  if (!session) return std::nullopt;
  return session->principal;
}

Response Dashboard::SignInForm(int status, const std::string& message, const std::string& name) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  const std::string csrf = RandomId();
  const v1::Deployment deployment = queries_.Deployment();
  r.body = StrCat(
      "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>Masuk — Pantau</title><link rel=\"stylesheet\" href=\"/dasbor.css\"></head><body class=\"masuk\">"
      "<main><h1>Pantau</h1><p>",
      Escape(deployment.name().empty() ? "Dasbor penyelia" : deployment.name()), "</p>",
      message.empty() ? "" : StrCat("<p class=\"galat\" role=\"alert\" id=\"galat\">", Escape(message), "</p>"),
      "<form method=\"post\" action=\"/masuk\"><input type=\"hidden\" name=\"csrf\" value=\"", csrf, "\">"
      "<label for=\"nama\">Nama akun</label><input id=\"nama\" name=\"nama\" autocomplete=\"username\" required value=\"",
      Escape(name), "\">"
      "<label for=\"sandi\">Kata sandi</label><input id=\"sandi\" name=\"sandi\" type=\"password\" "
      "autocomplete=\"current-password\" required>"
      "<button type=\"submit\">Masuk</button></form></main></body></html>");
  r.headers.emplace_back("Set-Cookie", StrCat(kSignInCookie, "=", csrf, "; Path=/masuk; HttpOnly; SameSite=Strict"));
  Harden(r);
  return r;
}

Response Dashboard::SignIn(const Request& request) {
  auto form = ParseQuery(request.body);
  if (!form.ok() || !SameOrigin(request) ||
      !SameToken(FormValue(*form, "csrf"), CookieValue(request.cookie, kSignInCookie))) {
    return SignInForm(403, "Halaman masuk sudah kedaluwarsa; coba lagi.", "");
  }
  const std::string name(common::StripAsciiSpace(FormValue(*form, "nama")));
  auto principal = accounts_.SignIn(name, FormValue(*form, "sandi"), request.peer);
  if (!principal.ok()) {
    if (std::optional<int64_t> wait = service::ThrottledFor(principal.status())) {
      Response r = SignInForm(429, StrCat("Terlalu banyak percobaan yang gagal dari alamat ini; coba lagi dalam ",
                                          std::max<int64_t>(*wait, 1), " detik."),
                              name);
      r.headers.emplace_back("Retry-After", StrCat(std::max<int64_t>(*wait, 1)));
      return r;
    }
    if (principal.status().code() == absl::StatusCode::kUnauthenticated) {
      return SignInForm(401, "Nama akun atau kata sandi salah.", name);
    }
    return SignInForm(500, "Pantau tidak dapat memeriksa kata sandi sekarang; coba lagi.", name);
  }
  if (principal->role != v1::ROLE_SUPERVISOR && principal->role != v1::ROLE_ADMIN) {
    return SignInForm(403, "Dasbor ini untuk penyelia dan admin.", name);
  }
  // Always a new id: an id planted before the sign-in is never the one signed in.
  if (std::string old = CookieValue(request.cookie, kSessionCookie); !old.empty()) sessions_.End(old);
  const DashboardSession session = sessions_.Start(*principal);
  Response r = Redirect("/");
  r.headers.emplace_back("Set-Cookie", CookieHeader(kSessionCookie, session.id, request, ""));
  r.headers.emplace_back("Set-Cookie", StrCat(kSignInCookie, "=; Path=/masuk; HttpOnly; SameSite=Strict; Max-Age=0"));
  Harden(r);
  return r;
}

Response Dashboard::SignOut(const Request& request) {
  std::optional<DashboardSession> session = SessionOf(request);
  auto form = ParseQuery(request.body);
  if (session && form.ok() && SameOrigin(request) && SameToken(FormValue(*form, "csrf"), session->csrf)) {
    sessions_.End(session->id);
  } else if (session) {
    Response refused = Redirect("/");  // a forged sign-out changes nothing
    Harden(refused);
    return refused;
  }
  Response r = Redirect("/masuk");
  r.headers.emplace_back("Set-Cookie", CookieHeader(kSessionCookie, "", request, "0"));
  Harden(r);
  return r;
}

namespace {

// {"error": {"code": ..., "message": ...}} with the HTTP status of `status`.
Response JsonError(const absl::Status& status) {
  Response r;
  r.status = HttpStatusOf(status);
  r.body = nlohmann::json{{"error", {{"code", absl::StatusCodeToString(status.code())},
                                     {"message", std::string(status.message())}}}}
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

// "87,5", "87.5", "120" or "1.250" (a thousands point with three digits after it, unless the number
// starts with 0: "0.125" is a decimal) -> thousandths: 87500, 120000, 1250000, 125. The thousands
// points are taken out here; the rest is common::ParseMilliText, as indicator_targets.csv is read.
std::optional<int64_t> ParseMilli(std::string_view text) {
  std::string digits(common::StripAsciiSpace(text));
  const size_t comma = digits.find(',');
  const size_t point = digits.find('.');
  if (comma != std::string::npos) {
    // "1.093,75": every point before the decimal comma groups thousands.
    digits.erase(std::remove(digits.begin(), digits.begin() + static_cast<std::ptrdiff_t>(comma), '.'),
                 digits.begin() + static_cast<std::ptrdiff_t>(comma));
  } else if (std::count(digits.begin(), digits.end(), '.') > 1 ||
             (point != std::string::npos && point > 0 && digits.size() - point == 4 && digits[0] != '0')) {
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  }
  return common::ParseMilliText(digits);
}

}  // namespace

Response Dashboard::SaveIkkValue(const Request& request) {
  std::optional<DashboardSession> session = SessionOf(request);
  auto form = ParseQuery(request.body);
  if (!session) return JsonError(absl::UnauthenticatedError("Sesi berakhir; masuk lagi."));
  if (!form.ok() || !SameOrigin(request) || !SameToken(FormValue(*form, "csrf"), session->csrf)) {
    return JsonError(absl::PermissionDeniedError("Halaman ini sudah kedaluwarsa; muat ulang lalu coba lagi."));
  }
  const service::Actor actor{session->principal.name, request.peer};
  if (session->principal.role != v1::ROLE_ADMIN) {
    const absl::Status refused = absl::PermissionDeniedError("Hanya admin yang dapat mengisi target dan realisasi.");
    (void)accounts_.Audit(actor, "ikk.isian", "", refused);
    return JsonError(refused);
  }
  const std::string kind = FormValue(*form, "jenis"), value = FormValue(*form, "nilai");
  int number = 0, year = 0;
  if (!absl::SimpleAtoi(FormValue(*form, "nomor"), &number) || !absl::SimpleAtoi(FormValue(*form, "tahun"), &year) ||
      year < 2000 || year > 2100) {
    return JsonError(absl::InvalidArgumentError("Pilih indikator dan tahun (2000–2100)."));
  }
  const auto catalog = queries_.Catalog();
  const v1::Indicator* indicator = catalog->FindIndicator(number);
  if (indicator == nullptr) return JsonError(absl::InvalidArgumentError(StrCat("Tidak ada indikator nomor ", number, ".")));
  if (kind != "target" && kind != "realisasi") {
    return JsonError(absl::InvalidArgumentError("Jenis isian harus target atau realisasi."));
  }
  if (kind == "realisasi" && indicator->computation() != v1::INDICATOR_COMPUTATION_MANUAL) {
    return JsonError(absl::InvalidArgumentError(
        StrCat("Realisasi indikator ", number, " dihitung dari catatan lapangan; yang diisi hanya targetnya.")));
  }
  const bool clear = common::StripAsciiSpace(value).empty();
  std::optional<int64_t> milli = clear ? std::optional<int64_t>(0) : ParseMilli(value);
  if (!milli) {
    return JsonError(absl::InvalidArgumentError(StrCat("Nilai \"", common::TruncateUtf8(value, 40),
                                                       "\" bukan angka; tulis misalnya 120, 87,5 atau 1.250 "
                                                       "(paling banyak tiga angka di belakang koma).")));
  }
  v1::ReferenceEntity entity;
  if (kind == "target") {
    auto* t = entity.mutable_indicator_target();
    t->set_indicator_number(number);
    t->set_year(year);
    t->set_target_milli(*milli);
  } else {
    auto* m = entity.mutable_manual_realisation();
    m->set_indicator_number(number);
    m->set_year(year);
    m->set_value_milli(*milli);
    m->set_note(std::string(common::TruncateUtf8(FormValue(*form, "catatan"), 500)));
  }
  const bool present = kind == "target" ? catalog->FindIndicatorTarget(number, year) != nullptr
                                        : catalog->FindManualRealisation(number, year) != nullptr;
  auto put = clear ? (present ? reference_.Put({}, {entity}) : absl::StatusOr<service::ReferencePutResult>(
                                                                   service::ReferencePutResult{}))
                   : reference_.Put({entity}, {});
  std::string said = clear ? "belum diisi" : common::FormatMilliText(*milli);
  std::replace(said.begin(), said.end(), '.', ',');  // as Indonesians write it: 1093,75
  (void)accounts_.Audit(actor, StrCat("ikk.", kind), StrCat("indikator ", number, " tahun ", year), put.status(),
                        StrCat(kind, " = ", said));
  if (!put.ok()) return JsonError(put.status());
  Response r;
  r.body = nlohmann::json{{"nomor", number}, {"tahun", year}, {"jenis", kind}, {"nilai_milli", *milli},
                          {"kosong", clear}}
               .dump();
  return r;
}

std::optional<Response> Dashboard::Handle(const Request& request) {
  const std::string_view path = std::string_view(request.target).substr(0, request.target.find('?'));
  if (request.method == "GET") {
    for (const dashboard::Asset& a : dashboard::Assets()) {
      if (a.path == path && path != "/dasbor.html") {
        Response r;
        r.content_type = std::string(a.content_type);
        r.body = std::string(a.bytes);
        Harden(r);
        return r;
      }
    }
  }
  if (path == "/masuk") {
    if (request.method == "POST") return SignIn(request);
    if (request.method == "GET") return SignedIn(request) ? Redirect("/") : SignInForm(200, "", "");
  }
  if (path == "/keluar" && request.method == "POST") return SignOut(request);
  if (path == "/api/v1/isian-ikk" && request.method == "POST") {
    Response r = SaveIkkValue(request);
    Harden(r);
    return r;
  }
  if (path == "/" && request.method == "GET") {
    if (!SignedIn(request)) {
      Response r = Redirect("/masuk");
      Harden(r);
      return r;
    }
    for (const dashboard::Asset& a : dashboard::Assets()) {
      if (a.path == "/dasbor.html") {
        Response r;
        r.content_type = std::string(a.content_type);
        r.body = std::string(a.bytes);
        Harden(r);
        return r;
      }
    }
  }
  if (path == "/api/v1/sesi" && request.method == "GET") {
    std::optional<DashboardSession> session = SessionOf(request);
    Response r;
    if (!session) {
      r.status = 401;
      r.body = R"({"error": {"code": "UNAUTHENTICATED", "message": "not signed in"}})";
    } else {
      const v1::Deployment deployment = queries_.Deployment();
      // Names for the pickers: every commodity, and the markets the account may see.
      const auto catalog = queries_.Catalog();
      nlohmann::json commodities = nlohmann::json::array(), markets = nlohmann::json::array();
      for (const auto& code : catalog->Codes("commodity")) {
        const v1::Commodity* c = catalog->FindCommodity(code);
        commodities.push_back({{"code", code}, {"name", c->name()}, {"unit", c->unit()}});
      }
      for (const auto& code : catalog->Codes("market")) {
        const v1::Market* m = catalog->FindMarket(code);
        if (!common::KecamatanInScope(session->principal.scope, m->kecamatan_code())) continue;
        markets.push_back({{"code", code}, {"name", m->name()}});
      }
      // Names for codes in the reports' rows: kecamatan and follow-up actions.
      nlohmann::json kecamatan = nlohmann::json::array(), actions = nlohmann::json::array();
      for (const auto& code : catalog->Codes("kecamatan")) {
        kecamatan.push_back({{"code", code}, {"name", catalog->FindKecamatan(code)->name()}});
      }
      for (const auto& code : catalog->Codes("follow_up_action")) {
        actions.push_back({{"code", code}, {"name", catalog->FindFollowUpAction(code)->name()}});
      }
      r.body = nlohmann::json{{"account", session->principal.name},
                              {"role", std::string(common::RoleName(session->principal.role))},
                              {"scope", common::ScopeDescription(session->principal.scope)},
                              {"regency_wide", session->principal.scope.kecamatan_codes_size() == 0},
                              // Evidence photos are read by hash, without a place: unlimited accounts only.
                              {"photos", service::PhotoService::Admit(session->principal).ok()},
                              {"csrf", session->csrf},
                              {"deployment", deployment.name()},
                              // The pages count their default ranges from the server's today, in
                              // the deployment's time zone, not from the browser's clock.
                              {"today", absl::FormatCivilTime(queries_.Today())},
                              {"idle_minutes", absl::ToInt64Minutes(sessions_.options().idle)},
                              {"commodities", commodities},
                              {"markets", markets},
                              {"kecamatan", kecamatan},
                              {"actions", actions}}
                   .dump();
    }
    Harden(r);
    return r;
  }
  return std::nullopt;
}

}  // namespace pantau::http
