#include "server/service/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <limits>

#include "common/record_kinds.h"
#include "server/service/log.h"

namespace pantau::service {
namespace {

constexpr std::array<const char*, kRefusalCount> kRefusalNames = {
    "stream_cap", "http_connections", "http_per_address", "expired_call", "over_limit", "write_failed"};

constexpr std::array<const char*, 4> kOutcomes = {"accepted", "duplicate", "conflict", "invalid"};

size_t OutcomeIndex(v1::PushOutcome outcome) {
  switch (outcome) {
    case v1::PUSH_OUTCOME_ACCEPTED:
      return 0;
    case v1::PUSH_OUTCOME_DUPLICATE:
      return 1;
    case v1::PUSH_OUTCOME_CONFLICT:
      return 2;
    default:
      return 3;
  }
}

}  // namespace

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {
  using prometheus::BuildCounter;
  using prometheus::BuildGauge;
  using prometheus::BuildHistogram;
  auto& records = BuildCounter()
                      .Name("pantau_records_total")
                      .Help("Pushed records by kind and result (accepted, duplicate, conflict, invalid)")
                      .Register(*registry_);
  auto add_kind = [&](const std::string& kind) {
    auto& row = records_[kind];
    for (size_t i = 0; i < kOutcomes.size(); ++i) row[i] = &records.Add({{"kind", kind}, {"result", kOutcomes[i]}});
  };
  for (auto kind : common::AllRecordKinds()) add_kind(std::string(common::KindName(kind)));
  add_kind("unknown");

  push_latency_ = &BuildHistogram()
                       .Name("pantau_push_batch_seconds")
                       .Help("Time from a Push batch's arrival to its durable answer")
                       .Register(*registry_)
                       .Add({}, prometheus::Histogram::BucketBoundaries{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                                                        2.5, 5, 10});
  synced_write_records_ = &BuildHistogram()
                               .Name("pantau_records_per_synced_write")
                               .Help("Records made durable by one synced write of the store (group commit)")
                               .Register(*registry_)
                               .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 5, 10, 20, 50, 100, 200, 500,
                                                                                1000, 2000, 4000});
  auto& auth = BuildCounter()
                   .Name("pantau_auth_failures_total")
                   .Help("Refused authentications by reason")
                   .Register(*registry_);
  const std::array<const char*, 6> reasons = {"no_token", "unknown_token", "revoked", "expired", "blocked",
                                              "wrong_password"};
  for (size_t i = 0; i < reasons.size(); ++i) auth_failures_[i] = &auth.Add({{"reason", reasons[i]}});
  auto& refused = BuildCounter()
                      .Name("pantau_refused_total")
                      .Help("Calls, streams and connections refused before any work, by reason")
                      .Register(*registry_);
  for (size_t i = 0; i < kRefusalCount; ++i) refusals_[i] = &refused.Add({{"reason", kRefusalNames[i]}});
  http_family_ = &BuildCounter()
                      .Name("pantau_http_requests_total")
                      .Help("HTTP requests answered, by status code")
                      .Register(*registry_);

  auto gauge = [&](const char* name, const char* help) {
    return &BuildGauge().Name(name).Help(help).Register(*registry_).Add({});
  };
  open_streams_ = gauge("pantau_open_streams", "gRPC streaming calls open (Push, Pull, photos, exports)");
  open_http_connections_ = gauge("pantau_open_http_connections", "HTTP connections open");
  live_data_bytes_ = gauge("pantau_rocksdb_live_data_bytes", "Estimated size of the live data in RocksDB");
  memtable_bytes_ = gauge("pantau_rocksdb_memtable_bytes", "Bytes in RocksDB memtables, all column families");
  pending_compaction_bytes_ =
      gauge("pantau_rocksdb_pending_compaction_bytes", "Estimated bytes RocksDB compaction still has to rewrite");
  write_stalls_ = gauge("pantau_rocksdb_write_stalls", "Writes stopped or slowed by RocksDB since the server started");
  writes_stopped_ = gauge("pantau_rocksdb_writes_stopped", "1 while RocksDB stops writes");
  ready_ = gauge("pantau_ready", "1 when the server takes records (the same as /readyz and gRPC health)");
  backup_age_ = gauge("pantau_backup_age_seconds", "Seconds since the last successful backup (+Inf: none yet)");
  last_backup_time_ = gauge("pantau_last_backup_timestamp_seconds", "Unix time of the last successful backup");
  last_backup_failed_ = gauge("pantau_last_backup_failed", "1 when the last backup attempt failed");
}

Metrics::~Metrics() = default;

void Metrics::CountRecord(std::string_view kind, v1::PushOutcome outcome) {
  auto it = records_.find(kind);
  if (it == records_.end()) it = records_.find(std::string_view("unknown"));
  it->second[OutcomeIndex(outcome)]->Increment();
}

void Metrics::ObservePushBatch(absl::Duration latency) { push_latency_->Observe(absl::ToDoubleSeconds(latency)); }

void Metrics::ObserveSyncedWrite(size_t records) { synced_write_records_->Observe(static_cast<double>(records)); }

void Metrics::CountAuthFailure(AuthFailure reason) { auth_failures_[static_cast<size_t>(reason)]->Increment(); }

void Metrics::CountRefusal(Refusal reason, std::string_view detail) {
  const size_t i = static_cast<size_t>(reason);
  refusals_[i]->Increment();
  uint64_t suppressed = 0;
  {
    std::lock_guard lock(refusal_log_mu_);
    RefusalLog& log = refusal_log_[i];
    const absl::Time now = absl::Now();
    if (now - log.last_logged < absl::Seconds(10)) {
      ++log.since;
      return;
    }
    suppressed = log.since;
    log.since = 0;
    log.last_logged = now;
  }
  log::Warn("refused", {{"reason", kRefusalNames[i]}, {"detail", detail}, {"refused_since_last_line", suppressed}});
}

void Metrics::CountHttpRequest(int status) {
  std::lock_guard lock(http_mu_);
  auto& counter = http_requests_[status];
  if (counter == nullptr) {
    counter = &http_family_->Add({{"code", std::to_string(status)}});
  }
  counter->Increment();
}

std::string Metrics::Render(const Sample& sample) {
  std::lock_guard lock(render_mu_);
  open_streams_->Set(sample.open_streams);
  open_http_connections_->Set(sample.open_http_connections);
  live_data_bytes_->Set(static_cast<double>(sample.store.live_data_bytes));
  memtable_bytes_->Set(static_cast<double>(sample.store.memtable_bytes));
  pending_compaction_bytes_->Set(static_cast<double>(sample.store.pending_compaction_bytes));
  write_stalls_->Set(static_cast<double>(sample.store.write_stalls));
  writes_stopped_->Set(sample.store.writes_stopped ? 1 : 0);
  ready_->Set(sample.ready ? 1 : 0);
  if (sample.last_backup) {
    backup_age_->Set(absl::ToDoubleSeconds(sample.now - *sample.last_backup));
    last_backup_time_->Set(absl::ToDoubleSeconds(*sample.last_backup - absl::UnixEpoch()));
  } else {
    backup_age_->Set(std::numeric_limits<double>::infinity());
    last_backup_time_->Set(0);
  }
  last_backup_failed_->Set(sample.last_backup_failed ? 1 : 0);
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace pantau::service
