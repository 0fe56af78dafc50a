#include "client/admin_cli.h"

#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <fstream>
#include <ostream>

#include "absl/strings/str_split.h"
#include "common/prompt.h"
#include "common/report/tables.h"
#include "client/sync_engine.h"
#include "common/dates.h"
#include "common/reference_folder.h"
#include "common/scope.h"
#include "common/str_cat.h"
#include "common/text.h"

namespace pantau::client {
namespace {

using namespace ::pantau::report;  // the report tables and workbooks

// "--expires YYYY-MM-DD" into `out`; `has` says whether one was given.
absl::Status SetExpiry(const std::string& text, absl::TimeZone zone, google::protobuf::Timestamp* out, bool* has) {
  auto expiry = common::ExpiryAfterLocalDay(text, zone);
  if (!expiry.ok()) return expiry.status();
  *has = expiry->has_value();
  if (*has) *out = common::ToTimestamp(**expiry);
  return absl::OkStatus();
}

std::string WhenText(const google::protobuf::Timestamp& ts, absl::TimeZone zone) {
  return common::FormatLocalMinute(common::FromTimestamp(ts), zone);
}

// The new token: into --token-file (0600, written before it is named) or onto `out`.
absl::Status HandOver(const std::string& token, const std::string& token_file, const std::string& what,
                      std::ostream& out, std::ostream& err) {
  if (token_file.empty()) {
    err << "pantau: " << what << "; the token is below and is never shown again\n";
    out << token << "\n";
    return absl::OkStatus();
  }
  const std::string tmp = token_file + ".tmp";
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    if (!file) return absl::UnavailableError(StrCat(tmp, ": cannot be written"));
    if (chmod(tmp.c_str(), 0600) != 0) return absl::UnavailableError(StrCat(tmp, ": chmod failed"));
    file << token << "\n";
    if (!file.good()) return absl::UnavailableError(StrCat(tmp, ": cannot be written"));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, token_file, ec);
  if (ec) return absl::UnavailableError(StrCat(token_file, ": ", ec.message()));
  err << "pantau: " << what << "; the token is in " << token_file << " (readable by you only)\n";
  return absl::OkStatus();
}

Table AccountsTable(const v1::ListAccountsResponse& list, absl::TimeZone zone) {
  Table t;
  t.title = "Akun";
  t.columns = {{"name", "Akun", Table::Kind::kText, 16},       {"role", "Peran", Table::Kind::kText, 10},
               {"status", "Status", Table::Kind::kText, 8},    {"expires", "Berlaku s.d.", Table::Kind::kText, 22},
               {"kecamatan", "Kecamatan", Table::Kind::kText, 24}, {"bidang", "Bidang", Table::Kind::kText, 16},
               {"token_issued", "Token dibuat", Table::Kind::kText, 22}};
  for (const auto& a : list.accounts()) {
    t.rows.push_back({a.name(), std::string(common::RoleName(a.role())), a.disabled() ? "revoked" : "active",
                      a.has_expires_at() ? WhenText(a.expires_at(), zone) : "",
                      StrJoin(a.scope().kecamatan_codes(), ","), StrJoin(a.scope().bidang(), ","),
                      a.has_token_issued_at() ? WhenText(a.token_issued_at(), zone) : ""});
  }
  return t;
}

Table AuditTable(const v1::ListAuditLogResponse& log, absl::TimeZone zone) {
  Table t;
  t.title = "Log audit";
  t.notes.push_back(StrCat("last entry: ", log.last_sequence()));
  t.columns = {{"sequence", "No", Table::Kind::kInteger, 6},  {"at", "Waktu", Table::Kind::kText, 22},
               {"actor", "Oleh", Table::Kind::kText, 14},     {"peer", "Dari", Table::Kind::kText, 20},
               {"action", "Tindakan", Table::Kind::kText, 15}, {"target", "Sasaran", Table::Kind::kText, 14},
               {"outcome", "Hasil", Table::Kind::kText, 30},  {"detail", "Keterangan", Table::Kind::kText, 40}};
  for (const auto& e : log.entries()) {
    t.rows.push_back({StrCat(e.sequence()), WhenText(e.at(), zone), e.actor(), e.peer(), e.action(), e.target(),
                      e.outcome(), e.detail()});
  }
  return t;
}

absl::Status Print(const Table& table, const google::protobuf::Message& response, const std::string& format,
                   std::ostream& out) {
  if (format == "json") {
    out << ResponseJson(response);
  } else if (format == "csv") {
    out << TableCsv(table);
  } else if (format == "table") {
    out << TableText(table);
  } else {
    return absl::InvalidArgumentError("--format must be table, csv or json");
  }
  return absl::OkStatus();
}

}  // namespace

