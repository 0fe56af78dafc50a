#include "client/sync_cli.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

#include "client/laptop.h"
#include "client/lookups.h"
#include "client/photos.h"
#include "common/dates.h"
#include "common/record_kinds.h"
#include "common/report/tables.h"
#include "common/str_cat.h"
#include "common/text.h"

namespace pantau::client {

using nlohmann::ordered_json;
using report::Table;

SyncCommands::SyncCommands(CLI::App& app) {
  login_ = app.add_subcommand("login", "bind this laptop to your account on the server");
  login_->add_option("--server", server_, "HOST:PORT of the dinas server")->required();
  login_->add_option("--token-file", token_file_, "file holding your token")->required();
  login_->add_option("--description", description_, "what this laptop is (shown to the admin)");
  login_->add_option("--ca-file", ca_file_, "the dinas's CA certificate (PEM): connect with TLS and verify the server");

  pull_ = app.add_subcommand("pull", "fetch reference-data changes from the server");
  sync_ = app.add_subcommand("sync", "send every pending record, then pull");
  sync_->add_flag("--json", json_, "print a JSON summary");
  sync_->add_option("--answer-timeout", answer_timeout_seconds_,
                   "seconds to wait for the server's answer to a batch before the link counts as stalled")
      ->check(CLI::Range(1, 3600));
  sync_->add_option("--retry-for", retry_for_seconds_,
                   "seconds to keep trying while the server cannot be reached (restarting, busy, no link)")
      ->check(CLI::Range(0, 86400));
  list_ = app.add_subcommand("list", "look up names and codes in this laptop's reference data");
  list_->add_option("KIND", list_kind_, "markets, commodities, outlets, instruments, findings or actions")
      ->required()
      ->check(CLI::IsMember(LookupKinds()));
  list_->add_option("TEXT", list_text_, "only rows whose name, code, kecamatan or detail contains it (any case)");
  list_->add_option("--format", list_format_, "table (default), csv or json")->check(CLI::IsMember({"table", "csv", "json"}));
  status_ = app.add_subcommand("status", "what is pending, delivered, or needs attention");
  status_->add_flag("--json", json_, "print JSON");
  status_->add_flag("--attention", attention_, "list the records that need attention, with reasons");
  requeue_ = app.add_subcommand(
      "requeue", "send refused records again, once what refused them is fixed on the server (then `pantau sync`)");
  requeue_->add_option("ID", requeue_ids_, "record ids, as `pantau status --attention` lists them");
  requeue_->add_flag("--all", requeue_all_, "every refused record");
  requeue_->add_option("--delivered-since", requeue_delivered_since_,
                      "YYYY-MM-DD: send again every record delivered since that day (the server was restored "
                      "from an older backup; it stores each record once)");
  records_ = app.add_subcommand("records", "what this laptop recorded, with ids (for `pantau correct` and `pantau void`)");
  records_->add_option("--day", records_day_, "only records observed on this day YYYY-MM-DD");
  records_->add_option("--market", records_market_, "only records at this market (code): its prices, its instruments");
  records_->add_option("--kind", records_kind_,
                       "only this kind: price_sample, outlet_audit, follow_up, uttp_verification, correction, void");
  records_->add_option("--format", records_format_, "table (default), csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
}

int SyncCommands::Run(Session& s, const std::string& home, absl::Time now) {
  std::ostream& out = s.out;
  std::ostream& err = s.err;
  RealSleeper sleeper;

  // The sync engine says when it waits for the server_, in the inspector's terms.
  auto retry_message = [&s](const absl::Status& why, absl::Duration wait) {
    s.err << "pantau: " << (IsTransient(why) ? "waiting for the server" : "retrying") << " ("
          << common::TruncateUtf8(std::string_view(why.message().data(), why.message().size()), 200) << "); trying again in "
          << std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(wait, absl::Seconds(1)))) << " s\n"
          << std::flush;
  };
  auto make_engine = [&](std::unique_ptr<v1::SyncService::Stub>& stub,
                         std::unique_ptr<SyncEngine>& engine) -> absl::Status {
    SyncCall call;
    call.answer_deadline = absl::Seconds(answer_timeout_seconds_);
    call.retry_for = absl::Seconds(retry_for_seconds_);
    call.on_retry = retry_message;
    auto link = OpenLink(s.settings, call);
    if (!link.ok()) return link.status();
    stub = std::move(link->stub);
    engine = std::make_unique<SyncEngine>(*s.store, *stub, link->options, sleeper);
    return absl::OkStatus();
  };

