#include "common/messages.h"
#include "common/csv.h"

#include <algorithm>

#include "common/str_cat.h"
#include "common/text.h"

namespace pantau::common {

char SniffDelimiter(std::string_view text) {
  const std::string_view first = text.substr(0, text.find('\n'));
  return first.find(';') != std::string_view::npos && first.find(',') == std::string_view::npos ? ';' : ',';
}

absl::StatusOr<std::vector<CsvRow>> ParseCsv(std::string_view text, char delimiter) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  size_t line = 1;
  size_t i = 0;
  bool row_has_content = false;
  row.line = 1;
  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
  };
  auto end_row = [&] {
    end_field();
    bool blank = !row_has_content && row.fields.size() == 1 && row.fields[0].empty();
    if (!blank) rows.push_back(std::move(row));
    row = CsvRow();
    row_has_content = false;
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' && field.empty()) {
      // Quoted field.
      size_t start_line = line;
      ++i;
      row_has_content = true;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (text[i] == '\n') ++line;
        field.push_back(text[i++]);
      }
      if (!closed) {
        return MessageStatus(absl::StatusCode::kInvalidArgument,
                             Msg("line {}: a quoted field is never closed", start_line));
      }
      if (i < text.size() && text[i] != delimiter && text[i] != '\n' && text[i] != '\r') {
        return MessageStatus(absl::StatusCode::kInvalidArgument, Msg("line {}: text after a closing quote", line));
      }
      continue;
    }
    if (c == delimiter) {
      end_field();
      row_has_content = true;
      ++i;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
    } else if (c == '\n') {
      end_row();
      ++line;
      row.line = line;
      ++i;
    } else {
      field.push_back(c);
      row_has_content = true;
      ++i;
    }
  }
  if (row_has_content || !field.empty() || !row.fields.empty()) end_row();
  return rows;
}

absl::StatusOr<CsvTable> CsvTable::Parse(std::string_view text,
                                         const std::vector<std::string>& required, char delimiter) {
  auto rows = ParseCsv(text, delimiter);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return MessageStatus(absl::StatusCode::kInvalidArgument, Msg("the file has no header row"));
  CsvTable table;
  for (const auto& name : (*rows)[0].fields) {
    std::string column(StripAsciiSpace(name));
    if (std::find(table.header_.begin(), table.header_.end(), column) != table.header_.end()) {
      return MessageStatus(absl::StatusCode::kInvalidArgument, Msg("header: column \"{}\" twice", column));
    }
    table.header_.push_back(std::move(column));
  }
  for (const auto& name : required) {
    if (!table.HasColumn(name)) {
      return MessageStatus(absl::StatusCode::kInvalidArgument, Msg("header: column \"{}\" is missing", name));
    }
  }
  table.rows_.assign(std::make_move_iterator(rows->begin() + 1),
                     std::make_move_iterator(rows->end()));
  return table;
}

bool CsvTable::HasColumn(std::string_view column) const {
  return std::find(header_.begin(), header_.end(), column) != header_.end();
}

std::string_view CsvTable::Get(const CsvRow& row, std::string_view column) const {
  auto it = std::find(header_.begin(), header_.end(), column);
  if (it == header_.end()) return {};
  size_t index = static_cast<size_t>(it - header_.begin());
  if (index >= row.fields.size()) return {};
  return row.fields[index];
}

}  // namespace pantau::common
