// bench_ingest: N price samples pushed over loopback gRPC to a real pantau-server process (fresh
// data dir), in batches, on concurrent streams; then the same records written straight into a
// bare RocksDB with the same sync setting, batch size and concurrency. Prints both rates, their
// ratio, and the server's resident memory after the load.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "bench/shape/market_days.h"
#include "common/dates.h"
#include "common/ulid.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "server/service/ingest_service.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/process.h"
#include "tests/testing/test_support.h"

namespace {

using Clock = std::chrono::steady_clock;

std::vector<pantau::v1::Record> MakeRecords(size_t n) {
  std::vector<pantau::v1::Record> out;
  out.reserve(n);
  const absl::Time now = absl::Now();
  for (size_t i = 0; i < n; ++i) out.push_back(pantau::bench::MarketDayRecord(i, now));
  return out;
}

long ResidentKb(int pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::strlen(field));
  }
  return -1;
}

// User + system CPU seconds the process has used so far.
double CpuSeconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the ")" that closes the command name: state is field 3; utime 14, stime 15.
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_ingest: gRPC ingest vs raw RocksDB writes of the same records"};
  size_t records = 200000, batch = 500;
  int streams = 4;
  std::string work = "/tmp";
  app.add_option("--records", records, "records to push");
  app.add_option("--batch", batch, "records per batch");
  app.add_option("--streams", streams, "concurrent Push streams (and baseline writer threads)");
  app.add_option("--work-dir", work, "where the fresh data dirs are made");
  CLI11_PARSE(app, argc, argv);

  char tmpl[4096];
  std::snprintf(tmpl, sizeof(tmpl), "%s/pantau-bench-XXXXXX", work.c_str());
  const std::string dir = mkdtemp(tmpl);
  const std::string server_bin = PANTAU_SERVER_BINARY;
  const std::string data = dir + "/data";
  using pantau::testing::RunCommand;
  if (RunCommand({server_bin, "import-reference", "--data-dir", data,
                  std::string(PANTAU_SOURCE_DIR) + "/deploy/reference"}).exit_code != 0 ||
      RunCommand({server_bin, "accounts", "add", "--data-dir", data, "--name", "bench", "--role",
                  "inspector", "--token-file", dir + "/token"}).exit_code != 0) {
    std::cerr << "set-up failed\n";
    return 1;
  }
  std::string token;
  std::ifstream(dir + "/token") >> token;

  std::cout << "generating " << records << " records\n";
  const auto all = MakeRecords(records);

  // --- Pantau over gRPC ---
  pantau::testing::ServerProcess server(server_bin, data, dir);
  if (!server.Start()) {
    std::cerr << "server did not start\n";
    return 1;
  }
  auto channel_for = [&](int i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("pantau.bench.channel", i);  // distinct args: one connection per stream
    return grpc::CreateCustomChannel(server.address(), grpc::InsecureChannelCredentials(), args);
  };
  {
    auto stub = pantau::v1::SyncService::NewStub(channel_for(-1));
    pantau::v1::RegisterDeviceRequest request;
    request.set_device_id("bench-laptop");
    pantau::v1::RegisterDeviceResponse response;
    if (!stub->RegisterDevice(pantau::testing::AuthedContext(token).get(), request, &response).ok()) {
      std::cerr << "device registration failed\n";
      return 1;
    }
  }
  // Requests are built before the clock starts, as the baseline's values are.
  std::vector<std::vector<pantau::v1::PushRequest>> requests(static_cast<size_t>(streams));
  for (int s = 0; s < streams; ++s) {
    uint64_t number = 0;
    for (size_t start = static_cast<size_t>(s) * batch; start < all.size();
         start += batch * static_cast<size_t>(streams)) {
      auto& request = requests[static_cast<size_t>(s)].emplace_back();
      request.set_batch_number(++number);
      for (size_t i = start; i < std::min(all.size(), start + batch); ++i) *request.add_records() = all[i];
    }
  }
  std::atomic<size_t> accepted{0}, refused{0};
  const double cpu_before = CpuSeconds(server.pid());
  const auto grpc_start = Clock::now();
  {
    std::vector<std::thread> threads;
    for (int s = 0; s < streams; ++s) {
      threads.emplace_back([&, s] {
        auto stub = pantau::v1::SyncService::NewStub(channel_for(s));
        auto context = pantau::testing::AuthedContext(token, 3600);
        auto stream = stub->Push(context.get());
        for (const auto& request : requests[static_cast<size_t>(s)]) {
          pantau::v1::PushResponse response;
          if (!stream->Write(request) || !stream->Read(&response)) break;
          for (const auto& r : response.results()) {
            (r.outcome() == pantau::v1::PUSH_OUTCOME_ACCEPTED ? accepted : refused)++;
          }
        }
        stream->WritesDone();
        auto status = stream->Finish();
        if (!status.ok()) std::cerr << "stream " << s << ": " << status.error_message() << "\n";
      });
    }
    for (auto& t : threads) t.join();
  }
  const double grpc_seconds = std::chrono::duration<double>(Clock::now() - grpc_start).count();
  const double server_cpu = CpuSeconds(server.pid()) - cpu_before;
  const long rss_kb = ResidentKb(server.pid(), "VmRSS:");
  const long hwm_kb = ResidentKb(server.pid(), "VmHWM:");
  server.Stop(SIGTERM);

  // --- Baseline: the same records, straight into a bare RocksDB ---
  rocksdb::DB* db = nullptr;
  rocksdb::Options options;
  options.create_if_missing = true;
  if (!rocksdb::DB::Open(options, dir + "/raw", &db).ok()) {
    std::cerr << "raw RocksDB open failed\n";
    return 1;
  }
  std::vector<std::string> values(all.size());
  for (size_t i = 0; i < all.size(); ++i) all[i].SerializeToString(&values[i]);
  const auto raw_start = Clock::now();
  {
    std::vector<std::thread> threads;
    for (int s = 0; s < streams; ++s) {
      threads.emplace_back([&, s] {
        rocksdb::WriteOptions write;
        write.sync = true;
        for (size_t start = static_cast<size_t>(s) * batch; start < all.size();
             start += batch * static_cast<size_t>(streams)) {
          rocksdb::WriteBatch wb;
          for (size_t i = start; i < std::min(all.size(), start + batch); ++i) {
            (void)wb.Put(all[i].id(), values[i]);  // in-memory batch building cannot fail here
          }
          if (!db->Write(write, &wb).ok()) std::abort();
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  const double raw_seconds = std::chrono::duration<double>(Clock::now() - raw_start).count();
  delete db;

  const double grpc_rate = static_cast<double>(records) / grpc_seconds;
  const double raw_rate = static_cast<double>(records) / raw_seconds;
  std::printf("records %zu, batch %zu, streams %d\n", records, batch, streams);
  std::printf("pantau gRPC ingest : %10.0f records/s (%.2f s; accepted %zu, refused %zu)\n",
              grpc_rate, grpc_seconds, accepted.load(), refused.load());
  std::printf("raw RocksDB writes : %10.0f records/s (%.2f s)\n", raw_rate, raw_seconds);
  std::printf("ratio pantau/raw   : %10.2f\n", grpc_rate / raw_rate);
  std::printf("server CPU during ingest: %.2f s, %.1f us per record\n", server_cpu,
              server_cpu * 1e6 / static_cast<double>(records));
  std::printf("server memory after load: RSS %.1f MB, peak %.1f MB\n", rss_kb / 1024.0,
              hwm_kb / 1024.0);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return accepted.load() == records ? 0 : 1;
}
