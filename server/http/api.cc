#include "server/http/api.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_split.h"
#include "common/report/tables.h"
#include "common/report/xlsx.h"
#include "common/dates.h"
#include "common/str_cat.h"
#include "common/text.h"

namespace pantau::http {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using Params = std::vector<std::pair<std::string, std::string>>;

enum class Format { kJson, kCsv, kXlsx };

Response Text(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

// {"error": {"code": "INVALID_ARGUMENT", "message": "..."}, "request_id": "..."}
Response Error(const absl::Status& status, const Request& request) {
  Response r;
  r.status = HttpStatusOf(status);
  const std::optional<int64_t> throttled = service::ThrottledFor(status);
  nlohmann::ordered_json body;
  body["error"]["code"] = absl::StatusCodeToString(status.code());  // the gRPC code's own name
  body["error"]["message"] = status.message();
  body["request_id"] = request.request_id;
  r.body = body.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"pantau\"");
  }
  if (throttled) {
    r.headers.emplace_back("Retry-After", std::to_string(std::max<int64_t>(*throttled, 1)));
  } else if (status.code() == absl::StatusCode::kResourceExhausted || status.code() == absl::StatusCode::kUnavailable) {
    r.headers.emplace_back("Retry-After", "60");
  }
  return r;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding: %XX and '+'.
absl::StatusOr<std::string> Decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) {
        return absl::InvalidArgumentError("a '%' in the query is not followed by two hex digits");
      }
      const int hi = HexValue(text[i + 1]), lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return absl::InvalidArgumentError("a '%' in the query is not followed by two hex digits");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}


std::string ParameterList(const google::protobuf::Descriptor& d) {
  std::vector<std::string> names;
  for (int i = 0; i < d.field_count(); ++i) names.push_back(d.field(i)->name());
  return names.empty() ? "none" : StrJoin(names, ", ");
}

// Sets the request's fields from the query parameters, by field name: a repeated field takes a
// comma-separated list or the parameter repeated; integers and booleans are parsed.
absl::Status FillRequest(const Params& params, Message& request) {
  const auto& d = *request.GetDescriptor();
  const auto& reflection = *request.GetReflection();
  std::set<std::string> seen;
  for (const auto& param : params) {
    const std::string& name = param.first;  // not a structured binding: clang 14 cannot capture one
    const std::string& value = param.second;
    const FieldDescriptor* field = d.FindFieldByName(name);
    if (field == nullptr) {
      return absl::InvalidArgumentError(StrCat("unknown parameter \"", common::TruncateUtf8(name, 64),
                                               "\"; this report takes: ", ParameterList(d)));
    }
    if (!field->is_repeated() && !seen.insert(name).second) {
      return absl::InvalidArgumentError(StrCat("parameter \"", name, "\" is given twice"));
    }
    auto bad = [&](std::string_view expected) {
      return absl::InvalidArgumentError(StrCat("parameter \"", name, "\" = \"", common::TruncateUtf8(value, 64),
                                               "\": expected ", expected));
    };
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        if (field->is_repeated()) {
          for (const std::string& item : std::vector<std::string>(absl::StrSplit(value, ','))) {
            if (!item.empty()) reflection.AddString(&request, field, item);
          }
        } else {
          reflection.SetString(&request, field, value);
        }
        break;
      case FieldDescriptor::CPPTYPE_INT32: {
        int32_t n = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc() || end != value.data() + value.size()) return bad("a whole number");
        reflection.SetInt32(&request, field, n);
        break;
      }
      case FieldDescriptor::CPPTYPE_BOOL:
        if (value == "true" || value == "1" || value.empty()) {
          reflection.SetBool(&request, field, true);
        } else if (value == "false" || value == "0") {
          reflection.SetBool(&request, field, false);
        } else {
          return bad("true or false");
        }
        break;
      default:
        return bad("a value this API cannot take from a URL");
    }
  }
  return absl::OkStatus();
}

