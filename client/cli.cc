#include "client/cli.h"

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "client/admin_cli.h"
#include "client/audit_entry.h"
#include "client/csv_import.h"
#include "client/entry.h"
#include "client/laptop.h"
#include "client/lookups.h"
#include "client/report_cli.h"
#include "client/ui/run.h"
#include "client/laptop_store.h"
#include "client/photos.h"
#include "common/report/tables.h"
#include "common/report/xlsx.h"
#include "pantau/v1/query_service.grpc.pb.h"
#include "client/sync_engine.h"
#include "client/uttp_check.h"
#include "common/metrology.h"
#include "common/amounts.h"
#include "common/dates.h"
#include "common/record_kinds.h"
#include "common/str_cat.h"
#include "common/text.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"

namespace pantau::client {
namespace {

using namespace ::pantau::report;  // the report tables and workbooks

using nlohmann::ordered_json;

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kRefused = 2;
// `pantau sync`: everything that could be sent was, but records on this laptop need attention.
constexpr int kNeedsAttention = 3;
// The largest photo a laptop keeps and sends; the server's limit (limits.max_photo_bytes) is the
// same by default.
constexpr int64_t kMaxPhotoBytes = 8 << 20;

std::string DefaultHome() {
  if (const char* home = std::getenv("PANTAU_HOME"); home != nullptr && *home != '\0') return home;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/pantau";
  }
  const char* user_home = std::getenv("HOME");
  return std::string(user_home != nullptr ? user_home : ".") + "/.local/share/pantau";
}

// The text of `path`, or of `in` when `path` is "-"; `ok` says whether it could be read.
std::string ReadInputOr(const std::string& path, std::istream& in, bool& ok) {
  if (path != "-") return ReadFileOr(path, ok);
  ok = true;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Everything a command needs, opened once.
struct Session {
  std::unique_ptr<LaptopStore> store;
  LaptopSettings settings;
  std::ostream& out;
  std::ostream& err;
  common::ValidationPolicy policy;
  // The reference data this laptop last pulled (empty before the first pull).
  common::ReferenceCatalog catalog;

  int Fail(const absl::Status& status, const std::string& context = "") {
    err << "pantau: " << context << (context.empty() ? "" : ": ") << status.message() << "\n";
    return status.code() == absl::StatusCode::kInvalidArgument ? kRefused : kFailed;
  }
};

int OpenSession(const std::string& home, Session& s) {
  auto store = LaptopStore::Open(home);
  if (!store.ok()) return s.Fail(store.status());
  s.store = *std::move(store);
  auto settings = s.store->Settings();
  if (!settings.ok()) return s.Fail(settings.status());
  s.settings = *settings;
  auto catalog = s.store->LoadCatalog();
  if (!catalog.ok()) return s.Fail(catalog.status());
  s.catalog = *std::move(catalog);
  // Dates typed and printed are the deployment's local dates.
  s.policy.display_zone = s.catalog.TimeZone();
  return kOk;
}

int PrintRefused(Session& s, const std::vector<v1::FieldError>& errors) {
  s.err << "pantau: not saved:\n";
  for (const auto& e : errors) s.err << "  " << e.field() << ": " << e.reason() << "\n";
  return kRefused;
}

// Checks `record` as the server will, saves it (fsynced), and says so.
int SaveAndSay(Session& s, const v1::Record& record, const EntryContext& ctx, const std::string& what) {
  auto outcome = CheckAndSave(*s.store, record, ctx);
  if (!outcome.ok()) return s.Fail(outcome.status());
  if (!outcome->errors.empty()) return PrintRefused(s, outcome->errors);
  s.out << "saved " << what << " " << record.id() << "; " << outcome->pending
        << (outcome->pending == 1 ? " record" : " records") << " waiting for `pantau sync`\n";
  return kOk;
}

struct EntryEnv {
  common::ReferenceCatalog catalog;
};

int LoadEntryEnv(Session& s, EntryEnv& env) {
  if (s.settings.account.empty()) {
    return s.Fail(absl::FailedPreconditionError(
        "not logged in: run `pantau login --server HOST:PORT --token-file FILE` first"));
  }
  if (s.catalog.size() == 0) {
    return s.Fail(absl::FailedPreconditionError("no reference data on this laptop yet: run `pantau pull`"));
  }
  env.catalog = s.catalog;
  return kOk;
}

absl::StatusOr<std::optional<absl::Time>> ParseAt(const std::string& at, const common::ValidationPolicy& policy) {
  if (at.empty()) return std::nullopt;
  auto t = common::ParseLocalDateTime(at, policy.display_zone,
                                      absl::ToCivilDay(absl::Now(), policy.display_zone));
  if (!t) {
    return absl::InvalidArgumentError(
        StrCat("--at \"", at, "\": use YYYY-MM-DD HH:MM (", common::ZoneName(policy.display_zone),
               "), YYYY-MM-DD, HH:MM, or RFC 3339"));
  }
  return std::optional<absl::Time>(*t);
}

// `pantau export`: the records streamed from the server, one JSON object per line, written to a
// temporary file renamed into place once the stream ended well (a cut stream leaves no file that
// looks complete).
int RunExport(Session& s, v1::QueryService::Stub& stub, grpc::ClientContext& context, const std::string& from,
              const std::string& to, const std::vector<std::string>& kinds, const std::string& out_path) {
  v1::ExportRecordsRequest request;
  request.set_from(from);
  request.set_to(to);
  for (const auto& k : kinds) request.add_kinds(k);
  std::ofstream file;
  const std::string temp = out_path + ".tmp";
  if (!out_path.empty()) {
    file.open(temp, std::ios::binary | std::ios::trunc);
    if (!file) return s.Fail(absl::UnavailableError(StrCat(out_path, ": cannot be written")));
  }
  std::ostream& sink = out_path.empty() ? s.out : file;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  auto reader = stub.ExportRecords(&context, request);
  v1::ExportRecordsResponse chunk;
  uint64_t count = 0;
  std::string line;
  absl::Status converted;
  while (converted.ok() && reader->Read(&chunk)) {
    for (const auto& r : chunk.records()) {
      line.clear();
      auto json = google::protobuf::util::MessageToJsonString(r, &line, options);
      if (!json.ok()) {  // never a silent gap in an export
        converted = absl::DataLossError(StrCat("record ", r.record().id(), " could not be written as JSON (",
                                               std::string(json.message()), "); the export is incomplete"));
        context.TryCancel();
        break;
      }
      sink << line << "\n";
      ++count;
    }
  }
  absl::Status finished = FromGrpc(reader->Finish());
  if (!converted.ok()) finished = converted;
  if (!out_path.empty()) {
    file.close();
    if (!finished.ok() || !file) {
      std::filesystem::remove(temp);
      return s.Fail(finished.ok() ? absl::UnavailableError(StrCat(out_path, ": cannot be written")) : finished,
                    "export failed");
    }
    std::filesystem::rename(temp, out_path);
    s.err << "pantau: wrote " << count << " records to " << out_path << "\n";
  } else if (!finished.ok()) {
    return s.Fail(finished, "export failed");
  }
  return kOk;
}

// `uttp add --interactive`: test points (weighing instruments) or runs (volume instruments) typed
// one per line, each judged at once with the points before it; an empty line or the end of input
// finishes.
int EnterTestsInteractively(Session& s, std::istream& in, v1::UttpCategory category, v1::UttpVerification& u) {
  const bool volume = category == v1::UTTP_CATEGORY_FUEL_DISPENSER || category == v1::UTTP_CATEGORY_WATER_METER;
  const std::string form = volume ? "FLOW ACTUAL_ML INDICATION_ML (FLOW max, mid, min; lower, upper, upper30)"
                                  : "LOAD_MG INDICATION_MG [CHANGEPOINT_MG]";
  s.err << "enter one " << (volume ? "run" : "test point") << " per line: " << form << "; an empty line ends\n";
  std::string line;
  while (true) {
    s.err << (volume ? "run " : "point ") << (volume ? u.volume_runs_size() : u.weighing_points_size()) + 1 << "> "
          << std::flush;
    if (!std::getline(in, line)) break;
    std::string spec(common::StripAsciiSpace(line));
    if (spec.empty()) break;
    std::replace(spec.begin(), spec.end(), ' ', ':');
    while (spec.find("::") != std::string::npos) spec.replace(spec.find("::"), 2, ":");
    if (volume) {
      auto run = ParseRunSpec(spec);
      if (!run.ok()) {
        s.err << "  " << run.status().message() << "\n";
        continue;
      }
      *u.add_volume_runs() = *run;
    } else {
      auto point = ParsePointSpec(spec, "point");
      if (!point.ok()) {
        s.err << "  " << point.status().message() << "\n";
        continue;
      }
      *u.add_weighing_points() = *point;
    }
    if (category == v1::UTTP_CATEGORY_UNSPECIFIED) continue;
    const common::VerdictResult verdict = common::ComputeVerdict(u, category, common::MetrologySettings{});
    if (!verdict.points.empty()) {
      common::VerdictResult last;
      last.points = {verdict.points.back()};
      const std::string text = VerdictLines(u, last, /*has_rule=*/false);
      s.out << text.substr(0, text.find('\n') + 1);
    }
  }
  return kOk;
}

std::string Describe(const v1::Record& r, const common::ReferenceCatalog& catalog) {
  if (!r.has_price_sample()) return "";
  const auto& p = r.price_sample();
  const v1::Commodity* c = catalog.FindCommodity(p.commodity_code());
  const v1::Market* m = catalog.FindMarket(p.market_code());
  return StrCat(common::FormatRupiah(p.price_rupiah()), "/", p.unit(), ", ",
                c != nullptr ? c->name() : p.commodity_code(), " at ",
                m != nullptr ? m->name() : p.market_code(),
                p.trader().empty() ? "" : StrCat(", ", p.trader()));
}

std::string TimeText(std::optional<absl::Time> t, const common::ValidationPolicy& policy) {
  return t ? common::FormatLocalMinute(*t, policy.display_zone) : "never";
}

}  // namespace

int RunCli(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err) {
  CLI::App app{"pantau: record field observations offline and sync them to the dinas server"};
  app.require_subcommand(1);
  std::string home = DefaultHome();
  app.add_option("--home", home, "home folder (default $PANTAU_HOME or ~/.local/share/pantau)");

  // login
  std::string server, token_file, description;
  auto* login = app.add_subcommand("login", "bind this laptop to your account on the server");
  login->add_option("--server", server, "HOST:PORT of the dinas server")->required();
  login->add_option("--token-file", token_file, "file holding your token")->required();
  login->add_option("--description", description, "what this laptop is (shown to the admin)");
  std::string ca_file;
  login->add_option("--ca-file", ca_file, "the dinas's CA certificate (PEM): connect with TLS and verify the server");

  auto* pull = app.add_subcommand("pull", "fetch reference-data changes from the server");
  bool json = false, attention = false;
  auto* sync = app.add_subcommand("sync", "send every pending record, then pull");
  sync->add_flag("--json", json, "print a JSON summary");
  int answer_timeout_seconds = 30;
  int retry_for_seconds = 180;
  sync->add_option("--answer-timeout", answer_timeout_seconds,
                   "seconds to wait for the server's answer to a batch before the link counts as stalled")
      ->check(CLI::Range(1, 3600));
  sync->add_option("--retry-for", retry_for_seconds,
                   "seconds to keep trying while the server cannot be reached (restarting, busy, no link)")
      ->check(CLI::Range(0, 86400));
  ui::RunOptions ui_options;
  bool ui_no_browser = false;
  auto* ui_cmd = app.add_subcommand("ui", "the inspector's app in the browser, on this laptop (offline)");
  ui_cmd->add_option("--listen", ui_options.listen, "127.0.0.1:PORT (default: a free port)");
  ui_cmd->add_flag("--no-browser", ui_no_browser, "print the link only; do not open a browser");
  ui_cmd->add_option("--url-file", ui_options.url_file, "also write the link to this file (mode 0600)");
  std::string list_kind, list_text, list_format = "table";
  auto* list = app.add_subcommand("list", "look up names and codes in this laptop's reference data");
  list->add_option("KIND", list_kind, "markets, commodities, outlets, instruments, findings or actions")
      ->required()
      ->check(CLI::IsMember(LookupKinds()));
  list->add_option("TEXT", list_text, "only rows whose name, code, kecamatan or detail contains it (any case)");
  list->add_option("--format", list_format, "table (default), csv or json")->check(CLI::IsMember({"table", "csv", "json"}));
  auto* status = app.add_subcommand("status", "what is pending, delivered, or needs attention");
  status->add_flag("--json", json, "print JSON");
  status->add_flag("--attention", attention, "list the records that need attention, with reasons");
  std::vector<std::string> requeue_ids;
  bool requeue_all = false;
  auto* requeue = app.add_subcommand(
      "requeue", "send refused records again, once what refused them is fixed on the server (then `pantau sync`)");
  requeue->add_option("ID", requeue_ids, "record ids, as `pantau status --attention` lists them");
  requeue->add_flag("--all", requeue_all, "every refused record");
  std::string requeue_delivered_since;
  requeue->add_option("--delivered-since", requeue_delivered_since,
                      "YYYY-MM-DD: send again every record delivered since that day (the server was restored "
                      "from an older backup; it stores each record once)");

  // price add
  PriceInput price;
  std::string at, pack_spec;
  std::vector<std::string> pack;
  auto* price_cmd = app.add_subcommand("price", "bahan pokok price samples");
  price_cmd->require_subcommand(1);
  auto* price_add = price_cmd->add_subcommand("add", "record one trader's price");
  price_add->add_option("--market", price.market, "market code")->required();
  price_add->add_option("--commodity", price.commodity, "commodity code")->required();
  std::string price_text;
  price_add->add_option("--price", price_text, "whole Rupiah per unit (per pack with --pack): 13100, 13.100 or Rp 13.100")
      ->required();
  price_add->add_option("--trader", price.trader, "trader or stall");
  price_add->add_option("--at", at, "when observed (default now): YYYY-MM-DD HH:MM, HH:MM, ...");
  price_add->add_option("--pack", pack, "pack size and unit, e.g. --pack 5 kg, --pack 5kg, --pack \"1,5 liter\"")
      ->expected(1, 2);
  price_add->add_option("--confirm", price.confirm_reason, "confirm a flagged price, with the reason");
  price_add->add_option("--note", price.note, "free text");

  // audit add
  std::string outlet, checklist_version, json_file;
  std::vector<std::string> answers, findings;
  auto* audit_cmd = app.add_subcommand("audit", "audits of LPG pangkalan and pupuk kios");
  audit_cmd->require_subcommand(1);
  auto* audit_add = audit_cmd->add_subcommand("add", "record an outlet audit");
  audit_add->add_option("--outlet", outlet, "outlet code");
  audit_add->add_option("--checklist-version", checklist_version, "checklist version answered (default: the one in force on the audit day)");
  audit_add->add_option("--answer", answers, "ITEM=yes|no|NUMBER|Rp NUMBER|NUMBER g (repeatable)");
  audit_add->add_option("--finding", findings, "violation code found (repeatable)");
  audit_add->add_option("--json", json_file, "the audit as JSON (OutletAudit fields) instead of flags");
  audit_add->add_option("--at", at, "when observed (default now)");
  bool interactive = false;
  audit_add->add_flag("-i,--interactive", interactive, "walk the checklist, one question at a time");

  // followup add
  v1::FollowUp follow;
  std::string audit_id, finding, action, actor, action_date, due_date, follow_status = "open";
  auto* follow_cmd = app.add_subcommand("followup", "follow-up of violations");
  follow_cmd->require_subcommand(1);
  auto* follow_add = follow_cmd->add_subcommand("add", "record an action taken on a finding");
  follow_add->add_option("--audit", audit_id, "id of the audit record with the finding")->required();
  follow_add->add_option("--finding", finding, "the finding's code")->required();
  follow_add->add_option("--action", action, "action code (e.g. teguran_tertulis)")->required();
  follow_add->add_option("--actor", actor, "who acted");
  follow_add->add_option("--date", action_date, "action date YYYY-MM-DD (default today)");
  follow_add->add_option("--due", due_date, "due date YYYY-MM-DD");
  follow_add->add_option("--status", follow_status, "open or closed");

  // uttp add
  std::string instrument, kind, accuracy_class, certificate;
  int64_t max_mg = 0, min_mg = 0, e_mg = 0, d_mg = 0;
  std::vector<std::string> points, runs, seals;
  auto* uttp_cmd = app.add_subcommand("uttp", "UTTP verification (tera, tera ulang, pengawasan)");
  uttp_cmd->require_subcommand(1);
  auto* uttp_add = uttp_cmd->add_subcommand("add", "record a verification");
  uttp_add->add_option("--instrument", instrument, "registry id of the instrument")->required();
  uttp_add->add_option("--kind", kind, "tera, tera_ulang or pengawasan")->required();
  uttp_add->add_option("--class", accuracy_class, "accuracy class (I, II, III, IIII; 0.5)");
  uttp_add->add_option("--max-mg", max_mg, "Max in mg");
  uttp_add->add_option("--min-mg", min_mg, "Min in mg");
  uttp_add->add_option("--e-mg", e_mg, "verification interval e in mg");
  uttp_add->add_option("--d-mg", d_mg, "scale interval d in mg");
  uttp_add->add_option("--point", points, "LOAD_MG:INDICATION_MG[:CHANGEPOINT_MG] (repeatable)");
  uttp_add->add_option("--run", runs,
                       "FLOW:ACTUAL_ML:INDICATION_ML, FLOW max|mid|min; water meters lower|upper|upper30 (repeatable)");
  std::vector<std::string> ranges, eccentricity, repeatability;
  int64_t zero_changepoint_mg = -1, mmq_ml = 0;
  std::string uttp_input;
  uttp_add->add_option("--range", ranges, "multi-interval: MAX_MG:E_MG per partial range, ascending (repeatable)");
  uttp_add->add_option("--eccentricity", eccentricity, "LOAD_MG:INDICATION_MG[:CHANGEPOINT_MG] per position (repeatable)");
  uttp_add->add_option("--repeat", repeatability, "LOAD_MG:INDICATION_MG[:CHANGEPOINT_MG] per weighing of one load (repeatable)");
  uttp_add->add_option("--zero-changepoint-mg", zero_changepoint_mg, "weights added at zero until the indication changes");
  uttp_add->add_option("--mmq-ml", mmq_ml, "fuel dispensers: minimum measured quantity, mL");
  uttp_add->add_option("--input", uttp_input, "the test results as JSON (the `uttp check` format) instead of flags");
  uttp_add->add_flag("-i,--interactive", interactive,
                     "type the test points (or runs) one per line; each is judged as it is entered");
  auto* uttp_check = uttp_cmd->add_subcommand("check", "compute a verdict offline from a JSON file and print it as JSON");
  uttp_check->add_option("--input", uttp_input, "the JSON file, or - for standard input")->required();
  uttp_add->add_option("--seal", seals, "seal number (repeatable)");
  uttp_add->add_option("--certificate", certificate, "SKHP number");
  uttp_add->add_option("--at", at, "when verified (default now)");

  // correct / void
  std::string target, reason;
  std::string new_price_text;
  std::string new_trader, new_market, new_commodity;
  auto* correct = app.add_subcommand("correct", "supersede one of your records with corrected values");
  correct->add_option("ID", target, "id of the record to correct")->required();
  correct->add_option("--reason", reason, "why")->required();
  correct->add_option("--price", new_price_text, "corrected price (price samples): 13100, 13.100 or Rp 13.100");
  correct->add_option("--trader", new_trader, "corrected trader (price samples)");
  correct->add_option("--market", new_market, "corrected market (price samples)");
  correct->add_option("--commodity", new_commodity, "corrected commodity (price samples)");
  correct->add_option("--json", json_file, "the corrected body as JSON (any kind)");
  auto* void_cmd = app.add_subcommand("void", "retract one of your records");
  void_cmd->add_option("ID", target, "id of the record to void")->required();
  void_cmd->add_option("--reason", reason, "why")->required();

  // report ...: supervisor reads (client/report_cli.cc)
  ReportCommands reports(app);
  std::string export_from, export_to, out_file;

  // photo add / get
  std::string photo_file, photo_sha;
  auto* photo_cmd = app.add_subcommand("photo", "evidence photos, content-addressed by SHA-256");
  photo_cmd->require_subcommand(1);
  auto* photo_add = photo_cmd->add_subcommand("add", "keep a photo on this laptop for `pantau sync`; prints its SHA-256");
  photo_add->add_option("FILE", photo_file, "the photo")->required();
  auto* photo_get = photo_cmd->add_subcommand("get", "fetch a photo from the server (supervisor or admin token)");
  photo_get->add_option("SHA256", photo_sha, "the photo's SHA-256")->required();
  photo_get->add_option("--out", out_file, "where to write it")->required();

  // export
  std::vector<std::string> export_kinds;
  AdminFlags admin_flags;
  AdminCommands admin(app, admin_flags);

  auto* export_cmd = app.add_subcommand("export", "every record observed in a period, one JSON object per line");
  export_cmd->add_option("--from", export_from, "first day YYYY-MM-DD")->required();
  export_cmd->add_option("--to", export_to, "last day YYYY-MM-DD")->required();
  export_cmd->add_option("--kind", export_kinds,
                         "only these kinds: price_sample, outlet_audit, follow_up, uttp_verification, correction, void");
  export_cmd->add_option("--out", out_file, "write to this file (default: the terminal)");

  // import prices
  std::string csv_file;
  auto* import = app.add_subcommand("import", "bulk entry from a CSV file");
  import->require_subcommand(1);
  auto* import_prices = import->add_subcommand("prices", "price samples from a CSV file");
  import_prices->add_option("FILE", csv_file, "CSV file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are 0; any mistake on the command line is input refused (2), never one
    // of CLI11's own codes: the README documents 0, 1, 2 and 3.
    return app.exit(e, out, err) == 0 ? kOk : kRefused;
  }

  Session s{nullptr, {}, out, err, {}, {}};
  if (*uttp_check) {
    // Offline and without an account: the verdict of a file's test results, as JSON.
    bool readable = false;
    const std::string text = ReadInputOr(uttp_input, in, readable);
    if (!readable) return s.Fail(absl::InvalidArgumentError(StrCat(uttp_input, ": cannot be read")));
    auto input = ParseCheckInput(text);
    if (!input.ok()) return s.Fail(absl::InvalidArgumentError(StrCat(uttp_input, ": ", input.status().message())));
    out << VerdictJson(*input, common::ComputeVerdict(input->verification, input->category, common::MetrologySettings{}));
    return kOk;
  }
  if (*ui_cmd) {  // the app holds the laptop's store itself
    ui_options.home = home;
    ui_options.open_browser = !ui_no_browser;
    return ui::RunUi(ui_options, out, err);
  }
  if (int rc = OpenSession(home, s); rc != kOk) return rc;
  const absl::Time now = absl::Now();
  RealSleeper sleeper;

  // The sync engine says when it waits for the server, in the inspector's terms.
  auto retry_message = [&s](const absl::Status& why, absl::Duration wait) {
    s.err << "pantau: " << (IsTransient(why) ? "waiting for the server" : "retrying") << " ("
          << common::TruncateUtf8(std::string_view(why.message().data(), why.message().size()), 200) << "); trying again in "
          << std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(wait, absl::Seconds(1)))) << " s\n"
          << std::flush;
  };
  auto make_engine = [&](std::unique_ptr<v1::SyncService::Stub>& stub,
                         std::unique_ptr<SyncEngine>& engine) -> absl::Status {
    SyncCall call;
    call.answer_deadline = absl::Seconds(answer_timeout_seconds);
    call.retry_for = absl::Seconds(retry_for_seconds);
    call.on_retry = retry_message;
    auto link = OpenLink(s.settings, call);
    if (!link.ok()) return link.status();
    stub = std::move(link->stub);
    engine = std::make_unique<SyncEngine>(*s.store, *stub, link->options, sleeper);
    return absl::OkStatus();
  };

  if (*login) {
    bool ok = false;
    std::string token(common::StripAsciiSpace(ReadFileOr(token_file, ok)));
    if (!ok || token.empty()) return s.Fail(absl::InvalidArgumentError(StrCat(token_file, ": no token in it")));
    if (!ca_file.empty()) ca_file = std::filesystem::absolute(ca_file).string();
    auto connected = Connect(server, ca_file);
    if (!connected.ok()) return s.Fail(connected.status());
    SyncOptions options;
    options.token = token;
    options.retry_for = absl::Seconds(10);  // the inspector is waiting at the keyboard
    SyncEngine engine(*s.store, **connected, options, sleeper);
    auto device = engine.RegisterDevice(s.settings.device_id, description);
    if (!device.ok()) {
      return s.Fail(device.status(), "login failed");
    }
    LaptopSettings settings = s.settings;
    settings.server = server;
    settings.ca_file = ca_file;
    settings.token_file = std::filesystem::absolute(token_file).string();
    settings.account = device->account_name();
    absl::Status saved = s.store->SaveSettings(settings);
    if (!saved.ok()) return s.Fail(saved);
    auto pulled = engine.Pull();
    out << "logged in as " << settings.account << " on laptop " << settings.device_id << " ("
        << server << ")\n";
    if (!pulled.status.ok()) return s.Fail(pulled.status, "reference data not pulled yet");
    out << "reference data: " << pulled.changes << " changes, now at " << pulled.cursor << "\n";
    return kOk;
  }

  if (*pull) {
    std::unique_ptr<v1::SyncService::Stub> stub;
    std::unique_ptr<SyncEngine> engine;
    if (absl::Status st = make_engine(stub, engine); !st.ok()) return s.Fail(st);
    auto pulled = engine->Pull();
    if (!pulled.status.ok()) return s.Fail(pulled.status, "pull failed");
    out << "reference data: " << pulled.changes << " changes, now at " << pulled.cursor << "\n";
    return kOk;
  }

  if (*sync) {
    const bool tty = isatty(STDERR_FILENO) && !json;
    uint64_t next_line = 0;
    SyncCall call;
    call.answer_deadline = absl::Seconds(answer_timeout_seconds);
    call.retry_for = absl::Seconds(retry_for_seconds);
    call.on_retry = retry_message;
    call.on_progress = [&](const PushProgress& p) {
      const double seconds = std::max(absl::ToDoubleSeconds(p.elapsed), 1e-3);
      const double rate = static_cast<double>(p.answered) / seconds;
      const double left = rate > 0 ? static_cast<double>(p.total - std::min(p.total, p.answered)) / rate : 0;
      if (tty) {
        err << "\rsent " << p.answered << "/" << p.total << " · " << static_cast<uint64_t>(rate)
            << " records/s · " << static_cast<uint64_t>(left + 0.5) << " s left   " << std::flush;
      } else if (!json && p.answered >= next_line) {
        err << "sent " << p.answered << " of " << p.total << "\n";
        next_line = p.answered + std::max<uint64_t>(p.total / 10, 500);
      }
    };
    auto run = SyncNow(*s.store, s.settings, home, sleeper, call);
    if (!run.ok()) return s.Fail(run.status(), "sync");
    if (tty && run->pushed.progress.answered > 0) err << "\n";
    const PushSummary& pushed = run->pushed;
    const PullSummary& pulled = run->pulled;
    const PhotoSyncSummary& sent_photos = run->photos;
    const size_t photos_pending = run->photos_pending;
    const bool ok = run->ok;
    const OutboxCounts c = run->counts;
    const std::string& failure = run->failure;
    if (json) {
      ordered_json j;
      j["status"] = ok ? "ok" : "error";
      if (!ok) j["error"] = failure;
      j["pushed"] = {{"records", pushed.progress.answered},
                     {"acknowledged", pushed.progress.acknowledged},
                     {"needs_attention", pushed.progress.needs_attention},
                     {"retries", pushed.retries},
                     {"seconds", absl::ToDoubleSeconds(pushed.progress.elapsed)}};
      j["pulled"] = {{"changes", pulled.changes}, {"cursor", pulled.cursor}};
      j["photos"] = {{"sent", sent_photos.photos_sent}, {"bytes", sent_photos.bytes_sent},
                     {"pending", LaptopPhotos(home).Pending().size()}};
      j["pending"] = c.pending;
      j["needs_attention"] = c.needs_attention;
      out << j.dump(2) << "\n";
    } else {
      out << "delivered " << pushed.progress.acknowledged << " records";
      if (pushed.progress.needs_attention > 0) {
        out << "; " << pushed.progress.needs_attention
            << " need attention (see `pantau status --attention`)";
      }
      out << "; reference data: " << pulled.changes << " changes\n";
      if (photos_pending > 0) {
        out << "photos: " << sent_photos.photos_sent << " of " << photos_pending << " sent ("
            << sent_photos.bytes_sent << " bytes)\n";
      }
      if (!ok) err << "pantau: sync incomplete: " << failure << "\n";
      if (ok && c.needs_attention > 0) {
        err << "pantau: " << c.needs_attention << (c.needs_attention == 1 ? " record needs" : " records need")
            << " attention: see `pantau status --attention`\n";
      }
    }
    if (!ok) return kFailed;
    return c.needs_attention > 0 ? kNeedsAttention : kOk;
  }

  if (reports.parsed()) {
    absl::Status done = reports.Run(ReportContext{s.settings, s.catalog, s.policy.display_zone, home, now}, out, err);
    return done.ok() ? kOk : s.Fail(done);
  }

  if (*export_cmd) {
    auto token = ReadToken(s.settings);
    if (!token.ok()) return s.Fail(token.status());
    auto channel = Channel(s.settings.server, s.settings.ca_file);
    if (!channel.ok()) return s.Fail(channel.status());
    auto stub = v1::QueryService::NewStub(*channel);
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + *token);
    // An export of a year streams for minutes, but not for ever.
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(30)));
    return RunExport(s, *stub, context, export_from, export_to, export_kinds, out_file);
  }

  if (*photo_add) {
    LaptopPhotos photos(home);
    auto sha = photos.Add(photo_file, kMaxPhotoBytes);
    if (!sha.ok()) return s.Fail(sha.status());
    out << *sha << "\n";
    err << "pantau: kept " << photo_file << " as photo " << *sha
        << "; answer a photo item with it (--answer ITEM=" << sha->substr(0, 8) << "...) and run `pantau sync`\n";
    return kOk;
  }

  if (admin.parsed()) {
    auto token = ReadToken(s.settings);
    if (!token.ok()) return s.Fail(token.status());
    auto channel = Channel(s.settings.server, s.settings.ca_file);
    if (!channel.ok()) return s.Fail(channel.status());
    auto stub = v1::AdminService::NewStub(*channel);
    if (absl::Status done = admin.Run(*stub, *token, s.policy.display_zone, out, err); !done.ok()) return s.Fail(done, "admin");
    return kOk;
  }

  if (*photo_get) {
    auto token = ReadToken(s.settings);
    if (!token.ok()) return s.Fail(token.status());
    auto channel = Channel(s.settings.server, s.settings.ca_file);
    if (!channel.ok()) return s.Fail(channel.status());
    auto stub = v1::QueryService::NewStub(*channel);
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + *token);
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(5)));
    v1::GetPhotoRequest request;
    request.set_sha256(photo_sha);
    auto reader = stub->GetPhoto(&context, request);
    std::string bytes;
    v1::PhotoChunk chunk;
    while (reader->Read(&chunk)) bytes += chunk.data();
    if (absl::Status got = FromGrpc(reader->Finish()); !got.ok()) return s.Fail(got, "photo get failed");
    if (Sha256Hex(bytes) != photo_sha) {
      return s.Fail(absl::DataLossError("the photo received does not match its SHA-256; try again"));
    }
    std::ofstream file(out_file, std::ios::binary | std::ios::trunc);
    file << bytes;
    if (!file.good()) return s.Fail(absl::UnavailableError(StrCat(out_file, ": cannot be written")));
    err << "pantau: wrote " << out_file << " (" << bytes.size() << " bytes)\n";
    return kOk;
  }

  if (*requeue && !requeue_delivered_since.empty()) {
    auto day = common::ParseLocalDate(requeue_delivered_since);
    if (!day) return s.Fail(absl::InvalidArgumentError("--delivered-since: a date YYYY-MM-DD"));
    auto resent = s.store->ResendDeliveredSince(absl::FromCivil(*day, s.policy.display_zone), now);
    if (!resent.ok()) return s.Fail(resent.status());
    out << *resent << " delivered record" << (*resent == 1 ? "" : "s") << " pending again; run `pantau sync`\n";
    return kOk;
  }
  if (*requeue) {
    std::vector<std::string> ids = requeue_ids;
    if (requeue_all) {
      absl::Status scanned = s.store->ScanAttention([&](const v1::OutboxEntry& e) {
        if (e.outcome() != v1::PUSH_OUTCOME_CONFLICT) ids.push_back(e.record().id());
        return true;
      });
      if (!scanned.ok()) return s.Fail(scanned);
    }
    if (ids.empty()) return s.Fail(absl::InvalidArgumentError("name record ids or --all"));
    for (const auto& id : ids) {
      if (absl::Status done = s.store->Requeue(id, now); !done.ok()) return s.Fail(done);
    }
    out << ids.size() << " record" << (ids.size() == 1 ? "" : "s") << " pending again; run `pantau sync`\n";
    return kOk;
  }

  if (*list) {
    if (s.catalog.size() == 0) {
      return s.Fail(absl::FailedPreconditionError("no reference data on this laptop yet: run `pantau pull`"));
    }
    const auto rows = *Lookup(s.catalog, list_kind, list_text);
    if (list_format == "json") {
      ordered_json j = ordered_json::array();
      for (const auto& r : rows) {
        j.push_back({{"code", r.code}, {"name", r.name}, {"detail", r.detail}, {"kecamatan", r.kecamatan}});
      }
      out << j.dump(2) << "\n";
      return kOk;
    }
    Table t;
    t.title = StrCat(list_kind, list_text.empty() ? "" : StrCat(" containing \"", list_text, "\""), ": ", rows.size());
    t.columns = {{"name", "Nama", Table::Kind::kText, 36},
                 {"code", "Kode", Table::Kind::kText, 28},
                 {"detail", "Keterangan", Table::Kind::kText, 22},
                 {"kecamatan", "Kecamatan", Table::Kind::kText, 18}};
    for (const auto& r : rows) t.rows.push_back({r.name, r.code, r.detail, r.kecamatan});
    out << (list_format == "csv" ? TableCsv(t) : TableText(t));
    return kOk;
  }

  if (*status) {
    auto counts = s.store->Counts();
    if (!counts.ok()) return s.Fail(counts.status());
    auto last_sync = s.store->LastSync();
    auto last_pull = s.store->LastPull();
    auto cursor = s.store->ReferenceCursor();
    std::vector<v1::OutboxEntry> flagged;
    if (attention) {
      absl::Status scanned = s.store->ScanAttention([&](const v1::OutboxEntry& e) {
        flagged.push_back(e);
        return true;
      });
      if (!scanned.ok()) return s.Fail(scanned, "the records that need attention could not be read");
    }
    std::optional<absl::Time> pulled_at = last_pull.ok() ? *last_pull : std::nullopt;
    if (json) {
      ordered_json j;
      j["account"] = s.settings.account;
      j["server"] = s.settings.server;
      j["device_id"] = s.settings.device_id;
      j["pending"] = counts->pending;
      j["acknowledged"] = counts->acknowledged;
      j["needs_attention"] = counts->needs_attention;
      j["last_sync"] = last_sync.ok() && *last_sync ? absl::FormatTime(absl::RFC3339_sec, **last_sync, absl::UTCTimeZone()) : "";
      j["reference_cursor"] = cursor.ok() ? *cursor : 0;
      if (pulled_at) {
        j["reference_age_hours"] = absl::ToDoubleHours(now - *pulled_at);
      } else {
        j["reference_age_hours"] = nullptr;
      }
      if (attention) {
        ordered_json list = ordered_json::array();
        for (const auto& e : flagged) {
          auto kind = common::KindOf(e.record());
          ordered_json item = {{"id", e.record().id()},
                               {"kind", kind ? std::string(common::KindName(*kind)) : ""},
                               {"what", DescribeRecord(e.record(), s.catalog, s.policy.display_zone)},
                               {"outcome", v1::PushOutcome_Name(e.outcome())},
                               {"message", e.message()}};
          ordered_json errors = ordered_json::array();
          for (const auto& fe : e.errors()) errors.push_back({{"field", fe.field()}, {"reason", fe.reason()}});
          item["errors"] = errors;
          list.push_back(item);
        }
        j["attention"] = list;
      }
      out << j.dump(2) << "\n";
      return kOk;
    }
    out << "account:          " << (s.settings.account.empty() ? "(not logged in)" : s.settings.account)
        << " on laptop " << s.settings.device_id << "\n";
    out << "pending:          " << counts->pending << "\n";
    out << "delivered:        " << counts->acknowledged << "\n";
    out << "needs attention:  " << counts->needs_attention
        << (counts->needs_attention > 0 && !attention ? "  (pantau status --attention)" : "") << "\n";
    out << "last sync:        " << TimeText(last_sync.ok() ? *last_sync : std::nullopt, s.policy) << "\n";
    out << "reference data:   change " << (cursor.ok() ? *cursor : 0) << ", pulled "
        << TimeText(pulled_at, s.policy);
    if (pulled_at) out << " (" << common::FormatHoursMinutes(now - *pulled_at) << " ago)";
    out << "\n";
    for (const auto& e : flagged) {
      out << "  " << DescribeRecord(e.record(), s.catalog, s.policy.display_zone) << "\n    " << e.message() << "\n";
    }
    return kOk;
  }

  // Everything below creates a record: it needs the account and the reference data.
  EntryEnv env;
  if (int rc = LoadEntryEnv(s, env); rc != kOk) return rc;
  EntryContext ctx{env.catalog, s.policy, s.settings.account, s.settings.device_id, now};
  auto observed = ParseAt(at, s.policy);
  if (!observed.ok()) return s.Fail(observed.status());

  if (*price_add) {
    price.observed = *observed;
    auto rupiah = common::ParseRupiahText(price_text);
    if (!rupiah) {
      return s.Fail(absl::InvalidArgumentError(
          StrCat("--price \"", price_text, "\": write whole Rupiah, e.g. 13100, 13.100 or Rp 13.100")));
    }
    price.price_rupiah = *rupiah;
    if (!pack.empty()) {
      price.pack_quantity = pack[0];
      price.pack_unit = pack.size() > 1 ? pack[1] : "";
    }
    auto record = BuildPriceSample(price, ctx);
    if (!record.ok()) return s.Fail(record.status());
    return SaveAndSay(s, *record, ctx, StrCat("price sample (", Describe(*record, env.catalog), ")"));
  }

  if (*audit_add) {
    auto record = NewRecord(ctx, *observed);
    if (!record.ok()) return s.Fail(record.status());
    v1::OutletAudit* a = record->mutable_outlet_audit();
    if (!json_file.empty()) {
      bool ok = false;
      std::string text = ReadFileOr(json_file, ok);
      if (!ok) return s.Fail(absl::InvalidArgumentError(StrCat(json_file, ": cannot be read")));
      auto parsed = google::protobuf::util::JsonStringToMessage(text, a);
      if (!parsed.ok()) {
        return s.Fail(absl::InvalidArgumentError(StrCat(json_file, ": ", std::string(parsed.message()))));
      }
    }
    if (!outlet.empty()) a->set_outlet_code(outlet);
    if (!checklist_version.empty()) a->set_checklist_version(checklist_version);
    if (const v1::Outlet* o = env.catalog.FindOutlet(a->outlet_code()); o != nullptr && a->outlet_kind() == v1::OUTLET_KIND_UNSPECIFIED) {
      a->set_outlet_kind(o->kind());
    }
    // The checklist: the version named, else the one in force on the audit's day.
    const absl::CivilDay day = absl::ToCivilDay(*observed ? **observed : now, s.policy.display_zone);
    const v1::Checklist* checklist = common::ChecklistFor(*a, env.catalog, day);
    if (checklist != nullptr) a->set_checklist_version(checklist->version());
    for (const auto& spec : answers) {
      auto eq = spec.find('=');
      if (eq == std::string::npos) {
        return s.Fail(absl::InvalidArgumentError(StrCat("--answer \"", spec, "\": use ITEM=VALUE")));
      }
      const std::string item_code = spec.substr(0, eq), value = spec.substr(eq + 1);
      const v1::ChecklistItem* item = nullptr;
      if (checklist != nullptr) {
        for (const auto& i : checklist->items()) item = i.code() == item_code ? &i : item;
      }
      auto answer = item != nullptr ? AnswerFor(*item, value) : UntypedAnswer(item_code, value);
      if (!answer.ok()) return s.Fail(answer.status());
      *a->add_answers() = *answer;
    }
    if (interactive) {
      if (checklist == nullptr) {
        return s.Fail(absl::FailedPreconditionError(
            StrCat("no checklist for ", common::OutletKindName(a->outlet_kind()), " on this laptop: run `pantau pull`")));
      }
      WalkChecklist(*checklist, *a, in, s.err);
    }
    // The findings, by the same rules the server applies, shown before saving; those the
    // inspector adds with --finding (observed, no rule for them) are kept beside them.
    std::set<std::string> listed(findings.begin(), findings.end());
    if (checklist != nullptr) {
      const auto found = common::EvaluateChecklist(*checklist, *a, env.catalog, day,
                                                   env.catalog.PriceZonesOfOutlet(a->outlet_code()));
      s.out << FindingLines(found);
      for (const auto& f : found) listed.insert(f.code);
    }
    for (const auto& f : listed) a->add_findings(f);
    return SaveAndSay(s, *record, ctx, "outlet audit");
  }

  if (*follow_add) {
    auto record = NewRecord(ctx, *observed);
    if (!record.ok()) return s.Fail(record.status());
    v1::FollowUp* f = record->mutable_follow_up();
    f->set_audit_record_id(audit_id);
    f->set_finding_code(finding);
    f->set_action_code(action);
    f->set_actor(actor);
    f->set_action_date(action_date.empty() ? common::FormatLocalDate(absl::ToCivilDay(now, s.policy.display_zone))
                                           : action_date);
    f->set_due_date(due_date);
    f->set_status(follow_status == "closed" ? v1::FOLLOW_UP_STATUS_CLOSED
                  : follow_status == "open" ? v1::FOLLOW_UP_STATUS_OPEN
                                            : v1::FOLLOW_UP_STATUS_UNSPECIFIED);
    return SaveAndSay(s, *record, ctx, "follow-up");
  }

  if (*uttp_add) {
    auto record = NewRecord(ctx, *observed);
    if (!record.ok()) return s.Fail(record.status());
    v1::UttpVerification* u = record->mutable_uttp_verification();
    if (!uttp_input.empty()) {
      bool readable = false;
      std::string text = ReadInputOr(uttp_input, in, readable);
      if (!readable) return s.Fail(absl::InvalidArgumentError(StrCat(uttp_input, ": cannot be read")));
      auto parsed = ParseCheckInput(text, /*require_instrument=*/false);
      if (!parsed.ok()) return s.Fail(absl::InvalidArgumentError(StrCat(uttp_input, ": ", parsed.status().message())));
      *u = parsed->verification;
    }
    u->set_instrument_id(instrument);
    if (uttp_input.empty() || !kind.empty()) u->set_kind(kind == "tera"         ? v1::VERIFICATION_KIND_TERA
                : kind == "tera_ulang" ? v1::VERIFICATION_KIND_TERA_ULANG
                : kind == "pengawasan" ? v1::VERIFICATION_KIND_PENGAWASAN
                                       : v1::VERIFICATION_KIND_UNSPECIFIED);
    if (!accuracy_class.empty()) u->set_accuracy_class(accuracy_class);
    if (max_mg != 0) u->set_max_mg(max_mg);
    if (min_mg != 0) u->set_min_mg(min_mg);
    if (e_mg != 0) u->set_e_mg(e_mg);
    if (d_mg != 0) u->set_d_mg(d_mg);
    if (mmq_ml != 0) u->set_mmq_ml(mmq_ml);
    if (zero_changepoint_mg >= 0) u->set_zero_changepoint_mg(zero_changepoint_mg);
    for (const auto& [specs, list, flag] :
         {std::tuple{&points, u->mutable_weighing_points(), "--point"},
          std::tuple{&eccentricity, u->mutable_eccentricity_points(), "--eccentricity"},
          std::tuple{&repeatability, u->mutable_repeatability_points(), "--repeat"}}) {
      for (const auto& spec : *specs) {
        auto p = ParsePointSpec(spec, flag);
        if (!p.ok()) return s.Fail(p.status());
        *list->Add() = *p;
      }
    }
    for (const auto& spec : runs) {
      auto r = ParseRunSpec(spec);
      if (!r.ok()) return s.Fail(r.status());
      *u->add_volume_runs() = *r;
    }
    for (const auto& spec : ranges) {
      auto r = ParseRangeSpec(spec);
      if (!r.ok()) return s.Fail(r.status());
      *u->add_ranges() = *r;
    }
    for (const auto& seal : seals) u->add_seal_numbers(seal);
    u->set_certificate_number(certificate);
    // The verdict, computed here as the server will: each test's error, MPE and pass or fail
    // shown now, and the verdict claimed with the record.
    const v1::UttpCategory category = common::CategoryOf(*u, env.catalog);
    if (interactive) {
      if (int rc = EnterTestsInteractively(s, in, category, *u); rc != kOk) return rc;
    }
    if (category != v1::UTTP_CATEGORY_UNSPECIFIED) {
      const common::VerdictResult verdict = common::ComputeVerdict(*u, category, common::MetrologySettings{});
      const bool has_rule = common::HasVerdictRule(category);
      std::string lines = VerdictLines(*u, verdict, has_rule);
      if (interactive) {  // each point was shown as it was entered: the rest only
        const std::vector<std::string> all = absl::StrSplit(lines, '\n', absl::SkipEmpty());
        lines.clear();
        for (const auto& l : all) {
          if (l.rfind("  point ", 0) != 0 && l.rfind("  run ", 0) != 0) lines += l + "\n";
        }
      }
      s.out << lines;
      if (has_rule) u->set_claimed_verdict(verdict.sah ? v1::VERDICT_SAH : v1::VERDICT_BATAL);
    }
    return SaveAndSay(s, *record, ctx, "UTTP verification");
  }

  if (*correct || *void_cmd) {
    auto target_entry = s.store->Get(target);
    if (!target_entry.ok()) return s.Fail(target_entry.status());
    if (!*target_entry) {
      return s.Fail(absl::InvalidArgumentError(
          StrCat("record ", target, " is not on this laptop; only your own records can be corrected here")));
    }
    const v1::Record& original = (*target_entry)->record();
    auto record = NewRecord(ctx, common::FromTimestamp(original.observed_at()));
    if (!record.ok()) return s.Fail(record.status());
    if (*void_cmd) {
      record->mutable_void_()->set_target_id(target);
      record->mutable_void_()->set_reason(reason);
      return SaveAndSay(s, *record, ctx, StrCat("void of ", target));
    }
    v1::Correction* c = record->mutable_correction();
    c->set_target_id(target);
    c->set_reason(reason);
    if (!json_file.empty()) {
      bool ok = false;
      std::string text = ReadFileOr(json_file, ok);
      if (!ok) return s.Fail(absl::InvalidArgumentError(StrCat(json_file, ": cannot be read")));
      auto parsed = google::protobuf::util::JsonStringToMessage(text, c);
      if (!parsed.ok()) return s.Fail(absl::InvalidArgumentError(StrCat(json_file, ": ", std::string(parsed.message()))));
      c->set_target_id(target);
      c->set_reason(reason);
    } else if (original.has_price_sample()) {
      *c->mutable_price_sample() = original.price_sample();
      auto* p = c->mutable_price_sample();
      if (!new_price_text.empty()) {
        auto new_price = common::ParseRupiahText(new_price_text);
        if (!new_price) {
          return s.Fail(absl::InvalidArgumentError(
              StrCat("--price \"", new_price_text, "\": write whole Rupiah, e.g. 13100, 13.100 or Rp 13.100")));
        }
        p->set_price_rupiah(*new_price);
        p->clear_pack_price_rupiah();
        p->clear_pack_size_milli_units();
      }
      if (!new_trader.empty()) p->set_trader(new_trader);
      if (!new_market.empty()) p->set_market_code(new_market);
      if (!new_commodity.empty()) {
        p->set_commodity_code(new_commodity);
        if (const auto* cm = env.catalog.FindCommodity(new_commodity)) p->set_unit(cm->unit());
      }
    } else {
      return s.Fail(absl::InvalidArgumentError(
          "this record is not a price sample: give the corrected values with --json FILE"));
    }
    return SaveAndSay(s, *record, ctx, StrCat("correction of ", target));
  }

  if (*import_prices) {
    bool ok = false;
    std::string text = ReadFileOr(csv_file, ok);
    if (!ok) return s.Fail(absl::InvalidArgumentError(StrCat(csv_file, ": cannot be read")));
    auto parsed = ParsePriceCsv(text, ctx, [&](const std::string& commodity) {
      return RecentPrices(*s.store, commodity, now);
    });
    if (!parsed.ok()) return s.Fail(parsed.status(), csv_file);
    for (const auto& p : parsed->problems) err << csv_file << " " << p << "\n";
    auto added = s.store->AddNew(parsed->records, now);
    if (!added.ok()) return s.Fail(added.status());
    out << "imported " << *added << " new price samples from " << parsed->rows << " rows ("
        << parsed->records.size() - *added << " already imported, " << parsed->problems.size()
        << " refused)\n";
    return parsed->problems.empty() ? kOk : kRefused;
  }
  return kFailed;
}

}  // namespace pantau::client
