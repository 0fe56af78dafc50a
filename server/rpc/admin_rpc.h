// gRPC adapter of AdminService. Thread-safety: as gRPC requires of a callback service.
#pragma once

#include <functional>

#include "pantau/v1/admin_service.grpc.pb.h"
#include "server/service/account_service.h"
#include "server/service/executor.h"
#include "server/service/ingest_service.h"
#include "server/service/reference_service.h"

namespace pantau::rpc {

class AdminRpc final : public v1::AdminService::CallbackService {
 public:
  // All arguments must outlive the gRPC server this service is registered with.
  // Makes a backup into a folder ("" the configured one), keeping the newest `keep` (0: the configured number).
  using BackupFn = std::function<absl::StatusOr<v1::CreateBackupResponse>(const std::string& dir, int keep)>;
  AdminRpc(service::AccountService& accounts, service::ReferenceService& reference,
           service::IngestService& ingest, service::Executor& executor, BackupFn backup = {})
      : accounts_(accounts), reference_(reference), ingest_(ingest), executor_(executor),
        backup_(std::move(backup)) {}

  grpc::ServerUnaryReactor* PutReference(grpc::CallbackServerContext* context,
                                         const v1::PutReferenceRequest* request,
                                         v1::PutReferenceResponse* response) override;
  grpc::ServerUnaryReactor* ExportReference(grpc::CallbackServerContext* context,
                                            const v1::ExportReferenceRequest* request,
                                            v1::ExportReferenceResponse* response) override;
  grpc::ServerUnaryReactor* ApplyReference(grpc::CallbackServerContext* context,
                                           const v1::ApplyReferenceRequest* request,
                                           v1::ApplyReferenceResponse* response) override;
  grpc::ServerUnaryReactor* CreateAccount(grpc::CallbackServerContext* context,
                                          const v1::CreateAccountRequest* request,
                                          v1::CreateAccountResponse* response) override;
  grpc::ServerUnaryReactor* ListAccounts(grpc::CallbackServerContext* context,
                                         const v1::ListAccountsRequest* request,
                                         v1::ListAccountsResponse* response) override;
  grpc::ServerUnaryReactor* RevokeAccount(grpc::CallbackServerContext* context,
                                          const v1::RevokeAccountRequest* request,
                                          v1::RevokeAccountResponse* response) override;
  grpc::ServerUnaryReactor* RotateToken(grpc::CallbackServerContext* context,
                                        const v1::RotateTokenRequest* request,
                                        v1::RotateTokenResponse* response) override;
  grpc::ServerUnaryReactor* SetAccountScope(grpc::CallbackServerContext* context,
                                            const v1::SetAccountScopeRequest* request,
                                            v1::SetAccountScopeResponse* response) override;
  grpc::ServerUnaryReactor* SetPassword(grpc::CallbackServerContext* context, const v1::SetPasswordRequest* request,
                                        v1::SetPasswordResponse* response) override;
  grpc::ServerUnaryReactor* ListAuditLog(grpc::CallbackServerContext* context,
                                         const v1::ListAuditLogRequest* request,
                                         v1::ListAuditLogResponse* response) override;
  grpc::ServerUnaryReactor* GetRecordCounts(grpc::CallbackServerContext* context,
                                            const v1::GetRecordCountsRequest* request,
                                            v1::GetRecordCountsResponse* response) override;
  grpc::ServerUnaryReactor* CreateBackup(grpc::CallbackServerContext* context,
                                         const v1::CreateBackupRequest* request,
                                         v1::CreateBackupResponse* response) override;

  // Refused calls are counted here (set before serving; may stay unset).
  void set_metrics(service::Metrics* metrics) { metrics_ = metrics; }

 private:
  service::AccountService& accounts_;
  service::ReferenceService& reference_;
  service::IngestService& ingest_;  // record counts
  service::Executor& executor_;
  service::Metrics* metrics_ = nullptr;
  BackupFn backup_;
};

}  // namespace pantau::rpc
