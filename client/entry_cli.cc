#include "client/entry_cli.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <istream>
#include <ostream>
#include <set>
#include <sstream>

#include "absl/strings/str_split.h"
#include "client/audit_entry.h"
#include "client/laptop.h"
#include "client/photos.h"
#include "client/uttp_check.h"
#include "common/amounts.h"
#include "common/dates.h"
#include "common/metrology.h"
#include "common/str_cat.h"
#include "common/text.h"
#include "google/protobuf/util/json_util.h"
#include "pantau/v1/query_service.grpc.pb.h"

namespace pantau::client {
namespace {

// The text of `path`, or of `in` when `path` is "-"; `ok` says whether it could be read.
std::string ReadInputOr(const std::string& path, std::istream& in, bool& ok) {
  if (path != "-") return ReadFileOr(path, ok);
  ok = true;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int PrintRefused(Session& s, const std::vector<v1::FieldError>& errors) {
  s.err << "pantau: not saved:\n";
  for (const auto& e : errors) s.err << "  " << e.field() << ": " << e.reason() << "\n";
  return kRefused;
}

// Checks `record` as the server will, saves it (fsynced), and says so.
int SaveAndSay(Session& s, const v1::Record& record, const EntryContext& ctx, const std::string& what,
               std::string_view replaces = {}) {
  auto outcome = CheckAndSave(*s.store, record, ctx, replaces);
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



}  // namespace

EntryCommands::EntryCommands(CLI::App& app) {
  // price add
  price_cmd = app.add_subcommand("price", "bahan pokok price samples");
  price_cmd->require_subcommand(1);
  price_add = price_cmd->add_subcommand("add", "record one trader's price");
  price_add->add_option("--market", price.market, "market code")->required();
  price_add->add_option("--commodity", price.commodity, "commodity code")->required();
  price_add->add_option("--price", price_text, "whole Rupiah per unit (per pack with --pack): 13100, 13.100 or Rp 13.100")
      ->required();
  price_add->add_option("--trader", price.trader, "trader or stall");
  price_add->add_option("--at", at, "when observed (default now): YYYY-MM-DD HH:MM, HH:MM, ...");
  price_add->add_option("--pack", pack, "pack size and unit, e.g. --pack 5 kg, --pack 5kg, --pack \"1,5 liter\"")
      ->expected(1, 2);
  price_add->add_option("--confirm", price.confirm_reason, "confirm a flagged price, with the reason");
  price_add->add_option("--note", price.note, "free text");

  // audit add
  audit_cmd = app.add_subcommand("audit", "audits of LPG pangkalan and pupuk kios");
  audit_cmd->require_subcommand(1);
  audit_add = audit_cmd->add_subcommand("add", "record an outlet audit");
  audit_add->add_option("--outlet", outlet, "outlet code");
  audit_add->add_option("--checklist-version", checklist_version, "checklist version answered (default: the one in force on the audit day)");
  audit_add->add_option("--answer", answers,
                        "ITEM=yes|no|NUMBER|Rp NUMBER|NUMBER g|PHOTO-SHA256 (repeatable); every item of the checklist is "
                        "answered or --not-checked");
  audit_add->add_option("--not-checked", not_checked, "ITEM=REASON: the item tidak dapat diperiksa, and why (repeatable)");
  audit_add->add_option("--finding", findings, "violation code found (repeatable)");
  audit_add->add_option("--json", json_file, "the audit as JSON (OutletAudit fields) instead of flags");
  audit_add->add_option("--at", at, "when observed (default now)");
  audit_add->add_flag("-i,--interactive", interactive, "walk the checklist, one question at a time");

  // followup add
  follow_cmd = app.add_subcommand("followup", "follow-up of violations");
  follow_cmd->require_subcommand(1);
  follow_add = follow_cmd->add_subcommand("add", "record an action taken on a finding");
  follow_add->add_option("--audit", audit_id, "id of the audit record with the finding")->required();
  follow_add->add_option("--finding", finding, "the finding's code")->required();
  follow_add->add_option("--action", action, "action code (e.g. teguran_tertulis)")->required();
  follow_add->add_option("--actor", actor, "who acted");
  follow_add->add_option("--date", action_date, "action date YYYY-MM-DD (default today)");
  follow_add->add_option("--due", due_date, "due date YYYY-MM-DD");
  follow_add->add_option("--status", follow_status, "open or closed");

  // uttp add
  uttp_cmd = app.add_subcommand("uttp", "UTTP verification (tera, tera ulang, pengawasan)");
  uttp_cmd->require_subcommand(1);
  uttp_add = uttp_cmd->add_subcommand("add", "record a verification");
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
  uttp_add->add_option("--range", ranges, "multi-interval: MAX_MG:E_MG per partial range, ascending (repeatable)");
  uttp_add->add_option("--eccentricity", eccentricity, "LOAD_MG:INDICATION_MG[:CHANGEPOINT_MG] per position (repeatable)");
  uttp_add->add_option("--repeat", repeatability, "LOAD_MG:INDICATION_MG[:CHANGEPOINT_MG] per weighing of one load (repeatable)");
  uttp_add->add_option("--zero-changepoint-mg", zero_changepoint_mg, "weights added at zero until the indication changes");
  uttp_add->add_option("--mmq-ml", mmq_ml, "fuel dispensers: minimum measured quantity, mL");
  uttp_add->add_option("--input", uttp_input, "the test results as JSON (the `uttp check` format) instead of flags");
  uttp_add->add_flag("-i,--interactive", interactive,
                     "type the test points (or runs) one per line; each is judged as it is entered");
  uttp_check = uttp_cmd->add_subcommand("check", "compute a verdict offline from a JSON file and print it as JSON");
  uttp_check->add_option("--input", uttp_input, "the JSON file, or - for standard input")->required();
  uttp_add->add_option("--seal", seals, "seal number (repeatable)");
  uttp_add->add_option("--certificate", certificate, "SKHP number");
  uttp_add->add_flag("--confirm-batal", confirm_batal, "save it although the verdict is batal (it is shown first)");
  uttp_add->add_option("--at", at, "when verified (default now)");

  // correct / void
  correct = app.add_subcommand("correct", "supersede one of your records with corrected values");
  correct->add_option("ID", target, "id of the record to correct")->required();
  correct->add_option("--reason", reason, "why")->required();
  correct->add_option("--price", new_price_text, "corrected price (price samples): 13100, 13.100 or Rp 13.100");
  correct->add_option("--trader", new_trader, "corrected trader (price samples)");
  correct->add_option("--market", new_market, "corrected market (price samples)");
  correct->add_option("--commodity", new_commodity, "corrected commodity (price samples)");
  correct->add_option("--json", json_file, "the corrected body as JSON (any kind)");
  void_cmd = app.add_subcommand("void", "retract one of your records");
  void_cmd->add_option("ID", target, "id of the record to void")->required();
  void_cmd->add_option("--reason", reason, "why")->required();


  // photo add / get
  photo_cmd = app.add_subcommand("photo", "evidence photos, content-addressed by SHA-256");
  photo_cmd->require_subcommand(1);
  photo_add = photo_cmd->add_subcommand("add", "keep a photo on this laptop for `pantau sync`; prints its SHA-256");
  photo_add->add_option("FILE", photo_file, "the photo")->required();
  photo_get = photo_cmd->add_subcommand("get", "fetch a photo from the server (supervisor or admin token)");
  photo_get->add_option("SHA256", photo_sha, "the photo's SHA-256")->required();
  photo_get->add_option("--out", out_file, "where to write it")->required();


  export_cmd = app.add_subcommand("export", "every record observed in a period, one JSON object per line");
  export_cmd->add_option("--from", export_from, "first day YYYY-MM-DD")->required();
  export_cmd->add_option("--to", export_to, "last day YYYY-MM-DD")->required();
  export_cmd->add_option("--kind", export_kinds,
                         "only these kinds: price_sample, outlet_audit, follow_up, uttp_verification, correction, void");
  export_cmd->add_option("--out", out_file, "write to this file (default: the terminal)");

  // import prices
  import = app.add_subcommand("import", "bulk entry from a CSV file");
  import->require_subcommand(1);
  import_prices = import->add_subcommand("prices", "price samples from a CSV file");
  import_prices->add_option("FILE", csv_file, "CSV file")->required();


}

bool EntryCommands::parsed() const {
  return price_add->parsed() || audit_add->parsed() || follow_add->parsed() || uttp_add->parsed() ||
         correct->parsed() || void_cmd->parsed() || photo_add->parsed() || photo_get->parsed() ||
         export_cmd->parsed() || import_prices->parsed();
}

int EntryCommands::RunOffline(Session& s, std::istream& in) {
  if (*uttp_check) {
    // Offline and without an account: the verdict of a file's test results, as JSON.
    bool readable = false;
    const std::string text = ReadInputOr(uttp_input, in, readable);
    if (!readable) return s.Fail(absl::InvalidArgumentError(StrCat(uttp_input, ": cannot be read")));
    auto input = ParseCheckInput(text);
    if (!input.ok()) return s.Fail(absl::InvalidArgumentError(StrCat(uttp_input, ": ", input.status().message())));
    s.out << VerdictJson(*input, common::ComputeVerdict(input->verification, input->category, common::MetrologySettings{}));
    return kOk;
  }
  return kFailed;
}

int EntryCommands::Run(Session& s, std::istream& in, absl::Time now, const std::string& home) {
  std::ostream& out = s.out;
  std::ostream& err = s.err;
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
    // The checklist: the version named, else the one in force on the audit's day.
    const absl::CivilDay day = absl::ToCivilDay(*observed ? **observed : now, s.policy.display_zone);
    AuditAnswers given;
    for (const auto& spec : answers) {
      auto eq = spec.find('=');
      if (eq == std::string::npos) {
        return s.Fail(absl::InvalidArgumentError(StrCat("--answer \"", spec, "\": use ITEM=VALUE")));
      }
      given.typed.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
    }
    for (const auto& spec : not_checked) {
      auto eq = spec.find('=');
      if (eq == std::string::npos || common::StripAsciiSpace(spec.substr(eq + 1)).empty()) {
        return s.Fail(absl::InvalidArgumentError(StrCat("--not-checked \"", spec, "\": use ITEM=REASON")));
      }
      given.not_checked.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
    }
    std::vector<std::pair<std::string, common::Message>> problems;
    const v1::Checklist* checklist = FillAudit(*a, given, env.catalog, day, problems);
    if (!problems.empty()) return s.Fail(absl::InvalidArgumentError(problems.front().second.English()));
    if (interactive) {
      if (checklist == nullptr) {
        return s.Fail(absl::FailedPreconditionError(
            StrCat("no checklist for ", common::OutletKindName(a->outlet_kind()), " on this laptop: run `pantau pull`")));
      }
      WalkChecklist(*checklist, *a, in, s.err);
    }
    // The findings, by the same rules the server applies, shown before saving; those the
    // inspector adds with --finding (observed, no rule for them) are kept beside them.
    std::vector<std::string> observed_findings(findings.begin(), findings.end());
    observed_findings.insert(observed_findings.end(), a->findings().begin(), a->findings().end());
    const auto found = SettleFindings(*a, checklist, env.catalog, day, observed_findings);
    if (checklist != nullptr) s.out << FindingLines(found);
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
    // Class, Max and e from the registry unless typed. The verdict, computed here as the server
    // will: each test's error, MPE and pass or fail shown now, and the verdict claimed with the
    // record; a batal is saved only when confirmed.
    PrefillFromRegistry(*u, env.catalog);
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
      if (has_rule && !u->accuracy_class().empty() && !verdict.sah && !confirm_batal) {
        bool confirmed = false;
        if (interactive) {
          s.err << "save it as BATAL? (ya/tidak)> " << std::flush;
          std::string line;
          confirmed = std::getline(in, line) && (common::AsciiLower(common::StripAsciiSpace(line)) == "ya" ||
                                                 common::AsciiLower(common::StripAsciiSpace(line)) == "y");
        }
        if (!confirmed) {
          return s.Fail(absl::InvalidArgumentError(
              "the verdict is BATAL (above); check the points and the class, or save it as batal with --confirm-batal"));
        }
      }
      if (has_rule) u->set_claimed_verdict(verdict.sah ? v1::VERDICT_SAH : v1::VERDICT_BATAL);
    }
    return SaveAndSay(s, *record, ctx, "UTTP verification");
  }

