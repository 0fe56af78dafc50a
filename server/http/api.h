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
//                                   scopes as gRPC; CSV and XLSX are downloads (Content-Disposition);
//                                   a dashboard session cookie stands for a token
//   GET /api/v1/photo/<sha256>      an evidence photo, to unlimited supervisors and admins (as gRPC
//                                   GetPhoto); its type from its first bytes
//   GET /, /masuk, POST /masuk, /keluar, ...
//                                   the supervisor's dashboard (dashboard.h)
//
// Thread-safety: Handle may be called from many threads at once.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/report/xlsx.h"
#include "server/http/api_types.h"
#include "server/http/dashboard.h"
#include "server/service/account_service.h"
#include "server/service/metrics.h"
#include "server/service/photo_service.h"
#include "server/service/query_service.h"

namespace pantau::http {

class Api {
 public:
  struct Dependencies {
    service::AccountService& accounts;
    service::QueryService& queries;
    // Where an admin's targets and manual realisations from the dashboard are stored.
    service::ReferenceService& reference;
    service::Metrics& metrics;
    // OK when the server takes records; the reason otherwise.
    std::function<absl::Status()> ready;
    // The gauges of /metrics, sampled when it is read.
    std::function<service::Metrics::Sample()> sample;
    // "Today" for the signature date of workbooks.
    const service::Clock& clock;
    // Who signs the workbooks (the date, when empty, is the day of the download).
    report::Signatory signatory = {};
    // Where evidence photos are read from (/api/v1/photo/<sha256>); none: not served.
    service::PhotoService* photos = nullptr;
  };
  explicit Api(Dependencies deps, SessionOptions sessions = {})
      : deps_(std::move(deps)), dashboard_(deps_.accounts, deps_.queries, deps_.reference, deps_.clock, sessions) {}

  Response Handle(const Request& request);
  Dashboard& dashboard() { return dashboard_; }

 private:
  Response Photo(const service::Principal& who, std::string_view sha256, const Request& request);

  Dependencies deps_;
  Dashboard dashboard_;
};

// name=value pairs of a query string or an application/x-www-form-urlencoded body, decoded.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseQuery(std::string_view query);

// The HTTP status for a service status (UNAUTHENTICATED 401, PERMISSION_DENIED 403, the sign-in
// back-off 429, ...).
int HttpStatusOf(const absl::Status& status);

}  // namespace pantau::http