  if (login_->parsed()) {
    bool ok = false;
    std::string token(common::StripAsciiSpace(ReadFileOr(token_file_, ok)));
    if (!ok || token.empty()) return s.Fail(absl::InvalidArgumentError(StrCat(token_file_, ": no token in it")));
    if (!ca_file_.empty()) ca_file_ = std::filesystem::absolute(ca_file_).string();
    auto connected = Connect(server_, ca_file_);
    if (!connected.ok()) return s.Fail(connected.status());
    SyncOptions options;
    options.token = token;
    options.retry_for = absl::Seconds(10);  // the inspector is waiting at the keyboard
    SyncEngine engine(*s.store, **connected, options, sleeper);
    auto device = engine.RegisterDevice(s.settings.device_id, description_);
    if (!device.ok()) {
      return s.Fail(device.status(), "login failed");
    }
    LaptopSettings settings = s.settings;
    settings.server = server_;
    settings.ca_file = ca_file_;
    settings.token_file = std::filesystem::absolute(token_file_).string();
    settings.account = device->account_name();
    absl::Status saved = s.store->SaveSettings(settings);
    if (!saved.ok()) return s.Fail(saved);
    auto pulled = engine.Pull();
    out << "logged in as " << settings.account << " on laptop " << settings.device_id << " ("
        << server_ << ")\n";
    if (!pulled.status.ok()) return s.Fail(pulled.status, "reference data not pulled yet");
    out << "reference data: " << pulled.changes << " changes, now at " << pulled.cursor << "\n";
    return kOk;
  }

  if (pull_->parsed()) {
    std::unique_ptr<v1::SyncService::Stub> stub;
    std::unique_ptr<SyncEngine> engine;
    if (absl::Status st = make_engine(stub, engine); !st.ok()) return s.Fail(st);
    auto pulled = engine->Pull();
    if (!pulled.status.ok()) return s.Fail(pulled.status, "pull failed");
    out << "reference data: " << pulled.changes << " changes, now at " << pulled.cursor << "\n";
    return kOk;
  }

