#include "client/sync_engine.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <thread>

#include "common/str_cat.h"

namespace pantau::client {

void RealSleeper::Sleep(absl::Duration d) { std::this_thread::sleep_for(absl::ToChronoNanoseconds(d)); }

namespace {

bool MentionsCertificateFailure(std::string_view message) {
  for (std::string_view needle : {"CERTIFICATE_VERIFY_FAILED", "certificate verify failed", "self signed certificate",
                                  "unable to get local issuer certificate", "Peer name", "not present in SAN"}) {
    if (message.find(needle) != std::string_view::npos) return true;
  }
  return false;
}

// Cancels a call when no answer comes within `limit` of the last Arm(): a stalled link is cut so the
// stream can be tried again. Disarm() while not waiting for the server.
class AnswerWatchdog {
 public:
  AnswerWatchdog(grpc::ClientContext& context, absl::Duration limit)
      : context_(context), limit_(limit), thread_([this] { Run(); }) {}
  ~AnswerWatchdog() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Arm() {
    {
      std::lock_guard lock(mu_);
      deadline_ = absl::Now() + limit_;
    }
    cv_.notify_all();
  }
  void Disarm() {
    std::lock_guard lock(mu_);
    deadline_ = absl::InfiniteFuture();
  }
  bool fired() {
    std::lock_guard lock(mu_);
    return fired_;
  }
  absl::Status Stalled() const {
    return absl::UnavailableError(StrCat("no answer from the server within ", absl::FormatDuration(limit_),
                                         " (the link stalled); trying again on a fresh stream"));
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      if (deadline_ == absl::InfiniteFuture()) {
        cv_.wait(lock);
        continue;
      }
      const absl::Time deadline = deadline_;
      if (absl::Now() >= deadline) {
        fired_ = true;
        deadline_ = absl::InfiniteFuture();
        context_.TryCancel();
        continue;
      }
      cv_.wait_until(lock, absl::ToChronoTime(deadline));
    }
  }

  grpc::ClientContext& context_;
  const absl::Duration limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  absl::Time deadline_ = absl::InfiniteFuture();  // guarded by mu_
  bool fired_ = false;                            // guarded by mu_
  bool stop_ = false;                             // guarded by mu_
  std::thread thread_;
};

}  // namespace

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  if (MentionsCertificateFailure(status.error_message())) {
    return absl::FailedPreconditionError(
        StrCat("the server's certificate is not signed by the CA this laptop trusts (", status.error_message(), ")"));
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

bool IsCertificateProblem(const absl::Status& status) {
  return status.code() == absl::StatusCode::kFailedPrecondition &&
         status.message().find("the server's certificate is not signed") != std::string_view::npos;
}

bool IsTransient(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kDataLoss:
      return true;
    default:
      return false;
  }
}

SyncEngine::SyncEngine(LaptopStore& store, v1::SyncService::StubInterface& stub,
                       SyncOptions options, Sleeper& sleeper)
    : store_(store),
      stub_(&stub),
      options_(std::move(options)),
      sleeper_(sleeper),
      random_(std::random_device{}()) {}

std::unique_ptr<grpc::ClientContext> SyncEngine::NewContext(absl::Duration deadline) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + options_.token);
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  return context;
}

absl::Duration SyncEngine::Backoff(int failures) {
  // Full jitter: uniform in [0, min(max, initial * 2^(failures-1))].
  absl::Duration cap = options_.initial_backoff;
  for (int i = 1; i < failures && cap < options_.max_backoff; ++i) cap *= 2;
  cap = std::min(cap, options_.max_backoff);
  const int64_t micros = absl::ToInt64Microseconds(cap);
  std::uniform_int_distribution<int64_t> jitter(0, std::max<int64_t>(micros, 1));
  return absl::Microseconds(jitter(random_));
}

void SyncEngine::Reconnect() {
  if (!options_.reconnect) return;
  auto fresh = options_.reconnect();
  if (fresh == nullptr) return;  // keep the old one: the next attempt says what is wrong
  owned_stub_ = std::move(fresh);
  stub_ = owned_stub_.get();
}

