#include "server/config.h"

// Header-only with exceptions off: errors come back as values, as everywhere else in Pantau.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#include <cmath>
#include <toml++/toml.h>

#include <set>

#include "common/coverage.h"
#include "common/status_macros.h"
#include "common/str_cat.h"

namespace pantau::server {
namespace {

template <typename T>
absl::Status ReadInt(const toml::table& table, std::string_view path, int64_t min, int64_t max,
                     T* out) {
  const toml::node* node = table.at_path(path).node();
  if (node == nullptr) return absl::OkStatus();
  auto value = node->value<int64_t>();
  if (!value) return absl::InvalidArgumentError(StrCat(path, ": must be a whole number"));
  if (*value < min || *value > max) {
    return absl::InvalidArgumentError(StrCat(path, ": must be between ", min, " and ", max));
  }
  *out = static_cast<T>(*value);
  return absl::OkStatus();
}

absl::Status ReadString(const toml::table& table, std::string_view path, std::string* out) {
  const toml::node* node = table.at_path(path).node();
  if (node == nullptr) return absl::OkStatus();
  auto value = node->value<std::string>();
  if (!value) return absl::InvalidArgumentError(StrCat(path, ": must be a string"));
  *out = *value;
  return absl::OkStatus();
}

absl::Status ReadBool(const toml::table& table, std::string_view path, bool* out) {
  const toml::node* node = table.at_path(path).node();
  if (node == nullptr) return absl::OkStatus();
  const auto* value = node->as_boolean();  // exactly a boolean: 1 is not true here
  if (value == nullptr) return absl::InvalidArgumentError(StrCat(path, ": must be true or false"));
  *out = value->get();
  return absl::OkStatus();
}

absl::Status ReadStringList(const toml::table& table, std::string_view path, std::vector<std::string>* out) {
  const toml::node* node = table.at_path(path).node();
  if (node == nullptr) return absl::OkStatus();
  const toml::array* array = node->as_array();
  if (array == nullptr) return absl::InvalidArgumentError(StrCat(path, ": must be a list of strings"));
  std::vector<std::string> values;
  for (const auto& item : *array) {
    auto value = item.value<std::string>();
    if (!value) return absl::InvalidArgumentError(StrCat(path, ": must be a list of strings"));
    values.push_back(*value);
  }
  *out = std::move(values);
  return absl::OkStatus();
}

// Every key of the file must be one we know: a misspelt key is an error, not a silent default.
absl::Status CheckKnownKeys(const toml::table& table, std::string_view prefix,
                            const std::set<std::string, std::less<>>& known) {
  for (const auto& [key, node] : table) {
    std::string path = prefix.empty() ? std::string(key.str()) : StrCat(prefix, ".", key.str());
    if (node.is_table()) {
      PANTAU_RETURN_IF_ERROR(CheckKnownKeys(*node.as_table(), path, known));
    } else if (known.count(path) == 0) {
      return absl::InvalidArgumentError(StrCat(path, ": unknown setting"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ServeConfig> ParseServeConfig(std::string_view toml_text, ServeConfig base) {
  toml::parse_result parsed = toml::parse(toml_text);
  if (!parsed) {
    const auto& error = parsed.error();
    return absl::InvalidArgumentError(StrCat("line ", error.source().begin.line, ": ",
                                             std::string_view(error.description())));
  }
  const toml::table& table = parsed.table();
  static const std::set<std::string, std::less<>> kKnown = {
      "data_dir",
      "grpc_listen",
      "executor_threads",
      "validation.max_clock_skew_minutes",
      "validation.max_text_bytes",
      "limits.max_batch_records",
      "limits.max_message_bytes",
      "limits.shutdown_grace_seconds",
      "limits.max_photo_bytes",
      "limits.max_streams",
      "limits.max_streams_per_connection",
      "limits.max_connection_age_minutes",
      "limits.memory_quota_mib",
      "security.failed_sign_ins_before_backoff",
      "security.max_backoff_seconds",
      "tls.cert_file",
      "tls.key_file",
      "http.listen",
      "backup.dir",
      "backup.every_hours",
      "backup.keep",
      "log.level",
      "indicators.uttp_definition",
      "indicators.follow_up_count",
      "reports.price_schedule",
      "reports.follow_up_due_days",
      "reports.uttp_due_window_days",
      "reports.signatory_file",
      "metrology.nawi_tera_multiplier",
      "metrology.nawi_tera_ulang_multiplier",
      "metrology.nawi_pengawasan_multiplier",
      "metrology.volume_tera_multiplier",
      "metrology.volume_tera_ulang_multiplier",
      "metrology.volume_pengawasan_multiplier",
      "metrology.dispenser_repeatability_milli_percent",
      "metrology.dispenser_three_flows",
      "alerts.het_margin_basis_points",
      "alerts.het_min_days",
      "alerts.change_window",
      "alerts.change_min_history",
      "alerts.change_mad_multiple_tenths",
      "alerts.change_floor_percent",
      "alerts.ifpa_gamma_percent",
      "alerts.ifpa_min_years",
      "alerts.history_days",
      "alerts.webhook_url",
      "alerts.webhook_kinds",
      "alerts.webhook_days",
      "alerts.webhook_interval_seconds",
  };
  PANTAU_RETURN_IF_ERROR(CheckKnownKeys(table, "", kKnown));
  ServeConfig c = std::move(base);
  PANTAU_RETURN_IF_ERROR(ReadString(table, "data_dir", &c.data_dir));
  PANTAU_RETURN_IF_ERROR(ReadString(table, "grpc_listen", &c.server.grpc_listen));
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "executor_threads", 1, 256, &c.server.executor_threads));
  int64_t skew_minutes = absl::ToInt64Minutes(c.server.ingest.policy.max_clock_skew);
  PANTAU_RETURN_IF_ERROR(
      ReadInt(table, "validation.max_clock_skew_minutes", 0, 24 * 60, &skew_minutes));
  c.server.ingest.policy.max_clock_skew = absl::Minutes(skew_minutes);
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "validation.max_text_bytes", 64, 1 << 20,
                                &c.server.ingest.policy.max_text_bytes));
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "limits.max_batch_records", 1, 100000,
                                &c.server.ingest.max_batch_records));
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "limits.max_message_bytes", 1 << 16, 1 << 30,
                                &c.server.max_message_bytes));
  int64_t grace = absl::ToInt64Seconds(c.server.shutdown_grace);
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "limits.shutdown_grace_seconds", 0, 600, &grace));
  c.server.shutdown_grace = absl::Seconds(grace);
  PANTAU_RETURN_IF_ERROR(ReadString(table, "tls.cert_file", &c.server.tls_cert_file));
  PANTAU_RETURN_IF_ERROR(ReadString(table, "tls.key_file", &c.server.tls_key_file));
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "limits.max_photo_bytes", 1 << 10, 1 << 30, &c.server.max_photo_bytes));
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "limits.max_streams", 1, 100000, &c.server.max_streams));
  PANTAU_RETURN_IF_ERROR(
      ReadInt(table, "limits.max_streams_per_connection", 1, 1000, &c.server.max_streams_per_connection));
  int64_t age_minutes = absl::ToInt64Minutes(c.server.max_connection_age);
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "limits.max_connection_age_minutes", 1, 24 * 60, &age_minutes));
  c.server.max_connection_age = absl::Minutes(age_minutes);
  int64_t quota_mib = c.server.memory_quota_bytes >> 20;
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "limits.memory_quota_mib", 64, 1 << 20, &quota_mib));
  c.server.memory_quota_bytes = quota_mib << 20;
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "security.failed_sign_ins_before_backoff", 1, 1000,
                                &c.server.throttle.free_failures));
  int64_t max_backoff = absl::ToInt64Seconds(c.server.throttle.max_block);
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "security.max_backoff_seconds", 1, 24 * 3600, &max_backoff));
  c.server.throttle.max_block = absl::Seconds(max_backoff);
  PANTAU_RETURN_IF_ERROR(ReadString(table, "http.listen", &c.server.http_listen));
  PANTAU_RETURN_IF_ERROR(ReadString(table, "backup.dir", &c.server.backup_dir));
  int64_t backup_hours = absl::ToInt64Hours(c.server.backup_every);
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "backup.every_hours", 0, 24 * 31, &backup_hours));
  c.server.backup_every = absl::Hours(backup_hours);
  int64_t keep = c.server.backup_keep;
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "backup.keep", 1, 1000, &keep));
  c.server.backup_keep = static_cast<int>(keep);
  if (c.server.backup_every > absl::ZeroDuration() && c.server.backup_dir.empty()) {
    return absl::InvalidArgumentError("backup.every_hours: needs backup.dir, the folder the backups go to");
  }
  PANTAU_RETURN_IF_ERROR(ReadString(table, "log.level", &c.log_level));
  if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warning" && c.log_level != "warn" &&
      c.log_level != "error") {
    return absl::InvalidArgumentError("log.level: must be debug, info, warning or error");
  }
  std::string uttp_definition;
  PANTAU_RETURN_IF_ERROR(ReadString(table, "indicators.uttp_definition", &uttp_definition));
  if (uttp_definition == "verified_in_year") {
    c.server.ikk.uttp_definition = common::UttpDefinition::kVerifiedInYear;
  } else if (uttp_definition == "valid_mark") {
    c.server.ikk.uttp_definition = common::UttpDefinition::kValidMark;
  } else if (!uttp_definition.empty()) {
    return absl::InvalidArgumentError("indicators.uttp_definition: verified_in_year or valid_mark");
  }
  std::string follow_up_count;
  PANTAU_RETURN_IF_ERROR(ReadString(table, "indicators.follow_up_count", &follow_up_count));
  if (follow_up_count == "violations") {
    c.server.ikk.follow_up_count = service::FollowUpCount::kViolations;
  } else if (follow_up_count == "actions") {
    c.server.ikk.follow_up_count = service::FollowUpCount::kActions;
  } else if (!follow_up_count.empty()) {
    return absl::InvalidArgumentError("indicators.follow_up_count: violations or actions");
  }
  PANTAU_RETURN_IF_ERROR(ReadStringList(table, "reports.price_schedule", &c.server.ikk.price_schedule));
  if (auto days = common::ParseWeekdays(c.server.ikk.price_schedule); !days.ok()) {
    return absl::InvalidArgumentError(StrCat("reports.price_schedule: ", days.status().message()));
  } else if (days->empty()) {
    return absl::InvalidArgumentError("reports.price_schedule: name at least one day");
  }
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "reports.follow_up_due_days", 1, 365, &c.server.ikk.follow_up_due_days));
  PANTAU_RETURN_IF_ERROR(ReadString(table, "reports.signatory_file", &c.server.signatory_file));
  PANTAU_RETURN_IF_ERROR(
      ReadInt(table, "reports.uttp_due_window_days", 1, 3660, &c.server.ikk.uttp_due_window_days));
  service::AlertSettings& alerts = c.server.ikk.alerts;
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "alerts.het_margin_basis_points", 0, 10000, &alerts.het_margin_basis_points));
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "alerts.het_min_days", 1, 366, &alerts.het_min_days));
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "alerts.change_window", 2, 366, &alerts.change.window));
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "alerts.change_min_history", 0, 366, &alerts.change.min_history));
  int64_t tenths = static_cast<int64_t>(std::llround(alerts.change.mad_multiple * 10));
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "alerts.change_mad_multiple_tenths", 1, 1000, &tenths));
  alerts.change.mad_multiple = static_cast<double>(tenths) / 10;
  int64_t floor_percent = static_cast<int64_t>(std::llround(alerts.change.floor_percent));
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "alerts.change_floor_percent", 0, 1000, &floor_percent));
  alerts.change.floor_percent = static_cast<double>(floor_percent);
  int64_t gamma_percent = static_cast<int64_t>(std::llround(alerts.ifpa.gamma * 100));
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "alerts.ifpa_gamma_percent", 0, 100, &gamma_percent));
  alerts.ifpa.gamma = static_cast<double>(gamma_percent) / 100;
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "alerts.ifpa_min_years", 2, 50, &alerts.ifpa.min_years));
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "alerts.history_days", 7, 3660, &alerts.history_days));
  http::WebhookOptions& webhook = c.server.alert_webhook;
  PANTAU_RETURN_IF_ERROR(ReadString(table, "alerts.webhook_url", &webhook.url));
  if (!webhook.url.empty()) PANTAU_RETURN_IF_ERROR(http::ParseWebhookUrl(webhook.url).status());
  PANTAU_RETURN_IF_ERROR(ReadStringList(table, "alerts.webhook_kinds", &webhook.kinds));
  for (const auto& kind : webhook.kinds) {
    if (kind != "het" && kind != "lonjakan" && kind != "alps" && kind != "ifpa" && kind != "tidak_teramati") {
      return absl::InvalidArgumentError(
          StrCat("alerts.webhook_kinds: \"", kind, "\" is not het, lonjakan, alps, ifpa or tidak_teramati"));
    }
  }
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "alerts.webhook_days", 1, 366, &webhook.days));
  int64_t webhook_interval = absl::ToInt64Seconds(webhook.interval);
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "alerts.webhook_interval_seconds", 1, 24 * 3600, &webhook_interval));
  webhook.interval = absl::Seconds(webhook_interval);
  common::MetrologySettings& m = c.server.ingest.metrology;
  for (auto [key, field] : {std::pair{"metrology.nawi_tera_multiplier", &m.nawi_tera},
                            std::pair{"metrology.nawi_tera_ulang_multiplier", &m.nawi_tera_ulang},
                            std::pair{"metrology.nawi_pengawasan_multiplier", &m.nawi_pengawasan},
                            std::pair{"metrology.volume_tera_multiplier", &m.volume_tera},
                            std::pair{"metrology.volume_tera_ulang_multiplier", &m.volume_tera_ulang},
                            std::pair{"metrology.volume_pengawasan_multiplier", &m.volume_pengawasan}}) {
    PANTAU_RETURN_IF_ERROR(ReadInt(table, key, 1, 2, field));
  }
  PANTAU_RETURN_IF_ERROR(ReadInt(table, "metrology.dispenser_repeatability_milli_percent", 1, 10000,
                                &m.dispenser_repeatability_milli_percent));
  PANTAU_RETURN_IF_ERROR(ReadBool(table, "metrology.dispenser_three_flows", &m.dispenser_three_flows));
  return c;
}

}  // namespace pantau::server
