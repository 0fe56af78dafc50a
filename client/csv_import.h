// Bulk entry from a spreadsheet: `pantau import prices FILE.csv`. Every bad row is reported with its
// line and reason; good rows are kept. Ids are derived from each row's content, so importing the
// same file again (or a corrected copy) adds only rows not imported before. Pure apart from what
// the caller passes in. Thread-safety: stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/messages.h"
#include "absl/status/statusor.h"
#include "client/entry.h"

namespace pantau::client {

struct CsvImport {
  std::vector<v1::Record> records;    // the good rows, in file order
  std::vector<common::Message> problems;  // "line 4: price_sample.price_rupiah: ..."
  size_t rows = 0;
};

// Columns (header row required, any order): market, commodity, price_rupiah, observed_at
// (as `--at` takes it), and optionally trader, pack_quantity, pack_unit, confirm_reason, note.
// A row's id is a ULID with the observed time and the SHA-256 of the laptop (device and account)
// and the row's values; its created_at is its observed time, so the same row imported again on the
// same laptop makes the same record, and on another laptop another one. `recent_prices(commodity)`
// gives the inspector's recent prices for the median check; rows of the file count too.
absl::StatusOr<CsvImport> ParsePriceCsv(
    std::string_view text, const EntryContext& ctx,
    const std::function<std::vector<int64_t>(const std::string&)>& recent_prices);

}  // namespace pantau::client
