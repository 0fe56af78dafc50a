#include "client/csv_import.h"

#include "common/amounts.h"

#include <map>

#include "absl/strings/numbers.h"
#include "client/record_ids.h"
#include "common/csv.h"
#include "common/dates.h"
#include "common/messages.h"
#include "common/str_cat.h"
#include "common/text.h"

namespace pantau::client {

absl::StatusOr<CsvImport> ParsePriceCsv(
    std::string_view text, const EntryContext& ctx,
    const std::function<std::vector<int64_t>(const std::string&)>& recent_prices) {
  auto table = common::CsvTable::Parse(text, {"market", "commodity", "price_rupiah", "observed_at"},
                                       common::SniffDelimiter(text));
  if (!table.ok()) return table.status();
  CsvImport out;
  std::map<std::string, std::vector<int64_t>> recent;
  auto field = [&](const common::CsvRow& row, const char* name) {
    return std::string(common::StripAsciiSpace(table->Get(row, name)));
  };
  for (const common::CsvRow& row : table->rows()) {
    ++out.rows;
    PriceInput input;
    input.market = field(row, "market");
    input.commodity = field(row, "commodity");
    input.trader = field(row, "trader");
    input.pack_quantity = field(row, "pack_quantity");
    input.pack_unit = field(row, "pack_unit");
    input.confirm_reason = field(row, "confirm_reason");
    input.note = field(row, "note");
    const std::string price_text = field(row, "price_rupiah");
    auto rupiah = common::ParseRupiahText(price_text);
    if (!rupiah) {
      out.problems.push_back(common::Msg("line {}: price_rupiah: \"{}\" is not a whole number of Rupiah (13100, 13.100 "
                                         "or Rp 13.100)",
                                         row.line, price_text));
      continue;
    }
    input.price_rupiah = *rupiah;
    const std::string when = field(row, "observed_at");
    input.observed = common::ParseLocalDateTime(when, ctx.policy.display_zone,
                                                absl::ToCivilDay(ctx.now, ctx.policy.display_zone));
    if (!input.observed) {
      out.problems.push_back(
          common::Msg("line {}: observed_at: \"{}\" is not a date and time (YYYY-MM-DD HH:MM)", row.line, when));
      continue;
    }
    // The laptop is part of the key: the same row imported on two laptops is two records (two
    // inspectors' samples), on one laptop it stays one however often it is imported.
    const std::string content_key =
        StrCat("price|", ctx.device_id, "|", ctx.account, "|", input.market, "|", input.commodity, "|", input.trader, "|",
               absl::ToUnixMicros(*input.observed), "|", input.price_rupiah, "|",
               input.pack_quantity, "|", input.pack_unit);
    auto record = BuildPriceSample(input, ctx, DeterministicRecordId(*input.observed, content_key));
    if (!record.ok()) {
      out.problems.push_back(common::Msg("line {}: {}", row.line, common::MessageOf(record.status())));
      continue;
    }
    *record->mutable_created_at() = record->observed_at();
    if (recent.count(input.commodity) == 0) recent[input.commodity] = recent_prices(input.commodity);
    auto errors = CheckBeforeSaving(*record, ctx, recent[input.commodity]);
    if (!errors.empty()) {
      for (const auto& e : errors) {
        out.problems.push_back(common::Msg("line {}: {}: {}", row.line, e.field(), common::MessageOf(e)));
      }
      continue;
    }
    recent[input.commodity].push_back(record->price_sample().price_rupiah());
    out.records.push_back(*std::move(record));
  }
  return out;
}

}  // namespace pantau::client