std::string FileName(std::string_view report, const Message& request, std::string_view extension) {
  std::string name = StrCat("pantau-", report);
  const auto& d = *request.GetDescriptor();
  for (const char* key : {"period", "from", "to", "as_of"}) {
    const FieldDescriptor* f = d.FindFieldByName(key);
    if (f == nullptr || f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) continue;
    std::string v = request.GetReflection()->GetString(request, f);
    // Only safe characters reach the header.
    std::string safe;
    for (char c : v) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') safe += c;
    }
    if (!safe.empty()) name += "-" + safe;
  }
  return StrCat(name, ".", extension);
}

Response Download(std::string body, std::string_view content_type, const std::string& file_name) {
  Response r;
  r.content_type = std::string(content_type);
  r.body = std::move(body);
  r.headers.emplace_back("Content-Disposition", StrCat("attachment; filename=\"", file_name, "\""));
  return r;
}

constexpr std::string_view kCsvType = "text/csv; charset=utf-8";
constexpr std::string_view kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// One report of the JSON API: its request message (whose fields are the parameters), the
// QueryService call, and how the answer is written in each format (the laptop's renderers).
struct Report {
  std::string_view name;
  std::string_view description;
  std::function<std::unique_ptr<Message>()> new_request;
  std::function<absl::StatusOr<Response>(service::QueryService&, const Message&, const service::Principal&, Format,
                                         const report::Signatory&)>
      run;
};

template <typename Req, typename Resp>
Report MakeReport(std::string_view name, std::string_view description,
                  std::function<absl::StatusOr<Resp>(service::QueryService&, const Req&, const service::Principal&)> query,
                  std::function<std::string(const Resp&)> json, std::function<std::string(const Resp&)> csv,
                  std::function<absl::StatusOr<std::string>(const Resp&, const report::Signatory&,
                                                            const common::ReferenceCatalog&)>
                      xlsx) {
  Report r;
  r.name = name;
  r.description = description;
  r.new_request = [] { return std::make_unique<Req>(); };
  r.run = [=](service::QueryService& queries, const Message& request, const service::Principal& who, Format format,
              const report::Signatory& signatory) -> absl::StatusOr<Response> {
    const Req& typed = static_cast<const Req&>(request);
    auto answer = query(queries, typed, who);
    if (!answer.ok()) return answer.status();
    switch (format) {
      case Format::kCsv:
        return Download(csv(*answer), kCsvType, FileName(name, request, "csv"));
      case Format::kXlsx: {
        auto bytes = xlsx(*answer, signatory, *queries.Catalog());
        if (!bytes.ok()) return bytes.status();
        return Download(*std::move(bytes), kXlsxType, FileName(name, request, "xlsx"));
      }
      case Format::kJson:
        break;
    }
    Response out;
    out.body = json(*answer);
    return out;
  };
  return r;
}

template <typename Resp>
std::function<std::string(const Resp&)> TableCsvOf(report::Table (*table)(const Resp&)) {
  return [table](const Resp& r) { return report::TableCsv(table(r)); };
}
// A workbook is for people: names where the table holds codes (CSV keeps the codes).
template <typename Resp>
std::function<absl::StatusOr<std::string>(const Resp&, const report::Signatory&, const common::ReferenceCatalog&)>
TableXlsxOf(report::Table (*table)(const Resp&)) {
  return [table](const Resp& r, const report::Signatory& s, const common::ReferenceCatalog& catalog) {
    report::Table named = table(r);
    report::ShowNames(named, catalog);
    return report::TableXlsxBytes(named, s);
  };
}
template <typename Resp>
std::string AsJson(const Resp& r) {
  return report::ResponseJson(r);
}

