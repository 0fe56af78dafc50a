// Look-ups on the laptop's reference data: what a person picks from instead of typing codes —
// `pantau list ...` prints them, the app's pickers show the same rows. Names first, codes second.
// Pure. Thread-safety: stateless.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/reference_catalog.h"

namespace pantau::client {

struct LookupRow {
  std::string code;
  std::string name;
  std::string detail;     // unit, kind, type, ladder step: what tells two similar names apart
  std::string kecamatan;  // the kecamatan's name, where the thing has one
};

// The kinds that can be listed: "markets", "commodities", "outlets", "instruments", "findings",
// "actions".
const std::vector<std::string>& LookupKinds();

// Rows of `kind` whose name, code, detail or kecamatan contains `text` (any case; every row when
// empty), sorted by name. nullopt for an unknown kind.
std::optional<std::vector<LookupRow>> Lookup(const common::ReferenceCatalog& catalog, std::string_view kind,
                                             std::string_view text);

}  // namespace pantau::client
