// What the fuzz targets share: the bundled reference data (deploy/reference) as a catalog and as
// entities, and seed inputs written on request. Thread-safety: call from the fuzzer's thread.
#pragma once

#include <string>
#include <vector>

#include "common/reference_catalog.h"
#include "pantau/v1/records.pb.h"

namespace pantau::fuzz {

// deploy/reference, every file, plus a laptop registered to "siti". Aborts if it does not load.
const std::vector<v1::ReferenceEntity>& BundledEntities();
const common::ReferenceCatalog& BundledCatalog();

// Valid records of every kind (price, audit of an LPG pangkalan, follow-up, UTTP verifications of
// a scale and a pump, correction, void) against the bundled data, observed at `now`.
std::vector<v1::Record> SeedRecords(absl::Time now);

// When PANTAU_FUZZ_WRITE_SEEDS names a folder: writes `seeds` there (one file each) and exits.
// Called from LLVMFuzzerInitialize, so `deploy/fuzz.sh` makes each target's seed corpus.
void MaybeWriteSeedsAndExit(const std::vector<std::string>& seeds);

}  // namespace pantau::fuzz
