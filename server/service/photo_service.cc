#include "server/service/photo_service.h"

#include "common/scope.h"
#include "common/status_macros.h"
#include "common/str_cat.h"
#include "server/service/digest.h"

namespace pantau::service {

bool IsSha256Hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

absl::StatusOr<v1::PhotoStatusResponse> PhotoService::Status(const std::string& sha256) {
  if (!IsSha256Hex(sha256)) return absl::InvalidArgumentError("sha256: must be 64 lower-case hex digits");
  PANTAU_ASSIGN_OR_RETURN(auto state, store_.State(sha256));
  v1::PhotoStatusResponse out;
  out.set_received_bytes(state.received_bytes);
  out.set_complete(state.complete);
  out.set_max_photo_bytes(max_bytes_);
  return out;
}

absl::StatusOr<v1::PhotoReceipt> PhotoService::Receive(const v1::PhotoChunk& chunk) {
  if (!IsSha256Hex(chunk.sha256())) return absl::InvalidArgumentError("sha256: must be 64 lower-case hex digits");
  if (chunk.total_bytes() > max_bytes_) {
    return absl::InvalidArgumentError(StrCat("photo ", chunk.sha256(), ": ", chunk.total_bytes(),
                                             " bytes is over the limit of ", max_bytes_, " bytes"));
  }
  PANTAU_ASSIGN_OR_RETURN(auto state,
                          store_.AppendPart(chunk.sha256(), chunk.total_bytes(), chunk.offset(), chunk.data()));
  if (!state.complete && state.received_bytes == state.total_bytes) {
    PANTAU_ASSIGN_OR_RETURN(std::string bytes, store_.ReadParts(chunk.sha256()));
    if (HexEncode(Sha256(bytes)) != chunk.sha256()) {
      PANTAU_RETURN_IF_ERROR(store_.Discard(chunk.sha256()));
      return absl::InvalidArgumentError(StrCat("photo ", chunk.sha256(),
                                               ": the bytes received do not have that SHA-256; send it again"));
    }
    PANTAU_RETURN_IF_ERROR(store_.Finish(chunk.sha256(), bytes));
    state.complete = true;
  }
  v1::PhotoReceipt receipt;
  receipt.set_sha256(chunk.sha256());
  receipt.set_received_bytes(state.received_bytes);
  receipt.set_complete(state.complete);
  return receipt;
}

absl::Status PhotoService::Admit(const Principal& who) {
  if (who.scope.kecamatan_codes_size() == 0 && who.scope.bidang_size() == 0) return absl::OkStatus();
  return absl::PermissionDeniedError(
      StrCat("account \"", who.name, "\" sees ", common::ScopeDescription(who.scope),
             " only, and a photo is fetched by its hash without a place: ask an unlimited supervisor or the admin"));
}

absl::StatusOr<std::optional<std::string>> PhotoService::Get(const std::string& sha256) {
  if (!IsSha256Hex(sha256)) return absl::InvalidArgumentError("sha256: must be 64 lower-case hex digits");
  return store_.Read(sha256);
}

}  // namespace pantau::service
