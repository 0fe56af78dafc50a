#include "server/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/str_cat.h"
#include "server/service/log.h"
#include "tests/testing/test_support.h"

namespace pantau::server {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::StatusIs;

TEST(ServeConfigTest, ReadsEverySettingOverTheDefaults) {
  auto c = ParseServeConfig(R"(
data_dir = "/var/lib/pantau"
grpc_listen = "127.0.0.1:7000"
executor_threads = 4
[validation]
max_clock_skew_minutes = 30
[limits]
max_batch_records = 500
shutdown_grace_seconds = 2
[indicators]
uttp_definition = "valid_mark"
[reports]
price_schedule = ["senin", "kamis"]
follow_up_due_days = 7
uttp_due_window_days = 60
[metrology]
nawi_tera_ulang_multiplier = 2
dispenser_three_flows = false
[alerts]
het_margin_basis_points = 250
het_min_days = 3
change_window = 20
change_min_history = 8
change_mad_multiple_tenths = 35
change_floor_percent = 15
ifpa_gamma_percent = 50
ifpa_min_years = 4
history_days = 200
webhook_url = "http://10.0.0.5:8080/kirim"
webhook_kinds = ["het", "tidak_teramati"]
webhook_days = 3
webhook_interval_seconds = 120
)",
                            ServeConfig{});
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->data_dir, "/var/lib/pantau");
  EXPECT_EQ(c->server.grpc_listen, "127.0.0.1:7000");
  EXPECT_EQ(c->server.executor_threads, 4);
  EXPECT_EQ(c->server.ingest.policy.max_clock_skew, absl::Minutes(30));
  EXPECT_EQ(c->server.ingest.max_batch_records, 500u);
  EXPECT_EQ(c->server.shutdown_grace, absl::Seconds(2));
  EXPECT_EQ(c->server.ikk.uttp_definition, common::UttpDefinition::kValidMark);
  EXPECT_EQ(c->server.ikk.price_schedule, (std::vector<std::string>{"senin", "kamis"}));
  EXPECT_EQ(c->server.ikk.follow_up_due_days, 7);
  EXPECT_EQ(c->server.ikk.uttp_due_window_days, 60);
  EXPECT_EQ(c->server.ingest.metrology.nawi_tera_ulang, 2);
  EXPECT_EQ(c->server.ingest.metrology.nawi_pengawasan, 2);  // default kept
  EXPECT_FALSE(c->server.ingest.metrology.dispenser_three_flows);
  const service::AlertSettings& alerts = c->server.ikk.alerts;
  EXPECT_EQ(alerts.het_margin_basis_points, 250);
  EXPECT_EQ(alerts.het_min_days, 3);
  EXPECT_EQ(alerts.change.window, 20);
  EXPECT_EQ(alerts.change.min_history, 8);
  EXPECT_DOUBLE_EQ(alerts.change.mad_multiple, 3.5);
  EXPECT_DOUBLE_EQ(alerts.change.floor_percent, 15);
  EXPECT_DOUBLE_EQ(alerts.ifpa.gamma, 0.5);
  EXPECT_EQ(alerts.ifpa.min_years, 4);
  EXPECT_EQ(alerts.history_days, 200);
  EXPECT_EQ(c->server.alert_webhook.url, "http://10.0.0.5:8080/kirim");
  EXPECT_EQ(c->server.alert_webhook.kinds, (std::vector<std::string>{"het", "tidak_teramati"}));
  EXPECT_EQ(c->server.alert_webhook.days, 3);
  EXPECT_EQ(c->server.alert_webhook.interval, absl::Seconds(120));
}

