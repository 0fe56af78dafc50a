#include "client/laptop.h"

#include <fstream>
#include <sstream>

#include "client/csv_import.h"
#include "common/checklists.h"
#include "common/dates.h"
#include "common/messages.h"
#include "common/record_kinds.h"
#include "common/scope.h"
#include "common/str_cat.h"
#include "common/text.h"

namespace pantau::client {
namespace {

// How far back a price counts as a slip when it repeats (CheckAndSave).
constexpr absl::Duration kSlipWindow = absl::Minutes(10);

}  // namespace

std::string ReadFileOr(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool IsLoopbackTarget(const std::string& host_port) {
  std::string host = host_port.substr(0, host_port.rfind(':'));
  if (host == "[::1]" || host == "localhost") return true;
  return host.rfind("127.", 0) == 0 && host.find_first_not_of("0123456789.") == std::string::npos;
}

// The token, read fresh from the file named at login (it is never copied into the store).
absl::StatusOr<std::string> ReadToken(const LaptopSettings& settings) {
  if (settings.server.empty() || settings.token_file.empty()) {
    return absl::FailedPreconditionError(
        "not logged in: run `pantau login --server HOST:PORT --token-file FILE` first");
  }
  bool ok = false;
  std::string token(common::StripAsciiSpace(ReadFileOr(settings.token_file, ok)));
  if (!ok || token.empty()) {
    return absl::FailedPreconditionError(
        StrCat("cannot read the token from ", settings.token_file, "; run `pantau login` again"));
  }
  return token;
}

// Channel settings for a field link: keepalive pings every 15 s (also with no call open, and with
// no data to send) so a link gone silent is found within about 25 s and the connection replaced;
// reconnecting after a server restart is tried at least every 5 s. The server permits these pings.
grpc::ChannelArguments LinkArguments() {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 15000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 500);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  // A channel of its own connections: after a stall, a new channel means a new TCP connection, not
  // the dead one from the process-wide pool.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return args;
}

// The channel to the server: TLS verified against `ca_file` when one is set; plaintext only to a
// server on this machine.
absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel(const std::string& server, const std::string& ca_file) {
  if (!ca_file.empty()) {
    bool ok = false;
    std::string pem = ReadFileOr(ca_file, ok);
    if (!ok || pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      return absl::FailedPreconditionError(StrCat(ca_file, ": cannot be read as a CA certificate (PEM)"));
    }
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = pem;
    return grpc::CreateCustomChannel(server, grpc::SslCredentials(ssl), LinkArguments());
  }
  if (!IsLoopbackTarget(server)) {
    return absl::FailedPreconditionError(
        StrCat("refusing to send a token in plaintext to ", server,
               ": log in with --ca-file (the dinas's CA certificate) to use TLS; without it only a server on "
               "this machine (127.0.0.1, localhost) is allowed"));
  }
  return grpc::CreateCustomChannel(server, grpc::InsecureChannelCredentials(), LinkArguments());
}

absl::StatusOr<std::unique_ptr<v1::SyncService::Stub>> Connect(const std::string& server, const std::string& ca_file) {
  auto channel = Channel(server, ca_file);
  if (!channel.ok()) return channel.status();
  return v1::SyncService::NewStub(*channel);
}

// What an inspector should do about a failed sync, with the state of the outbox.
common::Message Advice(const absl::Status& status, const OutboxCounts& counts, const std::string& ca_file) {
  const common::Message nothing_lost =
      counts.pending == 1 ? common::Msg("nothing is lost: 1 record is still pending on this laptop")
                          : common::Msg("nothing is lost: {} records are still pending on this laptop", counts.pending);
  const std::string detail(status.message());
  if (IsCertificateProblem(status)) {
    return common::Msg("the server's certificate is not signed by the CA in {} ({}): ask the admin for the dinas's CA "
                       "certificate and run `pantau login` with --ca-file; {}",
                       ca_file.empty() ? "-" : ca_file, detail, nothing_lost);
  }
  switch (status.code()) {
    case absl::StatusCode::kUnauthenticated:
      return common::Msg("the server refused the token (revoked, expired or mistyped): ask the admin for a new token "
                         "and run `pantau login` again; {}",
                         nothing_lost);
    case absl::StatusCode::kPermissionDenied:
      return common::Msg("this account may not do that ({}); {}", detail, nothing_lost);
    default:
      if (IsTransient(status)) {
        return common::Msg("the server could not be reached or did not answer ({}); sync again when the link is "
                           "back; {}",
                           detail, nothing_lost);
      }
      return common::Msg("{}; {}", detail, nothing_lost);
  }
}

std::vector<int64_t> RecentPrices(LaptopStore& store, const std::string& commodity, absl::Time now) {
  std::vector<int64_t> prices;
  (void)store.ScanSince(now - absl::Hours(24 * 30), [&](const v1::OutboxEntry& e) {
    const auto& r = e.record();
    if (Counted(e) && r.has_price_sample() &&
        r.price_sample().commodity_code() == commodity) {
      prices.push_back(r.price_sample().price_rupiah());
    }
    return true;
  });  // best effort: without history only the plausible range applies
  return prices;
}

common::Message DescribeRecord(const v1::Record& r, const common::ReferenceCatalog& catalog, absl::TimeZone zone) {
  const std::string day = common::DateWords(absl::ToCivilDay(common::FromTimestamp(r.observed_at()), zone));
  if (r.has_price_sample()) {
    const auto& p = r.price_sample();
    const v1::Commodity* c = catalog.FindCommodity(p.commodity_code());
    const v1::Market* m = catalog.FindMarket(p.market_code());
    return common::Msg("{} at {}{}, {}, {}", c != nullptr ? c->name() : p.commodity_code(),
                       m != nullptr ? m->name() : p.market_code(), p.trader().empty() ? "" : StrCat(", ", p.trader()),
                       StrCat(common::FormatRupiah(p.price_rupiah()), "/", p.unit()), day);
  }
  if (r.has_outlet_audit()) {
    const v1::Outlet* o = catalog.FindOutlet(r.outlet_audit().outlet_code());
    return common::Msg("audit of {}, {}", o != nullptr ? o->name() : r.outlet_audit().outlet_code(), day);
  }
  if (r.has_follow_up()) {
    return common::Msg("follow-up {} of finding {}, {}", r.follow_up().action_code(), r.follow_up().finding_code(), day);
  }
  if (r.has_uttp_verification()) {
    return common::Msg("UTTP verification of {}, {}", r.uttp_verification().instrument_id(), day);
  }
  if (r.has_correction()) return common::Msg("correction of {}, {}", r.correction().target_id(), day);
  if (r.has_void_()) return common::Msg("void of {}, {}", r.void_().target_id(), day);
  return common::Msg("{}", day);
}

std::string_view OutboxStateName(v1::OutboxState state) {
  switch (state) {
    case v1::OUTBOX_STATE_PENDING:
      return "pending";
    case v1::OUTBOX_STATE_ACKNOWLEDGED:
      return "delivered";
    case v1::OUTBOX_STATE_NEEDS_ATTENTION:
      return "needs_attention";
    case v1::OUTBOX_STATE_RESOLVED:
      return "resolved";
    default:
      return "";
  }
}

absl::StatusOr<std::vector<RecordLine>> ListRecords(LaptopStore& store, const common::ReferenceCatalog& catalog,
                                                    absl::TimeZone zone, std::optional<absl::CivilDay> day,
                                                    std::optional<common::RecordKind> kind,
                                                    const std::string& market) {
  std::vector<RecordLine> lines;
  auto at_market = [&](const v1::Record& r) {
    const auto place = common::PlaceOf(r, catalog);
    if (!place) return false;
    if (place->what == "market") return place->code == market;
    const v1::UttpInstrument* instrument = place->what == "instrument" ? catalog.FindUttpInstrument(place->code) : nullptr;
    return instrument != nullptr && instrument->market_code() == market;
  };
  absl::Status scanned = store.ScanSince(absl::InfinitePast(), [&](const v1::OutboxEntry& e) {
    const v1::Record& r = e.record();
    const auto record_kind = common::KindOf(r);
    const absl::CivilDay observed = absl::ToCivilDay(common::FromTimestamp(r.observed_at()), zone);
    if ((day && observed != *day) || (kind && record_kind != kind)) return true;
    if (!market.empty() && !at_market(r)) return true;
    lines.push_back({r.id(), record_kind ? std::string(common::KindName(*record_kind)) : "",
                     common::FormatLocalDate(observed),
                     std::string(OutboxStateName(e.state())),
                     DescribeRecord(r, catalog, zone)});
    return true;
  });
  if (!scanned.ok()) return scanned;
  return lines;
}

absl::StatusOr<v1::Record> ReplacementOf(const v1::Record& refused, const v1::Correction& changes,
                                         const EntryContext& ctx) {
  auto record = NewRecord(ctx, common::FromTimestamp(refused.observed_at()));
  if (!record.ok()) return record.status();
  if (!common::SetBodyFromCorrection(changes, *record)) {  // the refused record's own body
    if (refused.has_price_sample()) {
      *record->mutable_price_sample() = refused.price_sample();
    } else if (refused.has_outlet_audit()) {
      *record->mutable_outlet_audit() = refused.outlet_audit();
    } else if (refused.has_follow_up()) {
      *record->mutable_follow_up() = refused.follow_up();
    } else if (refused.has_uttp_verification()) {
      *record->mutable_uttp_verification() = refused.uttp_verification();
    } else {
      return common::MessageStatus(absl::StatusCode::kInvalidArgument,
                                   common::Msg("record {} is a correction or void; enter it anew", refused.id()));
    }
  }
  if (record->has_outlet_audit()) {  // the server's own fields are never sent
    record->mutable_outlet_audit()->clear_computed_findings();
    record->mutable_outlet_audit()->clear_finding_reasons();
    record->mutable_outlet_audit()->clear_checklist_applied();
  }
  return record;
}

v1::PriceSample ChangedPrice(const v1::PriceSample& original, const PriceChanges& changes,
                             const common::ReferenceCatalog& catalog) {
  v1::PriceSample p = original;
  if (changes.price_rupiah) {
    p.set_price_rupiah(*changes.price_rupiah);
    p.clear_pack_price_rupiah();
    p.clear_pack_size_milli_units();
  }
  if (!changes.trader.empty()) p.set_trader(changes.trader);
  if (!changes.market.empty()) p.set_market_code(changes.market);
  if (!changes.commodity.empty()) {
    p.set_commodity_code(changes.commodity);
    if (const auto* c = catalog.FindCommodity(changes.commodity)) p.set_unit(c->unit());
  }
  return p;
}

absl::StatusOr<ChangeOutcome> ChangeRecord(LaptopStore& store, const std::string& id, const v1::Correction* body,
                                           const std::string& reason, const EntryContext& ctx) {
  auto entry = store.Get(id);
  if (!entry.ok()) return entry.status();
  if (!*entry) {
    return common::MessageStatus(absl::StatusCode::kNotFound,
                                 common::Msg("record {} is not on this laptop; only your own records can be changed here",
                                             id));
  }
  if ((*entry)->state() == v1::OUTBOX_STATE_RESOLVED) {
    const std::string& by = (*entry)->replaced_by();
    return common::MessageStatus(
        absl::StatusCode::kFailedPrecondition,
        by.empty() ? common::Msg("record {} was refused by the server and dropped on this laptop; there is nothing to "
                                 "change",
                                 id)
                   : common::Msg("record {} was refused by the server and replaced by {}; change {} instead", id, by, by));
  }
  const v1::Record& original = (*entry)->record();
  ChangeOutcome outcome;
  // A record the server refused was never stored there: it is not corrected or voided by a record
  // of its own but replaced by a new one, or dropped, on this laptop.
  if ((*entry)->state() == v1::OUTBOX_STATE_NEEDS_ATTENTION) {
    if (body == nullptr) {
      if (absl::Status dropped = store.Resolve(id, nullptr, reason, ctx.now); !dropped.ok()) return dropped;
      outcome.dropped = true;
      return outcome;
    }
    auto fresh = ReplacementOf(original, *body, ctx);
    if (!fresh.ok()) return fresh.status();
    auto saved = CheckAndSave(store, *fresh, ctx, id);
    if (!saved.ok()) return saved.status();
    outcome.saved = *std::move(saved);
    outcome.replaced = true;
    if (outcome.saved.errors.empty()) outcome.record_id = fresh->id();
    return outcome;
  }
  auto record = NewRecord(ctx, common::FromTimestamp(original.observed_at()));
  if (!record.ok()) return record.status();
  if (body == nullptr) {
    record->mutable_void_()->set_target_id(id);
    record->mutable_void_()->set_reason(reason);
  } else {
    *record->mutable_correction() = *body;
    record->mutable_correction()->set_target_id(id);
    record->mutable_correction()->set_reason(reason);
  }
  auto saved = CheckAndSave(store, *record, ctx);
  if (!saved.ok()) return saved.status();
  outcome.saved = *std::move(saved);
  if (outcome.saved.errors.empty()) outcome.record_id = record->id();
  return outcome;
}

bool Counted(const v1::OutboxEntry& e) {
  return e.state() == v1::OUTBOX_STATE_PENDING || e.state() == v1::OUTBOX_STATE_ACKNOWLEDGED;
}

absl::StatusOr<SaveOutcome> CheckAndSave(LaptopStore& store, const v1::Record& record, const EntryContext& ctx,
                                         std::string_view replaces) {
  std::vector<int64_t> recent;
  if (record.has_price_sample()) recent = RecentPrices(store, record.price_sample().commodity_code(), ctx.now);
  if (record.has_correction() && record.correction().has_price_sample()) {
    recent = RecentPrices(store, record.correction().price_sample().commodity_code(), ctx.now);
  }
  SaveOutcome outcome;
  outcome.errors = CheckBeforeSaving(record, ctx, recent);
  // The kecamatan assigned to this account (as the last pull said): refused here, not at sync.
  if (auto settings = store.Settings(); settings.ok() && !settings->kecamatan_codes.empty()) {
    v1::AccountScope scope;
    for (const auto& k : settings->kecamatan_codes) scope.add_kecamatan_codes(k);
    for (auto& e : common::OutsideScopeErrors(record, ctx.account, scope, ctx.catalog)) outcome.errors.push_back(std::move(e));
  }
  if (record.has_follow_up()) {
    // The audit it follows up, when this laptop recorded it: its own findings and its outlet's
    // ladder only, as the server will check.
    auto audit = store.Get(record.follow_up().audit_record_id());
    if (audit.ok() && *audit && (*audit)->record().has_outlet_audit()) {
      for (auto& e : common::FollowUpProblems(record.follow_up(), "follow_up.", (*audit)->record().outlet_audit(), ctx.catalog)) {
        outcome.errors.push_back(std::move(e));
      }
    }
  }
  if (outcome.errors.empty() && record.has_price_sample() && record.price_sample().confirm_reason().empty()) {
    // A slip: the same trader's same price of the same commodity at the same market saved a few
    // minutes ago — a second Enter, or a command run twice. A real second sample says so.
    const auto& p = record.price_sample();
    (void)store.ScanSince(ctx.now - kSlipWindow, [&](const v1::OutboxEntry& e) {
      const v1::Record& r = e.record();
      if (!r.has_price_sample() || r.id() == record.id() || !Counted(e)) return true;
      const auto& q = r.price_sample();
      if (q.market_code() == p.market_code() && q.commodity_code() == p.commodity_code() &&
          q.trader() == p.trader() && q.price_rupiah() == p.price_rupiah()) {
        const int64_t minutes = absl::ToInt64Minutes(ctx.now - common::FromTimestamp(r.created_at()));
        outcome.errors.push_back(common::FieldErrorOf(
            "price_sample.price_rupiah",
            minutes < 1 ? common::Msg("the same price from the same trader was saved less than a minute ago ({}); if "
                                      "this is a second sample, confirm it with a reason",
                                      r.id())
                        : common::Msg("the same price from the same trader was saved {} min ago ({}); if this is a "
                                      "second sample, confirm it with a reason",
                                      minutes, r.id())));
        return false;
      }
      return true;
    });
    if (!outcome.errors.empty()) return outcome;
  }
  if (!outcome.errors.empty()) return outcome;
  if (absl::Status saved = replaces.empty() ? store.Add(record, ctx.now)
                                             : store.Resolve(replaces, &record, "replaced by a corrected record", ctx.now);
      !saved.ok()) {
    return saved;
  }
  auto counts = store.Counts();
  outcome.pending = counts.ok() ? counts->pending : 0;
  return outcome;
}

absl::StatusOr<ImportOutcome> ImportPrices(LaptopStore& store, const std::string& text, const EntryContext& ctx) {
  auto parsed = ParsePriceCsv(text, ctx, [&](const std::string& commodity) { return RecentPrices(store, commodity, ctx.now); });
  if (!parsed.ok()) return parsed.status();
  auto added = store.AddNew(parsed->records, ctx.now);
  if (!added.ok()) return added.status();
  ImportOutcome outcome;
  outcome.rows = parsed->rows;
  outcome.added = *added;
  outcome.already = parsed->records.size() - *added;
  outcome.problems = std::move(parsed->problems);
  return outcome;
}

absl::StatusOr<Link> OpenLink(const LaptopSettings& settings, const SyncCall& call) {
  auto token = ReadToken(settings);
  if (!token.ok()) return token.status();
  auto stub = Connect(settings.server, settings.ca_file);
  if (!stub.ok()) return stub.status();
  Link link;
  link.stub = *std::move(stub);
  link.options.token = *token;
  link.options.answer_deadline = call.answer_deadline;
  link.options.retry_for = call.retry_for;
  link.options.reconnect = [server = settings.server, ca_file = settings.ca_file]()
      -> std::unique_ptr<v1::SyncService::StubInterface> {
    auto fresh = Connect(server, ca_file);
    if (!fresh.ok()) return nullptr;
    return *std::move(fresh);
  };
  link.options.on_retry = call.on_retry;
  return link;
}

absl::StatusOr<SyncRun> SyncNow(LaptopStore& store, const LaptopSettings& settings, const std::string& home,
                                Sleeper& sleeper, const SyncCall& call) {
  auto link = OpenLink(settings, call);
  if (!link.ok()) return link.status();
  auto& stub = link->stub;
  const std::string token = link->options.token;
  SyncEngine engine(store, *stub, link->options, sleeper);
  SyncRun run;
  run.pushed = engine.Push(call.on_progress);
  if (run.pushed.status.ok()) run.pulled = engine.Pull();
  // Evidence photos last, each on a stream of its own that resumes where it stopped.
  LaptopPhotos photos(home);
  run.photos_pending = photos.Pending().size();
  if (run.pushed.status.ok() && run.pulled.status.ok() && run.photos_pending > 0) {
    run.photos = SyncPhotos(photos, *stub, token);
  }
  if (!run.photos.status.ok()) run.pulled.status = run.photos.status;
  run.ok = run.pushed.status.ok() && run.pulled.status.ok();
  if (run.ok) (void)store.SetLastSync(absl::Now());  // informational: the data is already safe
  auto counts = store.Counts();
  if (!counts.ok()) return counts.status();
  run.counts = *counts;
  // What went wrong, in the inspector's terms: delivering records, or (after every record was
  // delivered) fetching reference data or sending photos.
  if (!run.pushed.status.ok()) {
    run.failure = common::Msg("delivering records failed: {}", Advice(run.pushed.status, run.counts, settings.ca_file));
  } else if (!run.pulled.status.ok()) {
    const common::Message why = IsCertificateProblem(run.pulled.status)
                                    ? Advice(run.pulled.status, run.counts, settings.ca_file)
                                    : common::Msg("{}; sync again when the link is back",
                                                  std::string(run.pulled.status.message()));
    run.failure = !run.photos.status.ok() ? common::Msg("every record was delivered, but sending photos failed: {}", why)
                                          : common::Msg("every record was delivered, but fetching reference data "
                                                        "failed: {}",
                                                        why);
  }
  return run;
}

}  // namespace pantau::client
