#include "client/ui/app.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "client/audit_entry.h"
#include "client/entry.h"
#include "client/laptop.h"
#include "client/lookups.h"
#include "client/photos.h"
#include "client/record_ids.h"
#include "client/uttp_check.h"
#include "client/ui/assets.h"
#include "common/amounts.h"
#include "common/checklists.h"
#include "common/dates.h"
#include "common/metrology.h"
#include "common/record_kinds.h"
#include "common/reference_csv.h"
#include "common/str_cat.h"
#include "common/text.h"
#include "common/web.h"

namespace pantau::client::ui {
namespace {

using nlohmann::json;

constexpr char kCookie[] = "pantau_ui";

bool SameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string UrlDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() + 0 && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// The value of `name` in the query of `target`, decoded; "" when absent.
std::string QueryParam(const std::string& target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string::npos) return "";
  std::string_view query(target);
  query.remove_prefix(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return "";
}

std::string CookieValue(const std::string& header, std::string_view name) {
  std::string_view rest(header);
  while (!rest.empty()) {
    const size_t semi = rest.find(';');
    std::string_view part = common::StripAsciiSpace(rest.substr(0, semi));
    const size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    rest.remove_prefix(semi + 1);
  }
  return "";
}

Response Json(int status, const json& body) {
  Response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

Response Error(int status, const std::string& message) { return Json(status, {{"error", message}}); }

Response Page(int status, const std::string& title, const std::string& text) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  // Both texts are ours, never from a request: nothing to escape.
  r.body = StrCat("<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>", title,
                  "</title><link rel=\"stylesheet\" href=\"/app.css\"></head><body><main class=\"notice\"><h1>", title,
                  "</h1><p>", text, "</p></main></body></html>");
  return r;
}

// Every message of an answer is in the page's language (the X-Pantau-Lang header).
json ErrorsJson(const std::vector<v1::FieldError>& errors, common::Language lang) {
  json out = json::array();
  for (const auto& e : errors) {
    out.push_back({{"field", e.field()}, {"label", common::FieldLabel(e.field(), lang)}, {"reason", common::ReasonIn(e, lang)}});
  }
  return out;
}

Response ErrorIn(int status, const common::Message& message, common::Language lang) {
  return Error(status, common::Render(message, lang));
}

common::Message NotAPrice(std::string_view typed) {
  return common::Msg("\"{}\" is not a price: write whole Rupiah, e.g. 13100, 13.100 or Rp 13.100", typed);
}

// A refused audit as the Audit form takes it: each answer as it would be typed (AnswerFor reads
// it back), the items marked tidak dapat diperiksa with their reasons, and the findings the
// inspector added beyond the checklist's own.
json AuditForm(const v1::Record& record, const common::ReferenceCatalog& catalog, absl::TimeZone zone) {
  const v1::OutletAudit& a = record.outlet_audit();
  json answers = json::object(), not_checked = json::object();
  for (const auto& answer : a.answers()) {
    switch (answer.value_case()) {
      case v1::ChecklistAnswer::kYes:
        answers[answer.item_code()] = answer.yes() ? "ya" : "tidak";
        break;
      case v1::ChecklistAnswer::kCount:
        answers[answer.item_code()] = StrCat(answer.count());
        break;
      case v1::ChecklistAnswer::kPriceRupiah:
        answers[answer.item_code()] = StrCat(answer.price_rupiah());
        break;
      case v1::ChecklistAnswer::kWeightG:
        answers[answer.item_code()] = StrCat(answer.weight_g());
        break;
      case v1::ChecklistAnswer::kPhotoSha256:
        answers[answer.item_code()] = answer.photo_sha256();
        break;
      case v1::ChecklistAnswer::kNotCheckedReason:
        not_checked[answer.item_code()] = answer.not_checked_reason();
        break;
      case v1::ChecklistAnswer::VALUE_NOT_SET:
        break;
    }
  }
  const absl::CivilDay day = absl::ToCivilDay(common::FromTimestamp(record.observed_at()), zone);
  std::set<std::string> computed;
  if (const v1::Checklist* checklist = common::ChecklistFor(a, catalog, day)) {
    for (const auto& f : common::EvaluateChecklist(*checklist, a, catalog, day, catalog.PriceZonesOfOutlet(a.outlet_code()))) {
      computed.insert(f.code);
    }
  }
  json added = json::array();
  for (const auto& f : a.findings()) {
    if (computed.count(f) == 0) added.push_back(f);
  }
  return {{"outlet", a.outlet_code()}, {"answers", answers}, {"not_checked", not_checked}, {"findings", added}};
}

// A refused verification as the UTTP form takes it: masses in kg, g or mg, volumes in mL.
json UttpForm(const v1::UttpVerification& u) {
  json points = json::array(), runs = json::array();
  for (const auto& p : u.weighing_points()) {
    points.push_back({{"load", common::FormatMassText(p.load_mg())}, {"indication", common::FormatMassText(p.indication_mg())}});
  }
  for (const auto& r : u.volume_runs()) {
    runs.push_back({{"flow", r.flow()}, {"actual", StrCat(r.actual_ml(), " ml")}, {"indication", StrCat(r.indication_ml(), " ml")}});
  }
  const v1::VerificationKind kind = u.kind();
  return {{"instrument", u.instrument_id()},
          {"kind", kind == v1::VERIFICATION_KIND_TERA         ? "tera"
                   : kind == v1::VERIFICATION_KIND_PENGAWASAN ? "pengawasan"
                                                              : "tera_ulang"},
          {"class", u.accuracy_class()},
          {"max", u.max_mg() > 0 ? common::FormatMassText(u.max_mg()) : ""},
          {"e", u.e_mg() > 0 ? common::FormatMassText(u.e_mg()) : ""},
          {"points", points},
          {"runs", runs},
          {"seals", u.seal_numbers()},
          {"certificate", u.certificate_number()}};
}

}  // namespace

absl::StatusOr<std::unique_ptr<App>> App::Open(const std::string& home, std::string secret, Sleeper& sleeper) {
  auto store = LaptopStore::Open(home);
  if (!store.ok()) return store.status();
  auto app = std::make_unique<App>(home, std::move(secret), *std::move(store), sleeper);
  if (absl::Status loaded = app->Reload(); !loaded.ok()) return loaded;
  if (app->settings_.account.empty()) {
    return absl::FailedPreconditionError("not logged in: run `pantau login --server HOST:PORT --token-file FILE` first");
  }
  return app;
}

absl::Status App::Reload() {
  auto settings = store_->Settings();
  if (!settings.ok()) return settings.status();
  settings_ = *settings;
  auto catalog = store_->LoadCatalog();
  if (!catalog.ok()) return catalog.status();
  catalog_ = *std::move(catalog);
  policy_.display_zone = catalog_.TimeZone();
  return absl::OkStatus();
}

absl::CivilDay App::Today() const { return absl::ToCivilDay(absl::Now(), policy_.display_zone); }

bool App::HostAllowed(const std::string& host) const {
  return host == StrCat("127.0.0.1:", port_) || host == StrCat("localhost:", port_);
}

bool App::OriginAllowed(const std::string& origin) const {
  return origin == StrCat("http://127.0.0.1:", port_) || origin == StrCat("http://localhost:", port_);
}

const App::Session* App::SessionOf(const Request& request) const {
  const std::string id = CookieValue(request.cookie, kCookie);
  if (id.empty()) return nullptr;
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : &it->second;
}

Response App::Handle(const Request& request) {
  std::unique_lock lock(mu_);
  lang_ = common::ParseLanguage(request.language);
  Response response;
  if (!HostAllowed(request.host)) {
    // A page of another site that resolved its name to 127.0.0.1 (DNS rebinding) lands here.
    response = ErrorIn(403, common::Msg("this app answers only at 127.0.0.1 or localhost with its own port"), lang_);
  } else {
    const std::string path = request.target.substr(0, request.target.find('?'));
    const Session* session = SessionOf(request);
    if (request.method == "GET" && path == "/masuk") {
      response = SignIn(QueryParam(request.target, "kunci"));
    } else if (request.method == "GET" && (path == "/app.js" || path == "/app.css")) {
      for (const Asset& a : Assets()) {
        if (a.path == path) {
          response.content_type = std::string(a.content_type);
          response.body = std::string(a.bytes);
        }
      }
    } else if (session == nullptr) {
      response = path.rfind("/api/", 0) == 0
                     ? ErrorIn(401, common::Msg("not signed in: open the link `pantau ui` printed"), lang_)
                     : Page(401, "Pantau", "Buka tautan yang dicetak oleh <code>pantau ui</code> di terminal.");
    } else if (request.method != "GET" && !OriginAllowed(request.origin)) {
      response = ErrorIn(403, common::Msg("a change must come from this app's own page"), lang_);
    } else if (request.method != "GET" && !SameSecret(request.csrf, session->csrf)) {
      response = ErrorIn(403, common::Msg("the page's token is missing or stale: reload the page"), lang_);
    } else if (request.method == "POST" && path == "/api/v1/sync") {
      lock.unlock();  // the network: other requests go on meanwhile
      response = Sync(request.body, common::ParseLanguage(request.language));
      lock.lock();
    } else {
      response = Route(request, path, *session);
    }
  }
  // Every answer: no framing, no sniffing, scripts and styles only from here, nothing cached.
  for (auto& header : common::PageSecurityHeaders("no-referrer")) response.headers.push_back(std::move(header));
  return response;
}

Response App::SignIn(const std::string& key) {
  if (!SameSecret(key, secret_)) {
    return Page(403, "Pantau", "Tautan ini tidak berlaku. Buka tautan yang dicetak oleh <code>pantau ui</code>.");
  }
  const std::string id = RandomHex(32);
  const std::string csrf = RandomHex(32);
  if (id.empty() || csrf.empty()) return Page(500, "Pantau", "Tidak ada sumber acak di laptop ini.");
  sessions_[id] = Session{csrf};
  Response r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("Set-Cookie", StrCat(kCookie, "=", id, "; HttpOnly; SameSite=Strict; Path=/"));
  r.headers.emplace_back("Location", "/");  // the secret leaves the address bar and the history
  return r;
}

Response App::Route(const Request& request, const std::string& path, const Session& session) {
  if (request.method == "GET") {
    if (path == "/" || path == "/index.html") {
      for (const Asset& a : Assets()) {
        if (a.path == "/index.html") {
          Response r;
          r.content_type = std::string(a.content_type);
          r.body = std::string(a.bytes);
          return r;
        }
      }
    }
    if (path == "/api/v1/session") return SessionJson(session);
    if (path == "/api/v1/state") return State();
    if (path == "/api/v1/list") return Lookup(QueryParam(request.target, "kind"), QueryParam(request.target, "q"));
    if (path == "/api/v1/sheet") return Sheet(QueryParam(request.target, "market"), QueryParam(request.target, "day"));
    if (path == "/api/v1/records") {
      return Records(QueryParam(request.target, "day"), QueryParam(request.target, "kind"),
                     QueryParam(request.target, "market"));
    }
    if (path == "/api/v1/checklist") return Checklist(QueryParam(request.target, "outlet"));
    if (path == "/api/v1/instrument") return Instrument(QueryParam(request.target, "id"));
  } else if (request.method == "POST") {
    if (path == "/api/v1/prices") return SavePrice(request.body);
    if (path == "/api/v1/requeue") return Requeue(request.body);
    if (path == "/api/v1/drop") return Drop(request.body);
    if (path == "/api/v1/change") return Change(request.body);
    if (path == "/api/v1/audit/check") return Audit(request.body, /*save=*/false);
    if (path == "/api/v1/audits") return Audit(request.body, /*save=*/true);
    if (path == "/api/v1/followups") return FollowUp(request.body);
    if (path == "/api/v1/photos") return Photo(request.body);
    if (path == "/api/v1/uttp/check") return Uttp(request.body, /*save=*/false);
    if (path == "/api/v1/uttp") return Uttp(request.body, /*save=*/true);
    if (path == "/api/v1/import") return Import(request.body);
  }
  return Error(404, StrCat(request.method, " ", path, ": no such page"));
}

Response App::SessionJson(const Session& session) {
  const v1::Deployment* deployment = catalog_.FindDeployment();
  return Json(200, {{"csrf", session.csrf},
                    {"account", settings_.account},
                    {"device", settings_.device_id},
                    {"deployment", deployment != nullptr ? deployment->name() : ""},
                    {"time_zone", common::ZoneName(policy_.display_zone)},
                    {"today", common::FormatLocalDate(Today())},
                    {"auto_sync_seconds", absl::ToInt64Seconds(auto_every_)}});
}

Response App::State() {
  auto counts = store_->Counts();
  if (!counts.ok()) return Error(500, common::StatusText(counts.status(), lang_));
  auto last_sync = store_->LastSync();
  auto last_pull = store_->LastPull();
  auto when = [&](const absl::StatusOr<std::optional<absl::Time>>& t) -> json {
    if (!t.ok() || !t->has_value()) return nullptr;
    return common::FormatLocalMinute(**t, policy_.display_zone);
  };
  json attention = json::array();
  (void)store_->ScanAttention([&](const v1::OutboxEntry& e) {
    json item = {{"id", e.record().id()},
                 {"what", common::Render(DescribeRecord(e.record(), catalog_, policy_.display_zone), lang_)},
                 {"kind", common::KindOf(e.record()) ? std::string(common::KindName(*common::KindOf(e.record()))) : ""},
                 {"conflict", e.outcome() == v1::PUSH_OUTCOME_CONFLICT},
                 {"message", e.message()},
                 {"errors", ErrorsJson({e.errors().begin(), e.errors().end()}, lang_)}};
    if (e.record().has_price_sample()) {  // what "Perbaiki" starts from
      const auto& p = e.record().price_sample();
      const v1::Market* m = catalog_.FindMarket(p.market_code());
      item["price"] = {{"market", p.market_code()},
                       {"market_name", m != nullptr ? m->name() : p.market_code()},
                       {"commodity", p.commodity_code()},
                       {"trader", p.trader()},
                       {"price", p.price_rupiah()},
                       {"day", common::FormatLocalDate(absl::ToCivilDay(common::FromTimestamp(e.record().observed_at()),
                                                                         policy_.display_zone))}};
    }
    // What "Perbaiki" opens the Audit or UTTP form with: the refused record's answers, as typed.
    if (e.record().has_outlet_audit()) item["audit"] = AuditForm(e.record(), catalog_, policy_.display_zone);
    if (e.record().has_uttp_verification()) item["uttp"] = UttpForm(e.record().uttp_verification());
    attention.push_back(item);
    return attention.size() < 100;
  });
  // The scheduled price checks the last pull said were missed at this inspector's markets.
  json missed = json::array();
  int64_t missed_total = 0;
  if (auto missing = store_->MissingObservations(); missing.ok()) {
    missed_total = missing->total;
    for (const auto& a : missing->alerts) {
      missed.push_back({{"day", a.day()},
                        {"commodity", a.commodity_code()},
                        {"commodity_name", a.commodity_name().empty() ? a.commodity_code() : a.commodity_name()},
                        {"market", a.market_code()},
                        {"market_name", a.market_name().empty() ? a.market_code() : a.market_name()}});
    }
  }
  return Json(200, {{"pending", counts->pending},
                    {"delivered", counts->acknowledged},
                    {"needs_attention", counts->needs_attention},
                    {"attention", attention},
                    {"missed_checks", missed},
                    {"missed_checks_total", missed_total},
                    {"last_sync", when(last_sync)},
                    {"reference_pulled", when(last_pull)},
                    {"reference_change", catalog_.sequence()},
                    {"auto_sync", {{"every_seconds", absl::ToInt64Seconds(auto_every_)},
                                   {"failures", auto_failures_},
                                   {"last", last_outcome_.id.empty() ? "" : common::Render(last_outcome_, lang_)},
                                   {"next", next_auto_ == absl::InfinitePast()
                                                ? json(nullptr)
                                                : json(common::FormatLocalMinute(next_auto_, policy_.display_zone))}}}});
}

Response App::Lookup(const std::string& kind, const std::string& text) {
  auto rows = client::Lookup(catalog_, kind, text);
  if (!rows) return ErrorIn(400, common::Msg("kind: \"{}\" cannot be listed", kind), lang_);
  json out = json::array();
  for (const auto& r : *rows) {
    out.push_back({{"code", r.code}, {"name", r.name}, {"detail", r.detail}, {"kecamatan", r.kecamatan}});
  }
  return Json(200, out);
}

Response App::Sheet(const std::string& market_code, const std::string& day_text) {
  const v1::Market* market = catalog_.FindMarket(market_code);
  if (market == nullptr) return Error(404, StrCat("market: \"", market_code, "\" is not a market of this laptop's reference data"));
  const std::optional<absl::CivilDay> day = day_text.empty() ? std::optional(Today()) : common::ParseLocalDate(day_text);
  if (!day) return ErrorIn(400, common::Msg("day: \"{}\" is not a date YYYY-MM-DD", day_text), lang_);
  // What this laptop recorded at this market: the traders it knows, the day's cells, the last
  // price before the day.
  std::vector<std::string> traders;
  std::set<std::string> known;
  std::map<std::string, json> cells;                                 // commodity -> trader -> cell
  std::map<std::string, std::pair<absl::Time, int64_t>> last_before;  // commodity -> (when, price)
  const absl::Time day_start = absl::FromCivil(*day, policy_.display_zone);
  const absl::Time day_end = absl::FromCivil(*day + 1, policy_.display_zone);
  (void)store_->ScanSince(absl::InfinitePast(), [&](const v1::OutboxEntry& e) {
    const v1::Record& r = e.record();
    if (!r.has_price_sample() || r.price_sample().market_code() != market_code) return true;
    const auto& p = r.price_sample();
    if (!p.trader().empty() && known.insert(p.trader()).second) traders.push_back(p.trader());
    const absl::Time observed = common::FromTimestamp(r.observed_at());
    if (e.state() == v1::OUTBOX_STATE_RESOLVED) return true;  // replaced or dropped
    if (observed >= day_start && observed < day_end) {
      json cell = {{"id", r.id()}, {"price_rupiah", p.price_rupiah()}, {"state", OutboxStateName(e.state())}};
      if (p.pack_size_milli_units() > 0) cell["pack_price_rupiah"] = p.pack_price_rupiah();
      cells[p.commodity_code()][p.trader()] = cell;
    } else if (observed < day_start && Counted(e)) {
      auto& last = last_before[p.commodity_code()];
      if (observed >= last.first) last = {observed, p.price_rupiah()};
    }
    return true;
  });
  const std::vector<std::string> zones = catalog_.PriceZonesOfMarket(market_code);
  json rows = json::array();
  auto commodities = client::Lookup(catalog_, "commodities", "");
  for (const auto& c : *commodities) {
    const v1::Commodity* commodity = catalog_.FindCommodity(c.code);
    json row = {{"code", c.code}, {"name", c.name}, {"unit", commodity->unit()}};
    if (const v1::ReferencePrice* ref = catalog_.ReferencePriceFor(c.code, zones, *day)) {
      row["reference"] = {{"kind", ref->kind() == v1::REFERENCE_PRICE_KIND_HET ? "HET" : "HAP"},
                          {"price_rupiah", ref->price_rupiah()},
                          {"text", common::FormatRupiah(ref->price_rupiah())}};
    }
    if (auto it = last_before.find(c.code); it != last_before.end()) {
      row["last"] = {{"price_rupiah", it->second.second},
                     {"day", common::FormatLocalDate(absl::ToCivilDay(it->second.first, policy_.display_zone))}};
    }
    row["cells"] = cells.count(c.code) ? cells[c.code] : json::object();
    rows.push_back(row);
  }
  return Json(200, {{"market", {{"code", market->code()}, {"name", market->name()}}},
                    {"day", common::FormatLocalDate(*day)},
                    {"today", common::FormatLocalDate(Today())},
                    {"traders", traders},
                    {"rows", rows}});
}

Response App::SavePrice(const std::string& body) {
  const json in = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!in.is_object()) return Error(400, "the request is not a JSON object");
  auto text = [&](const char* key) {
    auto it = in.find(key);
    return it != in.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  PriceInput input;
  input.market = text("market");
  input.commodity = text("commodity");
  input.trader = std::string(common::StripAsciiSpace(text("trader")));
  input.confirm_reason = std::string(common::StripAsciiSpace(text("confirm_reason")));
  // "13.100", "Rp 13.100", or a pack's price and size: "65.000/5kg", "65.000 / 5 kg".
  const std::string typed = text("price");
  const size_t slash = typed.find('/');
  const std::string price_text = typed.substr(0, slash);
  auto refused = [&](const std::string& field, const common::Message& reason) {
    return Json(422, {{"saved", false},
                      {"needs_reason", false},
                      {"errors", json::array({{{"field", field}, {"reason", common::Render(reason, lang_)}}})}});
  };
  auto rupiah = common::ParseRupiahText(price_text);
  if (!rupiah) return refused("price", NotAPrice(common::StripAsciiSpace(price_text)));
  input.price_rupiah = *rupiah;
  if (slash != std::string::npos) input.pack_quantity = std::string(common::StripAsciiSpace(typed.substr(slash + 1)));
  const std::string day_text = text("day");
  const absl::Time now = absl::Now();
  // "Perbaiki" in Perlu perhatian: a new sample in place of a refused one, observed when it was.
  const std::string replaces = text("replaces");
  if (!replaces.empty()) {
    if (auto refusal = Replacing(replaces, input.observed)) return *refusal;
  } else if (!day_text.empty() && day_text != common::FormatLocalDate(Today())) {
    auto day = common::ParseLocalDate(day_text);
    if (!day) return refused("day", common::Msg("\"{}\" is not a date YYYY-MM-DD", day_text));
    // Another day than today: at noon of it, as `--at YYYY-MM-DD` records it.
    input.observed = absl::FromCivil(absl::CivilHour(day->year(), day->month(), day->day(), 12), policy_.display_zone);
  }
  const EntryContext ctx{catalog_, policy_, settings_.account, settings_.device_id, now};
  auto record = BuildPriceSample(input, ctx);
  if (!record.ok()) return refused("price", common::MessageOf(record.status()));
  auto outcome = CheckAndSave(*store_, *record, ctx, replaces);
  if (!outcome.ok()) return NotSaved(outcome.status());
  if (!outcome->errors.empty()) {
    // Would a reason let it through? Asked of the same rules, with a reason given.
    bool needs_reason = false;
    if (input.confirm_reason.empty()) {
      PriceInput confirmed = input;
      confirmed.confirm_reason = "-";
      auto again = BuildPriceSample(confirmed, ctx, record->id());
      needs_reason = again.ok() && CheckBeforeSaving(*again, ctx, RecentPrices(*store_, input.commodity, now)).empty();
    }
    return Json(422, {{"saved", false}, {"needs_reason", needs_reason}, {"errors", ErrorsJson(outcome->errors, lang_)}});
  }
  const auto& p = record->price_sample();
  json saved = {{"saved", true},
                {"id", record->id()},
                {"price_rupiah", p.price_rupiah()},
                {"text", common::FormatRupiah(p.price_rupiah())},
                {"pending", outcome->pending}};
  if (p.pack_size_milli_units() > 0) saved["pack_price_rupiah"] = p.pack_price_rupiah();
  return Json(200, saved);
}

// Impor: a price CSV from the page, as `pantau import prices FILE`.
Response App::Import(const std::string& body) {
  const json in = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!in.is_object() || !in.contains("csv") || !in["csv"].is_string()) return Error(400, "csv: the file's text is required");
  const EntryContext ctx{catalog_, policy_, settings_.account, settings_.device_id, absl::Now()};
  auto imported = ImportPrices(*store_, in["csv"].get<std::string>(), ctx);
  if (!imported.ok()) {
    return Error(imported.status().code() == absl::StatusCode::kInvalidArgument ? 422 : 500,
                 common::StatusText(imported.status(), lang_));
  }
  json problems = json::array();
  for (const auto& p : imported->problems) problems.push_back(common::Render(p, lang_));
  return Json(200, {{"rows", imported->rows},
                    {"added", imported->added},
                    {"already", imported->already},
                    {"problems", problems}});
}