  if (*correct || *void_cmd) {
    v1::Correction body;
    if (*correct) {
      if (!json_file.empty()) {
        bool ok = false;
        std::string text = ReadFileOr(json_file, ok);
        if (!ok) return s.Fail(absl::InvalidArgumentError(StrCat(json_file, ": cannot be read")));
        auto parsed = google::protobuf::util::JsonStringToMessage(text, &body);
        if (!parsed.ok()) return s.Fail(absl::InvalidArgumentError(StrCat(json_file, ": ", std::string(parsed.message()))));
      } else {
        auto original = s.store->Get(target);
        if (!original.ok()) return s.Fail(original.status());
        if (*original && !(*original)->record().has_price_sample()) {
          return s.Fail(absl::InvalidArgumentError(
              "this record is not a price sample: give the corrected values with --json FILE"));
        }
        PriceChanges changes{std::nullopt, new_trader, new_market, new_commodity};
        if (!new_price_text.empty()) {
          changes.price_rupiah = common::ParseRupiahText(new_price_text);
          if (!changes.price_rupiah) {
            return s.Fail(absl::InvalidArgumentError(
                StrCat("--price \"", new_price_text, "\": write whole Rupiah, e.g. 13100, 13.100 or Rp 13.100")));
          }
        }
        if (*original) *body.mutable_price_sample() = ChangedPrice((*original)->record().price_sample(), changes, env.catalog);
      }
    }
    auto changed = ChangeRecord(*s.store, target, *correct ? &body : nullptr, reason, ctx);
    if (!changed.ok()) {
      return changed.status().code() == absl::StatusCode::kNotFound
                 ? s.Fail(absl::InvalidArgumentError(changed.status().message()))
                 : s.Fail(changed.status());
    }
    if (changed->dropped) {
      out << "dropped refused record " << target << " (the server never stored it); it no longer needs attention\n";
      return kOk;
    }
    if (!changed->saved.errors.empty()) return PrintRefused(s, changed->saved.errors);
    out << "saved "
        << (changed->replaced ? StrCat("replacement of refused record ", target)
                              : StrCat(*correct ? "correction of " : "void of ", target))
        << " " << changed->record_id << "; " << changed->saved.pending
        << (changed->saved.pending == 1 ? " record" : " records") << " waiting for `pantau sync`\n";
    return kOk;
  }

  if (*import_prices) {
    bool ok = false;
    std::string text = ReadFileOr(csv_file, ok);
    if (!ok) return s.Fail(absl::InvalidArgumentError(StrCat(csv_file, ": cannot be read")));
    auto imported = ImportPrices(*s.store, text, ctx);
    if (!imported.ok()) {
      return imported.status().code() == absl::StatusCode::kInvalidArgument ? s.Fail(imported.status(), csv_file)
                                                                              : s.Fail(imported.status());
    }
    for (const auto& p : imported->problems) err << csv_file << " " << p.English() << "\n";
    out << "imported " << imported->added << " new price samples from " << imported->rows << " rows ("
        << imported->already << " already imported, " << imported->problems.size() << " refused)\n";
    return imported->problems.empty() ? kOk : kRefused;
  }
  return kFailed;
}

}  // namespace pantau::client