TEST(ServeConfigTest, RefusesUnknownKeysWrongTypesRangesAndSyntax) {
  struct Case {
    const char* text;
    const char* expected;
  } cases[] = {
      {"grpc_lisen = \"x\"", "grpc_lisen: unknown setting"},
      {"executor_threads = \"four\"", "executor_threads: must be a whole number"},
      {"[limits]\nmax_batch_records = 0", "limits.max_batch_records: must be between 1"},
      {"data_dir = ", "line 1"},
      {"[indicators]\nuttp_definition = \"sometimes\"", "indicators.uttp_definition: verified_in_year or valid_mark"},
      {"[reports]\nprice_schedule = [\"tuesday\"]", "reports.price_schedule: weekday \"tuesday\""},
      {"[reports]\nprice_schedule = []", "reports.price_schedule: name at least one day"},
      {"[metrology]\nnawi_tera_multiplier = 3", "metrology.nawi_tera_multiplier: must be between 1 and 2"},
      {"[metrology]\ndispenser_three_flows = 1", "metrology.dispenser_three_flows: must be true or false"},
      {"[alerts]\nifpa_gamma_percent = 101", "alerts.ifpa_gamma_percent: must be between 0 and 100"},
      {"[alerts]\nchange_mad_multiple = 3", "alerts.change_mad_multiple"},
      {"[alerts]\nwebhook_url = \"https://wa.example/x\"", "alerts.webhook_url: \"https://wa.example/x\": https is not spoken"},
      {"[alerts]\nwebhook_kinds = [\"banjir\"]", "alerts.webhook_kinds: \"banjir\" is not het"},
      {"[alerts]\nwebhook_days = 0", "alerts.webhook_days: must be between 1 and 366"},
      {"[reports]\nprice_schedule = \"selasa\"", "reports.price_schedule: must be a list of strings"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto parsed = ParseServeConfig(c.text, ServeConfig{});
    ASSERT_THAT(parsed, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_NE(parsed.status().message().find(c.expected), std::string::npos)
        << parsed.status().message();
  }
}

TEST(ServeConfigTest, TheShippedExampleParses) {
  std::ifstream in(std::string(PANTAU_SOURCE_DIR) + "/deploy/pantau-server.toml.example");
  std::stringstream text;
  text << in.rdbuf();
  ASSERT_FALSE(text.str().empty());
  auto c = ParseServeConfig(text.str(), ServeConfig{});
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->server.grpc_listen, "127.0.0.1:50051");
  EXPECT_EQ(c->server.ikk.price_schedule, (std::vector<std::string>{"selasa"}));
}

TEST(ServeConfigTest, LimitsAndBackOffAreRead) {
  auto c = ParseServeConfig(
      "[limits]\nmax_streams = 7\nmax_streams_per_connection = 3\nmax_connection_age_minutes = 90\n"
      "memory_quota_mib = 256\n[security]\nfailed_sign_ins_before_backoff = 3\nmax_backoff_seconds = 60\n",
      ServeConfig{});
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->server.max_streams, 7);
  EXPECT_EQ(c->server.max_streams_per_connection, 3);
  EXPECT_EQ(c->server.max_connection_age, absl::Minutes(90));
  EXPECT_EQ(c->server.memory_quota_bytes, int64_t{256} << 20);
  EXPECT_EQ(c->server.throttle.free_failures, 3);
  EXPECT_EQ(c->server.throttle.max_block, absl::Seconds(60));
  EXPECT_THAT(ParseServeConfig("[limits]\nmax_streams = 0\n", ServeConfig{}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ServeConfigTest, HttpBackupsAndLogLevelAreRead) {
  auto c = ParseServeConfig(
      "[http]\nlisten = \"127.0.0.1:8080\"\n[backup]\ndir = \"/srv/backup\"\nevery_hours = 24\nkeep = 14\n"
      "[log]\nlevel = \"debug\"\n",
      ServeConfig{});
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->server.http_listen, "127.0.0.1:8080");
  EXPECT_EQ(c->server.backup_dir, "/srv/backup");
  EXPECT_EQ(c->server.backup_every, absl::Hours(24));
  EXPECT_EQ(c->server.backup_keep, 14);
  EXPECT_EQ(c->log_level, "debug");
  // A schedule needs a folder; levels and retention are checked.
  auto no_dir = ParseServeConfig("[backup]\nevery_hours = 24\n", ServeConfig{});
  EXPECT_THAT(no_dir, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(no_dir.status().message().find("needs backup.dir"), std::string::npos);
  EXPECT_THAT(ParseServeConfig("[log]\nlevel = \"loud\"\n", ServeConfig{}), StatusIs(absl::StatusCode::kInvalidArgument));
  // The levels docs/operations.md lists are the ones each line spells: "warning" (also "warn").
  for (const char* level : {"debug", "info", "warning", "warn", "error"}) {
    EXPECT_THAT(ParseServeConfig(StrCat("[log]\nlevel = \"", level, "\"\n"), ServeConfig{}), IsOk()) << level;
    EXPECT_TRUE(service::log::SetLevel(level)) << level;
  }
  EXPECT_FALSE(service::log::SetLevel("loud"));
  ASSERT_TRUE(service::log::SetLevel("info"));
  EXPECT_THAT(ParseServeConfig("[backup]\nkeep = 0\n", ServeConfig{}), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(LoopbackTest, OnlyLoopbackAddressesArePlaintextSafe) {
  for (const char* ok : {"127.0.0.1:50051", "127.1.2.3:0", "localhost:1", "[::1]:50051"}) {
    EXPECT_TRUE(IsLoopbackListenAddress(ok)) << ok;
  }
  for (const char* bad : {"0.0.0.0:50051", "10.0.0.5:1", "[::]:1", "127.example.com:1", "host:1"}) {
    EXPECT_FALSE(IsLoopbackListenAddress(bad)) << bad;
  }
}

}  // namespace
}  // namespace pantau::server
