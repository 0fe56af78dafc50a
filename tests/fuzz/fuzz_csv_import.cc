// CSV import on any text: the inspector's price spreadsheet (`pantau import prices`) and every
// reference-data file (`pantau-server import-reference`). No crash; every bad row is reported,
// and every record made from a good row passes validation.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "client/csv_import.h"
#include "common/csv.h"
#include "common/dates.h"
#include "common/reference_csv.h"
#include "common/validation.h"
#include "tests/fuzz/fuzz_support.h"

namespace {
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 11, 24, 10, 0, 0), pantau::common::ZoneWithoutDeployment());
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Seeds: a price sheet, and each bundled reference file behind its selector byte.
  std::vector<std::string> seeds = {
      std::string(1, '\0') +
          "market,commodity,trader,price_rupiah,observed_at\n"
          "pasar_marabahan,beras_medium,Bu Ani,13100,2026-11-24 08:00\n"
          "pasar_marabahan,minyakita,\"Pak \"\"Udin\"\"\",15700,2026-11-24 08:05\n"};
  const auto& names = pantau::common::ReferenceFileNames();
  for (size_t i = 0; i < names.size(); ++i) {
    std::ifstream in(std::string(PANTAU_SOURCE_DIR) + "/deploy/reference/" + names[i]);
    std::stringstream text;
    text << in.rdbuf();
    seeds.push_back(std::string(1, static_cast<char>(i + 1)) + text.str());
  }
  pantau::fuzz::MaybeWriteSeedsAndExit(seeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pantau;
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  (void)common::ParseCsv(text);
  const auto& names = common::ReferenceFileNames();
  const size_t selector = data[0] % (names.size() + 1);
  if (selector > 0) {
    auto parsed = common::ParseReferenceCsv(names[selector - 1], text);
    if (parsed.ok()) {
      for (const auto& e : parsed->entities) (void)common::ValidateReferenceEntity(e);
    }
    return 0;
  }
  static const common::ValidationPolicy policy;
  const client::EntryContext ctx{fuzz::BundledCatalog(), policy, "siti", "laptop-siti", kNow};
  auto imported = client::ParsePriceCsv(text, ctx, [](const std::string&) { return std::vector<int64_t>{}; });
  if (!imported.ok()) return 0;
  const common::ValidationContext check{fuzz::BundledCatalog(), policy, kNow, "siti"};
  for (const auto& r : imported->records) {
    if (!common::ValidateRecord(r, check).empty()) std::abort();  // only valid rows become records
  }
  return 0;
}
