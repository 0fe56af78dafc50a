#include "tests/testing/grpc_client.h"

#include <chrono>

namespace pantau::testing {

std::unique_ptr<grpc::ClientContext> AuthedContext(const std::string& token, int seconds) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  return context;
}

PushResult PushBatches(v1::SyncService::StubInterface& stub, const std::string& token,
                       const std::vector<std::vector<v1::Record>>& batches) {
  PushResult result;
  auto context = AuthedContext(token);
  auto stream = stub.Push(context.get());
  uint64_t number = 0;
  for (const auto& batch : batches) {
    v1::PushRequest request;
    request.set_batch_number(++number);
    for (const auto& r : batch) *request.add_records() = r;
    if (!stream->Write(request)) break;
    v1::PushResponse response;
    if (!stream->Read(&response)) break;
    result.responses.push_back(std::move(response));
  }
  stream->WritesDone();
  v1::PushResponse extra;
  while (stream->Read(&extra)) result.responses.push_back(extra);
  result.status = stream->Finish();
  return result;
}

PullResult PullChanges(v1::SyncService::StubInterface& stub, const std::string& token,
                       uint64_t after, int max_messages) {
  PullResult result;
  auto context = AuthedContext(token);
  v1::PullRequest request;
  request.set_after_sequence(after);
  auto reader = stub.Pull(context.get(), request);
  v1::PullResponse response;
  int messages = 0;
  while (reader->Read(&response)) {
    for (const auto& c : response.changes()) result.changes.push_back(c);
    result.server_sequence = response.server_sequence();
    ++result.messages;
    if (max_messages > 0 && ++messages >= max_messages) {
      context->TryCancel();
      break;
    }
  }
  result.status = reader->Finish();
  return result;
}

}  // namespace pantau::testing
