#include "server/reference_import.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/reference_csv.h"
#include "common/status_macros.h"
#include "common/str_cat.h"

namespace pantau::server {

absl::StatusOr<ImportSummary> ImportReferenceFolder(const std::string& folder,
                                                    service::ReferenceService& reference) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    return absl::NotFoundError(StrCat(folder, ": not a folder"));
  }
  const auto& known = common::ReferenceFileNames();
  std::vector<std::string> problems;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".csv" &&
        std::find(known.begin(), known.end(), name) == known.end()) {
      problems.push_back(StrCat(name, ": not a reference file (known: ", StrJoin(known, ", "), ")"));
    }
  }
  ImportSummary summary;
  std::vector<v1::ReferenceEntity> entities;
  for (const auto& name : known) {
    fs::path path = fs::path(folder) / name;
    if (!fs::exists(path, ec)) continue;
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) {
      problems.push_back(StrCat(name, ": cannot be read"));
      continue;
    }
    auto contents = common::ParseReferenceCsv(name, text.str());
    if (!contents.ok()) {
      problems.push_back(std::string(contents.status().message()));
      continue;
    }
    for (auto& e : contents->errors) problems.push_back(std::move(e));
    for (auto& e : contents->entities) entities.push_back(std::move(e));
    summary.files.push_back(name);
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(
        StrCat("nothing imported; fix these first:\n  ", StrJoin(problems, "\n  ")));
  }
  summary.entities = entities.size();
  PANTAU_ASSIGN_OR_RETURN(auto result, reference.Put(entities, {}));
  summary.changed = result.changed;
  summary.last_sequence = result.last_sequence;
  return summary;
}

}  // namespace pantau::server
