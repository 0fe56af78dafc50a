// The alert webhook ([alerts] webhook_url): each new price alert delivered once, as a JSON POST,
// to a URL the dinas chooses (its messaging gateway, say). Alerts come from the query service's
// rules (docs/early-warning.md); the store remembers, in a synced write, each alert a receiver has
// taken (a 2xx answer), so that neither a retry nor a restart delivers one twice. A receiver that
// fails or does not answer is tried again with a doubling back-off; the alerts wait, in order.
// Thread-safety: Start, Stop and the destructor from one owner thread; Notify from any thread;
// DeliverNew from one thread at a time (the worker's, or a test's when the worker is not started).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "pantau/v1/alerts.pb.h"
#include "server/service/clock.h"

namespace pantau::http {

struct WebhookOptions {
  // "http://HOST[:PORT]/PATH"; "" : no webhook.
  std::string url;
  // The kinds delivered (het, lonjakan, alps, ifpa, tidak_teramati); empty: every kind.
  std::vector<std::string> kinds;
  // Alerts about the last `days` local days (today included), and the months they fall in. An
  // alert about an older day is not sent: switching the webhook on does not replay the past.
  int days = 7;
  // How often the rules are looked at when no record lands (missing observations appear when a
  // day ends, not when a record arrives).
  absl::Duration interval = absl::Minutes(5);
  // After a failed delivery: the first wait, doubled each failure up to the longest.
  absl::Duration first_retry = absl::Seconds(5);
  absl::Duration max_retry = absl::Minutes(10);
  // Connecting, sending and reading the answer, each.
  absl::Duration timeout = absl::Seconds(10);
};

struct WebhookUrl {
  std::string host;
  std::string port;    // "80" when the URL names none
  std::string target;  // the path and query, "/" when the URL names none
};

// INVALID_ARGUMENT naming what is wrong: only http:// (a gateway on the dinas's own network;
// for https, a local relay), a host, a port 1–65535.
absl::StatusOr<WebhookUrl> ParseWebhookUrl(std::string_view url);

// One POST of `body` (application/json) with the given extra headers. OK on a 2xx answer;
// UNAVAILABLE naming the status or the network error otherwise.
absl::Status PostJson(const WebhookUrl& url, const std::string& body,
                      const std::vector<std::pair<std::string, std::string>>& headers, absl::Duration timeout);

// What makes an alert the same alert on every look: kind, commodity, market ("kabupaten" for the
// kabupaten series), what it is anchored on (het: the run's first day, so a run is one alert;
// lonjakan and tidak_teramati: the day; alps and ifpa: the month), and its level and band (an
// escalation is news). Lower-case, '/'-separated.
std::string AlertId(const v1::PriceAlert& alert);

// The body sent: the alert's fields as in /api/v1/alerts, plus "alert_id".
std::string AlertJson(const v1::PriceAlert& alert);

// Where the webhook remembers the alerts a receiver took, durably (the server passes its store's
// DeliveryLog; the HTTP side does not reach storage itself).
struct DeliveryMarks {
  std::function<absl::StatusOr<bool>(const std::string& id)> delivered;
  std::function<absl::Status(const std::string& id, absl::Time at)> mark;  // synced
};

class AlertWebhook {
 public:
  // The alerts of local days [from, to].
  using AlertSource = std::function<absl::StatusOr<std::vector<v1::PriceAlert>>(absl::CivilDay from, absl::CivilDay to)>;

  // INVALID_ARGUMENT for a bad URL.
  static absl::StatusOr<std::unique_ptr<AlertWebhook>> Create(WebhookOptions options, AlertSource source,
                                                              DeliveryMarks marks, const service::Clock& clock,
                                                              absl::TimeZone zone);
  ~AlertWebhook();
  AlertWebhook(const AlertWebhook&) = delete;
  AlertWebhook& operator=(const AlertWebhook&) = delete;

  // Starts the worker: a pass at once, then after every Notify, every interval, and after a
  // failure when its back-off has passed.
  void Start();
  // Records landed: look again soon.
  void Notify();
  // Stops the worker (a POST in progress finishes or times out first). Idempotent.
  void Stop();

  // One pass: the alerts of the window not yet delivered, oldest first, each POSTed and marked
  // delivered; stops at the first failure (the rest wait for the next pass). How many were
  // delivered.
  absl::StatusOr<int> DeliverNew();

  struct Figures {
    int64_t delivered = 0;  // since start
    int64_t failures = 0;   // failed passes since start
    std::string last_error;
  };
  Figures figures() const;

 private:
  AlertWebhook(WebhookOptions options, WebhookUrl url, AlertSource source, DeliveryMarks marks,
               const service::Clock& clock, absl::TimeZone zone);
  void Run();

  const WebhookOptions options_;
  const WebhookUrl url_;
  const AlertSource source_;
  DeliveryMarks marks_;
  const service::Clock& clock_;
  const absl::TimeZone zone_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool notified_ = false;  // guarded by mu_
  bool stop_ = false;      // guarded by mu_
  Figures figures_;        // guarded by mu_
  std::thread worker_;
};

}  // namespace pantau::http