// Riwayat: what this laptop recorded on a day (today when none), as `pantau records --day`.
Response App::Records(const std::string& day_text, const std::string& kind_text, const std::string& market) {
  const std::optional<absl::CivilDay> day = day_text.empty() ? std::optional(Today()) : common::ParseLocalDate(day_text);
  if (!day) return ErrorIn(400, common::Msg("day: \"{}\" is not a date YYYY-MM-DD", day_text), lang_);
  std::optional<common::RecordKind> kind;
  if (!kind_text.empty()) {
    kind = common::KindFromName(kind_text);
    if (!kind) return ErrorIn(400, common::Msg("kind: \"{}\" is not a record kind", kind_text), lang_);
  }
  if (!market.empty() && catalog_.FindMarket(market) == nullptr) {
    return ErrorIn(400, common::Msg("market: \"{}\" is not a market of this laptop's reference data", market), lang_);
  }
  auto lines = ListRecords(*store_, catalog_, policy_.display_zone, day, kind, market);
  if (!lines.ok()) return Error(500, common::StatusText(lines.status(), lang_));
  json rows = json::array();
  for (const auto& l : *lines) {
    rows.push_back({{"id", l.id}, {"kind", l.kind}, {"state", l.state}, {"what", common::Render(l.what, lang_)}});
  }
  return Json(200, {{"day", common::FormatLocalDate(*day)}, {"records", rows}});
}

