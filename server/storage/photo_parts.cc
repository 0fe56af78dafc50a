#include "common/str_cat.h"
#include "server/storage/storage.h"

namespace pantau::storage {

absl::Status CheckPhotoPart(const PhotoState& state, int64_t total_bytes, int64_t offset, size_t size) {
  if (total_bytes <= 0) return absl::InvalidArgumentError("total_bytes: must be more than 0");
  if (state.total_bytes > 0 && state.total_bytes != total_bytes) {
    return absl::FailedPreconditionError(StrCat("the upload in progress is of ", state.total_bytes,
                                                " bytes, not ", total_bytes));
  }
  if (offset != state.received_bytes) {
    return absl::FailedPreconditionError(
        StrCat("offset ", offset, " does not continue the upload: resume at ", state.received_bytes));
  }
  if (offset + static_cast<int64_t>(size) > total_bytes) {
    return absl::InvalidArgumentError(StrCat("the part ends at ", offset + static_cast<int64_t>(size),
                                             ", past the photo's ", total_bytes, " bytes"));
  }
  return absl::OkStatus();
}

}  // namespace pantau::storage
