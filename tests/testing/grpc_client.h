// Minimal test clients over the generated stubs: push batches on one stream, pull changes.
// Thread-safety: each call is independent; stubs are thread-safe.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "pantau/v1/admin_service.grpc.pb.h"
#include "pantau/v1/sync_service.grpc.pb.h"

namespace pantau::testing {

// A client context with the bearer token and a deadline of `seconds`.
std::unique_ptr<grpc::ClientContext> AuthedContext(const std::string& token, int seconds = 30);

struct PushResult {
  grpc::Status status;                      // the stream's final status
  std::vector<v1::PushResponse> responses;  // answers received, in order
};

// Sends `batches` on one Push stream, reading each answer before sending the next batch.
PushResult PushBatches(v1::SyncService::StubInterface& stub, const std::string& token,
                       const std::vector<std::vector<v1::Record>>& batches);

struct PullResult {
  grpc::Status status;
  std::vector<v1::ReferenceChange> changes;
  int messages = 0;
  uint64_t server_sequence = 0;  // as the last message said
};

// Pulls every change after `after`; stops early after `max_messages` messages when > 0.
PullResult PullChanges(v1::SyncService::StubInterface& stub, const std::string& token,
                       uint64_t after, int max_messages = 0);

}  // namespace pantau::testing