const std::vector<Report>& Reports() {
  static const auto* reports = new std::vector<Report>{
      MakeReport<v1::GetIndicatorTableRequest, v1::GetIndicatorTableResponse>(
          "indicators", "the IKK table of a period: target, realisasi, capaian (period=2026, 2026-Q3, 2026-11)",
          [](service::QueryService& q, const v1::GetIndicatorTableRequest& r, const service::Principal& who) {
            return q.IndicatorTable(r.period(), who);
          },
          report::IkkJson, report::IkkCsv,
          [](const v1::GetIndicatorTableResponse& t, const report::Signatory& s, const common::ReferenceCatalog&) {
            return report::IkkXlsxBytes(t, s);
          }),
      MakeReport<v1::GetPriceStatisticsRequest, v1::GetPriceStatisticsResponse>(
          "prices", "bahan pokok price statistics per market and period, with changes and HET/HAP flags",
          [](service::QueryService& q, const v1::GetPriceStatisticsRequest& r, const service::Principal& who) {
            return q.PriceStatistics(r, who);
          },
          report::PriceJson, report::PriceCsv, TableXlsxOf(&report::PriceStatisticsTable)),
      MakeReport<v1::GetPriceStabilityRequest, v1::GetPriceStabilityResponse>(
          "price-stability", "KV antar waktu per commodity and the disparity between markets",
          [](service::QueryService& q, const v1::GetPriceStabilityRequest& r, const service::Principal& who) {
            return q.PriceStability(r, who);
          },
          AsJson<v1::GetPriceStabilityResponse>, TableCsvOf(&report::PriceStabilityTable),
          TableXlsxOf(&report::PriceStabilityTable)),
      MakeReport<v1::GetCoverageRequest, v1::GetCoverageResponse>(
          "coverage", "coverage of the price-sampling schedule by market and commodity",
          [](service::QueryService& q, const v1::GetCoverageRequest& r, const service::Principal& who) {
            return q.Coverage(r, who);
          },
          AsJson<v1::GetCoverageResponse>, TableCsvOf(&report::CoverageTable), TableXlsxOf(&report::CoverageTable)),
      MakeReport<v1::ListViolationsRequest, v1::ListViolationsResponse>(
          "violations", "findings of subsidised-outlet audits and their follow-up status",
          [](service::QueryService& q, const v1::ListViolationsRequest& r, const service::Principal& who) {
            return q.Violations(r, who);
          },
          AsJson<v1::ListViolationsResponse>, TableCsvOf(&report::ViolationsTable),
          TableXlsxOf(&report::ViolationsTable)),
      MakeReport<v1::ListUttpDueRequest, v1::ListUttpDueResponse>(
          "uttp-due", "UTTP instruments whose tera ulang is overdue or due soon",
          [](service::QueryService& q, const v1::ListUttpDueRequest& r, const service::Principal& who) {
            return q.UttpDue(r, who);
          },
          AsJson<v1::ListUttpDueResponse>, TableCsvOf(&report::UttpDueTable), TableXlsxOf(&report::UttpDueTable)),
      MakeReport<v1::ListUttpVerificationsRequest, v1::ListUttpVerificationsResponse>(
          "uttp-verifications", "UTTP verifications of a period with verdicts (sah/batal) and discrepancies",
          [](service::QueryService& q, const v1::ListUttpVerificationsRequest& r, const service::Principal& who) {
            return q.UttpVerifications(r, who);
          },
          AsJson<v1::ListUttpVerificationsResponse>, TableCsvOf(&report::UttpVerificationsTable),
          TableXlsxOf(&report::UttpVerificationsTable)),
      MakeReport<v1::ListAuditsRequest, v1::ListAuditsResponse>(
          "audits", "outlet audits of a period (the records behind IKK row 21)",
          [](service::QueryService& q, const v1::ListAuditsRequest& r, const service::Principal& who) {
            return q.Audits(r, who);
          },
          AsJson<v1::ListAuditsResponse>, TableCsvOf(&report::AuditsTable), TableXlsxOf(&report::AuditsTable)),
      MakeReport<v1::ListAlertsRequest, v1::ListAlertsResponse>(
          "alerts", "price early warning: HET/HAP breaches, sudden changes, ALPS, IFPA, missing observations",
          [](service::QueryService& q, const v1::ListAlertsRequest& r, const service::Principal& who) {
            return q.Alerts(r, who);
          },
          AsJson<v1::ListAlertsResponse>, TableCsvOf(&report::AlertsTable), TableXlsxOf(&report::AlertsTable)),
      MakeReport<v1::GetFieldActivityRequest, v1::GetFieldActivityResponse>(
          "field-activity", "each inspector's laptops: last record accepted, this week's count, quiet ones",
          [](service::QueryService& q, const v1::GetFieldActivityRequest& r, const service::Principal& who) {
            return q.FieldActivity(r, who);
          },
          AsJson<v1::GetFieldActivityResponse>, TableCsvOf(&report::FieldActivityTable),
          TableXlsxOf(&report::FieldActivityTable)),
  };
  return *reports;
}

