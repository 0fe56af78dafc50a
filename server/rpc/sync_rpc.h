// gRPC adapter of SyncService: Push, Pull, RegisterDevice, photo uploads. Thin: authenticate, hand the work to
// the executor, map statuses. Thread-safety: as gRPC requires of a callback service.
#pragma once

#include <atomic>

#include "pantau/v1/sync_service.grpc.pb.h"
#include "server/rpc/call_support.h"
#include "server/service/account_service.h"
#include "server/service/executor.h"
#include "server/service/ingest_service.h"
#include "server/service/photo_service.h"
#include "server/service/reference_service.h"

namespace pantau::rpc {

// Push is registered raw (bytes in, bytes out) so that a message that does not parse as a
// PushRequest is answered INVALID_ARGUMENT saying so, rather than looking like the end of the
// stream; the other methods are typed.
using SyncServiceBase = v1::SyncService::WithRawCallbackMethod_Push<
    v1::SyncService::WithCallbackMethod_Pull<v1::SyncService::WithCallbackMethod_RegisterDevice<
        v1::SyncService::WithCallbackMethod_GetPhotoUploadStatus<
            v1::SyncService::WithCallbackMethod_UploadPhoto<v1::SyncService::Service>>>>>;

class SyncRpc final : public SyncServiceBase {
 public:
  // All arguments must outlive the gRPC server this service is registered with.
  SyncRpc(service::AccountService& accounts, service::IngestService& ingest,
          service::ReferenceService& reference, service::PhotoService& photos, service::Executor& executor,
          StreamSlots& streams)
      : accounts_(accounts),
        ingest_(ingest),
        reference_(reference),
        photos_(photos),
        executor_(executor),
        streams_(streams) {}

  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* Push(grpc::CallbackServerContext* context) override;
  grpc::ServerWriteReactor<v1::PullResponse>* Pull(grpc::CallbackServerContext* context,
                                                   const v1::PullRequest* request) override;
  grpc::ServerUnaryReactor* RegisterDevice(grpc::CallbackServerContext* context,
                                           const v1::RegisterDeviceRequest* request,
                                           v1::RegisterDeviceResponse* response) override;
  grpc::ServerUnaryReactor* GetPhotoUploadStatus(grpc::CallbackServerContext* context,
                                                 const v1::PhotoStatusRequest* request,
                                                 v1::PhotoStatusResponse* response) override;
  grpc::ServerReadReactor<v1::PhotoChunk>* UploadPhoto(grpc::CallbackServerContext* context,
                                                       v1::PhotoReceipt* receipt) override;

  // Push streams open now.
  int open_push_streams() const { return open_push_streams_.load(); }

  // Refused calls are counted here (set before serving; may stay unset).
  void set_metrics(service::Metrics* metrics) { metrics_ = metrics; }
  // What a pull tells an inspector's laptop besides the reference data: the scheduled price checks
  // it missed (set by the composition root; unset: nothing).
  using MissingObservations =
      std::function<absl::StatusOr<std::vector<v1::PriceAlert>>(const service::Principal& inspector)>;
  void set_missing_observations(MissingObservations f) { missing_observations_ = std::move(f); }

 private:
  class PushReactor;
  class PullReactor;
  class UploadReactor;

  // Every account syncs (inspectors their records, supervisors their corrections and voids, admins
  // both); `action` names the call in a refusal.
  absl::StatusOr<service::Principal> Caller(const grpc::CallbackServerContext& context,
                                            std::string_view action) const;
  // The caller of an open stream checked again before its next message (see rpc::Reauthorize):
  // on success `principal` holds the current account.
  absl::Status Recheck(const grpc::CallbackServerContext& context, service::Principal& principal,
                       std::string_view action) const;

  service::AccountService& accounts_;
  service::IngestService& ingest_;
  service::ReferenceService& reference_;
  service::PhotoService& photos_;
  service::Executor& executor_;
  service::Metrics* metrics_ = nullptr;
  MissingObservations missing_observations_;
  StreamSlots& streams_;
  std::atomic<int> open_push_streams_{0};
};

}  // namespace pantau::rpc
