// A reference folder (deploy/reference/) on disk: its CSV files read and written whole. The only
// file I/O of common/ besides the XLSX writer. Thread-safety: stateless.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/reference_change.h"

namespace pantau::common {

// Every *.csv file of `folder` (other files, such as a README, are not read). NOT_FOUND when it
// is not a folder, UNAVAILABLE when a file cannot be read.
absl::StatusOr<std::vector<ReferenceFile>> ReadReferenceFolder(const std::string& folder);

// Writes `files` into `folder` (created if needed), each through a temporary file renamed into
// place.
absl::Status WriteReferenceFolder(const std::string& folder, const std::vector<ReferenceFile>& files);

}  // namespace pantau::common
