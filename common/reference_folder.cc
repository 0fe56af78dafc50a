#include "common/reference_folder.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/str_cat.h"

namespace pantau::common {

absl::StatusOr<std::vector<ReferenceFile>> ReadReferenceFolder(const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return absl::NotFoundError(StrCat(folder, ": not a folder"));
  std::vector<ReferenceFile> files;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.path().extension() != ".csv") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in || (!in.good() && !in.eof())) {
      return absl::UnavailableError(StrCat(entry.path().string(), ": cannot be read"));
    }
    files.push_back({entry.path().filename().string(), text.str()});
  }
  if (ec) return absl::UnavailableError(StrCat(folder, ": ", ec.message()));
  std::sort(files.begin(), files.end(), [](const ReferenceFile& a, const ReferenceFile& b) { return a.name < b.name; });
  return files;
}

absl::Status WriteReferenceFolder(const std::string& folder, const std::vector<ReferenceFile>& files) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return absl::UnavailableError(StrCat(folder, ": ", ec.message()));
  for (const auto& f : files) {
    const fs::path path = fs::path(folder) / f.name;
    const fs::path temp = fs::path(folder) / (f.name + ".tmp");
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      out << f.text;
      out.flush();
      if (!out) return absl::UnavailableError(StrCat(temp.string(), ": cannot be written"));
    }
    fs::rename(temp, path, ec);
    if (ec) return absl::UnavailableError(StrCat(path.string(), ": ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace pantau::common