  if (sync_->parsed()) {
    const bool tty = isatty(STDERR_FILENO) && !json_;
    uint64_t next_line = 0;
    SyncCall call;
    call.answer_deadline = absl::Seconds(answer_timeout_seconds_);
    call.retry_for = absl::Seconds(retry_for_seconds_);
    call.on_retry = retry_message;
    call.on_progress = [&](const PushProgress& p) {
      const double seconds = std::max(absl::ToDoubleSeconds(p.elapsed), 1e-3);
      const double rate = static_cast<double>(p.answered) / seconds;
      const double left = rate > 0 ? static_cast<double>(p.total - std::min(p.total, p.answered)) / rate : 0;
      if (tty) {
        err << "\rsent " << p.answered << "/" << p.total << " · " << static_cast<uint64_t>(rate)
            << " records/s · " << static_cast<uint64_t>(left + 0.5) << " s left   " << std::flush;
      } else if (!json_ && p.answered >= next_line) {
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
    const std::string failure = run->failure.English();
    if (json_) {
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

  if (requeue_->parsed() && !requeue_delivered_since_.empty()) {
    auto day = common::ParseLocalDate(requeue_delivered_since_);
    if (!day) return s.Fail(absl::InvalidArgumentError("--delivered-since: a date YYYY-MM-DD"));
    auto resent = s.store->ResendDeliveredSince(absl::FromCivil(*day, s.policy.display_zone), now);
    if (!resent.ok()) return s.Fail(resent.status());
    out << *resent << " delivered record" << (*resent == 1 ? "" : "s") << " pending again; run `pantau sync`\n";
    return kOk;
  }
  if (requeue_->parsed()) {
    std::vector<std::string> ids = requeue_ids_;
    if (requeue_all_) {
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

  if (list_->parsed()) {
    if (s.catalog.size() == 0) {
      return s.Fail(absl::FailedPreconditionError("no reference data on this laptop yet: run `pantau pull`"));
    }
    const auto rows = *Lookup(s.catalog, list_kind_, list_text_);
    if (list_format_ == "json") {
      ordered_json j = ordered_json::array();
      for (const auto& r : rows) {
        j.push_back({{"code", r.code}, {"name", r.name}, {"detail", r.detail}, {"kecamatan", r.kecamatan}});
      }
      out << j.dump(2) << "\n";
      return kOk;
    }
    Table t;
    t.title = StrCat(list_kind_, list_text_.empty() ? "" : StrCat(" containing \"", list_text_, "\""), ": ", rows.size());
    t.columns = {{"name", "Nama", Table::Kind::kText, 36},
                 {"code", "Kode", Table::Kind::kText, 28},
                 {"detail", "Keterangan", Table::Kind::kText, 22},
                 {"kecamatan", "Kecamatan", Table::Kind::kText, 18}};
    for (const auto& r : rows) t.rows.push_back({r.name, r.code, r.detail, r.kecamatan});
    out << (list_format_ == "csv" ? TableCsv(t) : TableText(t));
    return kOk;
  }

  if (status_->parsed()) {
    auto counts = s.store->Counts();
    if (!counts.ok()) return s.Fail(counts.status());
    auto last_sync = s.store->LastSync();
    auto last_pull = s.store->LastPull();
    auto cursor = s.store->ReferenceCursor();
    std::vector<v1::OutboxEntry> flagged;
    if (attention_) {
      absl::Status scanned = s.store->ScanAttention([&](const v1::OutboxEntry& e) {
        flagged.push_back(e);
        return true;
      });
      if (!scanned.ok()) return s.Fail(scanned, "the records that need attention could not be read");
    }
    std::optional<absl::Time> pulled_at = last_pull.ok() ? *last_pull : std::nullopt;
    auto missed_or = s.store->MissingObservations();
    const LaptopStore::MissedChecks missed_checks = missed_or.ok() ? *std::move(missed_or) : LaptopStore::MissedChecks{};
    const std::vector<v1::PriceAlert>& missing = missed_checks.alerts;
    if (json_) {
      ordered_json j;
      j["account"] = s.settings.account;
      j["server"] = s.settings.server;
      j["device_id"] = s.settings.device_id;
      j["pending"] = counts->pending;
      j["acknowledged"] = counts->acknowledged;
      j["needs_attention"] = counts->needs_attention;
      j["last_sync"] = last_sync.ok() && *last_sync ? absl::FormatTime(absl::RFC3339_sec, **last_sync, absl::UTCTimeZone()) : "";
      j["reference_cursor"] = cursor.ok() ? *cursor : 0;
      ordered_json missed = ordered_json::array();
      for (const auto& a : missing) {
        missed.push_back({{"day", a.day()}, {"commodity_code", a.commodity_code()}, {"commodity_name", a.commodity_name()},
                          {"market_code", a.market_code()}, {"market_name", a.market_name()}});
      }
      j["missing_observations"] = missed;
      j["missing_observations_total"] = missed_checks.total;
      if (pulled_at) {
        j["reference_age_hours"] = absl::ToDoubleHours(now - *pulled_at);
      } else {
        j["reference_age_hours"] = nullptr;
      }
      if (attention_) {
        ordered_json list = ordered_json::array();
        for (const auto& e : flagged) {
          auto kind = common::KindOf(e.record());
          ordered_json item = {{"id", e.record().id()},
                               {"kind", kind ? std::string(common::KindName(*kind)) : ""},
                               {"what", DescribeRecord(e.record(), s.catalog, s.policy.display_zone).English()},
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
        << (counts->needs_attention > 0 && !attention_ ? "  (pantau status --attention)" : "") << "\n";
    out << "last sync:        " << TimeText(last_sync.ok() ? *last_sync : std::nullopt, s.policy) << "\n";
    out << "reference data:   change " << (cursor.ok() ? *cursor : 0) << ", pulled "
        << TimeText(pulled_at, s.policy);
    if (pulled_at) out << " (" << common::FormatHoursMinutes(now - *pulled_at) << " ago)";
    out << "\n";
    // The scheduled price checks the server said were missed at this inspector's markets.
    out << "missed checks:    " << missed_checks.total << " scheduled price check"
        << (missed_checks.total == 1 ? "" : "s") << " without a sample in the last 7 days (as of the last pull)"
        << (missed_checks.total > static_cast<int64_t>(missing.size()) ? StrCat("; the latest ", missing.size(), ":") : "")
        << "\n";
    for (const auto& a : missing) {
      out << "  " << a.day() << "  " << (a.commodity_name().empty() ? a.commodity_code() : a.commodity_name()) << " at "
          << (a.market_name().empty() ? a.market_code() : a.market_name()) << "\n";
    }
    for (const auto& e : flagged) {
      out << "  " << DescribeRecord(e.record(), s.catalog, s.policy.display_zone).English() << "\n    " << e.message() << "\n";
    }
    return kOk;
  }
  if (records_->parsed()) {
    std::optional<absl::CivilDay> day;
    if (!records_day_.empty()) {
      day = common::ParseLocalDate(records_day_);
      if (!day) return s.Fail(absl::InvalidArgumentError(StrCat("--day \"", records_day_, "\": a date YYYY-MM-DD")));
    }
    std::optional<common::RecordKind> kind;
    if (!records_kind_.empty()) {
      kind = common::KindFromName(records_kind_);
      if (!kind) return s.Fail(absl::InvalidArgumentError(StrCat("--kind \"", records_kind_, "\" is not a record kind")));
    }
    Table t;
    t.columns = {{"id", "Id", Table::Kind::kText, 26},     {"kind", "Jenis", Table::Kind::kText, 17},
                 {"day", "Tanggal", Table::Kind::kText, 10}, {"state", "Status", Table::Kind::kText, 15},
                 {"what", "Isi", Table::Kind::kText, 60}};
    if (!records_market_.empty() && s.catalog.FindMarket(records_market_) == nullptr) {
      return s.Fail(absl::InvalidArgumentError(StrCat("--market \"", records_market_, "\" is not a market of this laptop's reference data")));
    }
    auto lines = ListRecords(*s.store, s.catalog, s.policy.display_zone, day, kind, records_market_);
    if (!lines.ok()) return s.Fail(lines.status(), "the records could not be read");
    ordered_json list = ordered_json::array();
    for (const auto& l : *lines) {
      list.push_back({{"id", l.id}, {"kind", l.kind}, {"day", l.day}, {"state", l.state}, {"what", l.what.English()}});
      t.rows.push_back({l.id, l.kind, l.day, l.state, l.what.English()});
    }
    t.title = StrCat("records on this laptop: ", t.rows.size());
    if (records_format_ == "json") {
      out << list.dump(2) << "\n";
    } else {
      out << (records_format_ == "csv" ? report::TableCsv(t) : report::TableText(t));
    }
    return kOk;
  }
  return kFailed;  // not reached: parsed() said one of the commands ran
}

}  // namespace pantau::client