// "Kirim ulang": a refused record pending again, once what refused it is fixed on the server (as
// `pantau requeue ID`).
Response App::Requeue(const std::string& body) {
  const json in = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!in.is_object() || !in.contains("id") || !in["id"].is_string()) return Error(400, "id: a record id is required");
  const std::string id = in["id"];
  if (absl::Status done = store_->Requeue(id, absl::Now()); !done.ok()) {
    return Error(done.code() == absl::StatusCode::kNotFound ? 404 : 409, common::StatusText(done, lang_));
  }
  auto counts = store_->Counts();
  return Json(200, {{"ok", true}, {"pending", counts.ok() ? counts->pending : 0}});
}

Response App::Change(const std::string& body) {
  const json in = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!in.is_object() || !in.contains("id") || !in["id"].is_string()) return Error(400, "id: a record id is required");
  const std::string id = in["id"];
  const std::string reason =
      in.contains("reason") && in["reason"].is_string() ? std::string(common::StripAsciiSpace(in["reason"].get<std::string>())) : "";
  const bool is_void = in.contains("void") && in["void"].is_boolean() && in["void"].get<bool>();
  v1::Correction correction;
  if (!is_void) {
    auto entry = store_->Get(id);
    if (!entry.ok()) return Error(500, common::StatusText(entry.status(), lang_));
    if (!*entry || !(*entry)->record().has_price_sample()) {
      return ErrorIn(422, common::Msg("only a price sample is corrected here; for other records, void it and enter it "
                                      "anew"),
                     lang_);
    }
    const std::string typed = in.contains("price") && in["price"].is_string() ? in["price"].get<std::string>() : "";
    PriceChanges changes;
    changes.price_rupiah = common::ParseRupiahText(typed);
    if (!changes.price_rupiah) {
      return Json(422, {{"saved", false},
                        {"errors", json::array({{{"field", "price"}, {"reason", common::Render(NotAPrice(typed), lang_)}}})}});
    }
    *correction.mutable_price_sample() = ChangedPrice((*entry)->record().price_sample(), changes, catalog_);
  }
  const EntryContext ctx{catalog_, policy_, settings_.account, settings_.device_id, absl::Now()};
  auto changed = ChangeRecord(*store_, id, is_void ? nullptr : &correction, reason, ctx);
  if (!changed.ok()) {
    return Error(changed.status().code() == absl::StatusCode::kNotFound ? 404 : 409,
                 common::StatusText(changed.status(), lang_));
  }
  if (!changed->saved.errors.empty()) {
    return Json(422, {{"saved", false}, {"errors", ErrorsJson(changed->saved.errors, lang_)}});
  }
  return Json(200, {{"saved", true}, {"id", changed->record_id}, {"dropped", changed->dropped}, {"pending", changed->saved.pending}});
}

