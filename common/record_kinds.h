// The kinds of field record and what the system does per kind, in one table: the body's
// validation rules and the secondary-index entries. Every record kind takes the same path
// through ingest; adding a kind means adding a row here. Pure. Thread-safety: stateless.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pantau/v1/records.pb.h"

namespace pantau::common {

enum class RecordKind {
  kPriceSample = 0,
  kOutletAudit = 1,
  kFollowUp = 2,
  kUttpVerification = 3,
  kCorrection = 4,
  kVoid = 5,
};
inline constexpr size_t kRecordKindCount = 6;

// Absolute ceilings of quantities in a record (docs/security.md). Above them a value is refused,
// whatever the inspector confirms; below them no sum over a year of records, and no product in a
// report's arithmetic (done in 128 bits), can wrap.
inline constexpr int64_t kMaxRupiah = 1'000'000'000'000;          // Rp 1 triliun: a price, a pack price
inline constexpr int64_t kMaxCount = 1'000'000'000;               // cylinders, sacks
inline constexpr int64_t kMaxWeightG = 1'000'000'000'000;         // 1 000 000 tonnes
inline constexpr int64_t kMaxMetrologyUnits = 1'000'000'000'000'000;  // mg or mL: 1 000 000 tonnes

// The kind of `record`, or nullopt when no body is set.
std::optional<RecordKind> KindOf(const v1::Record& record);
// Sets `into`'s body to the replacement `correction` carries; false (and `into` untouched) when it
// carries none.
bool SetBodyFromCorrection(const v1::Correction& correction, v1::Record& into);

// "price_sample", "outlet_audit", "follow_up", "uttp_verification", "correction", "void".
std::string_view KindName(RecordKind kind);
std::optional<RecordKind> KindFromName(std::string_view name);
const std::array<RecordKind, kRecordKindCount>& AllRecordKinds();

// Secondary indexes. The storage layer orders each one by (value, observed time, record id).
enum class IndexKind : char {
  kTime = 't',        // every record; value ""
  kMarket = 'm',      // price samples (and corrections of them) by market code
  kCommodity = 'c',   // price samples by commodity code
  kOutlet = 'o',      // outlet audits by outlet code
  kDevice = 'd',      // every record by device id
  kInstrument = 'i',  // UTTP verifications by instrument id
  kTarget = 'r',      // corrections and voids, and follow-ups, by the record they refer to
};

struct IndexEntry {
  IndexKind kind;
  std::string value;
  bool operator==(const IndexEntry&) const = default;
};

// The index entries of `record`, following the per-kind table.
std::vector<IndexEntry> IndexEntriesOf(const v1::Record& record);

}  // namespace pantau::common
