#include "common/report/xlsx.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "common/str_cat.h"

namespace pantau::report {
namespace {

// One workbook being written; closes (and so frees) it on every path.
class Workbook {
 public:
  explicit Workbook(const std::string& path) : path_(path), temp_(path + ".tmp") {
    book_ = workbook_new(temp_.c_str());
  }
  ~Workbook() {
    if (book_ != nullptr) {
      (void)workbook_close(book_);  // only on an earlier failure: the file is discarded
      std::remove(temp_.c_str());
    }
  }
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;

  bool ok() const { return book_ != nullptr; }
  lxw_workbook* get() { return book_; }

  lxw_format* Format(bool bold, bool border, bool wrap, const char* number_format = nullptr,
                     bool center = false) {
    lxw_format* f = workbook_add_format(book_);
    if (bold) format_set_bold(f);
    if (border) format_set_border(f, LXW_BORDER_THIN);
    if (wrap) format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (center) format_set_align(f, LXW_ALIGN_CENTER);
    if (number_format != nullptr) format_set_num_format(f, number_format);
    return f;
  }

  absl::Status Close() {
    const lxw_error error = workbook_close(book_);
    book_ = nullptr;
    if (error != LXW_NO_ERROR) {
      std::remove(temp_.c_str());
      return absl::UnavailableError(StrCat(path_, ": cannot be written (", lxw_strerror(error), ")"));
    }
    std::error_code ec;
    std::filesystem::rename(temp_, path_, ec);
    if (ec) return absl::UnavailableError(StrCat(path_, ": cannot be written (", ec.message(), ")"));
    return absl::OkStatus();
  }

 private:
  std::string path_, temp_;
  lxw_workbook* book_ = nullptr;
};

absl::Status Opened(Workbook& book, const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent)) {
    return absl::UnavailableError(StrCat(path, ": cannot be written (no folder ", parent.string(), ")"));
  }
  if (!book.ok()) return absl::UnavailableError(StrCat(path, ": cannot be created"));
  return absl::OkStatus();
}

// A number cell from the exact text the server sent ("87.04", "13100"), shown as sent: with
// `decimal` when the text has decimals, else `whole`; a text cell when it is no number.
void WriteValue(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const std::string& text, bool numeric,
                lxw_format* whole, lxw_format* decimal, lxw_format* plain) {
  if (text.empty()) {
    worksheet_write_blank(sheet, row, col, plain);
    return;
  }
  if (numeric) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end != nullptr && *end == '\0') {
      worksheet_write_number(sheet, row, col, value,
                             text.find('.') == std::string::npos ? whole : decimal);
      return;
    }
  }
  worksheet_write_string(sheet, row, col, text.c_str(), plain);
}

// The number formats of a report table's cells, by kind (Excel shows the separators of its own
// locale: "Rp 13.100" and "3,09 %" in an Indonesian one).
struct CellFormats {
  lxw_format* text;
  lxw_format* whole;
  lxw_format* decimal;
  lxw_format* rupiah;
  lxw_format* rupiah_decimal;
  lxw_format* percent;
  lxw_format* date;
};

// A local date "2026-11-03" as a date cell; false when the text is no date.
bool WriteDate(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const std::string& text, lxw_format* format) {
  int y = 0, m = 0, d = 0;
  char extra = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 ||
      d < 1 || d > 31) {
    return false;
  }
  lxw_datetime when = {y, m, d, 0, 0, 0};
  return worksheet_write_datetime(sheet, row, col, &when, format) == LXW_NO_ERROR;
}

