#include "server/http/webhook.h"

#include <algorithm>
#include <charconv>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <tuple>

#include "absl/strings/ascii.h"
#include "common/dates.h"
#include "common/report/tables.h"
#include "common/status_macros.h"
#include "common/str_cat.h"
#include "server/service/log.h"

namespace pantau::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// What the ordering of a pass sorts on: the day or month the alert is about, then its id.
std::string Anchor(const v1::PriceAlert& a) {
  if (a.kind() == "het" && !a.run_first_day().empty()) return a.run_first_day();
  return a.day().empty() ? a.month() : a.day();
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         absl::AsciiStrToLower(std::string(text.substr(0, prefix.size()))) == prefix;
}

}  // namespace

absl::StatusOr<WebhookUrl> ParseWebhookUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (StartsWithNoCase(url, "https://")) {
    return absl::InvalidArgumentError(
        StrCat("alerts.webhook_url: \"", url, "\": https is not spoken; give the gateway's http:// address on the "
               "dinas's own network (or a local relay that forwards over https)"));
  }
  if (!StartsWithNoCase(url, kScheme)) {
    return absl::InvalidArgumentError(StrCat("alerts.webhook_url: \"", url, "\" does not start with http://"));
  }
  std::string_view rest = url.substr(kScheme.size());
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  WebhookUrl out;
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (authority.find('@') != std::string_view::npos) {
    return absl::InvalidArgumentError(
        StrCat("alerts.webhook_url: \"", url, "\": a user or password in the URL is not taken (it would be logged)"));
  }
  std::string_view host = authority, port = "80";
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError(StrCat("alerts.webhook_url: \"", url, "\": unclosed [ in the host"));
    }
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return absl::InvalidArgumentError(StrCat("alerts.webhook_url: \"", url, "\": bad host"));
      port = after.substr(1);
    }
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  int port_number = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), port_number);
  if (error != std::errc() || end != port.data() + port.size() || port_number < 1 || port_number > 65535) {
    return absl::InvalidArgumentError(StrCat("alerts.webhook_url: \"", url, "\": the port is not 1 to 65535"));
  }
  if (host.empty()) return absl::InvalidArgumentError(StrCat("alerts.webhook_url: \"", url, "\" names no host"));
  out.host = std::string(host);
  out.port = std::to_string(port_number);
  return out;
}

absl::Status PostJson(const WebhookUrl& url, const std::string& body,
                      const std::vector<std::pair<std::string, std::string>>& headers, absl::Duration timeout) {
  const auto deadline = std::chrono::milliseconds(absl::ToInt64Milliseconds(timeout));
  boost::asio::io_context io;
  beast::error_code ec;
  // Each step is asynchronous with the stream's timer, run to completion here: a receiver that
  // accepts and then says nothing costs `timeout`, not the worker.
  auto run = [&] {
    io.restart();
    io.run();
  };
  tcp::resolver resolver(io);
  tcp::resolver::results_type endpoints;
  resolver.async_resolve(url.host, url.port, [&](beast::error_code e, tcp::resolver::results_type r) {
    ec = e;
    endpoints = std::move(r);
  });
  run();
  if (ec) return absl::UnavailableError(StrCat("cannot resolve ", url.host, ": ", ec.message()));
  beast::tcp_stream stream(io);
  stream.expires_after(deadline);
  stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  run();
  if (ec) return absl::UnavailableError(StrCat("cannot connect to ", url.host, ":", url.port, ": ", ec.message()));
  bhttp::request<bhttp::string_body> request{bhttp::verb::post, url.target, 11};
  request.set(bhttp::field::host, url.port == "80" ? url.host : StrCat(url.host, ":", url.port));
  request.set(bhttp::field::user_agent, "pantau-server");
  request.set(bhttp::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  stream.expires_after(deadline);
  bhttp::async_write(stream, request, [&](beast::error_code e, size_t) { ec = e; });
  run();
  if (ec) return absl::UnavailableError(StrCat("sending to ", url.host, ":", url.port, ": ", ec.message()));
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 << 10);
  stream.expires_after(deadline);
  bhttp::async_read(stream, buffer, parser, [&](beast::error_code e, size_t) { ec = e; });
  run();
  if (ec) return absl::UnavailableError(StrCat("no answer from ", url.host, ":", url.port, ": ", ec.message()));
  beast::error_code ignored;
  std::ignore = stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  const unsigned status = parser.get().result_int();
  if (status < 200 || status > 299) {
    return absl::UnavailableError(StrCat(url.host, ":", url.port, " answered ", status));
  }
  return absl::OkStatus();
}

std::string AlertId(const v1::PriceAlert& a) {
  std::string anchor = a.kind() == "het" && !a.run_first_day().empty() ? a.run_first_day()
                       : a.day().empty()                                 ? a.month()
                                                                         : a.day();
  return absl::AsciiStrToLower(StrCat(a.kind(), "/", a.commodity_code(), "/",
                                      a.market_code().empty() ? "kabupaten" : a.market_code(), "/", anchor, "/",
                                      a.level().empty() ? "-" : a.level(), "/", a.band().empty() ? "-" : a.band()));
}

