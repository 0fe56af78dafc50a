#include "server/reference_import.h"

#include "common/reference_folder.h"
#include "common/status_macros.h"

namespace pantau::server {

absl::StatusOr<ImportSummary> ImportReferenceFolder(const std::string& folder,
                                                    service::ReferenceService& reference) {
  PANTAU_ASSIGN_OR_RETURN(auto files, common::ReadReferenceFolder(folder));
  PANTAU_ASSIGN_OR_RETURN(auto result,
                          reference.ApplyFiles(files, common::Retire::kNo, /*dry_run=*/false));
  ImportSummary summary;
  for (const auto& f : files) summary.files.push_back(f.name);
  summary.entities = result.plan.entities;
  summary.changed = static_cast<uint32_t>(result.plan.upserts.size());
  summary.last_sequence = result.last_sequence;
  return summary;
}

}  // namespace pantau::server
