// The server's metrics, in the Prometheus text format (prometheus-cpp renders them). Counters and
// histograms are fed by the services as work happens; gauges are sampled when /metrics is read.
// Names and meanings: docs/operations.md. Thread-safety: thread-safe.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "pantau/v1/sync_service.pb.h"
#include "server/storage/storage.h"

namespace prometheus {
class Registry;
class Counter;
class Gauge;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace pantau::service {

// Why a call or stream was refused before any work (pantau_refused_total's "reason" label):
// the server-wide stream cap, an HTTP connection limit (all, or per address), a call whose client
// had given up while it waited, a batch or message over its limit, a store that failed one
// writer's batch in a group commit.
enum class Refusal { kStreamCap, kHttpConnections, kHttpPerAddress, kExpiredCall, kOverLimit, kWriteFailed };
inline constexpr size_t kRefusalCount = 6;

// Why an authentication was refused (the "reason" label).
enum class AuthFailure { kNoToken, kUnknownToken, kRevoked, kExpired, kBlocked, kWrongPassword };

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One pushed record's result; `kind` is a record kind name, "" when the record had none.
  void CountRecord(std::string_view kind, v1::PushOutcome outcome);
  // One Push batch, from its arrival to its durable answer.
  void ObservePushBatch(absl::Duration latency);
  // One synced write of the store, with the records it made durable.
  void ObserveSyncedWrite(size_t records);
  void CountAuthFailure(AuthFailure reason);
  // One refused call, stream or connection; also logged at warning level, at most once per
  // reason every 10 s (with the number refused since), so a storm does not flood the log.
  void CountRefusal(Refusal reason, std::string_view detail);
  // One HTTP request answered, by status code.
  void CountHttpRequest(int status);

  // What is sampled when the metrics are read.
  struct Sample {
    int open_streams = 0;
    int open_http_connections = 0;
    storage::StoreFigures store;
    bool ready = false;
    std::optional<absl::Time> last_backup;  // none yet: the age is +Inf, which any alert catches
    bool last_backup_failed = false;
    absl::Time now;
  };
  // The text exposition format, version 0.0.4.
  std::string Render(const Sample& sample);

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  // records_[kind][outcome]; kind index kRecordKindCount is "unknown".
  std::map<std::string, std::array<prometheus::Counter*, 4>, std::less<>> records_;
  prometheus::Histogram* push_latency_;
  prometheus::Histogram* synced_write_records_;
  std::array<prometheus::Counter*, 6> auth_failures_;
  std::array<prometheus::Counter*, kRefusalCount> refusals_;
  struct RefusalLog {
    absl::Time last_logged = absl::InfinitePast();
    uint64_t since = 0;  // refused since then, not logged
  };
  std::mutex refusal_log_mu_;
  std::array<RefusalLog, kRefusalCount> refusal_log_;  // guarded by refusal_log_mu_
  std::mutex http_mu_;
  prometheus::Family<prometheus::Counter>* http_family_;
  std::map<int, prometheus::Counter*> http_requests_;  // guarded by http_mu_
  prometheus::Gauge* open_streams_;
  prometheus::Gauge* open_http_connections_;
  prometheus::Gauge* live_data_bytes_;
  prometheus::Gauge* memtable_bytes_;
  prometheus::Gauge* pending_compaction_bytes_;
  prometheus::Gauge* write_stalls_;
  prometheus::Gauge* writes_stopped_;
  prometheus::Gauge* ready_;
  prometheus::Gauge* backup_age_;
  prometheus::Gauge* last_backup_time_;
  prometheus::Gauge* last_backup_failed_;
  std::mutex render_mu_;  // one Render at a time (it sets the gauges, then collects)
};

}  // namespace pantau::service