AdminCommands::AdminCommands(CLI::App& app, AdminFlags& flags) : flags_(flags) {
  admin_ = app.add_subcommand("admin", "accounts, tokens, scopes and the audit log (needs an admin token)");
  admin_->require_subcommand(1);
  list_ = admin_->add_subcommand("accounts", "list accounts: role, status, expiry, scope (never tokens)");
  list_->add_option("--format", flags.format, "table, csv or json");
  add_ = admin_->add_subcommand("add", "create an account; its token is shown once");
  add_->add_option("--name", flags.name, "account name (a-z, 0-9, . _ -)")->required();
  add_->add_option("--role", flags.role, "inspector, supervisor, admin or monitor (metrics only)")->required();
  revoke_ = admin_->add_subcommand("revoke", "refuse an account's token from now on");
  revoke_->add_option("--name", flags.name, "account name")->required();
  rotate_ = admin_->add_subcommand("rotate-token", "a new token for an account; the old one stops working");
  rotate_->add_option("--name", flags.name, "account name")->required();
  for (CLI::App* c : {add_, rotate_}) {
    c->add_option("--expires", flags.expires, "YYYY-MM-DD: the token works through that day (default: no expiry)");
    c->add_option("--token-file", flags.token_file, "write the token to this file (mode 0600) instead of the screen");
  }
  scope_ = admin_->add_subcommand("scope", "limit an account to kecamatan (and supervisors to bidang)");
  scope_->add_option("--name", flags.name, "account name")->required();
  for (CLI::App* c : {add_, scope_}) {
    c->add_option("--kecamatan", flags.kecamatan, "comma-separated kecamatan codes (empty: all)");
    c->add_option("--bidang", flags.bidang, "supervisors: koperasi, perindustrian and/or perdagangan");
  }
  password_ = admin_->add_subcommand("password",
                                     "set an account's password for the dashboard: asked twice on a terminal, else read "
                                     "from standard input (never on the command line)");
  password_->add_option("name,--name", flags.name, "account name")->required();
  audit_ = admin_->add_subcommand("audit-log", "admin actions and failed sign-ins, oldest first");
  audit_->add_option("--after", flags.after, "only entries after this number");
  audit_->add_option("--limit", flags.limit, "at most this many (default 1000)");
  audit_->add_option("--format", flags.format, "table, csv or json");
  auto* reference = admin_->add_subcommand("reference", "the server's reference data as a folder of CSV files");
  reference->require_subcommand(1);
  reference_export_ = reference->add_subcommand("export", "write the reference data in force as CSV files");
  reference_export_->add_option("--out", flags.folder, "the folder to write (created if needed)")->required();
  reference_apply_ = reference->add_subcommand(
      "apply", "make the server's reference data what a folder says (added, changed, retired), at once");
  reference_apply_->add_option("DIR", flags.folder, "a reference folder, as `export` writes it")->required();
  reference_apply_->add_flag("--dry-run", flags.dry_run, "print the differences and apply nothing");
  reference_apply_->add_option("--format", flags.format, "table or json");
}

