// The HTTP side's request handling, apart from any socket: a function from a request to a
// response, tested as such (tests/server/http_api_test.cc). The listener (listener.h) only moves
// bytes. Routes, parameters and status codes: docs/operations.md.
//
//   GET /healthz                    200 while the process runs
//   GET /readyz                     200 when the store takes writes, else 503 (as gRPC health)
//   GET /metrics                    Prometheus text format; a monitor, supervisor or admin token
//   GET /api/v1                     the reports and their parameters
//   GET /api/v1/<report>[.csv|.xlsx|.json]?param=value...
//                                   a QueryService read: the same service call, tokens, roles and
//                                   scopes as gRPC; CSV and XLSX are downloads (Content-Disposition)
//
// Thread-safety: Handle may be called from many threads at once.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/report/xlsx.h"
#include "server/service/account_service.h"
#include "server/service/metrics.h"
#include "server/service/query_service.h"

namespace pantau::http {

struct Request {
  std::string method;         // "GET"
  std::string target;         // "/api/v1/prices?from=2026-11-01&to=2026-11-30"
  std::string authorization;  // the Authorization header, "" when absent
  std::string peer;           // "ipv4:10.0.0.5": the back-off key and the audit log's "from where"
  std::string request_id;     // ties the log lines of this request together
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type and Content-Length
};

class Api {
 public:
  struct Dependencies {
    service::AccountService& accounts;
    service::QueryService& queries;
    service::Metrics& metrics;
    // OK when the server takes records; the reason otherwise.
    std::function<absl::Status()> ready;
    // The gauges of /metrics, sampled when it is read.
    std::function<service::Metrics::Sample()> sample;
    // "Today" for the signature date of workbooks.
    const service::Clock& clock;
    // Who signs the workbooks (the date, when empty, is the day of the download).
    report::Signatory signatory = {};
  };
  explicit Api(Dependencies deps) : deps_(std::move(deps)) {}

  Response Handle(const Request& request);

 private:
  Dependencies deps_;
};

// The HTTP status for a service status (UNAUTHENTICATED 401, PERMISSION_DENIED 403, the sign-in
// back-off 429, ...).
int HttpStatusOf(const absl::Status& status);

}  // namespace pantau::http
