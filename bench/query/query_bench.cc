// bench_query: latency of the supervisor queries as the store grows: the IKK table for a year,
// and a month's price report for one commodity across all markets (the two with targets); also
// the year's price stability (every commodity) and a month's schedule coverage. For each size a fresh
// RocksDB store is filled in-process (the records go through the same Append path as pushes,
// roll-ups included), then each query runs `--repeat` times; prints the median latency and its
// ratio to the smallest size, the baseline measured in the same run. Then the same store is served
// by a real pantau-server (RunningServer, HTTP on loopback) and the time to first byte of the
// dashboard's two heaviest reads is measured over a socket: /api/v1/indicators for the year and
// /api/v1/prices for November's beras medium across all markets.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "bench/shape/market_days.h"
#include "common/dates.h"
#include "common/record_kinds.h"
#include "common/ulid.h"
#include "server/reference_import.h"
#include "server/running_server.h"
#include "server/service/ingest_service.h"
#include "server/service/query_service.h"
#include "server/storage/rocks_storage.h"

namespace {

using Clock = std::chrono::steady_clock;

double MedianMs(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// One GET over a fresh loopback connection: milliseconds from sending the request to the first
// byte of the answer (the whole answer is then read and its status checked); -1 on failure.
double TimeToFirstByteMs(int port, const std::string& target, const std::string& token) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                              "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n";
  const auto sent = Clock::now();
  if (send(fd, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) {
    close(fd);
    return -1;
  }
  char buffer[65536];
  ssize_t got = recv(fd, buffer, sizeof buffer, 0);
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
  std::string answer(buffer, got > 0 ? static_cast<size_t>(got) : 0);
  while ((got = recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, static_cast<size_t>(got));
  close(fd);
  return answer.rfind("HTTP/1.1 200", 0) == 0 ? ms : -1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_query: IKK table and month price report latency vs record count"};
  std::vector<size_t> sizes = {100000, 1000000, 5000000};
  int repeat = 15;
  std::string work = "/tmp";
  app.add_option("--sizes", sizes, "record counts");
  app.add_option("--repeat", repeat, "runs of each query per size");
  app.add_option("--work-dir", work, "where the stores are made");
  bool reuse = false;
  app.add_flag("--reuse", reuse,
               "keep each store after the run and, when one of that size is already there, query it "
               "without loading again (for profiling the queries; its load time is then not measured)");
  CLI11_PARSE(app, argc, argv);

  const absl::TimeZone wita = pantau::common::ZoneWithoutDeployment();
  // Data ends on 30 November of this year; queries: this year's IKK table, November's prices.
  const int year = static_cast<int>(absl::ToCivilYear(absl::Now(), wita).year());
  const absl::Time end = absl::FromCivil(absl::CivilHour(year, 11, 30, 12), wita);
  struct Result {
    size_t records;
    double load_s, ikk_ms, prices_ms, stability_ms, coverage_ms;
    size_t price_points;
    double ikk_ttfb_ms, prices_ttfb_ms;
    double alerts_ms;
    size_t alerts;
    double daily_alerts_ms;  // het, lonjakan and tidak_teramati only: no whole-history read
  };
  std::vector<Result> results;
  for (size_t n : sizes) {
    const std::string dir = work + "/pantau-bench-query-" + std::to_string(n);
    const std::string loaded_mark = dir + ".loaded";
    const bool load = !reuse || !std::filesystem::exists(loaded_mark);
    if (load) {
      std::filesystem::remove_all(dir);
      std::filesystem::remove(loaded_mark);
    }
    pantau::storage::RocksOptions options;
    options.path = dir;
    auto storage = pantau::storage::OpenRocksStorage(options);
    if (!storage.ok()) return 1;
    pantau::service::SystemClock clock;
    auto reference = pantau::service::ReferenceService::Create((*storage)->reference(), clock);
    if (!reference.ok() ||
        !pantau::server::ImportReferenceFolder(std::string(PANTAU_SOURCE_DIR) + "/deploy/reference", **reference).ok()) {
      return 1;
    }
    const auto load_start = Clock::now();
    for (size_t start = 0; load && start < n; start += 4000) {
      std::vector<pantau::storage::RecordWrite> writes;
      for (size_t i = start; i < std::min(n, start + 4000); ++i) {
        pantau::storage::RecordWrite w;
        *w.stored.mutable_record() = pantau::bench::MarketDayRecord(i, end);
        w.kind = *pantau::common::KindOf(w.stored.record());
        w.index = pantau::common::IndexEntriesOf(w.stored.record());
        w.stored.set_content_sha256(pantau::service::RecordFingerprint(w.stored.record()));
        writes.push_back(std::move(w));
      }
      if (!(*storage)->records().Append(std::move(writes)).ok()) return 1;
    }
    const double load_s = std::chrono::duration<double>(Clock::now() - load_start).count();
    if (load && reuse) std::ofstream(loaded_mark) << n << "\n";
    std::vector<double> ikk, prices, stability, coverage, alert_times, daily_alert_times;
    size_t points = 0, alert_count = 0;
    {
    pantau::service::QueryService queries((*storage)->records(), **reference, clock, {});
    for (int r = 0; r < repeat; ++r) {
      auto t0 = Clock::now();
      auto table = queries.IndicatorTable(std::to_string(year));
      auto t1 = Clock::now();
      pantau::v1::GetPriceStatisticsRequest request;
      request.set_commodity_code("beras_medium");
      request.set_from(std::to_string(year) + "-11-01");
      request.set_to(std::to_string(year) + "-11-30");
      auto stats = queries.PriceStatistics(request);
      auto t2 = Clock::now();
      pantau::v1::GetPriceStabilityRequest year_request;
      year_request.set_from(std::to_string(year) + "-01-01");
      year_request.set_to(std::to_string(year) + "-12-31");
      auto kv = queries.PriceStability(year_request);
      auto t3 = Clock::now();
      pantau::v1::GetCoverageRequest month_request;
      month_request.set_from(std::to_string(year) + "-11-01");
      month_request.set_to(std::to_string(year) + "-11-30");
      auto covered = queries.Coverage(month_request);
      auto t4 = Clock::now();
      // The year's price alerts: every rule, every market and commodity, and the kabupaten.
      pantau::v1::ListAlertsRequest alerts_request;
      alerts_request.set_from(std::to_string(year) + "-01-01");
      alerts_request.set_to(std::to_string(year) + "-11-30");
      auto alerts = queries.Alerts(alerts_request);
      auto t5 = Clock::now();
      if (!table.ok() || !stats.ok() || !kv.ok() || !covered.ok() || !alerts.ok()) return 1;
      alert_count = static_cast<size_t>(alerts->alerts_size());
      alert_times.push_back(std::chrono::duration<double, std::milli>(t5 - t4).count());
      for (const char* kind : {"het", "lonjakan", "tidak_teramati"}) alerts_request.add_kinds(kind);
      auto t6 = Clock::now();
      if (!queries.Alerts(alerts_request).ok()) return 1;
      daily_alert_times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t6).count());
      points = static_cast<size_t>(stats->points_size());
      ikk.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      prices.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
      stability.push_back(std::chrono::duration<double, std::milli>(t3 - t2).count());
      coverage.push_back(std::chrono::duration<double, std::milli>(t4 - t3).count());
    }
    }
    // The same store behind a real server's HTTP side, read as the dashboard reads it.
    reference->reset();
    pantau::server::ServerOptions server_options;
    server_options.http_listen = "127.0.0.1:0";
    auto server = pantau::server::RunningServer::Start(server_options, *std::move(storage));
    if (!server.ok()) return 1;
    // A new name each run: a reused store keeps the accounts of the runs before.
    auto kabid = (*server)->accounts().Create(
        "kabid-" + std::to_string(absl::ToUnixMicros(absl::Now())), pantau::v1::ROLE_SUPERVISOR);
    if (!kabid.ok()) return 1;
    std::vector<double> ikk_ttfb, prices_ttfb;
    const std::string y = std::to_string(year);
    for (int r = 0; r < repeat; ++r) {
      ikk_ttfb.push_back(TimeToFirstByteMs((*server)->http_port(), "/api/v1/indicators?period=" + y, kabid->token));
      prices_ttfb.push_back(TimeToFirstByteMs(
          (*server)->http_port(), "/api/v1/prices?commodity_code=beras_medium&from=" + y + "-11-01&to=" + y + "-11-30",
          kabid->token));
      if (ikk_ttfb.back() < 0 || prices_ttfb.back() < 0) return 1;
    }
    server->reset();
    results.push_back({n, load_s, MedianMs(ikk), MedianMs(prices), MedianMs(stability), MedianMs(coverage), points,
                       MedianMs(ikk_ttfb), MedianMs(prices_ttfb), MedianMs(alert_times), alert_count,
                       MedianMs(daily_alert_times)});
    if (!reuse) std::filesystem::remove_all(dir);
  }
  std::printf("%10s  %9s  %14s  %6s  %18s  %6s  %15s  %6s  %15s  %6s\n", "records", "load (s)",
              "IKK year (ms)", "ratio", "month prices (ms)", "ratio", "KV year (ms)", "ratio",
              "coverage (ms)", "ratio");
  for (const auto& r : results) {
    const Result& b = results[0];
    std::printf("%10zu  %9.1f  %14.2f  %6.2f  %18.2f  %6.2f  %15.2f  %6.2f  %15.2f  %6.2f   (%zu price points)\n",
                r.records, r.load_s, r.ikk_ms, r.ikk_ms / b.ikk_ms, r.prices_ms, r.prices_ms / b.prices_ms,
                r.stability_ms, r.stability_ms / b.stability_ms, r.coverage_ms, r.coverage_ms / b.coverage_ms,
                r.price_points);
  }
  std::printf("\nTime to first byte over HTTP (a real server on loopback, a supervisor's token):\n");
  std::printf("%10s  %22s  %6s  %24s  %6s\n", "records", "/api/v1/indicators (ms)", "ratio",
              "/api/v1/prices month (ms)", "ratio");
  for (const auto& r : results) {
    const Result& b = results[0];
    std::printf("%10zu  %22.2f  %6.2f  %24.2f  %6.2f\n", r.records, r.ikk_ttfb_ms, r.ikk_ttfb_ms / b.ikk_ttfb_ms,
                r.prices_ttfb_ms, r.prices_ttfb_ms / b.prices_ttfb_ms);
  }
  std::printf("\nPrice alerts, 1 January to 30 November (every rule, market, commodity and the kabupaten):\n");
  std::printf("%10s  %12s  %6s  %8s  %24s  %6s\n", "records", "alerts (ms)", "ratio", "alerts",
              "daily rules only (ms)", "ratio");
  for (const auto& r : results) {
    const Result& b = results[0];
    std::printf("%10zu  %12.2f  %6.2f  %8zu  %24.2f  %6.2f\n", r.records, r.alerts_ms, r.alerts_ms / b.alerts_ms,
                r.alerts, r.daily_alerts_ms, r.daily_alerts_ms / b.daily_alerts_ms);
  }
  return 0;
}
