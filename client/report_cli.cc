#include "client/report_cli.h"

#include <grpcpp/grpcpp.h>

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <ostream>

#include "client/laptop.h"
#include "common/dates.h"
#include "common/report/tables.h"
#include "common/report/xlsx.h"
#include "common/str_cat.h"
#include "pantau/v1/query_service.grpc.pb.h"

namespace pantau::client {
namespace {

using namespace ::pantau::report;  // the report tables and workbooks

absl::Status Failed(const absl::Status& got) {
  return absl::Status(got.code(), StrCat("report failed: ", got.message()));
}

}  // namespace

report::TextLayout TerminalLayout(bool wide) {
  report::TextLayout layout;
  layout.wide = wide;
  winsize size{};
  if (isatty(STDOUT_FILENO) == 1 && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    layout.width = size.ws_col;
  } else if (const char* columns = std::getenv("COLUMNS"); columns != nullptr) {
    char* end = nullptr;
    const long n = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && n >= 20 && n <= 1000) layout.width = static_cast<size_t>(n);
  }
  return layout;
}

ReportCommands::ReportCommands(CLI::App& app) {
  report_ = app.add_subcommand("report", "supervisor reports (needs a supervisor or admin token)");
  report_->require_subcommand(1);
  auto add_report = [&](const char* name, const char* what) {
    auto* command = report_->add_subcommand(name, what);
    command->add_option("--format", report_format_, "table (default), csv, json or xlsx")
        ->check(CLI::IsMember({"table", "csv", "json", "xlsx"}));
    command->add_option("--out", report_out_, "write to this file instead of the terminal (needed for xlsx)");
    command->add_option("--signatory", report_signatory_,
                        "xlsx: JSON file of who signs (default: signatory.json in the home folder)");
    command->add_flag("--wide", wide_, "table: one line per row, however wide (default: wrapped to the terminal)");
    command->add_flag("--codes", codes_, "table and xlsx: codes (pasar_marabahan) where names are shown");
    return command;
  };
  report_ikk_ = add_report("ikk", "the whole IKK table: target, realisasi, capaian");
  report_ikk_->add_option("--year", report_year_, "the year (default: this year)");
  report_ikk_->add_option("--period", report_period_,
                          "or a period: 2026-Q4, 2026-11, 2026-W48, 2026-11-24, bulan-ini, triwulan-lalu, ... "
                          "(the server's today)");

  report_prices_ = add_report("prices", "price statistics of one commodity");
  report_prices_->add_option("--commodity", price_commodity_, "commodity code")->required();
  report_prices_->add_option("--from", price_from_, "first day YYYY-MM-DD")->required();
  report_prices_->add_option("--to", price_to_, "last day YYYY-MM-DD")->required();
  report_prices_->add_option("--market", price_market_, "one market (default: every market)");
  report_prices_->add_option("--by", price_by_, "day (default), week or month")
      ->check(CLI::IsMember({"day", "week", "month"}));

  report_stability_ = add_report("stability", "koefisien variasi of every commodity and the disparity between markets");
  report_stability_->add_option("--year", report_year_, "the year (default: this year)");
  report_stability_->add_option("--from", price_from_, "or a first day YYYY-MM-DD");
  report_stability_->add_option("--to", price_to_, "and a last day YYYY-MM-DD");
  report_stability_->add_option("--market", price_market_, "one market (default: the whole regency)");
  report_stability_->add_option("--by", price_by_, "the series: month (default), week or day means")
      ->check(CLI::IsMember({"day", "week", "month"}));

  report_coverage_ = add_report("coverage", "which market x commodity has prices on the scheduled days");
  report_coverage_->add_option("--from", price_from_, "first day (default: four weeks ago, 27 days before --to)");
  report_coverage_->add_option("--to", price_to_, "last day (default: today)");
  report_coverage_->add_option("--weekday", coverage_weekdays_,
                              "scheduled weekdays: senin ... minggu or setiap_hari (default: the server's, selasa)");
  report_coverage_->add_option("--market", price_market_, "one market");
  report_coverage_->add_option("--commodity", price_commodity_, "one commodity");
  report_coverage_->add_option("--inspector", inspector_,
                               "one inspector's own samples, over the markets of its kecamatan");

  report_violations_ = add_report("violations", "findings of outlet audits and their follow-up");
  report_violations_->add_option("--from", price_from_, "first audit day (default: 1 January of this year)");
  report_violations_->add_option("--to", price_to_, "last audit day (default: today)");
  report_violations_->add_option("--status", violation_status_, "terbuka, terlambat or selesai (default: all)")
      ->check(CLI::IsMember({"terbuka", "terlambat", "selesai"}));
  report_violations_->add_option("--as-of", as_of_, "judge overdue on this day (default: today)");

  report_uttp_ = add_report("uttp-due", "UTTP whose tera ulang is overdue or falls due soon");
  report_uttp_->add_option("--as-of", as_of_, "the day (default: today)");
  report_uttp_->add_option("--within", within_days_, "days ahead (default: the server's, 30)");
  report_uttp_->add_flag("--all", include_valid_, "also list instruments still valid beyond the window");

  report_activity_ = add_report("petugas", "each inspector's laptops: last record received, this week's count, quiet ones");
  report_activity_->add_option("--as-of", as_of_, "the day counted to (default: today)");
  report_activity_->add_option("--quiet-days", quiet_days_, "a laptop silent this many days is marked (default 3)");
  report_alerts_ = add_report("alerts", "price early warning: HET/HAP, sudden changes, ALPS, IFPA, missing observations");
  report_alerts_->add_option("--from", price_from_, "first day (default: 30 days before --to)");
  report_alerts_->add_option("--to", price_to_, "last day (default: today)");
  report_alerts_->add_option("--kind", alert_kinds_, "het, lonjakan, alps, ifpa or tidak_teramati (repeat; default all)")
      ->check(CLI::IsMember({"het", "lonjakan", "alps", "ifpa", "tidak_teramati"}));
  report_alerts_->add_option("--commodity", price_commodity_, "one commodity");
  report_alerts_->add_option("--market", price_market_, "one market, or kabupaten for the kabupaten-wide series");
  report_audits_ = add_report("audits", "outlet audits of a period: the records behind IKK row 21");
  report_audits_->add_option("--from", price_from_, "first audit day (default: 1 January of this year)");
  report_audits_->add_option("--to", price_to_, "last audit day (default: today)");
  report_audits_->add_option("--kind", outlet_kind_, "lpg_pangkalan or pupuk_kios (default: both)")
      ->check(CLI::IsMember({"lpg_pangkalan", "pupuk_kios"}));
  report_verifications_ = add_report("uttp-verifications", "UTTP verifications: computed verdict, laptop's claim, discrepancies");
  report_verifications_->add_option("--from", price_from_, "first day (default: 1 January of this year)");
  report_verifications_->add_option("--to", price_to_, "last day (default: today)");
  report_verifications_->add_flag("--discrepancies", discrepancies_only_, "only those whose claimed verdict differs");
}

