// RFC 4180 CSV reading, for reference data and bulk entry. Pure: the caller reads the file.
// Thread-safety: stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace pantau::common {

struct CsvRow {
  size_t line = 0;  // 1-based line of the file where the row starts
  std::vector<std::string> fields;
};

// Parses `text` (separated by `delimiter`, fields optionally in double quotes with "" for a
// quote, CRLF or LF line ends, a UTF-8 BOM ignored). Blank lines are skipped. Returns
// INVALID_ARGUMENT naming the line for an unterminated quote or text after a closing quote.
absl::StatusOr<std::vector<CsvRow>> ParseCsv(std::string_view text, char delimiter = ',');

// The separator of a file people export from a spreadsheet: ';' when its first line has a
// semicolon and no comma (Excel with Indonesian settings), else ','.
char SniffDelimiter(std::string_view text);

// A CSV table with a header row: field lookup by column name.
class CsvTable {
 public:
  // Fails when the header is missing, has a duplicate name, or lacks one of `required`.
  static absl::StatusOr<CsvTable> Parse(std::string_view text,
                                        const std::vector<std::string>& required, char delimiter = ',');

  const std::vector<CsvRow>& rows() const { return rows_; }
  // The field of `row` under `column`, or "" when the column is absent or the row is short.
  std::string_view Get(const CsvRow& row, std::string_view column) const;
  bool HasColumn(std::string_view column) const;

 private:
  std::vector<std::string> header_;
  std::vector<CsvRow> rows_;
};

}  // namespace pantau::common
