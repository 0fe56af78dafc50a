#include "server/rpc/sync_rpc.h"

#include <algorithm>

#include "server/rpc/call_support.h"
#include "server/rpc/grpc_status.h"

#include <grpcpp/support/proto_buffer_reader.h>

#include "common/str_cat.h"
#include "server/service/log.h"

namespace pantau::rpc {

// One Push stream: read a batch, ingest it on the executor (durable before answered), write the
// answer, read the next. One batch in flight per stream; concurrency comes from several streams,
// whose synced writes the store groups.
class SyncRpc::PushReactor final : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  PushReactor(SyncRpc& service, grpc::CallbackServerContext* context)
      : service_(service), context_(context), slot_(service.streams_) {
    service_.open_push_streams_++;
    if (!slot_.status().ok()) {
      Finish(ToGrpcStatus(slot_.status()));
      return;
    }
    service_.executor_.Post([this] {
      auto principal = service_.Caller(*context_, "push field records");
      if (!principal.ok()) {
        Finish(ToGrpcStatus(principal.status()));
        return;
      }
      principal_ = *std::move(principal);
      service::log::Info("push.open", {{"request_id", request_id_}, {"account", principal_.name}, {"peer", peer_}});
      StartRead(&request_bytes_);
    });
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the laptop closed its side, or the call was cancelled
      Finish(grpc::Status::OK);
      return;
    }
    ++messages_;
    service_.executor_.Post([this] {
      v1::PushRequest request;
      grpc::ProtoBufferReader reader(&request_bytes_);
      const bool parsed = request.ParseFromZeroCopyStream(&reader);
      request_bytes_.Clear();
      if (!parsed) {
        Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            StrCat("message ", messages_, " of this push is not a PushRequest (cut short, a text "
                                   "that is not UTF-8, or nested too deeply); nothing of it was stored")));
        return;
      }
      // An account revoked, rotated or re-scoped since the last batch is checked again.
      absl::Status recheck = service_.Recheck(*context_, principal_, "push field records");
      if (!recheck.ok()) {
        service::log::Warn("push.refused", {{"request_id", request_id_}, {"account", principal_.name},
                                            {"reason", recheck.message()}});
        Finish(ToGrpcStatus(recheck));
        return;
      }
      const absl::Time started = absl::Now();
      const int records = request.records_size();
      const int64_t batch_number = request.batch_number();
      auto response = service_.ingest_.Push(principal_, std::move(request));
      if (!response.ok()) {
        // Counted, and logged at most once per 10 s (a laptop retrying a batch the store cannot
        // take must not flood the log); nothing of the batch was stored.
        if (service_.metrics_ != nullptr) {
          service_.metrics_->CountRefusal(
              service::Refusal::kWriteFailed,
              StrCat("batch ", batch_number, " of account ", principal_.name, " (", records,
                     " records, request ", request_id_, "): ", response.status().ToString()));
        } else {
          service::log::Error("push.batch_failed", {{"request_id", request_id_},
                                                    {"account", principal_.name},
                                                    {"batch", batch_number},
                                                    {"records", records},
                                                    {"reason", response.status().message()}});
        }
        Finish(ToGrpcStatus(response.status()));
        return;
      }
      LogBatch(*response, records, absl::Now() - started);
      const std::string bytes = response->SerializeAsString();
      grpc::Slice slice(bytes);
      response_bytes_ = grpc::ByteBuffer(&slice, 1);
      StartWrite(&response_bytes_);
    });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the answer could not be sent"));
      return;
    }
    StartRead(&request_bytes_);
  }

  void OnDone() override {
    if (!principal_.name.empty()) {
      service::log::Info("push.close", {{"request_id", request_id_}, {"account", principal_.name}, {"batches", batches_}});
    }
    service_.open_push_streams_--;
    delete this;
  }

 private:
  // One line per batch; a refused record's reasons at debug level (record ids and field names,
  // never a credential).
  void LogBatch(const v1::PushResponse& response, int records, absl::Duration took) {
    ++batches_;
    int64_t counts[4] = {0, 0, 0, 0};
    for (const auto& r : response.results()) {
      switch (r.outcome()) {
        case v1::PUSH_OUTCOME_ACCEPTED:
          ++counts[0];
          break;
        case v1::PUSH_OUTCOME_DUPLICATE:
          ++counts[1];
          break;
        case v1::PUSH_OUTCOME_CONFLICT:
          ++counts[2];
          service::log::Debug("push.record_conflict", {{"request_id", request_id_}, {"record_id", r.record_id()}});
          break;
        default:
          ++counts[3];
          service::log::Debug("push.record_invalid",
                              {{"request_id", request_id_}, {"record_id", r.record_id()}, {"message", r.message()}});
          break;
      }
    }
    service::log::Info("push.batch", {{"request_id", request_id_},
                                      {"account", principal_.name},
                                      {"batch", response.batch_number()},
                                      {"records", records},
                                      {"accepted", counts[0]},
                                      {"duplicate", counts[1]},
                                      {"conflict", counts[2]},
                                      {"invalid", counts[3]},
                                      {"ms", absl::ToInt64Milliseconds(took)}});
  }

  SyncRpc& service_;
  grpc::CallbackServerContext* context_;
  StreamSlot slot_;
  service::Principal principal_;
  const std::string request_id_ = service::log::NewRequestId();  // ties this stream's log lines
  const std::string peer_ = PeerAddress(*context_);
  int64_t batches_ = 0;
  int64_t messages_ = 0;  // PushRequests read so far
  grpc::ByteBuffer request_bytes_;
  grpc::ByteBuffer response_bytes_;
};

