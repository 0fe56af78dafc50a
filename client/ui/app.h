// The inspector's app (`pantau ui`) as a function: an HTTP request in, a response out, no
// sockets (client/ui/server.h puts it on loopback). Every rule is the CLI's: records are built by
// entry.h, checked and saved (fsynced) by laptop.h's CheckAndSave, sent by SyncNow; the page only
// shows what these answer. docs/inspector-app.md.
//
// Security: the launch secret (in the printed URL, `/masuk?kunci=SECRET`) is exchanged once per
// browser for a session cookie (HttpOnly, SameSite=Strict); every request must name this
// listener in `Host` (no DNS rebinding); every change must come with an `Origin` of this listener
// and the session's CSRF token in `X-CSRF-Token`; no CORS header is ever sent.
//
// Thread-safety: Handle is thread-safe: requests are answered one at a time, except a sync, which
// runs beside them (one sync at a time; the store applies changes one at a time).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "client/laptop_store.h"
#include "client/sync_engine.h"
#include "common/messages.h"
#include "common/reference_catalog.h"
#include "common/validation.h"

namespace pantau::client::ui {

struct Request {
  std::string method;  // "GET", "POST"
  std::string target;  // "/api/v1/sheet?market=pasar_marabahan&day=2026-11-30"
  std::string host;    // the Host header
  std::string origin;  // the Origin header, "" when absent
  std::string cookie;  // the Cookie header
  std::string csrf;    // the X-CSRF-Token header
  std::string language;  // the X-Pantau-Lang header: "en" for English, else Bahasa Indonesia
  std::string body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type and the security headers
};

class App {
 public:
  // Opens the laptop at `home` (its outbox stays open while the app runs: the CLI is used before
  // or after, not at the same time). `secret`: the launch secret of the printed URL.
  static absl::StatusOr<std::unique_ptr<App>> Open(const std::string& home, std::string secret, Sleeper& sleeper);

  // The port the listener took; Host and Origin must name it.
  void set_port(int port) { port_ = port; }
  // How long a sync keeps trying while the server cannot be reached.
  void set_sync_retry_for(absl::Duration d) { sync_retry_for_ = d; }
  // How often the page asks for an automatic sync (a zero duration: never). After a failed one the
  // next waits twice as long each time, up to 10 minutes.
  void set_auto_sync_every(absl::Duration d) { auto_every_ = d; }
  // "/masuk?kunci=SECRET": the path of the URL `pantau ui` prints.
  std::string EntryPath() const { return "/masuk?kunci=" + secret_; }

  Response Handle(const Request& request);

  App(std::string home, std::string secret, std::unique_ptr<LaptopStore> store, Sleeper& sleeper)
      : home_(std::move(home)), secret_(std::move(secret)), store_(std::move(store)), sleeper_(sleeper) {}

 private:
  struct Session {
    std::string csrf;
  };

  Response Route(const Request& request, const std::string& path, const Session& session);
  Response SignIn(const std::string& key);
  Response SessionJson(const Session& session);
  Response State();
  Response Lookup(const std::string& kind, const std::string& text);
  Response Sheet(const std::string& market, const std::string& day);
  Response SavePrice(const std::string& body);
  // "Kirim sekarang", or with {"auto": true} the page's automatic sync (refused until it is due).
  // Runs without holding the app's lock: the inspector keeps typing while the link is slow.
  Response Sync(const std::string& body, common::Language lang);
  Response Records(const std::string& day, const std::string& kind, const std::string& market);
  // Riwayat's "Koreksi" and "Batalkan": a correction (a price retyped) or a void of one of this
  // laptop's records, as `pantau correct` / `pantau void` (laptop.h's ChangeRecord).
  Response Change(const std::string& body);
  Response Import(const std::string& body);
  Response Requeue(const std::string& body);
  Response Drop(const std::string& body);
  Response Checklist(const std::string& outlet);
  // The audit of `body` checked (findings, answers that cannot be read, items left) or saved.
  Response Audit(const std::string& body, bool save);
  Response FollowUp(const std::string& body);
  Response Photo(const std::string& body);
  Response Instrument(const std::string& id);
  // The verification of `body` judged (each point's error, MPE, pass; the verdict) or saved.
  Response Uttp(const std::string& body, bool save);
  // "Perbaiki": the record `replaces` names must need attention; its replacement is observed when
  // it was (`observed`). nullopt when it may be replaced, else the answer refusing it.
  std::optional<Response> Replacing(const std::string& replaces, std::optional<absl::Time>& observed);
  // "not saved: ..." for a save that failed on the laptop itself (the disk, the store).
  Response NotSaved(const absl::Status& status) const;
  // Reloads settings and the reference data (after a sync pulled changes).
  absl::Status Reload();
  const Session* SessionOf(const Request& request) const;
  bool HostAllowed(const std::string& host) const;
  bool OriginAllowed(const std::string& origin) const;
  absl::CivilDay Today() const;

  const std::string home_;
  const std::string secret_;
  std::unique_ptr<LaptopStore> store_;
  Sleeper& sleeper_;
  int port_ = 0;
  absl::Duration sync_retry_for_ = absl::Seconds(30);
  absl::Duration auto_every_ = absl::Seconds(60);

  std::mutex sync_mu_;  // one sync at a time (held across the network; never with mu_ waiting on it)
  // Automatic sync, under mu_: consecutive failures, when the next is due, the last outcome.
  int auto_failures_ = 0;
  absl::Time next_auto_ = absl::InfinitePast();
  common::Message last_outcome_;

  std::mutex mu_;  // one request at a time
  common::Language lang_ = common::Language::kIndonesian;  // the current request's
  LaptopSettings settings_;
  common::ReferenceCatalog catalog_;
  common::ValidationPolicy policy_;
  std::map<std::string, Session> sessions_;  // by cookie value
};

}  // namespace pantau::client::ui
