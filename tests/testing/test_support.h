// Shared test support: temporary directories, status matchers, and builders for records and
// reference data. Thread-safety: the builders are stateless; TempDir is owned by one test.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pantau/v1/records.pb.h"
#include "pantau/v1/reference.pb.h"

namespace pantau::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

MATCHER(IsOk, "is OK") {
  const auto& s = arg;
  if constexpr (requires { s.status(); }) {
    *result_listener << s.status().ToString();
    return s.ok();
  } else {
    *result_listener << s.ToString();
    return s.ok();
  }
}

MATCHER_P(StatusIs, code, "has status code " + ::testing::PrintToString(code)) {
  absl::Status s;
  if constexpr (requires { arg.status(); }) {
    s = arg.status();
  } else {
    s = arg;
  }
  *result_listener << s.ToString();
  return s.code() == code;
}

// A time for tests: 2026-11-24 02:00 UTC (10:00 WITA, a Tuesday market check).
absl::Time TestNow();

// A ULID for tests, unique per (ms, n).
std::string TestUlid(uint64_t unix_ms, uint32_t n);

// The reference data every test server gets: kecamatan "marabahan", market "pasar_marabahan",
// commodities "beras_medium" (kg, Rp 7.000-25.000) and "telur_itik" (butir), outlet
// "pkl_1" (LPG pangkalan), UTTP type and instrument "UTTP-1", and device "laptop-siti" of
// account "siti".
std::vector<v1::ReferenceEntity> TestReferenceData();

// The HET of beras medium in rice zone 2: Rp 13.100/kg from 2024-06-01 (Perbadan 5/2024).
v1::ReferenceEntity BerasMediumHet();

// A valid price sample by "siti" on "laptop-siti", observed at `observed`.
v1::Record PriceRecord(const std::string& id, int64_t price_rupiah, absl::Time observed = TestNow());

// The price early warning's scenario: beras medium at Pasar Marabahan, calm at 12.000 / 12.100 from 2
// to 8 November 2026 (09:00 WITA); 13.300 on the 10th (+10,83 % on the 8th's 12.000, and above the
// HET of BerasMediumHet()); 13.250 on the 11th (above); 13.000 on the 12th (below: the run ends).
// Record ids TestUlid(9, day).
std::vector<v1::Record> CalmThenAboveHetNovember2026();

// Compares `actual` with tests/golden/`name` byte for byte. With PANTAU_UPDATE_GOLDEN=1 in the
// environment it first writes `actual` there (review the diff before committing).
void ExpectGolden(const std::string& name, const std::string& actual);

}  // namespace pantau::testing
