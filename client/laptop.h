// The laptop as both faces use it — the CLI (`pantau ...`) and the app (`pantau ui`): the link to
// the server, saving a record after the same checks the server runs, and one sync. No rule is
// here: entry.h builds and checks records, laptop_store.h keeps them, sync_engine.h moves them.
// Thread-safety: stateless functions; the store and engine they are given say theirs.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/entry.h"
#include "client/laptop_store.h"
#include "client/photos.h"
#include "client/sync_engine.h"
#include "common/messages.h"
#include "common/record_kinds.h"
#include "pantau/v1/sync_service.grpc.pb.h"

namespace pantau::client {

// The whole file at `path`; `ok` says whether it could be read.
std::string ReadFileOr(const std::string& path, bool& ok);

// True for 127.x.x.x, [::1] and localhost targets ("HOST:PORT").
bool IsLoopbackTarget(const std::string& host_port);

// The token, read fresh from the file named at login (it is never copied into the store).
absl::StatusOr<std::string> ReadToken(const LaptopSettings& settings);

// The channel to the server: TLS verified against `ca_file` when one is set; plaintext only to a
// server on this machine. Keepalive settings for a field link.
absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel(const std::string& server, const std::string& ca_file);
absl::StatusOr<std::unique_ptr<v1::SyncService::Stub>> Connect(const std::string& server, const std::string& ca_file);

// What an inspector should do about a failed sync, with the state of the outbox.
common::Message Advice(const absl::Status& status, const OutboxCounts& counts, const std::string& ca_file = "");

// Prices of `commodity` this laptop recorded in the last 30 days (the plausibility check's history).
std::vector<int64_t> RecentPrices(LaptopStore& store, const std::string& commodity, absl::Time now);

// What a record is, in a person's words: "Beras Medium at Pasar Marabahan, Bu Ani, Rp 13.100/kg,
// 2026-12-01" — names from `catalog`, the day in `zone`. For the lists of refused records.
common::Message DescribeRecord(const v1::Record& record, const common::ReferenceCatalog& catalog, absl::TimeZone zone);

// "pending", "delivered" or "needs_attention": an outbox state as the CLI's JSON and the app name it.
std::string_view OutboxStateName(v1::OutboxState state);

// One record of this laptop, as `pantau records` and the app's Riwayat list it.
struct RecordLine {
  std::string id;
  std::string kind;   // "price_sample", ...
  std::string day;    // observed, local: "2026-11-30"
  std::string state;  // "pending", "delivered" or "needs_attention"
  common::Message what;  // DescribeRecord
};

// The records of this laptop, oldest first, observed on `day`, of `kind`, and at `market` (a price
// sample there, its correction, or a verification of an instrument there) when given.
absl::StatusOr<std::vector<RecordLine>> ListRecords(LaptopStore& store, const common::ReferenceCatalog& catalog,
                                                    absl::TimeZone zone, std::optional<absl::CivilDay> day,
                                                    std::optional<common::RecordKind> kind,
                                                    const std::string& market = "");

struct SaveOutcome {
  // Empty: saved and fsynced. Otherwise every problem, nothing saved.
  std::vector<v1::FieldError> errors;
  uint64_t pending = 0;  // records waiting for a sync after this one
};

// Checks `record` as the server will (and a price against this laptop's recent prices of the
// same commodity, unless confirmed; and, unless confirmed, refuses a slip: the same market,
// commodity, trader and price saved in the last 10 minutes), then saves it durably. An error
// status: the store failed. With `replaces` (the id of a refused record), the record is saved as
// its replacement in the same write (LaptopStore::Resolve): the refused one leaves "needs
// attention" exactly when this one is pending.
absl::StatusOr<SaveOutcome> CheckAndSave(LaptopStore& store, const v1::Record& record, const EntryContext& ctx,
                                         std::string_view replaces = {});

// A new record in place of `refused` (one the server refused, never stored): the body of
// `changes` when it has one, else the refused record's own, observed when the refused one was.
// For CheckAndSave(..., replaces = refused.id()).
absl::StatusOr<v1::Record> ReplacementOf(const v1::Record& refused, const v1::Correction& changes,
                                         const EntryContext& ctx);

// A price sample's corrected values, as typed: only those given change.
struct PriceChanges {
  std::optional<int64_t> price_rupiah;  // per unit (any pack is dropped)
  std::string trader, market, commodity;
};
// `original` with `changes` applied (the commodity's unit follows a new commodity).
v1::PriceSample ChangedPrice(const v1::PriceSample& original, const PriceChanges& changes,
                             const common::ReferenceCatalog& catalog);

struct ChangeOutcome {
  SaveOutcome saved;      // errors: nothing changed
  std::string record_id;  // the correction, void or replacement saved ("" when dropped or refused)
  bool replaced = false;  // a refused record replaced by a new one
  bool dropped = false;   // a refused record dropped (no record made)
};

// Corrects (`body` set: the corrected values) or voids (`body` null) one of this laptop's records,
// with `reason` — `pantau correct` / `pantau void` and the app's Riwayat. A record pending or
// delivered gets a correction or void record; one the server refused (never stored there) is
// replaced by a new record or dropped (LaptopStore::Resolve); one already replaced or dropped is
// FAILED_PRECONDITION naming what replaced it; NOT_FOUND when it is not on this laptop.
absl::StatusOr<ChangeOutcome> ChangeRecord(LaptopStore& store, const std::string& id, const v1::Correction* body,
                                           const std::string& reason, const EntryContext& ctx);

// True for the records that count: pending or delivered (not refused, not replaced).
bool Counted(const v1::OutboxEntry& entry);

struct ImportOutcome {
  size_t rows = 0;                    // data rows read
  size_t added = 0;                   // new records saved (fsynced)
  size_t already = 0;                 // rows imported before (the same deterministic ids)
  std::vector<common::Message> problems;  // "line N: field: reason", one per refused row
};

// `import prices`: every good row of a price CSV saved (csv_import.h), the bad ones reported. An
// error status: the file is not a price CSV at all (no header, a column missing), or the store
// failed.
absl::StatusOr<ImportOutcome> ImportPrices(LaptopStore& store, const std::string& text, const EntryContext& ctx);

struct SyncCall {
  absl::Duration answer_deadline = absl::Seconds(60);
  absl::Duration retry_for = absl::Seconds(30);
  std::function<void(const absl::Status& why, absl::Duration wait)> on_retry;
  std::function<void(const PushProgress&)> on_progress;
};

struct SyncRun {
  PushSummary pushed;
  PullSummary pulled;
  PhotoSyncSummary photos;
  size_t photos_pending = 0;  // when the sync began
  OutboxCounts counts;        // after it
  bool ok = false;
  // Empty when ok; otherwise what failed, in the inspector's terms, and what to do.
  common::Message failure;
};

// A link to the server of `settings` with the token read fresh, for a SyncEngine: its stub and its
// options (reconnecting with a fresh channel after a stall).
struct Link {
  std::unique_ptr<v1::SyncService::Stub> stub;
  SyncOptions options;
};
absl::StatusOr<Link> OpenLink(const LaptopSettings& settings, const SyncCall& call);

// One sync of the laptop at `home`: records, then reference data, then evidence photos. Never
// loses a record: whatever fails, what was not acknowledged stays pending. An error status only
// when the sync could not start (not logged in, no token, a bad certificate file) or the outbox
// cannot be read after it.
absl::StatusOr<SyncRun> SyncNow(LaptopStore& store, const LaptopSettings& settings, const std::string& home,
                                Sleeper& sleeper, const SyncCall& call);

}  // namespace pantau::client
