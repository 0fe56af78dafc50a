// Keeping roll-ups in step with the records, for any storage backend: the incremental update for
// one inserted record, and the full rebuild from all records. The per-kind logic is in
// common/rollups.h; this file decides what changed. Thread-safety: single caller (the writer).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/rollups.h"

namespace pantau::storage {

// What the update reads, as of the write being built: this write's earlier records included.
class RecordLookup {
 public:
  virtual ~RecordLookup() = default;
  virtual absl::StatusOr<std::optional<v1::Record>> Record(std::string_view id) = 0;
  // The corrections and voids whose target is `logical_id`.
  virtual absl::StatusOr<std::vector<v1::Record>> Amendments(std::string_view logical_id) = 0;
};

// Moves the cells from the effective version of `inserted`'s logical record without `inserted`
// to the effective version with it. REQUIRES: `lookup` already sees `inserted`.
absl::Status UpdateRollupsForInsert(const v1::Record& inserted, RecordLookup& lookup,
                                    common::CellStore& cells, absl::TimeZone zone);

// Cells in memory, sorted by key: the rebuild's accumulator, and the in-memory backend's store.
class MemoryCellStore final : public common::CellStore {
 public:
  absl::StatusOr<v1::RollupCell*> Mutable(const std::string& key) override;
  absl::Status Delete(const std::string& key) override;
  const std::map<std::string, v1::RollupCell>& cells() const { return cells_; }
  std::map<std::string, v1::RollupCell>& cells() { return cells_; }

 private:
  std::map<std::string, v1::RollupCell> cells_;
};

// The rebuild: feed every stored record (any order), then Finish computes every cell.
class RollupRebuild {
 public:
  explicit RollupRebuild(absl::TimeZone zone) : zone_(zone) {}
  // Pass 1: every record.
  void AddAmendmentsOf(const v1::Record& record);
  // Pass 2: every record again.
  absl::Status AddOriginal(const v1::Record& record);
  // Logical records that only have amendments; then the cells are complete.
  absl::Status Finish();
  const MemoryCellStore& cells() const { return cells_; }

 private:
  absl::TimeZone zone_;
  std::map<std::string, std::vector<v1::Record>> amendments_;  // by logical id
  std::map<std::string, bool> seen_;                           // logical ids with an original
  MemoryCellStore cells_;
};

}  // namespace pantau::storage