absl::Status ReportCommands::Run(const ReportContext& ctx, std::ostream& out, std::ostream& err) const {
  auto token = ReadToken(ctx.settings);
  if (!token.ok()) return token.status();
  if (report_format_ == "xlsx" && report_out_.empty()) {
    return absl::InvalidArgumentError("--format xlsx needs --out FILE.xlsx");
  }
  auto channel = Channel(ctx.settings.server, ctx.settings.ca_file);
  if (!channel.ok()) return channel.status();
  auto stub = v1::QueryService::NewStub(*channel);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + *token);
  context.set_deadline(absl::ToChronoTime(ctx.now + absl::Seconds(60)));
  const absl::CivilDay today = absl::ToCivilDay(ctx.now, ctx.zone);
  const std::string today_text = common::FormatLocalDate(today);
  const int this_year = static_cast<int>(today.year());

  Signatory signatory;
  signatory.date = IndonesianDate(today);
  if (report_format_ == "xlsx") {
    std::string file = report_signatory_.empty() ? ctx.home + "/signatory.json" : report_signatory_;
    bool readable = false;
    std::string text = ReadFileOr(file, readable);
    if (readable) {
      auto parsed = ParseSignatory(text, file);
      if (!parsed.ok()) return parsed.status();
      if (parsed->date.empty()) parsed->date = signatory.date;
      signatory = *std::move(parsed);
    } else if (!report_signatory_.empty()) {
      return absl::InvalidArgumentError(StrCat(file, ": cannot be read"));
    }
    // What the file leaves out comes from the deployment this laptop pulled.
    ApplyDeployment(signatory, ctx.catalog.FindDeployment());
  }
  // Every report is a server answer, turned into text or a workbook.
  std::string text;
  std::optional<Table> table;
  absl::Status got;
  if (report_ikk_->parsed()) {
    v1::GetIndicatorTableRequest request;
    request.set_period(!report_period_.empty() ? report_period_
                       : report_year_ > 0      ? StrCat(report_year_)
                                              : StrCat(this_year));
    v1::GetIndicatorTableResponse answer;
    got = FromGrpc(stub->GetIndicatorTable(&context, request, &answer));
    if (!got.ok()) return Failed(got);
    if (report_format_ == "xlsx") {
      if (absl::Status w = WriteIkkXlsx(answer, signatory, report_out_); !w.ok()) return w;
      err << "pantau: wrote " << report_out_ << "\n";
      return absl::OkStatus();
    }
    text = report_format_ == "csv"    ? IkkCsv(answer)
           : report_format_ == "json" ? IkkJson(answer)
                                      : IkkTable(answer, TerminalLayout(wide_));
  } else if (report_prices_->parsed()) {
    v1::GetPriceStatisticsRequest request;
    request.set_commodity_code(price_commodity_);
    request.set_market_code(price_market_);
    request.set_from(price_from_);
    request.set_to(price_to_);
    request.set_by(price_by_.empty() ? "day" : price_by_);
    v1::GetPriceStatisticsResponse answer;
    got = FromGrpc(stub->GetPriceStatistics(&context, request, &answer));
    if (!got.ok()) return Failed(got);
    if (report_format_ == "xlsx") table = PriceStatisticsTable(answer);
    if (report_format_ == "table") {
      Table shown = PriceTextTable(answer);
      if (!codes_) ShowNames(shown, ctx.catalog);
      text = TableText(shown, TerminalLayout(wide_));
    } else {
      text = report_format_ == "csv" ? PriceCsv(answer) : report_format_ == "json" ? PriceJson(answer) : "";
    }
  } else {
    // Each report below: its request, the response the call fills, and the table made from it.
    std::unique_ptr<google::protobuf::Message> answer;
    if (report_stability_->parsed()) {
      v1::GetPriceStabilityRequest request;
      const int year = report_year_ > 0 ? report_year_ : this_year;
      request.set_from(!price_from_.empty() ? price_from_ : StrCat(year, "-01-01"));
      request.set_to(!price_to_.empty() ? price_to_ : StrCat(year, "-12-31"));
      request.set_by(price_by_);
      request.set_market_code(price_market_);
      auto response = std::make_unique<v1::GetPriceStabilityResponse>();
      got = FromGrpc(stub->GetPriceStability(&context, request, response.get()));
      if (got.ok()) table = PriceStabilityTable(*response);
      answer = std::move(response);
    } else if (report_coverage_->parsed()) {
      v1::GetCoverageRequest request;
      // The four weeks up to --to (today): every weekday of the schedule four times, none to come.
      request.set_to(!price_to_.empty() ? price_to_ : today_text);
      const std::optional<absl::CivilDay> last = common::ParseLocalDate(request.to());
      request.set_from(!price_from_.empty() ? price_from_ : common::FormatLocalDate((last ? *last : today) - 27));
      for (const auto& w : coverage_weekdays_) request.add_weekdays(w);
      request.set_market_code(price_market_);
      request.set_commodity_code(price_commodity_);
      request.set_inspector(inspector_);
      auto response = std::make_unique<v1::GetCoverageResponse>();
      got = FromGrpc(stub->GetCoverage(&context, request, response.get()));
      if (got.ok()) table = CoverageTable(*response);
      answer = std::move(response);
    } else if (report_violations_->parsed()) {
      v1::ListViolationsRequest request;
      request.set_from(!price_from_.empty() ? price_from_ : StrCat(this_year, "-01-01"));
      request.set_to(!price_to_.empty() ? price_to_ : today_text);
      request.set_status(violation_status_);
      request.set_as_of(as_of_);
      auto response = std::make_unique<v1::ListViolationsResponse>();
      got = FromGrpc(stub->ListViolations(&context, request, response.get()));
      if (got.ok()) table = ViolationsTable(*response);
      answer = std::move(response);
    } else if (report_activity_->parsed()) {
      v1::GetFieldActivityRequest request;
      request.set_as_of(as_of_);
      request.set_quiet_days(quiet_days_);
      auto response = std::make_unique<v1::GetFieldActivityResponse>();
      got = FromGrpc(stub->GetFieldActivity(&context, request, response.get()));
      if (got.ok()) table = FieldActivityTable(*response);
      answer = std::move(response);
    } else if (report_alerts_->parsed()) {
      v1::ListAlertsRequest request;
      request.set_to(!price_to_.empty() ? price_to_ : today_text);
      const std::optional<absl::CivilDay> last = common::ParseLocalDate(request.to());
      request.set_from(!price_from_.empty() ? price_from_ : common::FormatLocalDate((last ? *last : today) - 29));
      for (const auto& k : alert_kinds_) request.add_kinds(k);
      request.set_commodity_code(price_commodity_);
      request.set_market_code(price_market_);
      auto response = std::make_unique<v1::ListAlertsResponse>();
      got = FromGrpc(stub->ListAlerts(&context, request, response.get()));
      if (got.ok()) table = AlertsTable(*response);
      answer = std::move(response);
    } else if (report_audits_->parsed()) {
      v1::ListAuditsRequest request;
      request.set_from(!price_from_.empty() ? price_from_ : StrCat(this_year, "-01-01"));
      request.set_to(!price_to_.empty() ? price_to_ : today_text);
      request.set_outlet_kind(outlet_kind_);
      auto response = std::make_unique<v1::ListAuditsResponse>();
      got = FromGrpc(stub->ListAudits(&context, request, response.get()));
      if (got.ok()) table = AuditsTable(*response);
      answer = std::move(response);
    } else if (report_verifications_->parsed()) {
      v1::ListUttpVerificationsRequest request;
      request.set_from(!price_from_.empty() ? price_from_ : StrCat(this_year, "-01-01"));
      request.set_to(!price_to_.empty() ? price_to_ : today_text);
      request.set_discrepancies_only(discrepancies_only_);
      auto response = std::make_unique<v1::ListUttpVerificationsResponse>();
      got = FromGrpc(stub->ListUttpVerifications(&context, request, response.get()));
      if (got.ok()) table = UttpVerificationsTable(*response);
      answer = std::move(response);
    } else {
      v1::ListUttpDueRequest request;
      request.set_as_of(as_of_);
      request.set_within_days(within_days_);
      request.set_include_valid(include_valid_);
      auto response = std::make_unique<v1::ListUttpDueResponse>();
      got = FromGrpc(stub->ListUttpDue(&context, request, response.get()));
      if (got.ok()) table = UttpDueTable(*response);
      answer = std::move(response);
    }
    if (!got.ok()) return Failed(got);
    if (report_format_ == "table" && !codes_) ShowNames(*table, ctx.catalog);
    text = report_format_ == "csv"    ? TableCsv(*table)
           : report_format_ == "json" ? ResponseJson(*answer)
                                      : TableText(*table, TerminalLayout(wide_));
  }
  if (report_format_ == "xlsx") {
    if (!codes_) ShowNames(*table, ctx.catalog);
    if (absl::Status w = WriteTableXlsx(*table, signatory, report_out_); !w.ok()) return w;
    err << "pantau: wrote " << report_out_ << "\n";
    return absl::OkStatus();
  }
  if (report_out_.empty()) {
    out << text;
  } else {
    std::ofstream file(report_out_, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file.good()) return absl::UnavailableError(StrCat(report_out_, ": cannot be written"));
    err << "pantau: wrote " << report_out_ << "\n";
  }
  return absl::OkStatus();
}

}  // namespace pantau::client
