#include "server/rpc/query_rpc.h"

#include "server/rpc/call_support.h"

namespace pantau::rpc {

grpc::ServerUnaryReactor* QueryRpc::GetIndicatorTable(grpc::CallbackServerContext* context,
                                                      const v1::GetIndicatorTableRequest* request,
                                                      v1::GetIndicatorTableResponse* response) {
  return RunUnary(context, executor_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN},
                               "read the indicator table");
    if (!principal.ok()) return principal.status();
    auto table = queries_.IndicatorTable(request->period());
    if (!table.ok()) return table.status();
    *response = *std::move(table);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* QueryRpc::GetPriceStatistics(grpc::CallbackServerContext* context,
                                                       const v1::GetPriceStatisticsRequest* request,
                                                       v1::GetPriceStatisticsResponse* response) {
  return RunUnary(context, executor_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN},
                               "read price statistics");
    if (!principal.ok()) return principal.status();
    auto stats = queries_.PriceStatistics(*request);
    if (!stats.ok()) return stats.status();
    *response = *std::move(stats);
    return absl::OkStatus();
  });
}

}  // namespace pantau::rpc