// "Batalkan" in Perlu perhatian: a refused record dropped (as `pantau void ID` of a refused one).
Response App::Drop(const std::string& body) {
  const json in = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!in.is_object() || !in.contains("id") || !in["id"].is_string()) return Error(400, "id: a record id is required");
  const std::string reason = in.contains("reason") && in["reason"].is_string() ? in["reason"].get<std::string>() : "";
  if (common::StripAsciiSpace(reason).empty()) {
    return ErrorIn(422, common::Msg("reason: say why the record is dropped"), lang_);
  }
  if (absl::Status done = store_->Resolve(in["id"].get<std::string>(), nullptr, reason, absl::Now()); !done.ok()) {
    return Error(done.code() == absl::StatusCode::kNotFound ? 404 : 409, common::StatusText(done, lang_));
  }
  auto counts = store_->Counts();
  return Json(200, {{"ok", true}, {"needs_attention", counts.ok() ? counts->needs_attention : 0}});
}

namespace {

// {"item": "text"} -> pairs, in the order given; anything else is ignored.
std::vector<std::pair<std::string, std::string>> TextMap(const json& in, const char* key) {
  std::vector<std::pair<std::string, std::string>> out;
  auto it = in.find(key);
  if (it == in.end() || !it->is_object()) return out;
  for (const auto& [item, value] : it->items()) {
    if (value.is_string() && !common::StripAsciiSpace(value.get<std::string>()).empty()) {
      out.emplace_back(item, value.get<std::string>());
    }
  }
  return out;
}

}  // namespace