void WriteCell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const std::string& text, Table::Kind kind,
               const CellFormats& f) {
  switch (kind) {
    case Table::Kind::kText:
      if (text.empty()) break;
      worksheet_write_string(sheet, row, col, text.c_str(), f.text);
      return;
    case Table::Kind::kDate:
      if (!text.empty() && WriteDate(sheet, row, col, text, f.date)) return;
      break;
    case Table::Kind::kRupiah:
      WriteValue(sheet, row, col, text, true, f.rupiah, f.rupiah_decimal, f.text);
      return;
    case Table::Kind::kPercent:
      WriteValue(sheet, row, col, text, true, f.percent, f.percent, f.text);
      return;
    case Table::Kind::kInteger:
    case Table::Kind::kNumber:
      WriteValue(sheet, row, col, text, true, f.whole, f.decimal, f.text);
      return;
  }
  WriteValue(sheet, row, col, text, false, f.whole, f.decimal, f.text);
}

// The signatory block in columns [first_col, last_col] from `row`; returns the row after it.
lxw_row_t WriteSignatory(Workbook& book, lxw_worksheet* sheet, lxw_row_t row, lxw_col_t first_col,
                         lxw_col_t last_col, const Signatory& s) {
  lxw_format* center = book.Format(false, false, false, nullptr, true);
  lxw_format* name = book.Format(true, false, false, nullptr, true);
  format_set_underline(name, LXW_UNDERLINE_SINGLE);
  auto line = [&](const std::string& text, lxw_format* f) {
    worksheet_merge_range(sheet, row, first_col, row, last_col, text.c_str(), f);
    ++row;
  };
  line(StrCat(s.place, ", ", s.date), center);
  line(s.position, center);
  row += 3;  // room for the signature and the stamp
  line(s.name.empty() ? "(..............................)" : s.name, name);
  if (!s.rank.empty()) line(s.rank, center);
  line(s.nip.empty() ? "NIP." : StrCat("NIP. ", s.nip), center);
  return row;
}

}  // namespace

std::string IndonesianDate(absl::CivilDay day) {
  static const char* const kMonths[] = {"Januari", "Februari", "Maret",     "April",   "Mei",      "Juni",
                                        "Juli",    "Agustus",  "September", "Oktober", "November", "Desember"};
  return StrCat(day.day(), " ", kMonths[day.month() - 1], " ", day.year());
}

void ApplyDeployment(Signatory& signatory, const v1::Deployment* deployment) {
  if (deployment != nullptr) {
    if (signatory.agency.empty()) signatory.agency = deployment->agency();
    if (signatory.place.empty()) signatory.place = deployment->seat();
  }
  if (signatory.position.empty() && !signatory.agency.empty()) signatory.position = StrCat("Kepala ", signatory.agency);
}

absl::StatusOr<Signatory> ParseSignatory(const std::string& json_text, const std::string& file_name) {
  const auto j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError(StrCat(file_name, ": not a JSON object"));
  }
  Signatory s;
  for (const auto& [key, value] : j.items()) {
    std::string* field = key == "agency"     ? &s.agency
                         : key == "place"    ? &s.place
                         : key == "date"     ? &s.date
                         : key == "position" ? &s.position
                         : key == "name"     ? &s.name
                         : key == "rank"     ? &s.rank
                         : key == "nip"      ? &s.nip
                                             : nullptr;
    if (field == nullptr) {
      return absl::InvalidArgumentError(StrCat(
          file_name, ": unknown key \"", key, "\" (agency, place, date, position, name, rank, nip)"));
    }
    if (!value.is_string()) return absl::InvalidArgumentError(StrCat(file_name, ": ", key, " must be text"));
    *field = value.get<std::string>();
  }
  return s;
}

