// `pantau report ...`: the supervisor's reports from the server's QueryService, as a table, CSV,
// JSON or a signed XLSX workbook. Thread-safety: single-threaded (one CLI run).
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/laptop_store.h"
#include "common/reference_catalog.h"
#include "common/report/tables.h"

namespace pantau::client {

// What a report needs of the laptop: its link and token, its reference data (who signs), the
// deployment's zone ("today", "this year").
struct ReportContext {
  const LaptopSettings& settings;
  const common::ReferenceCatalog& catalog;
  absl::TimeZone zone;
  std::string home;  // where signatory.json is looked for
  absl::Time now;
};

// How a table fits this terminal: the width of standard output when it is a terminal, else
// $COLUMNS, else 80 columns; `wide`: one line per row.
report::TextLayout TerminalLayout(bool wide);

class ReportCommands {
 public:
  // Adds `report` and its subcommands to `app`.
  explicit ReportCommands(CLI::App& app);
  bool parsed() const { return report_->parsed(); }
  // Runs the parsed report; text on `out` (or --out), "wrote FILE" on `err`. A failed call to the
  // server comes back as "report failed: ...".
  absl::Status Run(const ReportContext& ctx, std::ostream& out, std::ostream& err) const;

 private:
  CLI::App* report_;
  CLI::App* report_ikk_;
  CLI::App* report_prices_;
  CLI::App* report_stability_;
  CLI::App* report_coverage_;
  CLI::App* report_violations_;
  CLI::App* report_uttp_;
  CLI::App* report_verifications_;
  CLI::App* report_audits_;
  CLI::App* report_alerts_;
  CLI::App* report_activity_;
  int report_year_ = 0;
  std::string report_period_, report_format_ = "table", report_out_, report_signatory_;
  std::string price_commodity_, price_market_, price_from_, price_to_, price_by_;
  std::vector<std::string> coverage_weekdays_;
  std::string violation_status_, as_of_;
  int within_days_ = 0;
  int quiet_days_ = 0;
  bool include_valid_ = false;
  bool discrepancies_only_ = false;
  std::string outlet_kind_;
  std::string inspector_;
  std::vector<std::string> alert_kinds_;
  bool wide_ = false;   // one line per row on a terminal
  bool codes_ = false;  // codes where names would be shown
};

}  // namespace pantau::client