// Audit: the checklist in force for an outlet, as a form, and the actions of its ladder.
Response App::Checklist(const std::string& outlet_code) {
  const v1::Outlet* outlet = catalog_.FindOutlet(outlet_code);
  if (outlet == nullptr) {
    return ErrorIn(404, common::Msg("outlet: \"{}\" is not an outlet of this laptop's reference data", outlet_code),
                   lang_);
  }
  v1::OutletAudit audit;
  audit.set_outlet_code(outlet_code);
  std::vector<std::pair<std::string, common::Message>> problems;
  const v1::Checklist* checklist = FillAudit(audit, {}, catalog_, Today(), problems);
  if (checklist == nullptr) {
    return ErrorIn(404,
                   common::Msg("no checklist for {} on this laptop: Kirim sekarang fetches the reference data",
                               common::OutletKindName(outlet->kind())),
                   lang_);
  }
  json items = json::array();
  for (const auto& item : checklist->items()) {
    if (item.type() == v1::CHECKLIST_ITEM_TYPE_STOCK_BALANCE) continue;  // a rule, not a question
    items.push_back({{"code", item.code()}, {"question", item.question()}, {"type", common::ItemTypeName(item.type())}});
  }
  const std::string kind(common::OutletKindName(outlet->kind()));
  std::vector<const v1::FollowUpAction*> steps;
  for (const auto& code : catalog_.Codes("follow_up_action")) {
    const v1::FollowUpAction* a = catalog_.FindFollowUpAction(code);
    if (a->domain() == kind) steps.push_back(a);
  }
  std::sort(steps.begin(), steps.end(), [](auto* a, auto* b) { return a->step() < b->step(); });
  json ladder = json::array();
  for (const auto* a : steps) ladder.push_back({{"code", a->code()}, {"name", a->name()}, {"step", a->step()}});
  const v1::Kecamatan* kecamatan = catalog_.FindKecamatan(outlet->kecamatan_code());
  return Json(200, {{"outlet", {{"code", outlet->code()},
                                {"name", outlet->name()},
                                {"kind", kind},
                                {"kecamatan", kecamatan != nullptr ? kecamatan->name() : outlet->kecamatan_code()}}},
                    {"version", checklist->version()},
                    {"items", items},
                    {"ladder", ladder}});
}

