// Changing the reference data as a whole folder (deploy/reference/): what a folder would add,
// change and retire against the data in force, and the referential integrity of the result. Used
// by `pantau admin reference apply` (through AdminService) and `pantau-server import-reference`
// alike. Pure: common/reference_folder.h reads and writes the files. Thread-safety: stateless.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/reference_catalog.h"

namespace pantau::common {

// One file of a reference folder: its name ("markets.csv") and its text.
struct ReferenceFile {
  std::string name;
  std::string text;
};

// The data in force as the files of a reference folder, every known file (empty ones with their
// header), in load order: what PlanReferenceChange reads back as no difference.
std::vector<ReferenceFile> ExportReferenceFiles(const ReferenceCatalog& catalog);

enum class ReferenceDifferenceKind { kAdded, kChanged, kRetired };
std::string_view ReferenceDifferenceName(ReferenceDifferenceKind kind);  // "added", ...

struct ReferenceDifference {
  std::string file;  // "markets.csv"
  std::string key;   // "market/pasar_x"
  ReferenceDifferenceKind kind = ReferenceDifferenceKind::kAdded;
};

// What retiring means for a plan: an apply makes the server hold exactly what the folder's files
// say (an entity missing from its file is retired; a file missing from the folder leaves its
// entities alone); an import only adds and changes.
enum class Retire { kNo, kMissingFromTheirFile };

struct ReferencePlan {
  std::vector<v1::ReferenceEntity> upserts;   // added and changed
  std::vector<v1::ReferenceEntity> removals;  // retired, as they were
  std::vector<ReferenceDifference> differences;  // file by file in load order, then key order
  size_t entities = 0;                           // entities the files hold
  // Every reason the folder cannot be applied ("markets.csv line 4: kecamatan_code: ..."); when
  // any, nothing may be applied.
  std::vector<std::string> problems;
};

// Plans bringing `current` to what `files` say. `kecamatan_in_use` names who relies on a
// kecamatan outside the reference data (code -> "account siti's scope"): retiring it is a problem.
ReferencePlan PlanReferenceChange(const ReferenceCatalog& current, const std::vector<ReferenceFile>& files,
                                  Retire retire,
                                  const std::multimap<std::string, std::string>& kecamatan_in_use = {});

// `problems` joined by `separator`, the first `most` of them and then "... and N more" (a
// folder with every row wrong must not make a message of megabytes).
std::string ListProblems(const std::vector<std::string>& problems, std::string_view separator, size_t most = 50);

// The referential-integrity problems of `catalog`, each "<where>: <field>: <reason>", where
// `where(key)` places the entity with that ReferenceKey ("markets.csv line 4", or "market x").
// Checked: a market's, outlet's and instrument's kecamatan; an outlet's products (of its kind); an instrument's UTTP type and market;
// a reference price's product and zone (once a deployment names its zones); a checklist price rule's product; every follow-up ladder's steps
// (1, 2, ... each once); the indicator of a target or manual realisation.
std::vector<std::string> ReferenceIntegrityProblems(const ReferenceCatalog& catalog,
                                                    const std::function<std::string(const std::string& key)>& where);

// The integrity problems `after` has that `before` had not: only what a change makes blocks it (a
// problem already in the data in force is not its doing). Compared by key, told with `where`.
std::vector<std::string> NewIntegrityProblems(const ReferenceCatalog& before, const ReferenceCatalog& after,
                                              const std::function<std::string(const std::string& key)>& where);

}  // namespace pantau::common
