// Record validation and what the server computes on a valid record (UTTP verdicts, checklist
// findings, index entries), on any bytes that parse as a Record: no crash, no undefined
// behaviour, and a record with errors names a field for each.
#include <cstdint>
#include <cstdlib>

#include "common/checklists.h"
#include "common/dates.h"
#include "common/metrology.h"
#include "common/record_kinds.h"
#include "common/scope.h"
#include "common/validation.h"
#include "tests/fuzz/fuzz_support.h"

namespace {
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 11, 24, 10, 0, 0), pantau::common::ZoneWithoutDeployment());
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::vector<std::string> seeds;
  for (const auto& r : pantau::fuzz::SeedRecords(kNow)) seeds.push_back(r.SerializeAsString());
  pantau::fuzz::MaybeWriteSeedsAndExit(seeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pantau;
  v1::Record record;
  if (!record.ParseFromArray(data, static_cast<int>(size))) return 0;
  const common::ReferenceCatalog& catalog = fuzz::BundledCatalog();
  static const common::ValidationPolicy policy;
  const common::ValidationContext ctx{catalog, policy, kNow, "siti"};
  const auto errors = common::ValidateRecord(record, ctx);
  for (const auto& e : errors) {
    if (e.field().empty() || e.reason().empty()) std::abort();
  }
  (void)common::DescribeRecordErrors(record.id(), 0, errors);
  // The laptop runs the verdict and the checklist before saving, so they see unvalidated input.
  v1::Record copy = record;
  (void)common::AttachComputedVerdict(copy, catalog, common::MetrologySettings{});
  (void)common::AttachComputedFindings(copy, catalog, absl::CivilDay(2026, 11, 24));
  (void)common::PlaceOf(record, catalog);
  if (errors.empty()) {
    if (!common::KindOf(record)) std::abort();  // a valid record has a kind
    (void)common::IndexEntriesOf(record);
  }
  return 0;
}