// The audit of the form, built the CLI's way (FillAudit, SettleFindings): checked as the answers
// are given, or saved (CheckAndSave: every item answered, fsynced).
Response App::Audit(const std::string& body, bool save) {
  const json in = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!in.is_object() || !in.contains("outlet") || !in["outlet"].is_string()) return Error(400, "outlet: an outlet code is required");
  const absl::Time now = absl::Now();
  // "Perbaiki" of a refused audit: a new one in its place, of the day the refused one was made.
  const std::string replaces = in.contains("replaces") && in["replaces"].is_string() ? in["replaces"].get<std::string>() : "";
  std::optional<absl::Time> observed_at;
  if (!replaces.empty()) {
    if (auto refusal = Replacing(replaces, observed_at)) return *refusal;
  }
  const absl::CivilDay day = absl::ToCivilDay(observed_at.value_or(now), policy_.display_zone);
  const EntryContext ctx{catalog_, policy_, settings_.account, settings_.device_id, now};
  auto record = NewRecord(ctx, observed_at);
  if (!record.ok()) return Error(500, common::StatusText(record.status(), lang_));
  v1::OutletAudit* audit = record->mutable_outlet_audit();
  audit->set_outlet_code(in["outlet"].get<std::string>());
  AuditAnswers answers{TextMap(in, "answers"), TextMap(in, "not_checked")};
  std::vector<std::pair<std::string, common::Message>> problems;
  const v1::Checklist* checklist = FillAudit(*audit, answers, catalog_, day, problems);
  std::vector<std::string> observed;
  if (auto it = in.find("findings"); it != in.end() && it->is_array()) {
    for (const auto& f : *it) {
      if (f.is_string()) observed.push_back(f.get<std::string>());
    }
  }
  const auto found = SettleFindings(*audit, checklist, catalog_, day, observed);
  json findings = json::array();
  for (const auto& f : found) {
    findings.push_back({{"code", f.code}, {"item", f.item}, {"reason", common::Render(f.reason, lang_)}});
  }
  json errors = json::array();
  for (const auto& [field, reason] : problems) errors.push_back({{"field", field}, {"reason", common::Render(reason, lang_)}});
  json missing = json::array();
  if (checklist != nullptr) {
    for (const auto& item : checklist->items()) {
      if (item.type() == v1::CHECKLIST_ITEM_TYPE_STOCK_BALANCE) continue;
      bool answered = false;
      for (const auto& a : audit->answers()) answered = answered || a.item_code() == item.code();
      if (!answered) missing.push_back(item.code());
    }
  }
  if (!save || !problems.empty()) {
    return Json(save ? 422 : 200, {{"saved", false}, {"findings", findings}, {"errors", errors}, {"missing", missing}});
  }
  auto outcome = CheckAndSave(*store_, *record, ctx, replaces);
  if (!outcome.ok()) return NotSaved(outcome.status());
  if (!outcome->errors.empty()) {
    return Json(422,
                {{"saved", false}, {"findings", findings}, {"errors", ErrorsJson(outcome->errors, lang_)}, {"missing", missing}});
  }
  return Json(200, {{"saved", true},
                    {"id", record->id()},
                    {"findings", findings},
                    {"all_findings", audit->findings()},
                    {"pending", outcome->pending}});
}

// A follow-up of a finding of an audit (as `pantau followup add`): the audit's findings and its
// outlet's ladder only (CheckAndSave, common::FollowUpProblems).
Response App::FollowUp(const std::string& body) {
  const json in = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!in.is_object()) return Error(400, "the request is not a JSON object");
  auto text = [&](const char* key) {
    auto it = in.find(key);
    return it != in.end() && it->is_string() ? std::string(common::StripAsciiSpace(it->get<std::string>())) : std::string();
  };
  const absl::Time now = absl::Now();
  const EntryContext ctx{catalog_, policy_, settings_.account, settings_.device_id, now};
  auto record = NewRecord(ctx, std::nullopt);
  if (!record.ok()) return Error(500, common::StatusText(record.status(), lang_));
  v1::FollowUp* f = record->mutable_follow_up();
  f->set_audit_record_id(text("audit"));
  f->set_finding_code(text("finding"));
  f->set_action_code(text("action"));
  f->set_actor(text("actor"));
  f->set_action_date(common::FormatLocalDate(absl::ToCivilDay(now, policy_.display_zone)));
  f->set_due_date(text("due"));
  f->set_status(text("status") == "closed" ? v1::FOLLOW_UP_STATUS_CLOSED : v1::FOLLOW_UP_STATUS_OPEN);
  auto outcome = CheckAndSave(*store_, *record, ctx);
  if (!outcome.ok()) return NotSaved(outcome.status());
  if (!outcome->errors.empty()) return Json(422, {{"saved", false}, {"errors", ErrorsJson(outcome->errors, lang_)}});
  return Json(200, {{"saved", true}, {"id", record->id()}, {"pending", outcome->pending}});
}