Response Index() {
  nlohmann::ordered_json out;
  out["reports"] = nlohmann::ordered_json::array();
  for (const auto& r : Reports()) {
    auto request = r.new_request();
    nlohmann::ordered_json entry;
    entry["path"] = StrCat("/api/v1/", r.name);
    entry["description"] = r.description;
    entry["parameters"] = nlohmann::ordered_json::array();
    for (int i = 0; i < request->GetDescriptor()->field_count(); ++i) {
      entry["parameters"].push_back(request->GetDescriptor()->field(i)->name());
    }
    entry["formats"] = {"json", "csv", "xlsx"};
    out["reports"].push_back(entry);
  }
  Response r;
  r.body = out.dump(2) + "\n";
  return r;
}

}  // namespace

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseQuery(std::string_view query) {
  Params out;
  if (query.empty()) return out;
  for (const std::string& part : std::vector<std::string>(absl::StrSplit(std::string(query), '&'))) {
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    auto name = Decode(std::string_view(part).substr(0, eq));
    if (!name.ok()) return name.status();
    auto value = Decode(eq == std::string::npos ? std::string_view() : std::string_view(part).substr(eq + 1));
    if (!value.ok()) return value.status();
    out.emplace_back(*std::move(name), *std::move(value));
  }
  return out;
}


