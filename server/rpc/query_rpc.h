// gRPC adapter of QueryService. Thread-safety: as gRPC requires of a callback service.
#pragma once

#include "pantau/v1/query_service.grpc.pb.h"
#include "server/service/account_service.h"
#include "server/service/executor.h"
#include "server/service/query_service.h"

namespace pantau::rpc {

class QueryRpc final : public v1::QueryService::CallbackService {
 public:
  // All arguments must outlive the gRPC server this service is registered with.
  QueryRpc(service::AccountService& accounts, service::QueryService& queries, service::Executor& executor)
      : accounts_(accounts), queries_(queries), executor_(executor) {}

  grpc::ServerUnaryReactor* GetIndicatorTable(grpc::CallbackServerContext* context,
                                              const v1::GetIndicatorTableRequest* request,
                                              v1::GetIndicatorTableResponse* response) override;
  grpc::ServerUnaryReactor* GetPriceStatistics(grpc::CallbackServerContext* context,
                                               const v1::GetPriceStatisticsRequest* request,
                                               v1::GetPriceStatisticsResponse* response) override;

 private:
  service::AccountService& accounts_;
  service::QueryService& queries_;
  service::Executor& executor_;
};

}  // namespace pantau::rpc
