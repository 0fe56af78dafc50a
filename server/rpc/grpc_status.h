// The one mapping between absl::Status and grpc::Status. Thread-safety: stateless.
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace pantau::rpc {

// Same canonical code, same message.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace pantau::rpc