// An evidence photo, its bytes as the body (from a file or the laptop's camera): kept on the
// laptop by its SHA-256 (fsynced), as `pantau photo add`, for a photo item's answer.
Response App::Photo(const std::string& body) {
  LaptopPhotos photos(home_);
  auto sha = photos.AddBytes(body, kMaxPhotoBytes);
  if (!sha.ok()) {
    return Error(sha.status().code() == absl::StatusCode::kInvalidArgument ? 422 : 500,
                 common::StatusText(sha.status(), lang_));
  }
  return Json(200, {{"sha256", *sha}, {"bytes", body.size()}});
}

namespace {

// "20000", "20000 ml", "20 l", "20 liter" -> mL.
std::optional<int64_t> ParseVolumeMl(const std::string& text) {
  const std::string lower = common::AsciiLower(common::StripAsciiSpace(text));
  size_t split = 0;
  while (split < lower.size() && (std::isdigit(static_cast<unsigned char>(lower[split])) || lower[split] == '.' ||
                                  lower[split] == ',')) {
    ++split;
  }
  const auto unit = common::CanonicalUnit(lower.substr(split));
  const auto milli = common::ParseMilliText(lower.substr(0, split));
  if (!milli) return std::nullopt;
  if (common::StripAsciiSpace(lower.substr(split)).empty() || unit == "ml") {
    if (*milli % 1000 != 0) return std::nullopt;
    return *milli / 1000;
  }
  if (unit == "liter") return *milli;
  return std::nullopt;
}

}  // namespace

// UTTP: an instrument of the registry, with what the form is prefilled with.
Response App::Instrument(const std::string& id) {
  const v1::UttpInstrument* u = catalog_.FindUttpInstrument(id);
  if (u == nullptr) {
    return ErrorIn(404, common::Msg("instrument: \"{}\" is not in this laptop's UTTP registry", id), lang_);
  }
  const v1::UttpType* type = catalog_.FindUttpType(u->type_code());
  std::string place = u->location();
  if (const v1::Market* m = catalog_.FindMarket(u->market_code())) place = m->name();
  v1::UttpVerification probe;
  probe.set_instrument_id(id);
  const v1::UttpCategory category = common::CategoryOf(probe, catalog_);
  return Json(200, {{"id", u->id()},
                    {"owner", u->owner()},
                    {"place", place},
                    {"type", type != nullptr ? type->name() : u->type_code()},
                    {"category", common::UttpCategoryName(category)},
                    {"class", u->accuracy_class()},
                    {"max", u->max_mg() > 0 ? common::FormatMassText(u->max_mg()) : ""},
                    {"e", u->e_mg() > 0 ? common::FormatMassText(u->e_mg()) : ""},
                    {"serial", u->serial()}});
}

// A verification from the form: class, Max and e typed or from the registry (PrefillFromRegistry,
// as the CLI), masses in kg, g or mg; judged by common/metrology as the server will; a batal
// saved only when confirmed.
Response App::Uttp(const std::string& body, bool save) {
  const json in = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!in.is_object()) return Error(400, "the request is not a JSON object");
  auto text = [](const json& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? std::string(common::StripAsciiSpace(it->get<std::string>())) : std::string();
  };
  json errors = json::array();
  auto problem = [&](const std::string& field, const common::Message& reason) {
    errors.push_back({{"field", field}, {"reason", common::Render(reason, lang_)}});
  };
  v1::UttpVerification u;
  u.set_instrument_id(text(in, "instrument"));
  const std::string kind = text(in, "kind");
  u.set_kind(kind == "tera"         ? v1::VERIFICATION_KIND_TERA
             : kind == "tera_ulang" ? v1::VERIFICATION_KIND_TERA_ULANG
             : kind == "pengawasan" ? v1::VERIFICATION_KIND_PENGAWASAN
                                    : v1::VERIFICATION_KIND_UNSPECIFIED);
  u.set_accuracy_class(text(in, "class"));
  for (const auto& [key, setter] : {std::pair{"max", &v1::UttpVerification::set_max_mg},
                                    std::pair{"e", &v1::UttpVerification::set_e_mg}}) {
    const std::string typed = text(in, key);
    if (typed.empty()) continue;
    auto mg = common::ParseMassMg(typed);
    if (mg.ok()) {
      (u.*setter)(*mg);
    } else {
      problem(key, common::MessageOf(mg.status()));
    }
  }
  PrefillFromRegistry(u, catalog_);
  if (auto points = in.find("points"); points != in.end() && points->is_array()) {
    int index = 0;
    for (const auto& p : *points) {
      ++index;
      const std::string load = text(p, "load"), shown = text(p, "indication");
      if (load.empty() && shown.empty()) continue;  // a row not filled
      auto load_mg = common::ParseMassMg(load);
      auto shown_mg = common::ParseMassMg(shown);
      if (!load_mg.ok()) problem(StrCat("points.", index, ".load"), common::MessageOf(load_mg.status()));
      if (!shown_mg.ok()) problem(StrCat("points.", index, ".indication"), common::MessageOf(shown_mg.status()));
      if (load_mg.ok() && shown_mg.ok()) {
        v1::WeighingPoint* w = u.add_weighing_points();
        w->set_load_mg(*load_mg);
        w->set_indication_mg(*shown_mg);
      }
    }
  }
  if (auto runs = in.find("runs"); runs != in.end() && runs->is_array()) {
    int index = 0;
    for (const auto& r : *runs) {
      ++index;
      const std::string actual = text(r, "actual"), shown = text(r, "indication");
      if (actual.empty() && shown.empty()) continue;
      auto actual_ml = ParseVolumeMl(actual);
      auto shown_ml = ParseVolumeMl(shown);
      if (!actual_ml) problem(StrCat("runs.", index, ".actual"), common::Msg("\"{}\" is not a volume: 20000 mL or 20 L", actual));
      if (!shown_ml) problem(StrCat("runs.", index, ".indication"), common::Msg("\"{}\" is not a volume: 20000 mL or 20 L", shown));
      if (actual_ml && shown_ml) {
        v1::VolumeRun* v = u.add_volume_runs();
        v->set_flow(text(r, "flow"));
        v->set_actual_ml(*actual_ml);
        v->set_indication_ml(*shown_ml);
      }
    }
  }
  if (auto seals = in.find("seals"); seals != in.end() && seals->is_array()) {
    for (const auto& seal : *seals) {
      if (seal.is_string() && !common::StripAsciiSpace(seal.get<std::string>()).empty()) {
        u.add_seal_numbers(std::string(common::StripAsciiSpace(seal.get<std::string>())));
      }
    }
  }
  u.set_certificate_number(text(in, "certificate"));
  const v1::UttpCategory category = common::CategoryOf(u, catalog_);
  const bool has_rule = common::HasVerdictRule(category);
  json verdict = nullptr;
  bool batal = false;
  if (has_rule && !u.accuracy_class().empty() && (u.weighing_points_size() > 0 || u.volume_runs_size() > 0)) {
    const common::VerdictResult result = common::ComputeVerdict(u, category, common::MetrologySettings{});
    verdict = json::parse(VerdictJson(CheckInput{u, category}, result));
    verdict["reasons"] = result.ReasonsIn(lang_);
    batal = !result.sah;
    u.set_claimed_verdict(result.sah ? v1::VERDICT_SAH : v1::VERDICT_BATAL);
  }
  const json answer_base = {{"verdict", verdict}, {"class", u.accuracy_class()}};
  if (!save || !errors.empty()) {
    json out = answer_base;
    out["saved"] = false;
    out["errors"] = errors;
    return Json(save ? 422 : 200, out);
  }
  if (batal && !(in.contains("confirm_batal") && in["confirm_batal"].is_boolean() && in["confirm_batal"].get<bool>())) {
    json out = answer_base;
    out["saved"] = false;
    out["needs_confirm"] = true;
    out["errors"] = json::array(
        {{{"field", "verdict"},
          {"reason", common::Render(common::Msg("the verdict is batal: check the points, or save it as batal"), lang_)}}});
    return Json(422, out);
  }
  const absl::Time now = absl::Now();
  // "Perbaiki" of a refused verification: a new one in its place, of the day the refused one was.
  const std::string replaces = text(in, "replaces");
  std::optional<absl::Time> observed;
  if (!replaces.empty()) {
    if (auto refusal = Replacing(replaces, observed)) return *refusal;
  }
  const EntryContext ctx{catalog_, policy_, settings_.account, settings_.device_id, now};
  auto record = NewRecord(ctx, observed);
  if (!record.ok()) return Error(500, common::StatusText(record.status(), lang_));
  *record->mutable_uttp_verification() = u;
  auto outcome = CheckAndSave(*store_, *record, ctx, replaces);
  if (!outcome.ok()) return NotSaved(outcome.status());
  json out = answer_base;
  if (!outcome->errors.empty()) {
    out["saved"] = false;
    out["errors"] = ErrorsJson(outcome->errors, lang_);
    return Json(422, out);
  }
  out["saved"] = true;
  out["id"] = record->id();
  out["pending"] = outcome->pending;
  return Json(200, out);
}