bool SyncEngine::WaitBeforeRetry(const absl::Status& status, bool progressed, int& failures, absl::Duration& spent,
                                 absl::Time& failing_since) {
  if (status.ok() || !IsTransient(status)) return false;
  const absl::Time now = absl::Now();
  if (progressed || failures == 0) {
    failures = 0;
    spent = absl::ZeroDuration();
    failing_since = now;
  }
  ++failures;
  if (options_.max_attempts > 0 && failures >= options_.max_attempts) return false;
  // The budget counts real time and the waits asked for (a test's sleeper does not sleep).
  const absl::Duration used = std::max(now - failing_since, spent);
  if (used >= options_.retry_for) return false;
  const absl::Duration wait = std::min(Backoff(failures), options_.retry_for - used);
  if (options_.on_retry) options_.on_retry(status, wait);
  spent += wait;
  sleeper_.Sleep(wait);
  return true;
}

PushSummary SyncEngine::Push(const std::function<void(const PushProgress&)>& on_progress) {
  PushSummary summary;
  const absl::Time start = absl::Now();
  auto counts = store_.Counts();
  if (!counts.ok()) {
    summary.status = counts.status();
    return summary;
  }
  summary.progress.total = counts->pending;
  std::string cursor;
  int failures = 0;
  absl::Duration spent;
  absl::Time failing_since = start;
  for (;;) {
    bool made_progress = false;
    absl::Status status = PushStream(cursor, summary.progress, made_progress, on_progress, start);
    if (!WaitBeforeRetry(status, made_progress, failures, spent, failing_since)) {
      summary.status = status;
      break;
    }
    ++summary.retries;
  }
  summary.progress.elapsed = absl::Now() - start;
  return summary;
}

absl::Status SyncEngine::PushStream(std::string& cursor, PushProgress& progress, bool& made_progress,
                                    const std::function<void(const PushProgress&)>& on_progress,
                                    absl::Time start) {
  auto first = store_.NextPending(cursor, 1);
  if (!first.ok()) return first.status();
  if (first->empty()) return absl::OkStatus();

  auto context = NewContext(options_.stream_deadline);
  auto stream = stub_->Push(context.get());
  AnswerWatchdog watchdog(*context, options_.answer_deadline);
  std::deque<std::vector<v1::Record>> in_flight;
  std::string send_cursor = cursor;
  uint64_t batch_number = 0;
  bool write_failed = false;
  bool nothing_left = false;
  absl::Status local_error;

  auto fill = [&] {
    while (!write_failed && !nothing_left && in_flight.empty()) {
      auto batch = store_.NextPending(send_cursor, options_.batch_size);
      if (!batch.ok()) {
        local_error = batch.status();
        return;
      }
      if (batch->empty()) {
        nothing_left = true;
        return;
      }
      v1::PushRequest request;
      request.set_batch_number(++batch_number);
      for (const auto& r : *batch) *request.add_records() = r;
      if (!stream->Write(request)) {
        write_failed = true;
        return;
      }
      send_cursor = batch->back().id();
      in_flight.push_back(*std::move(batch));
    }
  };

  // Armed for every step that waits on the link: a write held back by a full flow-control window
  // as much as a read of the answer.
  watchdog.Arm();
  fill();
  uint64_t answered_number = 0;
  while (local_error.ok() && !in_flight.empty()) {
    v1::PushResponse response;
    if (!stream->Read(&response)) break;
    watchdog.Arm();
    ++answered_number;
    if (response.batch_number() != answered_number) {
      local_error = absl::InternalError(StrCat("the server answered batch ", response.batch_number(),
                                               " where ", answered_number, " was expected"));
      break;
    }
    const std::vector<v1::Record>& batch = in_flight.front();
    absl::Status applied = store_.ApplyResults(batch, response, absl::Now());
    if (!applied.ok()) {
      local_error = applied;
      break;
    }
    for (const auto& r : response.results()) {
      ++progress.answered;
      if (r.outcome() == v1::PUSH_OUTCOME_ACCEPTED || r.outcome() == v1::PUSH_OUTCOME_DUPLICATE) {
        ++progress.acknowledged;
      } else {
        ++progress.needs_attention;
      }
    }
    cursor = batch.back().id();
    in_flight.pop_front();
    made_progress = true;
    progress.elapsed = absl::Now() - start;
    if (on_progress) on_progress(progress);
    fill();
  }
  if (!local_error.ok()) {
    context->TryCancel();
    (void)stream->Finish();  // the stream's own status does not matter after a local error
    return local_error;
  }
  const bool done = in_flight.empty() && nothing_left;
  watchdog.Arm();
  stream->WritesDone();
  absl::Status status = FromGrpc(stream->Finish());
  watchdog.Disarm();
  if (watchdog.fired()) {
    Reconnect();
    return watchdog.Stalled();
  }
  if (!status.ok()) return status;
  if (!done) {
    // The stream ended early without an error (deadline reached between batches, server
    // shutting down): go on with a new stream.
    return absl::UnavailableError("the stream ended before every batch was answered");
  }
  return absl::OkStatus();
}

