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
  // "markets.csv line 4: kecamatan_code: ..." for each bad row.
  std::vector<std::string> errors;
};

// Parses one reference file. INVALID_ARGUMENT for an unknown file name or a broken header; bad
// rows are listed in `errors`, good rows in `entities`.
absl::StatusOr<ReferenceFileContents> ParseReferenceCsv(std::string_view file_name,
                                                        std::string_view text);

}  // namespace pantau::common
