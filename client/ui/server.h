// `pantau ui`'s listener: HTTP/1.1 on a loopback address only, with Boost.Beast; each connection
// on a thread of its own (one person's browser opens a handful). No logic beyond the wire: every
// request goes to App::Handle. Thread-safety: Start and Shutdown from one owner thread.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "client/ui/app.h"

namespace pantau::client::ui {

class Server {
 public:
  // `listen`: "127.0.0.1:PORT" (port 0 picks a free one), "[::1]:PORT" or "localhost:PORT".
  // FAILED_PRECONDITION for any other address: the app is for this laptop only.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const std::string& listen, App& app);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;
  // Stops accepting, closes every connection, joins the threads. Idempotent.
  void Shutdown();

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pantau::client::ui