absl::Status WriteIkkXlsx(const v1::GetIndicatorTableResponse& table, const Signatory& signatory,
                          const std::string& path) {
  Workbook book(path);
  if (absl::Status opened = Opened(book, path); !opened.ok()) return opened;
  lxw_worksheet* sheet = workbook_add_worksheet(book.get(), "IKK");
  lxw_format* title = book.Format(true, false, false, nullptr, true);
  format_set_font_size(title, 12);
  lxw_format* center = book.Format(false, false, false, nullptr, true);
  lxw_format* header = book.Format(true, true, true, nullptr, true);
  format_set_bg_color(header, 0xD9D9D9);
  lxw_format* cell = book.Format(false, true, true);
  lxw_format* whole = book.Format(false, true, false, "#,##0");
  lxw_format* decimal = book.Format(false, true, false, "#,##0.00");
  lxw_format* integer = book.Format(false, true, false, "0", true);

  constexpr lxw_col_t kLast = 9;
  worksheet_merge_range(sheet, 0, 0, 0, kLast, "TABEL INDIKATOR KINERJA KEGIATAN (IKK)", title);
  worksheet_merge_range(sheet, 1, 0, 1, kLast, signatory.agency.c_str(), title);
  worksheet_merge_range(sheet, 2, 0, 2, kLast,
                        StrCat("Periode ", table.period(), " (", table.first_day(), " s.d. ", table.last_day(), ")").c_str(),
                        center);
  const char* const headers[] = {"No", "Tujuan", "Sasaran", "Indikator Kinerja Kegiatan",
                                 "Formulasi / Cara Pengukuran", "Sumber Data", "Target", "Realisasi",
                                 "Capaian (%)", "Keterangan"};
  const double widths[] = {5, 28, 28, 40, 36, 24, 10, 10, 11, 14};
  constexpr lxw_row_t kHeader = 4;
  for (lxw_col_t c = 0; c <= kLast; ++c) {
    worksheet_write_string(sheet, kHeader, c, headers[c], header);
    worksheet_set_column(sheet, c, c, widths[c], nullptr);
  }
  lxw_row_t row = kHeader + 1;
  const lxw_row_t first_data = row;
  for (const auto& r : table.rows()) {
    const auto& i = r.indicator();
    worksheet_write_number(sheet, row, 0, i.number(), integer);
    worksheet_write_string(sheet, row, 1, i.tujuan().c_str(), cell);
    worksheet_write_string(sheet, row, 2, i.sasaran().c_str(), cell);
    worksheet_write_string(sheet, row, 3, i.name().c_str(), cell);
    worksheet_write_string(sheet, row, 4, i.formula().c_str(), cell);
    worksheet_write_string(sheet, row, 5, i.data_source().c_str(), cell);
    WriteValue(sheet, row, 6, r.has_target() ? r.target().text() : "", true, whole, decimal, cell);
    WriteValue(sheet, row, 7, r.has_realisasi() ? r.realisasi().text() : "", true, whole, decimal, cell);
    WriteValue(sheet, row, 8, r.has_capaian() ? r.capaian().text() : "", true, whole, decimal, cell);
    worksheet_write_string(sheet, row, 9, r.source().c_str(), cell);
    ++row;
  }
  // Tujuan and sasaran span the rows that share them, as in the dinas's own table.
  for (lxw_col_t col : {lxw_col_t{1}, lxw_col_t{2}}) {
    int start = 0;
    for (int k = 1; k <= table.rows_size(); ++k) {
      auto text = [&](int i) {
        return col == 1 ? table.rows(i).indicator().tujuan() : table.rows(i).indicator().sasaran();
      };
      if (k < table.rows_size() && text(k) == text(start) &&
          (col == 1 || table.rows(k).indicator().tujuan() == table.rows(start).indicator().tujuan())) {
        continue;
      }
      if (k - 1 > start && !text(start).empty()) {
        worksheet_merge_range(sheet, first_data + start, col, first_data + k - 1, col, text(start).c_str(), cell);
      }
      start = k;
    }
  }
  worksheet_freeze_panes(sheet, kHeader + 1, 0);
  worksheet_autofilter(sheet, kHeader, 0, std::max(kHeader, row - 1), kLast);
  worksheet_set_landscape(sheet);
  worksheet_set_paper(sheet, 9);  // A4
  worksheet_repeat_rows(sheet, kHeader, kHeader);
  worksheet_fit_to_pages(sheet, 1, 0);
  WriteSignatory(book, sheet, row + 2, 6, kLast, signatory);
  return book.Close();
}

