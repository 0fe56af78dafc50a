// bench_sync: a backlog of N price samples in a fresh laptop home (imported from a CSV with
// `pantau import prices`), delivered by `pantau sync` to a fresh pantau-server; the baseline pushes
// the same records from memory with a bare gRPC stub (one stream, the same batch size, no outbox)
// to another fresh server in the same run. Prints both rates, the ratio, and the client's peak
// resident memory (getrusage of the `pantau sync` child).
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "client/laptop_store.h"
#include "common/dates.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/process.h"

namespace {

using Clock = std::chrono::steady_clock;
using pantau::testing::RunCommand;

const std::string kServer = PANTAU_SERVER_BINARY;
const std::string kClient = PANTAU_CLIENT_BINARY;

bool PrepareServer(const std::string& dir, const std::string& name) {
  const std::string data = dir + "/" + name;
  return RunCommand({kServer, "import-reference", "--data-dir", data,
                     std::string(PANTAU_SOURCE_DIR) + "/deploy/reference"}).exit_code == 0 &&
         RunCommand({kServer, "accounts", "add", "--data-dir", data, "--name", "siti", "--role",
                     "inspector", "--token-file", dir + "/" + name + ".token"}).exit_code == 0;
}

std::string ReadToken(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  in >> token;
  return token;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_sync: pantau sync of a backlog vs a bare gRPC push of the same records"};
  int records = 100000;
  std::string work = "/tmp";
  app.add_option("--records", records, "backlog size");
  app.add_option("--work-dir", work, "where the fresh homes and data dirs are made");
  CLI11_PARSE(app, argc, argv);

  char tmpl[4096];
  std::snprintf(tmpl, sizeof(tmpl), "%s/pantau-bench-sync-XXXXXX", work.c_str());
  const std::string dir = mkdtemp(tmpl);
  if (!PrepareServer(dir, "server") || !PrepareServer(dir, "baseline")) {
    std::cerr << "set-up failed\n";
    return 1;
  }

  // The backlog, as an inspector would bring it in.
  const std::string csv = dir + "/backlog.csv";
  {
    std::ofstream out(csv);
    out << "market,commodity,trader,price_rupiah,observed_at\n";
    const char* commodities[] = {"beras_medium", "gula_konsumsi", "bawang_merah", "telur_ayam_ras"};
    const int64_t prices[] = {12500, 17500, 38000, 29000};
    const absl::Time base = absl::Now() - absl::Hours(24 * 25);
    for (int i = 0; i < records; ++i) {
      out << "pasar_marabahan," << commodities[i % 4] << ",Pedagang " << i << ","
          << prices[i % 4] + i % 300 << ","
          << absl::FormatTime("%Y-%m-%d %H:%M:%S", base + absl::Seconds(i * 10),
                              pantau::common::ZoneWithoutDeployment())
          << "\n";
    }
  }
  pantau::testing::ServerProcess server(kServer, dir + "/server", dir);
  if (!server.Start()) {
    std::cerr << "server did not start\n";
    return 1;
  }
  const std::string home = dir + "/laptop";
  if (RunCommand({kClient, "--home", home, "login", "--server", server.address(), "--token-file",
                  dir + "/server.token"}).exit_code != 0 ||
      RunCommand({kClient, "--home", home, "import", "prices", csv}).exit_code != 0) {
    std::cerr << "login or import failed\n";
    return 1;
  }

  // The same records, read from the outbox, for the baseline.
  std::vector<pantau::v1::Record> backlog;
  std::string device_id;
  {
    auto store = pantau::client::LaptopStore::Open(home);
    if (!store.ok()) return 1;
    device_id = (*store)->Settings()->device_id;
    backlog = *(*store)->NextPending("", static_cast<size_t>(records));
  }

  // --- pantau sync ---
  const auto sync_start = Clock::now();
  pid_t pid = pantau::testing::StartCommand({kClient, "--home", home, "sync", "--json"},
                                            dir + "/sync.out", dir + "/sync.err");
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  const double sync_seconds = std::chrono::duration<double>(Clock::now() - sync_start).count();
  server.Stop(SIGTERM);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << "pantau sync failed; see " << dir << "/sync.err\n";
    return 1;
  }

  // --- baseline: a bare stub, one stream, the same batches, no outbox ---
  pantau::testing::ServerProcess baseline(kServer, dir + "/baseline", dir + "/b");
  std::filesystem::create_directories(dir + "/b");
  if (!baseline.Start()) return 1;
  const std::string token = ReadToken(dir + "/baseline.token");
  auto stub = pantau::v1::SyncService::NewStub(
      grpc::CreateChannel(baseline.address(), grpc::InsecureChannelCredentials()));
  {
    pantau::v1::RegisterDeviceRequest request;
    request.set_device_id(device_id);
    pantau::v1::RegisterDeviceResponse response;
    if (!stub->RegisterDevice(pantau::testing::AuthedContext(token).get(), request, &response).ok()) {
      return 1;
    }
  }
  const auto bare_start = Clock::now();
  size_t acknowledged = 0;
  {
    auto context = pantau::testing::AuthedContext(token, 3600);
    auto stream = stub->Push(context.get());
    for (size_t start = 0; start < backlog.size(); start += 500) {
      pantau::v1::PushRequest request;
      for (size_t i = start; i < std::min(backlog.size(), start + 500); ++i) *request.add_records() = backlog[i];
      pantau::v1::PushResponse response;
      if (!stream->Write(request) || !stream->Read(&response)) break;
      acknowledged += static_cast<size_t>(response.results_size());
    }
    stream->WritesDone();
    (void)stream->Finish();
  }
  const double bare_seconds = std::chrono::duration<double>(Clock::now() - bare_start).count();
  baseline.Stop(SIGTERM);

  const double sync_rate = records / sync_seconds;
  const double bare_rate = records / bare_seconds;
  std::printf("backlog %d records, batches of 500\n", records);
  std::printf("pantau sync (outbox, process start to exit): %8.0f records/s (%.2f s)\n", sync_rate,
              sync_seconds);
  std::printf("bare gRPC push of the same records        : %8.0f records/s (%.2f s, %zu answered)\n",
              bare_rate, bare_seconds, acknowledged);
  std::printf("ratio sync/bare                           : %8.2f\n", sync_rate / bare_rate);
  std::printf("pantau sync peak resident memory          : %8.1f MB\n", usage.ru_maxrss / 1024.0);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