// One Pull: changes after the cursor in messages of at most kChunk changes, each read from the
// store on the executor just before it is sent, so memory stays bounded however far behind the
// laptop is.
class SyncRpc::PullReactor final : public grpc::ServerWriteReactor<v1::PullResponse> {
 public:
  static constexpr int kChunk = 500;

  PullReactor(SyncRpc& service, grpc::CallbackServerContext* context, const v1::PullRequest& request)
      : service_(service),
        context_(context),
        slot_(service.streams_),
        cursor_(request.after_sequence()),
        device_id_(request.device_id()),
        laptop_(request.laptop()) {
    if (!slot_.status().ok()) {
      Finish(ToGrpcStatus(slot_.status()));
      return;
    }
    service_.executor_.Post([this] {
      auto principal = service_.Caller(*context_, "pull reference data");
      if (!principal.ok()) {
        Finish(ToGrpcStatus(principal.status()));
        return;
      }
      principal_ = *std::move(principal);
      if (!device_id_.empty()) {
        // The laptop's last contact: a laptop pulling as a device not registered to its account is
        // refused, as its records would be.
        absl::Status contact = service_.accounts_.RecordContact(principal_, device_id_, laptop_);
        if (!contact.ok()) {
          Finish(ToGrpcStatus(contact));
          return;
        }
      }
      SendNextChunk();
    });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the laptop went away"));
      return;
    }
    service_.executor_.Post([this] { SendNextChunk(); });
  }

  void OnDone() override { delete this; }

 private:
  // Runs on the executor.
  void SendNextChunk() {
    absl::Status recheck = service_.Recheck(*context_, principal_, "pull reference data");
    if (!recheck.ok()) {
      Finish(ToGrpcStatus(recheck));
      return;
    }
    response_.Clear();
    absl::Status status = service_.reference_.ScanChanges(cursor_, [&](const v1::ReferenceChange& c) {
      *response_.add_changes() = c;
      return response_.changes_size() < kChunk;
    });
    if (!status.ok()) {
      Finish(ToGrpcStatus(status));
      return;
    }
    // The first message always goes out, empty when the laptop is current (or its cursor is
    // beyond the server's, after a restore): it carries the server's sequence.
    if (response_.changes_size() == 0 && sent_any_) {
      Finish(grpc::Status::OK);
      return;
    }
    if (response_.changes_size() > 0) cursor_ = response_.changes(response_.changes_size() - 1).sequence();
    response_.set_server_sequence(service_.reference_.catalog()->sequence());
    *response_.mutable_assigned_kecamatan_codes() = principal_.scope.kecamatan_codes();
    if (!sent_any_ && service_.missing_observations_ && principal_.role == v1::ROLE_INSPECTOR) {
      // A failure here must not stop the reference data: the laptop keeps its last list.
      auto missing = service_.missing_observations_(principal_);
      if (missing.ok()) {
        // The most recent first, at most kMaxMissingObservations: a message stays small however
        // many markets an inspector covers.
        constexpr size_t kMaxMissingObservations = 100;
        std::stable_sort(missing->begin(), missing->end(),
                         [](const v1::PriceAlert& a, const v1::PriceAlert& b) { return a.day() > b.day(); });
        response_.set_missing_observations_total(static_cast<int64_t>(missing->size()));
        for (size_t i = 0; i < missing->size() && i < kMaxMissingObservations; ++i) {
          *response_.add_missing_observations() = std::move((*missing)[i]);
        }
      } else {
        service::log::Warn("pull.missing_observations", {{"account", principal_.name},
                                                         {"error", std::string(missing.status().message())}});
      }
    }
    sent_any_ = true;
    StartWrite(&response_);
  }

  SyncRpc& service_;
  grpc::CallbackServerContext* context_;
  StreamSlot slot_;
  service::Principal principal_;
  uint64_t cursor_;
  std::string device_id_;
  v1::LaptopReport laptop_;
  bool sent_any_ = false;
  v1::PullResponse response_;
};

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* SyncRpc::Push(
    grpc::CallbackServerContext* context) {
  return new PushReactor(*this, context);
}

