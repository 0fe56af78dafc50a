// bench_query: latency of the two supervisor queries as the store grows: the IKK table for a
// year, and a month's price report for one commodity across all markets. For each size a fresh
// RocksDB store is filled in-process (the records go through the same Append path as pushes,
// roll-ups included), then each query runs `--repeat` times; prints the median latency and its
// ratio to the smallest size, the baseline measured in the same run.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "common/dates.h"
#include "common/record_kinds.h"
#include "common/ulid.h"
#include "server/reference_import.h"
#include "server/service/ingest_service.h"
#include "server/service/query_service.h"
#include "server/storage/rocks_storage.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Item {
  const char* code;
  const char* unit;
  int64_t price;
};
const Item kItems[] = {
    {"beras_premium", "kg", 15000},         {"beras_medium", "kg", 13000},
    {"beras_sphp", "kg", 12500},            {"kedelai_impor", "kg", 12000},
    {"bawang_merah", "kg", 38000},          {"bawang_putih_bonggol", "kg", 40000},
    {"cabai_merah_keriting", "kg", 45000},  {"cabai_merah_besar", "kg", 45000},
    {"cabai_rawit_merah", "kg", 55000},     {"cabe_hiyung", "kg", 90000},
    {"daging_sapi_murni", "kg", 140000},    {"daging_ayam_ras", "kg", 40000},
    {"telur_ayam_ras", "kg", 30000},        {"telur_itik", "butir", 3000},
    {"gula_konsumsi", "kg", 17500},         {"tepung_terigu_curah", "kg", 11000},
    {"tepung_terigu_kemasan", "kg", 13000}, {"minyak_goreng_kemasan", "liter", 20000},
    {"minyak_goreng_curah", "liter", 17000}, {"minyakita", "liter", 15700},
    {"ikan_kembung", "kg", 40000},          {"ikan_tongkol", "kg", 35000},
    {"ikan_bandeng", "kg", 35000},          {"ikan_peda", "kg", 50000},
    {"ikan_kering_sepat", "kg", 90000},     {"garam_konsumsi", "kg", 10000},
    {"kacang_hijau", "kg", 20000},          {"kentang", "kg", 18000},
    {"kubis", "kg", 10000},                 {"wortel", "kg", 15000},
    {"tomat", "kg", 12000}};
const char* kMarkets[] = {"pasar_marabahan", "pasar_handil_bakti", "pasar_anjir_pasar",
                          "pasar_tamban", "pasar_wanaraya"};
constexpr size_t kItemCount = sizeof(kItems) / sizeof(kItems[0]);
constexpr size_t kPerDay = 5 * kItemCount * 3;

// Record i: day i / kPerDay before `end`, every market, every commodity, three traders a day.
pantau::v1::Record MakeRecord(size_t i, absl::Time end) {
  const size_t day = i / kPerDay, k = i % kPerDay;
  const Item& item = kItems[(k / 3) % kItemCount];
  std::array<uint8_t, 10> random{};
  for (int b = 0; b < 8; ++b) random[9 - b] = static_cast<uint8_t>(i >> (8 * b));
  const absl::Time observed = end - absl::Hours(24 * static_cast<int64_t>(day)) - absl::Minutes(static_cast<int64_t>(k % 600));
  pantau::v1::Record r;
  r.set_id(pantau::common::FormatUlid(static_cast<uint64_t>(absl::ToUnixMillis(observed)), random));
  r.set_author("bench");
  r.set_device_id("bench-laptop");
  *r.mutable_created_at() = pantau::common::ToTimestamp(observed);
  *r.mutable_observed_at() = r.created_at();
  auto* p = r.mutable_price_sample();
  p->set_market_code(kMarkets[k / (3 * kItemCount)]);
  p->set_commodity_code(item.code);
  p->set_trader("Pedagang " + std::to_string(k % 3 + 1));
  p->set_unit(item.unit);
  p->set_price_rupiah(item.price + static_cast<int64_t>((i * 37) % 500));
  return r;
}

double MedianMs(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
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
  CLI11_PARSE(app, argc, argv);

  const absl::TimeZone wita = pantau::common::DefaultDeploymentZone();
  // Data ends on 30 November of this year; queries: this year's IKK table, November's prices.
  const int year = static_cast<int>(absl::ToCivilYear(absl::Now(), wita).year());
  const absl::Time end = absl::FromCivil(absl::CivilHour(year, 11, 30, 12), wita);
  struct Result {
    size_t records;
    double load_s, ikk_ms, prices_ms;
    size_t price_points;
  };
  std::vector<Result> results;
  for (size_t n : sizes) {
    const std::string dir = work + "/pantau-bench-query-" + std::to_string(n);
    std::filesystem::remove_all(dir);
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
    for (size_t start = 0; start < n; start += 4000) {
      std::vector<pantau::storage::RecordWrite> writes;
      for (size_t i = start; i < std::min(n, start + 4000); ++i) {
        pantau::storage::RecordWrite w;
        *w.stored.mutable_record() = MakeRecord(i, end);
        w.kind = *pantau::common::KindOf(w.stored.record());
        w.index = pantau::common::IndexEntriesOf(w.stored.record());
        w.stored.set_content_sha256(pantau::service::RecordFingerprint(w.stored.record()));
        writes.push_back(std::move(w));
      }
      if (!(*storage)->records().Append(std::move(writes)).ok()) return 1;
    }
    const double load_s = std::chrono::duration<double>(Clock::now() - load_start).count();
    pantau::service::QueryService queries((*storage)->records(), **reference, {});
    std::vector<double> ikk, prices;
    size_t points = 0;
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
      if (!table.ok() || !stats.ok()) return 1;
      points = static_cast<size_t>(stats->points_size());
      ikk.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      prices.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    results.push_back({n, load_s, MedianMs(ikk), MedianMs(prices), points});
    storage->reset();
    std::filesystem::remove_all(dir);
  }
  std::printf("%10s  %9s  %14s  %8s  %20s  %8s\n", "records", "load (s)", "IKK year (ms)", "ratio",
              "month prices (ms)", "ratio");
  for (const auto& r : results) {
    std::printf("%10zu  %9.1f  %14.2f  %8.2f  %20.2f  %8.2f   (%zu price points)\n", r.records, r.load_s,
                r.ikk_ms, r.ikk_ms / results[0].ikk_ms, r.prices_ms, r.prices_ms / results[0].prices_ms,
                r.price_points);
  }
  return 0;
}