int HttpStatusOf(const absl::Status& status) {
  // The sign-in back-off is UNAVAILABLE for gRPC (the laptop waits and tries again) and
  // 429 Too Many Requests over HTTP, with its wait in Retry-After.
  if (service::ThrottledFor(status)) return 429;
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

// An evidence photo by its SHA-256, under the same rule as gRPC's GetPhoto: supervisors and admins
// not limited to kecamatan or bidang. Never cached; the type is named from the bytes (JPEG, PNG,
// WebP, GIF), anything else is a download, so a stored file is never run as a page.
Response Api::Photo(const service::Principal& who, std::string_view sha256, const Request& request) {
  if (deps_.photos == nullptr) return Error(absl::NotFoundError("photos are not served here"), request);
  absl::Status role = service::RequireRole(who, {v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN}, "read photos");
  if (role.ok()) role = service::PhotoService::Admit(who);
  if (!role.ok()) return Error(role, request);
  auto photo = deps_.photos->Get(std::string(sha256));
  if (!photo.ok()) return Error(photo.status(), request);
  if (!*photo) {
    return Error(absl::NotFoundError(StrCat("no photo ", sha256, " on the server (not synced yet?)")), request);
  }
  Response r;
  r.body = **std::move(photo);
  const std::string_view bytes = r.body;
  if (bytes.substr(0, 3) == "\xff\xd8\xff") {
    r.content_type = "image/jpeg";
  } else if (bytes.substr(0, 8) == "\x89PNG\r\n\x1a\n") {
    r.content_type = "image/png";
  } else if (bytes.size() >= 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP") {
    r.content_type = "image/webp";
  } else if (bytes.substr(0, 6) == "GIF87a" || bytes.substr(0, 6) == "GIF89a") {
    r.content_type = "image/gif";
  } else {
    r.content_type = "application/octet-stream";
    r.headers.emplace_back("Content-Disposition", StrCat("attachment; filename=\"foto-", sha256.substr(0, 12), "\""));
  }
  return r;  // the listener adds no-store and nosniff to every answer
}

Response Api::Handle(const Request& request) {
  std::string_view target = request.target;
  const size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  if (std::optional<Response> page = dashboard_.Handle(request)) return *std::move(page);

  if (request.method != "GET") {
    Response r = Error(absl::InvalidArgumentError(StrCat("method ", common::TruncateUtf8(request.method, 16),
                                                          " is not served; everything here is read with GET")),
                       request);
    r.status = 405;
    r.headers.emplace_back("Allow", "GET");
    return r;
  }
  // Health answers without a token, like the gRPC health service: it tells nothing but "up".
  if (path == "/healthz") return Text(200, "ok\n");
  if (path == "/readyz") {
    absl::Status ready = deps_.ready();
    return ready.ok() ? Text(200, "ready\n") : Text(503, StrCat("not ready: ", ready.message(), "\n"));
  }

  // A token, or else the dashboard's session.
  std::optional<service::Principal> signed_in;
  if (request.authorization.empty()) signed_in = dashboard_.SignedIn(request);
  auto principal = signed_in ? absl::StatusOr<service::Principal>(*signed_in)
                             : deps_.accounts.Authenticate(service::BearerToken(request.authorization), request.peer);
  if (!principal.ok()) return Error(principal.status(), request);

  if (path == "/metrics") {
    absl::Status role = service::RequireRole(*principal, {v1::ROLE_MONITOR, v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN},
                                             "read the metrics");
    if (!role.ok()) return Error(role, request);
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = deps_.metrics.Render(deps_.sample());
    return r;
  }
  if (path == "/api/v1" || path == "/api/v1/") {
    absl::Status role = service::RequireRole(*principal, {v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN}, "read reports");
    if (!role.ok()) return Error(role, request);
    return Index();
  }
  constexpr std::string_view kPrefix = "/api/v1/";
  if (path.substr(0, kPrefix.size()) != kPrefix) {
    return Error(absl::NotFoundError(StrCat("no such page: ", common::TruncateUtf8(path, 200),
                                            " (see /api/v1 for the reports)")),
                 request);
  }
  std::string_view name = path.substr(kPrefix.size());
  if (name.substr(0, 6) == "photo/") return Photo(*principal, name.substr(6), request);
  Format format = Format::kJson;
  for (auto [suffix, f] : {std::pair{std::string_view(".csv"), Format::kCsv},
                           std::pair{std::string_view(".xlsx"), Format::kXlsx},
                           std::pair{std::string_view(".json"), Format::kJson}}) {
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
      name.remove_suffix(suffix.size());
      format = f;
      break;
    }
  }
  const Report* report = nullptr;
  for (const auto& r : Reports()) {
    if (r.name == name) report = &r;
  }
  if (report == nullptr) {
    return Error(absl::NotFoundError(StrCat("no report \"", common::TruncateUtf8(name, 64),
                                            "\" (see /api/v1 for the reports)")),
                 request);
  }
  absl::Status role = service::RequireRole(*principal, {v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN}, "read reports");
  if (!role.ok()) return Error(role, request);

  auto params = ParseQuery(query);
  if (!params.ok()) return Error(params.status(), request);
  auto message = report->new_request();
  if (absl::Status filled = FillRequest(*params, *message); !filled.ok()) return Error(filled, request);

  report::Signatory signatory = deps_.signatory;
  const v1::Deployment deployment = deps_.queries.Deployment();
  report::ApplyDeployment(signatory, &deployment);
  if (signatory.date.empty()) {
    signatory.date = report::IndonesianDate(absl::ToCivilDay(deps_.clock.Now(), deps_.queries.zone()));
  }
  auto response = report->run(deps_.queries, *message, *principal, format, signatory);
  if (!response.ok()) return Error(response.status(), request);
  if (signed_in) Dashboard::Harden(*response);  // read by the dashboard's pages: never cached
  return *std::move(response);
}

}  // namespace pantau::http