std::optional<Response> App::Replacing(const std::string& replaces, std::optional<absl::Time>& observed) {
  auto refused = store_->Get(replaces);
  if (!refused.ok()) return Error(500, common::StatusText(refused.status(), lang_));
  if (!*refused || (*refused)->state() != v1::OUTBOX_STATE_NEEDS_ATTENTION) {
    return ErrorIn(409, common::Msg("record {} does not need attention", replaces), lang_);
  }
  observed = common::FromTimestamp((*refused)->record().observed_at());
  return std::nullopt;
}

Response App::NotSaved(const absl::Status& status) const {
  return ErrorIn(500, common::Msg("not saved: {}", common::MessageOf(status)), lang_);
}

Response App::Sync(const std::string& body, common::Language lang) {
  const json in = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const bool automatic = in.is_object() && in.contains("auto") && in["auto"].is_boolean() && in["auto"].get<bool>();
  std::unique_lock running(sync_mu_, std::try_to_lock);
  if (!running.owns_lock()) {
    return Json(409, {{"ok", false}, {"busy", true}, {"failure", common::Render(common::Msg("a sync is already running"), lang)}});
  }
  const absl::Time started = absl::Now();
  LaptopSettings settings;
  {
    std::lock_guard lock(mu_);
    if (automatic && (auto_every_ <= absl::ZeroDuration() || started < next_auto_)) {
      return Json(200, {{"ok", false}, {"skipped", true}});
    }
    settings = settings_;
  }
  SyncCall call;
  // An automatic sync tries once, briefly: it comes back by itself.
  call.retry_for = automatic ? absl::ZeroDuration() : sync_retry_for_;
  call.answer_deadline = automatic ? absl::Seconds(20) : absl::Seconds(60);
  auto run = SyncNow(*store_, settings, home_, sleeper_, call);
  std::lock_guard lock(mu_);
  const bool ok = run.ok() && run->ok;
  const common::Message failure = !run.ok() ? common::MessageOf(run.status()) : run->failure;
  const std::string when = common::FormatLocalMinute(absl::Now(), policy_.display_zone);
  if (ok) {
    auto_failures_ = 0;
    next_auto_ = absl::Now() + auto_every_;
    last_outcome_ = common::Msg("{}: {} records delivered", when, run->pushed.progress.acknowledged);
  } else {
    ++auto_failures_;
    absl::Duration wait = auto_every_;
    for (int i = 1; i < auto_failures_ && wait < absl::Minutes(10); ++i) wait *= 2;
    next_auto_ = absl::Now() + std::min(wait, absl::Minutes(10));
    last_outcome_ = common::Msg("{}: failed ({})", when, failure);
  }
  const std::string failure_text = ok ? "" : common::Render(failure, lang);
  if (!run.ok()) return Json(200, {{"ok", false}, {"automatic", automatic}, {"failure", failure_text}});
  (void)Reload();  // the reference data may have changed
  return Json(200, {{"ok", run->ok},
                    {"automatic", automatic},
                    {"failure", failure_text},
                    {"delivered", run->pushed.progress.acknowledged},
                    {"needs_attention_now", run->pushed.progress.needs_attention},
                    {"reference_changes", run->pulled.changes},
                    {"pending", run->counts.pending},
                    {"needs_attention", run->counts.needs_attention}});
}

}  // namespace pantau::client::ui