grpc::ServerWriteReactor<v1::PullResponse>* SyncRpc::Pull(grpc::CallbackServerContext* context,
                                                          const v1::PullRequest* request) {
  return new PullReactor(*this, context, *request);
}

grpc::ServerUnaryReactor* SyncRpc::RegisterDevice(grpc::CallbackServerContext* context,
                                                  const v1::RegisterDeviceRequest* request,
                                                  v1::RegisterDeviceResponse* response) {
  return RunUnary(context, executor_, metrics_, [this, context, request, response]() -> absl::Status {
    auto principal = Caller(*context, "register a laptop");
    if (!principal.ok()) return principal.status();
    auto device = reference_.RegisterDevice(*principal, request->device_id(), request->description());
    if (!device.ok()) return device.status();
    *response->mutable_device() = *device;
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SyncRpc::GetPhotoUploadStatus(grpc::CallbackServerContext* context,
                                                        const v1::PhotoStatusRequest* request,
                                                        v1::PhotoStatusResponse* response) {
  return RunUnary(context, executor_, metrics_, [this, context, request, response]() -> absl::Status {
    auto principal = Caller(*context, "upload photos");
    if (!principal.ok()) return principal.status();
    auto status = photos_.Status(request->sha256());
    if (!status.ok()) return status.status();
    *response = *std::move(status);
    return absl::OkStatus();
  });
}

// One upload: each chunk is stored (durably) on the executor before the next is read, so a cut
// stream keeps every chunk received; the receipt says how far it got.
class SyncRpc::UploadReactor final : public grpc::ServerReadReactor<v1::PhotoChunk> {
 public:
  UploadReactor(SyncRpc& service, grpc::CallbackServerContext* context, v1::PhotoReceipt* receipt)
      : service_(service), context_(context), slot_(service.streams_), receipt_(receipt) {
    if (!slot_.status().ok()) {
      Finish(ToGrpcStatus(slot_.status()));
      return;
    }
    service_.executor_.Post([this] {
      auto principal = service_.Caller(*context_, "upload photos");
      if (!principal.ok()) {
        Finish(ToGrpcStatus(principal.status()));
        return;
      }
      principal_ = *std::move(principal);
      StartRead(&chunk_);
    });
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client is done (or gone): what arrived is kept
      Finish(grpc::Status::OK);
      return;
    }
    service_.executor_.Post([this] {
      absl::Status recheck = service_.Recheck(*context_, principal_, "upload photos");
      if (!recheck.ok()) {
        Finish(ToGrpcStatus(recheck));
        return;
      }
      auto receipt = service_.photos_.Receive(chunk_);
      if (!receipt.ok()) {
        Finish(ToGrpcStatus(receipt.status()));
        return;
      }
      *receipt_ = *std::move(receipt);
      StartRead(&chunk_);
    });
  }

  void OnDone() override { delete this; }

 private:
  SyncRpc& service_;
  grpc::CallbackServerContext* context_;
  StreamSlot slot_;
  service::Principal principal_;
  v1::PhotoReceipt* receipt_;
  v1::PhotoChunk chunk_;
};

grpc::ServerReadReactor<v1::PhotoChunk>* SyncRpc::UploadPhoto(grpc::CallbackServerContext* context,
                                                              v1::PhotoReceipt* receipt) {
  return new UploadReactor(*this, context, receipt);
}

absl::StatusOr<service::Principal> SyncRpc::Caller(const grpc::CallbackServerContext& context,
                                                   std::string_view action) const {
  return Authorize(context, accounts_, {v1::ROLE_INSPECTOR, v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN}, action);
}

absl::Status SyncRpc::Recheck(const grpc::CallbackServerContext& context, service::Principal& principal,
                              std::string_view action) const {
  auto current = Reauthorize(context, accounts_, principal, {v1::ROLE_INSPECTOR, v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN},
                             action);
  if (!current.ok()) return current.status();
  principal = *std::move(current);
  return absl::OkStatus();
}

}  // namespace pantau::rpc
