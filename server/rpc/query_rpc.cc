#include "server/rpc/query_rpc.h"

#include "server/rpc/call_support.h"

namespace pantau::rpc {

template <typename Response, typename Query>
grpc::ServerUnaryReactor* QueryRpc::Read(grpc::CallbackServerContext* context, Response* response,
                                         std::string_view action, Query query) {
  return RunUnary(context, executor_, metrics_, [=, this]() -> absl::Status {
    auto principal = Authorize(*context, accounts_, {v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN}, action);
    if (!principal.ok()) return principal.status();
    auto answer = query(*principal);
    if (!answer.ok()) return answer.status();
    *response = *std::move(answer);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* QueryRpc::GetIndicatorTable(grpc::CallbackServerContext* context,
                                                      const v1::GetIndicatorTableRequest* request,
                                                      v1::GetIndicatorTableResponse* response) {
  return Read(context, response, "read the indicator table",
              [=, this](const service::Principal& who) { return queries_.IndicatorTable(request->period(), who); });
}

grpc::ServerUnaryReactor* QueryRpc::GetPriceStatistics(grpc::CallbackServerContext* context,
                                                       const v1::GetPriceStatisticsRequest* request,
                                                       v1::GetPriceStatisticsResponse* response) {
  return Read(context, response, "read price statistics",
              [=, this](const service::Principal& who) { return queries_.PriceStatistics(*request, who); });
}

grpc::ServerUnaryReactor* QueryRpc::GetPriceStability(grpc::CallbackServerContext* context,
                                                      const v1::GetPriceStabilityRequest* request,
                                                      v1::GetPriceStabilityResponse* response) {
  return Read(context, response, "read price stability",
              [=, this](const service::Principal& who) { return queries_.PriceStability(*request, who); });
}

grpc::ServerUnaryReactor* QueryRpc::GetCoverage(grpc::CallbackServerContext* context,
                                                const v1::GetCoverageRequest* request,
                                                v1::GetCoverageResponse* response) {
  return Read(context, response, "read coverage", [=, this](const service::Principal& who) { return queries_.Coverage(*request, who); });
}

grpc::ServerUnaryReactor* QueryRpc::ListViolations(grpc::CallbackServerContext* context,
                                                   const v1::ListViolationsRequest* request,
                                                   v1::ListViolationsResponse* response) {
  return Read(context, response, "list violations", [=, this](const service::Principal& who) { return queries_.Violations(*request, who); });
}

grpc::ServerUnaryReactor* QueryRpc::ListUttpDue(grpc::CallbackServerContext* context,
                                                const v1::ListUttpDueRequest* request,
                                                v1::ListUttpDueResponse* response) {
  return Read(context, response, "list UTTP due dates", [=, this](const service::Principal& who) { return queries_.UttpDue(*request, who); });
}

grpc::ServerUnaryReactor* QueryRpc::ListUttpVerifications(grpc::CallbackServerContext* context,
                                                          const v1::ListUttpVerificationsRequest* request,
                                                          v1::ListUttpVerificationsResponse* response) {
  return Read(context, response, "list UTTP verifications",
              [=, this](const service::Principal& who) { return queries_.UttpVerifications(*request, who); });
}

grpc::ServerUnaryReactor* QueryRpc::ListAudits(grpc::CallbackServerContext* context,
                                               const v1::ListAuditsRequest* request,
                                               v1::ListAuditsResponse* response) {
  return Read(context, response, "list outlet audits",
              [=, this](const service::Principal& who) { return queries_.Audits(*request, who); });
}

grpc::ServerUnaryReactor* QueryRpc::ListAlerts(grpc::CallbackServerContext* context,
                                               const v1::ListAlertsRequest* request,
                                               v1::ListAlertsResponse* response) {
  return Read(context, response, "list price alerts",
              [=, this](const service::Principal& who) { return queries_.Alerts(*request, who); });
}

grpc::ServerUnaryReactor* QueryRpc::GetFieldActivity(grpc::CallbackServerContext* context,
                                                     const v1::GetFieldActivityRequest* request,
                                                     v1::GetFieldActivityResponse* response) {
  return Read(context, response, "read field activity",
              [=, this](const service::Principal& who) { return queries_.FieldActivity(*request, who); });
}

// One export: a chunk of records read on the executor just before it is sent, so memory stays
// bounded however many records the period holds, and a slow reader only slows its own export.
class QueryRpc::ExportReactor final : public grpc::ServerWriteReactor<v1::ExportRecordsResponse> {
 public:
  static constexpr int kChunk = 500;

  ExportReactor(QueryRpc& service, grpc::CallbackServerContext* context,
                const v1::ExportRecordsRequest& request)
      : service_(service), context_(context), slot_(service.streams_), request_(request) {
    if (!slot_.status().ok()) {
      Finish(ToGrpcStatus(slot_.status()));
      return;
    }
    service_.executor_.Post([this] {
      auto principal = Authorize(*context_, service_.accounts_, {v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN},
                                 "export records");
      if (!principal.ok()) {
        Finish(ToGrpcStatus(principal.status()));
        return;
      }
      principal_ = *std::move(principal);
      if (absl::Status valid = service_.queries_.CheckExport(request_, principal_); !valid.ok()) {
        Finish(ToGrpcStatus(valid));
        return;
      }
      SendNextChunk();
    });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the reader went away"));
      return;
    }
    if (last_) {
      Finish(grpc::Status::OK);
      return;
    }
    service_.executor_.Post([this] { SendNextChunk(); });
  }

  void OnDone() override { delete this; }

 private:
  // Runs on the executor. Chunks that a kind filter left empty are not sent.
  void SendNextChunk() {
    while (true) {
      if (context_->IsCancelled()) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "export cancelled"));
        return;
      }
      auto done = service_.queries_.ExportChunk(request_, cursor_, kChunk, &response_, principal_);
      if (!done.ok()) {
        Finish(ToGrpcStatus(done.status()));
        return;
      }
      if (response_.records_size() > 0) {
        last_ = *done;
        StartWrite(&response_);
        return;
      }
      if (*done) break;
    }
    Finish(grpc::Status::OK);
  }

