// The reference-data folder format (deploy/reference/README.md): one CSV file per entity type,
// with a header row. Pure: the caller reads the files. Thread-safety: stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "pantau/v1/reference.pb.h"

namespace pantau::common {

// The file names of a reference folder, in the order they are loaded (a market's kecamatan
// before the market). Every file is optional.
const std::vector<std::string>& ReferenceFileNames();

struct ReferenceFileContents {
  std::vector<v1::ReferenceEntity> entities;
  // The line of the file each entity starts on (parallel to `entities`).
  std::vector<size_t> lines;
  // "markets.csv line 4: kecamatan_code: ..." for each bad row.
  std::vector<std::string> errors;
};

// Parses one reference file. INVALID_ARGUMENT for an unknown file name or a broken header; bad
// rows are listed in `errors`, good rows in `entities`.
absl::StatusOr<ReferenceFileContents> ParseReferenceCsv(std::string_view file_name,
                                                        std::string_view text);

// The file an entity is written to ("markets.csv" for a market); "" for entities that have no
// file (laptops registered by their inspectors).
std::string_view ReferenceFileOf(const v1::ReferenceEntity& entity);

// The words the reference files use for a checklist item's type ("yes_no", "price_rupiah",
// "weight_g", ...) and a UTTP type's category ("nawi", "fuel_dispenser", ...); "" when unset.
std::string_view ItemTypeName(v1::ChecklistItemType type);
std::string_view UttpCategoryName(v1::UttpCategory category);

// `entities` (all of the file's type) as the text of `file_name`, header first, one row per
// entity (a checklist: one per item), in the order given: what ParseReferenceCsv reads back into
// the same entities.
absl::StatusOr<std::string> WriteReferenceCsv(std::string_view file_name,
                                              const std::vector<const v1::ReferenceEntity*>& entities);

}  // namespace pantau::common