PullSummary SyncEngine::Pull() {
  PullSummary summary;
  int failures = 0;
  absl::Duration spent;
  absl::Time failing_since = absl::Now();
  for (;;) {
    auto cursor = store_.ReferenceCursor();
    if (!cursor.ok()) {
      summary.status = cursor.status();
      return summary;
    }
    auto context = NewContext(options_.stream_deadline);
    v1::PullRequest request;
    request.set_after_sequence(*cursor);
    // Who is pulling and what waits in its outbox: the server's record of this laptop's last sync.
    if (auto settings = store_.Settings(); settings.ok()) request.set_device_id(settings->device_id);
    if (auto counts = store_.Counts(); counts.ok()) {
      request.mutable_laptop()->set_pending(static_cast<int64_t>(counts->pending));
      request.mutable_laptop()->set_needs_attention(static_cast<int64_t>(counts->needs_attention));
    }
    auto reader = stub_->Pull(context.get(), request);
    AnswerWatchdog watchdog(*context, options_.answer_deadline);
    v1::PullResponse message;
    bool progressed = false;
    absl::Status local_error;
    for (;;) {
      watchdog.Arm();
      const bool read = reader->Read(&message);
      watchdog.Disarm();
      if (!read) break;
      if (!progressed) {  // the first message: the account's kecamatan, kept for entry checks
        local_error = store_.SaveMissingObservations(
            {{message.missing_observations().begin(), message.missing_observations().end()},
             message.missing_observations_total()});
        if (!local_error.ok()) {
          context->TryCancel();
          break;
        }
        auto settings = store_.Settings();
        const std::vector<std::string> assigned(message.assigned_kecamatan_codes().begin(),
                                                message.assigned_kecamatan_codes().end());
        if (settings.ok() && settings->kecamatan_codes != assigned) {
          settings->kecamatan_codes = assigned;
          local_error = store_.SaveSettings(*settings);
          if (!local_error.ok()) {
            context->TryCancel();
            break;
          }
        }
      }
      std::vector<v1::ReferenceChange> changes(message.changes().begin(), message.changes().end());
      local_error = store_.ApplyReferenceChanges(changes, absl::Now());
      if (!local_error.ok()) {
        context->TryCancel();
        break;
      }
      summary.changes += changes.size();
      progressed = true;
    }
    absl::Status status = FromGrpc(reader->Finish());
    if (watchdog.fired()) {
      Reconnect();
      status = watchdog.Stalled();
    }
    if (!local_error.ok()) status = local_error;
    if (status.ok()) {
      // An empty answer still proves the reference data is current: record the pull time.
      if (!progressed) status = store_.ApplyReferenceChanges({}, absl::Now());
      auto final_cursor = store_.ReferenceCursor();
      summary.cursor = final_cursor.ok() ? *final_cursor : 0;
      summary.status = status;
      return summary;
    }
    if (!local_error.ok() || !WaitBeforeRetry(status, progressed, failures, spent, failing_since)) {
      summary.status = status;
      return summary;
    }
    ++summary.retries;
  }
}

absl::StatusOr<v1::Device> SyncEngine::RegisterDevice(const std::string& device_id,
                                                      const std::string& description) {
  v1::RegisterDeviceRequest request;
  request.set_device_id(device_id);
  request.set_description(description);
  int failures = 0;
  absl::Duration spent;
  absl::Time failing_since = absl::Now();
  for (;;) {
    v1::RegisterDeviceResponse response;
    auto context = NewContext(options_.call_deadline);
    absl::Status status = FromGrpc(stub_->RegisterDevice(context.get(), request, &response));
    if (status.ok()) return response.device();
    if (!WaitBeforeRetry(status, false, failures, spent, failing_since)) return status;
  }
}

}  // namespace pantau::client