  QueryRpc& service_;
  grpc::CallbackServerContext* context_;
  StreamSlot slot_;
  const v1::ExportRecordsRequest request_;
  service::Principal principal_;
  service::QueryService::ExportCursor cursor_;
  v1::ExportRecordsResponse response_;
  bool last_ = false;  // the chunk being written is the last one
};

grpc::ServerWriteReactor<v1::ExportRecordsResponse>* QueryRpc::ExportRecords(
    grpc::CallbackServerContext* context, const v1::ExportRecordsRequest* request) {
  return new ExportReactor(*this, context, *request);
}

// One photo, read on the executor and sent in chunks of 64 KiB.
class QueryRpc::PhotoReactor final : public grpc::ServerWriteReactor<v1::PhotoChunk> {
 public:
  static constexpr size_t kChunk = 64 << 10;

  PhotoReactor(QueryRpc& service, grpc::CallbackServerContext* context, std::string sha256)
      : service_(service), context_(context), slot_(service.streams_), sha256_(std::move(sha256)) {
    if (!slot_.status().ok()) {
      Finish(ToGrpcStatus(slot_.status()));
      return;
    }
    service_.executor_.Post([this] {
      auto principal = Authorize(*context_, service_.accounts_, {v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN}, "read photos");
      if (!principal.ok()) {
        Finish(ToGrpcStatus(principal.status()));
        return;
      }
      if (absl::Status seen = service_.photos_.Admit(*principal); !seen.ok()) {
        Finish(ToGrpcStatus(seen));
        return;
      }
      auto photo = service_.photos_.Get(sha256_);
      if (!photo.ok()) {
        Finish(ToGrpcStatus(photo.status()));
        return;
      }
      if (!*photo) {
        Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "no photo " + sha256_ + " on the server (not synced yet?)"));
        return;
      }
      bytes_ = **std::move(photo);
      SendNext();
    });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the reader went away"));
      return;
    }
    SendNext();
  }

  void OnDone() override { delete this; }

 private:
  void SendNext() {
    if (offset_ >= bytes_.size() && offset_ > 0) {
      Finish(grpc::Status::OK);
      return;
    }
    chunk_.set_sha256(sha256_);
    chunk_.set_total_bytes(static_cast<int64_t>(bytes_.size()));
    chunk_.set_offset(static_cast<int64_t>(offset_));
    chunk_.set_data(bytes_.substr(offset_, kChunk));
    offset_ += kChunk;  // an empty photo still sends one (empty) chunk
    StartWrite(&chunk_);
  }

  QueryRpc& service_;
  grpc::CallbackServerContext* context_;
  StreamSlot slot_;
  const std::string sha256_;
  std::string bytes_;
  size_t offset_ = 0;
  v1::PhotoChunk chunk_;
};

grpc::ServerWriteReactor<v1::PhotoChunk>* QueryRpc::GetPhoto(grpc::CallbackServerContext* context,
                                                             const v1::GetPhotoRequest* request) {
  return new PhotoReactor(*this, context, request->sha256());
}

}  // namespace pantau::rpc