std::string AlertJson(const v1::PriceAlert& alert) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["alert_id"] = AlertId(alert);
  const nlohmann::ordered_json fields = nlohmann::ordered_json::parse(report::ResponseJson(alert), nullptr, false);
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) out[key] = value;
  }
  return out.dump();
}

absl::StatusOr<std::unique_ptr<AlertWebhook>> AlertWebhook::Create(WebhookOptions options, AlertSource source,
                                                                   DeliveryMarks marks,
                                                                   const service::Clock& clock, absl::TimeZone zone) {
  PANTAU_ASSIGN_OR_RETURN(WebhookUrl url, ParseWebhookUrl(options.url));
  if (options.days < 1) return absl::InvalidArgumentError("alerts.webhook_days: at least 1");
  return std::unique_ptr<AlertWebhook>(
      new AlertWebhook(std::move(options), std::move(url), std::move(source), std::move(marks), clock, zone));
}

AlertWebhook::AlertWebhook(WebhookOptions options, WebhookUrl url, AlertSource source, DeliveryMarks marks,
                           const service::Clock& clock, absl::TimeZone zone)
    : options_(std::move(options)), url_(std::move(url)), source_(std::move(source)), marks_(std::move(marks)), clock_(clock),
      zone_(zone) {}

AlertWebhook::~AlertWebhook() { Stop(); }

void AlertWebhook::Start() {
  if (worker_.joinable()) return;
  worker_ = std::thread([this] { Run(); });
}

void AlertWebhook::Notify() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  cv_.notify_all();
}

void AlertWebhook::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

AlertWebhook::Figures AlertWebhook::figures() const {
  std::lock_guard lock(mu_);
  return figures_;
}

absl::StatusOr<int> AlertWebhook::DeliverNew() {
  const absl::CivilDay today = absl::ToCivilDay(clock_.Now(), zone_);
  const absl::CivilDay from = today - (options_.days - 1);
  PANTAU_ASSIGN_OR_RETURN(std::vector<v1::PriceAlert> alerts, source_(from, today));
  const std::string first_day = common::FormatLocalDate(from);
  const std::string first_month = first_day.substr(0, 7);
  std::vector<std::pair<std::string, const v1::PriceAlert*>> order;
  for (const auto& a : alerts) {
    if (!options_.kinds.empty() &&
        std::find(options_.kinds.begin(), options_.kinds.end(), a.kind()) == options_.kinds.end()) {
      continue;
    }
    // The window is about what happened lately: a run that began before it was news then.
    const std::string anchor = Anchor(a);
    if (anchor < (anchor.size() == 7 ? first_month : first_day)) continue;
    order.emplace_back(StrCat(anchor, "|", AlertId(a)), &a);
  }
  std::sort(order.begin(), order.end());
  int delivered = 0;
  for (const auto& [key, alert] : order) {
    const std::string id = AlertId(*alert);
    PANTAU_ASSIGN_OR_RETURN(bool done, marks_.delivered(StrCat("alert/", id)));
    if (done) continue;
    absl::Status posted = PostJson(url_, AlertJson(*alert), {{"Idempotency-Key", id}}, options_.timeout);
    if (!posted.ok()) {
      if (delivered > 0) {
        std::lock_guard lock(mu_);
        figures_.delivered += delivered;
      }
      return posted;
    }
    // Marked after the receiver took it: a crash in between sends it once more, with the same
    // Idempotency-Key, which a receiver can use to drop the repeat.
    PANTAU_RETURN_IF_ERROR(marks_.mark(StrCat("alert/", id), clock_.Now()));
    ++delivered;
  }
  std::lock_guard lock(mu_);
  figures_.delivered += delivered;
  return delivered;
}

void AlertWebhook::Run() {
  absl::Duration backoff = absl::ZeroDuration();
  for (;;) {
    absl::StatusOr<int> pass = DeliverNew();
    std::unique_lock lock(mu_);
    if (stop_) return;
    if (pass.ok()) {
      backoff = absl::ZeroDuration();
      if (*pass > 0) {
        lock.unlock();
        service::log::Info("alerts.webhook", {{"delivered", *pass}});
        lock.lock();
      }
    } else {
      backoff = backoff == absl::ZeroDuration() ? options_.first_retry : std::min(2 * backoff, options_.max_retry);
      ++figures_.failures;
      figures_.last_error = std::string(pass.status().message());
      lock.unlock();
      service::log::Warn("alerts.webhook.failed", {{"error", std::string(pass.status().message())},
                                                   {"retry_in_ms", absl::ToInt64Milliseconds(backoff)}});
      lock.lock();
    }
    const auto wait = std::chrono::milliseconds(
        absl::ToInt64Milliseconds(backoff > absl::ZeroDuration() ? backoff : options_.interval));
    if (backoff > absl::ZeroDuration()) {
      // A failing receiver is not hammered: new records wait for the back-off too.
      cv_.wait_for(lock, wait, [&] { return stop_; });
    } else {
      cv_.wait_for(lock, wait, [&] { return stop_ || notified_; });
    }
    if (stop_) return;
    notified_ = false;
  }
}

}  // namespace pantau::http