absl::Status AdminCommands::Run(v1::AdminService::StubInterface& stub, const std::string& token,
                                absl::TimeZone zone, AdminInput input, std::ostream& out, std::ostream& err) const {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  const AdminFlags& f = flags_;
  if (list_->parsed()) {
    v1::ListAccountsResponse response;
    if (absl::Status s = FromGrpc(stub.ListAccounts(&context, {}, &response)); !s.ok()) return s;
    return Print(AccountsTable(response, zone), response, f.format, out);
  }
  if (add_->parsed()) {
    v1::CreateAccountRequest request;
    auto role = common::RoleFromName(f.role);
    if (!role) return absl::InvalidArgumentError("--role must be inspector, supervisor, admin or monitor (metrics only)");
    request.set_name(f.name);
    request.set_role(*role);
    bool has = false;
    if (absl::Status s = SetExpiry(f.expires, zone, request.mutable_expires_at(), &has); !s.ok()) return s;
    if (!has) request.clear_expires_at();
    *request.mutable_scope() = common::ScopeFromLists(f.kecamatan, f.bidang);
    v1::CreateAccountResponse response;
    if (absl::Status s = FromGrpc(stub.CreateAccount(&context, request, &response)); !s.ok()) return s;
    return HandOver(response.token(), f.token_file, StrCat("account \"", f.name, "\" (", f.role, ") created"), out,
                    err);
  }
  if (revoke_->parsed()) {
    v1::RevokeAccountRequest request;
    request.set_name(f.name);
    v1::RevokeAccountResponse response;
    if (absl::Status s = FromGrpc(stub.RevokeAccount(&context, request, &response)); !s.ok()) return s;
    out << "account " << f.name << " revoked: its token is refused from now on\n";
    return absl::OkStatus();
  }
  if (rotate_->parsed()) {
    v1::RotateTokenRequest request;
    request.set_name(f.name);
    bool has = false;
    if (absl::Status s = SetExpiry(f.expires, zone, request.mutable_expires_at(), &has); !s.ok()) return s;
    if (!has) request.clear_expires_at();
    v1::RotateTokenResponse response;
    if (absl::Status s = FromGrpc(stub.RotateToken(&context, request, &response)); !s.ok()) return s;
    return HandOver(response.token(), f.token_file,
                    StrCat("account \"", f.name, "\" has a new token; the old one is refused"), out, err);
  }
  if (password_->parsed()) {
    auto password = common::ReadNewPassword(f.name, input.in, err, input.terminal);
    if (!password.ok()) return password.status();
    v1::SetPasswordRequest request;
    request.set_name(f.name);
    request.set_password(*password);
    v1::SetPasswordResponse response;
    if (absl::Status s = FromGrpc(stub.SetPassword(&context, request, &response)); !s.ok()) return s;
    out << "account " << f.name << " has a new dashboard password; its token is unchanged\n";
    return absl::OkStatus();
  }
  if (scope_->parsed()) {
    v1::SetAccountScopeRequest request;
    request.set_name(f.name);
    *request.mutable_scope() = common::ScopeFromLists(f.kecamatan, f.bidang);
    v1::SetAccountScopeResponse response;
    if (absl::Status s = FromGrpc(stub.SetAccountScope(&context, request, &response)); !s.ok()) return s;
    const auto& scope = response.account().scope();
    out << "account " << f.name << ": kecamatan "
        << (scope.kecamatan_codes_size() > 0 ? StrJoin(scope.kecamatan_codes(), ",") : "(all)") << "; bidang "
        << (scope.bidang_size() > 0 ? StrJoin(scope.bidang(), ",") : "(all)") << "\n";
    return absl::OkStatus();
  }
  if (audit_->parsed()) {
    v1::ListAuditLogRequest request;
    request.set_after_sequence(f.after);
    request.set_limit(f.limit);
    v1::ListAuditLogResponse response;
    if (absl::Status s = FromGrpc(stub.ListAuditLog(&context, request, &response)); !s.ok()) return s;
    return Print(AuditTable(response, zone), response, f.format, out);
  }
  if (reference_export_->parsed()) {
    const v1::ExportReferenceRequest request;  // the whole reference data: nothing to choose
    v1::ExportReferenceResponse response;
    if (absl::Status s = FromGrpc(stub.ExportReference(&context, request, &response)); !s.ok()) return s;
    std::vector<common::ReferenceFile> files;
    for (const auto& file : response.files()) files.push_back({file.name(), file.text()});
    if (absl::Status s = common::WriteReferenceFolder(f.folder, files); !s.ok()) return s;
    out << "wrote " << files.size() << " files to " << f.folder << " (the reference data up to change "
        << response.sequence() << ")\n";
    return absl::OkStatus();
  }
  if (reference_apply_->parsed()) {
    auto files = common::ReadReferenceFolder(f.folder);
    if (!files.ok()) return files.status();
    v1::ApplyReferenceRequest request;
    for (const auto& file : *files) {
      auto* sent = request.add_files();
      sent->set_name(file.name);
      sent->set_text(file.text);
    }
    request.set_dry_run(f.dry_run);
    v1::ApplyReferenceResponse response;
    if (absl::Status s = FromGrpc(stub.ApplyReference(&context, request, &response)); !s.ok()) return s;
    std::map<std::string, int> counts;
    for (const auto& d : response.differences()) counts[d.change()]++;
    if (f.format == "json") {
      nlohmann::ordered_json j;
      j["dry_run"] = f.dry_run;
      j["applied"] = response.applied();
      j["last_sequence"] = response.last_sequence();
      j["entities"] = response.entities();
      j["differences"] = nlohmann::ordered_json::array();
      for (const auto& d : response.differences()) {
        j["differences"].push_back({{"file", d.file()}, {"key", d.key()}, {"change", d.change()}});
      }
      out << j.dump(2) << "\n";
      return absl::OkStatus();
    }
    if (f.format != "table") return absl::InvalidArgumentError("--format must be table or json");
    std::string file;
    for (const auto& d : response.differences()) {
      if (d.file() != file) out << (file.empty() ? "" : "\n") << d.file() << "\n";
      file = d.file();
      out << "  " << d.change() << "  " << d.key() << "\n";
    }
    if (!file.empty()) out << "\n";
    const std::string summary = StrCat(counts["added"], " added, ", counts["changed"], " changed, ", counts["retired"],
                                       " retired (", response.entities(), " entities in ", files->size(), " files)");
    if (f.dry_run) {
      out << "dry run: " << summary << "; nothing applied\n";
    } else if (response.applied()) {
      out << "applied: " << summary << "; now at change " << response.last_sequence()
          << "; laptops get it at their next sync\n";
    } else {
      out << "nothing to apply: the server already holds what the folder says (" << response.entities()
          << " entities)\n";
    }
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError("pantau admin: name a subcommand");
}

}  // namespace pantau::client
