// Loading a reference-data folder (deploy/reference/) into the server. Thread-safety: as the
// ReferenceService.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/service/reference_service.h"

namespace pantau::server {

struct ImportSummary {
  std::vector<std::string> files;  // the files read, in load order
  size_t entities = 0;             // entities in them
  uint32_t changed = 0;            // entities that were new or different
  uint64_t last_sequence = 0;
};

// Reads every reference file present in `folder` and adds or changes what they say in one atomic
// step (ReferenceService::ApplyFiles without retiring: an import never removes). Any bad row,
// broken reference or unknown .csv file fails the whole import (INVALID_ARGUMENT listing every
// problem with its file and line), and nothing is stored. Importing the same folder again
// changes nothing.
absl::StatusOr<ImportSummary> ImportReferenceFolder(const std::string& folder,
                                                    service::ReferenceService& reference);

}  // namespace pantau::server
