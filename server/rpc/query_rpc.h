// gRPC adapter of QueryService. Thread-safety: as gRPC requires of a callback service.
#pragma once

#include "pantau/v1/query_service.grpc.pb.h"
#include "server/rpc/call_support.h"
#include "server/service/account_service.h"
#include "server/service/executor.h"
#include "server/service/photo_service.h"
#include "server/service/query_service.h"

namespace pantau::rpc {

class QueryRpc final : public v1::QueryService::CallbackService {
 public:
  // All arguments must outlive the gRPC server this service is registered with.
  QueryRpc(service::AccountService& accounts, service::QueryService& queries, service::PhotoService& photos,
           service::Executor& executor, StreamSlots& streams)
      : accounts_(accounts), queries_(queries), photos_(photos), executor_(executor), streams_(streams) {}

  grpc::ServerUnaryReactor* GetIndicatorTable(grpc::CallbackServerContext* context,
                                              const v1::GetIndicatorTableRequest* request,
                                              v1::GetIndicatorTableResponse* response) override;
  grpc::ServerUnaryReactor* GetPriceStatistics(grpc::CallbackServerContext* context,
                                               const v1::GetPriceStatisticsRequest* request,
                                               v1::GetPriceStatisticsResponse* response) override;
  grpc::ServerUnaryReactor* GetPriceStability(grpc::CallbackServerContext* context,
                                              const v1::GetPriceStabilityRequest* request,
                                              v1::GetPriceStabilityResponse* response) override;
  grpc::ServerUnaryReactor* GetCoverage(grpc::CallbackServerContext* context,
                                        const v1::GetCoverageRequest* request,
                                        v1::GetCoverageResponse* response) override;
  grpc::ServerUnaryReactor* ListViolations(grpc::CallbackServerContext* context,
                                           const v1::ListViolationsRequest* request,
                                           v1::ListViolationsResponse* response) override;
  grpc::ServerUnaryReactor* ListUttpDue(grpc::CallbackServerContext* context,
                                        const v1::ListUttpDueRequest* request,
                                        v1::ListUttpDueResponse* response) override;
  grpc::ServerUnaryReactor* ListUttpVerifications(grpc::CallbackServerContext* context,
                                                  const v1::ListUttpVerificationsRequest* request,
                                                  v1::ListUttpVerificationsResponse* response) override;
  grpc::ServerUnaryReactor* ListAudits(grpc::CallbackServerContext* context, const v1::ListAuditsRequest* request,
                                       v1::ListAuditsResponse* response) override;
  grpc::ServerUnaryReactor* ListAlerts(grpc::CallbackServerContext* context, const v1::ListAlertsRequest* request,
                                       v1::ListAlertsResponse* response) override;
  grpc::ServerUnaryReactor* GetFieldActivity(grpc::CallbackServerContext* context,
                                             const v1::GetFieldActivityRequest* request,
                                             v1::GetFieldActivityResponse* response) override;
  grpc::ServerWriteReactor<v1::PhotoChunk>* GetPhoto(grpc::CallbackServerContext* context,
                                                     const v1::GetPhotoRequest* request) override;
  grpc::ServerWriteReactor<v1::ExportRecordsResponse>* ExportRecords(
      grpc::CallbackServerContext* context, const v1::ExportRecordsRequest* request) override;

  // Refused calls are counted here (set before serving; may stay unset).
  void set_metrics(service::Metrics* metrics) { metrics_ = metrics; }

 private:
  class ExportReactor;
  class PhotoReactor;

  // Authorises a supervisor or admin for `action`, then fills `response` with `query`'s answer.
  template <typename Response, typename Query>
  grpc::ServerUnaryReactor* Read(grpc::CallbackServerContext* context, Response* response,
                                 std::string_view action, Query query);

  service::AccountService& accounts_;
  service::QueryService& queries_;
  service::PhotoService& photos_;
  service::Executor& executor_;
  service::Metrics* metrics_ = nullptr;
  StreamSlots& streams_;
};

}  // namespace pantau::rpc