absl::Status WriteTableXlsx(const Table& table, const Signatory& signatory, const std::string& path) {
  Workbook book(path);
  if (absl::Status opened = Opened(book, path); !opened.ok()) return opened;
  lxw_worksheet* sheet = workbook_add_worksheet(book.get(), "Laporan");
  lxw_format* title = book.Format(true, false, false);
  format_set_font_size(title, 12);
  lxw_format* header = book.Format(true, true, true, nullptr, true);
  format_set_bg_color(header, 0xD9D9D9);
  const CellFormats formats = {book.Format(false, true, true),
                                book.Format(false, true, false, "#,##0"),
                                book.Format(false, true, false, "#,##0.00"),
                                book.Format(false, true, false, "\"Rp \"#,##0"),
                                book.Format(false, true, false, "\"Rp \"#,##0.00"),
                                book.Format(false, true, false, "0.00\" %\""),
                                book.Format(false, true, false, "d mmm yyyy")};
  lxw_row_t row = 0;
  worksheet_write_string(sheet, row++, 0, table.title.c_str(), title);
  worksheet_write_string(sheet, row++, 0, signatory.agency.c_str(), nullptr);
  for (const auto& note : table.notes) worksheet_write_string(sheet, row++, 0, note.c_str(), nullptr);
  ++row;
  const lxw_row_t header_row = row;
  for (size_t k = 0; k < table.columns.size(); ++k) {
    const auto& c = table.columns[k];
    worksheet_write_string(sheet, row, static_cast<lxw_col_t>(k), c.header.c_str(), header);
    worksheet_set_column(sheet, static_cast<lxw_col_t>(k), static_cast<lxw_col_t>(k),
                         static_cast<double>(std::max<size_t>(c.width, 8)) + 2, nullptr);
  }
  ++row;
  for (const auto& cells : table.rows) {
    for (size_t k = 0; k < table.columns.size() && k < cells.size(); ++k) {
      WriteCell(sheet, row, static_cast<lxw_col_t>(k), cells[k], table.columns[k].kind, formats);
    }
    ++row;
  }
  // The header row stays in view while scrolling, and filters every column.
  worksheet_freeze_panes(sheet, header_row + 1, 0);
  if (!table.columns.empty()) {
    worksheet_autofilter(sheet, header_row, 0, std::max(header_row, row - 1),
                         static_cast<lxw_col_t>(table.columns.size() - 1));
  }
  worksheet_repeat_rows(sheet, header_row, header_row);
  worksheet_set_landscape(sheet);
  worksheet_set_paper(sheet, 9);
  worksheet_fit_to_pages(sheet, 1, 0);
  const lxw_col_t last = static_cast<lxw_col_t>(table.columns.empty() ? 0 : table.columns.size() - 1);
  WriteSignatory(book, sheet, row + 2, last >= 2 ? last - 2 : 0, last, signatory);
  return book.Close();
}

namespace {

// Writes a workbook with `write` into a private temporary folder and returns its bytes.
template <typename Write>
absl::StatusOr<std::string> InMemory(Write write) {
  std::error_code ec;
  std::string pattern = (std::filesystem::temp_directory_path(ec) / "pantau-xlsx-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return absl::UnavailableError("no temporary folder for the workbook");
  const std::filesystem::path dir = pattern;
  const std::string path = (dir / "report.xlsx").string();
  absl::Status written = write(path);
  std::string bytes;
  if (written.ok()) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream all;
    all << in.rdbuf();
    if (!in) written = absl::UnavailableError("the workbook could not be read back");
    bytes = all.str();
  }
  std::filesystem::remove_all(dir, ec);
  if (!written.ok()) return written;
  return bytes;
}

}  // namespace

absl::StatusOr<std::string> IkkXlsxBytes(const v1::GetIndicatorTableResponse& table, const Signatory& signatory) {
  return InMemory([&](const std::string& path) { return WriteIkkXlsx(table, signatory, path); });
}

absl::StatusOr<std::string> TableXlsxBytes(const Table& table, const Signatory& signatory) {
  return InMemory([&](const std::string& path) { return WriteTableXlsx(table, signatory, path); });
}

}  // namespace pantau::report
