// A request and a response of the HTTP side, apart from any socket (api.h, dashboard.h).
// Thread-safety: plain values.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace pantau::http {

struct Request {
  std::string method;         // "GET", "POST"
  std::string target;         // "/api/v1/prices?from=2026-11-01&to=2026-11-30"
  std::string authorization;  // the Authorization header, "" when absent
  std::string cookie;         // the Cookie header (the dashboard's session)
  std::string origin;         // the Origin header, "" when absent
  std::string host;           // the Host header
  std::string content_type;   // of the body
  std::string body;           // a form the dashboard posts
  bool tls = false;           // arrived over HTTPS: the session cookie is Secure
  std::string peer;           // "ipv4:10.0.0.5": the back-off key and the audit log's "from where"
  std::string request_id;     // ties the log lines of this request together
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type and Content-Length
};

}  // namespace pantau::http
