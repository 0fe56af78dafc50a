// One contract, two backends: every scenario runs against the in-memory and the RocksDB storage.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <random>
#include <thread>

#include "common/dates.h"
#include "google/protobuf/util/message_differencer.h"
#include "common/record_kinds.h"
#include "common/rollups.h"
#include "common/str_cat.h"
#include "server/service/ingest_service.h"
#include "server/storage/key_codec.h"
#include "server/storage/memory_storage.h"
#include "server/storage/rocks_storage.h"
#include "tests/testing/power_cut_fs.h"
#include "tests/testing/test_support.h"
#include "rocksdb/db.h"

namespace pantau::storage {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::PriceRecord;
using ::pantau::testing::StatusIs;
using ::pantau::testing::TestNow;
using ::pantau::testing::TempDir;
using ::pantau::testing::TestUlid;

RecordWrite Write(const v1::Record& record) {
  RecordWrite w;
  w.kind = *common::KindOf(record);
  w.index = common::IndexEntriesOf(record);
  *w.stored.mutable_record() = record;
  w.stored.set_content_sha256(service::RecordFingerprint(record));
  *w.stored.mutable_received_at() = common::ToTimestamp(TestNow());
  return w;
}

std::vector<RecordWrite> Writes(const std::vector<v1::Record>& records) {
  std::vector<RecordWrite> out;
  for (const auto& r : records) out.push_back(Write(r));
  return out;
}

enum class Backend { kMemory, kRocks };

class StorageContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { Reopen(); }

  // For RocksDB: closes and reopens the same directory, proving what survives.
  void Reopen() {
    storage_.reset();
    if (GetParam() == Backend::kMemory) {
      if (memory_ == nullptr) memory_ = NewMemoryStorage();
      storage_ptr_ = memory_.get();
      return;
    }
    RocksOptions options;
    options.path = dir_.Sub("db");
    auto opened = OpenRocksStorage(options);
    ASSERT_THAT(opened, IsOk());
    storage_ = *std::move(opened);
    storage_ptr_ = storage_.get();
  }

  Storage& store() { return *storage_ptr_; }

  TempDir dir_;
  std::unique_ptr<Storage> memory_;
  std::unique_ptr<Storage> storage_;
  Storage* storage_ptr_ = nullptr;
};

TEST_P(StorageContractTest, AppendInsertsThenReportsDuplicatesAndConflicts) {
  auto a = PriceRecord(TestUlid(1, 1), 13100);
  auto b = PriceRecord(TestUlid(1, 2), 13200);
  auto first = store().records().Append(Writes({a, b}));
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(*first, (std::vector<AppendOutcome>{AppendOutcome::kInserted, AppendOutcome::kInserted}));

  auto changed = a;
  changed.mutable_price_sample()->set_price_rupiah(99999);
  auto second = store().records().Append(Writes({a, changed}));
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(*second,
            (std::vector<AppendOutcome>{AppendOutcome::kDuplicate, AppendOutcome::kConflict}));

  auto stored = store().records().Get(a.id());
  ASSERT_THAT(stored, IsOk());
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->record().price_sample().price_rupiah(), 13100);  // original untouched
  auto counts = store().records().CountByKind();
  ASSERT_THAT(counts, IsOk());
  EXPECT_EQ((*counts)[static_cast<size_t>(common::RecordKind::kPriceSample)], 2u);
}

TEST_P(StorageContractTest, WhatIsReadBackIsExactlyWhatWasWritten) {
  auto a = PriceRecord(TestUlid(1, 1), 13100);
  a.set_note("catatan");
  RecordWrite w = Write(a);
  w.record_bytes = a.SerializeAsString();  // the caller's serialisation is used as is
  std::vector<RecordWrite> writes;
  writes.push_back(w);
  ASSERT_THAT(store().records().Append(std::move(writes)), IsOk());
  auto got = store().records().Get(a.id());
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(**got, w.stored))
      << (*got)->DebugString();
}

TEST_P(StorageContractTest, TheSameIdTwiceInOneCallIsStoredOnce) {
  auto a = PriceRecord(TestUlid(1, 1), 13100);
  auto result = store().records().Append(Writes({a, a}));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(*result, (std::vector<AppendOutcome>{AppendOutcome::kInserted, AppendOutcome::kDuplicate}));
  auto counts = store().records().CountByKind();
  EXPECT_EQ((*counts)[0], 1u);
}

TEST_P(StorageContractTest, ConcurrentAppendsOfTheSameIdsStoreEachOnce) {
  constexpr int kThreads = 4;
  constexpr int kRecords = 200;
  std::vector<v1::Record> records;
  for (int i = 0; i < kRecords; ++i) records.push_back(PriceRecord(TestUlid(5, i), 10000 + i));
  std::atomic<int> inserted{0}, duplicate{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int start = 0; start < kRecords; start += 25) {
        std::vector<v1::Record> slice(records.begin() + start, records.begin() + start + 25);
        auto result = store().records().Append(Writes(slice));
        if (!result.ok()) {
          failures++;
          continue;
        }
        for (auto o : *result) (o == AppendOutcome::kInserted ? inserted : duplicate)++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(inserted.load(), kRecords);
  EXPECT_EQ(duplicate.load(), kRecords * (kThreads - 1));
  auto counts = store().records().CountByKind();
  EXPECT_EQ((*counts)[0], static_cast<uint64_t>(kRecords));
  int scanned = 0;
  ASSERT_THAT(store().records().ScanAll([&](const v1::StoredRecord&) { return ++scanned, true; }),
              IsOk());
  EXPECT_EQ(scanned, kRecords);
}

TEST_P(StorageContractTest, IndexScansAreOrderedByObservedTimeAndBoundedByTheRange) {
  const absl::Time t0 = TestNow();
  std::vector<v1::Record> records;
  // Inserted out of time order on purpose.
  for (int i : {3, 1, 4, 0, 2}) records.push_back(PriceRecord(TestUlid(9, i), 13000 + i, t0 + absl::Hours(i)));
  auto other = PriceRecord(TestUlid(9, 10), 13000, t0);
  other.mutable_price_sample()->set_market_code("pasar_lain");
  records.push_back(other);
  ASSERT_THAT(store().records().Append(Writes(records)), IsOk());

  std::vector<int64_t> prices;
  ASSERT_THAT(store().records().ScanIndex(common::IndexKind::kMarket, "pasar_marabahan",
                                          t0 + absl::Hours(1), t0 + absl::Hours(4),
                                          [&](const v1::StoredRecord& r) {
                                            prices.push_back(r.record().price_sample().price_rupiah());
                                            return true;
                                          }),
              IsOk());
  EXPECT_EQ(prices, (std::vector<int64_t>{13001, 13002, 13003}));  // [from, to)

  int by_device = 0;
  ASSERT_THAT(store().records().ScanIndex(common::IndexKind::kDevice, "laptop-siti", absl::InfinitePast(),
                                          absl::InfiniteFuture(),
                                          [&](const v1::StoredRecord&) { return ++by_device, true; }),
              IsOk());
  EXPECT_EQ(by_device, 6);
  int prefix_only = 0;
  ASSERT_THAT(store().records().ScanIndex(common::IndexKind::kMarket, "pasar", absl::InfinitePast(),
                                          absl::InfiniteFuture(),
                                          [&](const v1::StoredRecord&) { return ++prefix_only, true; }),
              IsOk());
  EXPECT_EQ(prefix_only, 0);  // "pasar" is not a prefix match of "pasar_marabahan"
}

TEST_P(StorageContractTest, ReferenceApplyNumbersRealChangesOnlyAndScansAfterACursor) {
  const auto data = pantau::testing::TestReferenceData();
  auto first = store().reference().Apply(data, {}, TestNow());
  ASSERT_THAT(first, IsOk());
  ASSERT_EQ(first->size(), data.size());
  EXPECT_EQ(first->front().sequence(), 1u);
  EXPECT_EQ(first->back().sequence(), data.size());

  auto again = store().reference().Apply(data, {}, TestNow());
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->empty());  // nothing changed, no new sequence

  auto changed = data[1];
  changed.mutable_market()->set_name("Pasar Marabahan Baru");
  auto removal = data[3];
  auto third = store().reference().Apply({changed}, {removal}, TestNow());
  ASSERT_THAT(third, IsOk());
  ASSERT_EQ(third->size(), 2u);
  EXPECT_EQ((*third)[1].sequence(), data.size() + 2);
  EXPECT_TRUE((*third)[1].removed());

  std::vector<uint64_t> seen;
  ASSERT_THAT(store().reference().ScanChanges(data.size(), [&](const v1::ReferenceChange& c) {
    seen.push_back(c.sequence());
    return true;
  }), IsOk());
  EXPECT_EQ(seen, (std::vector<uint64_t>{data.size() + 1, data.size() + 2}));
  EXPECT_EQ(*store().reference().LastSequence(), data.size() + 2);
  // Cursors at or beyond the last change find nothing; the largest one must not wrap to 0.
  for (uint64_t after : {uint64_t{data.size() + 2}, uint64_t{1} << 40, std::numeric_limits<uint64_t>::max()}) {
    size_t found = 0;
    ASSERT_THAT(store().reference().ScanChanges(after, [&](const v1::ReferenceChange&) {
      ++found;
      return true;
    }), IsOk());
    EXPECT_EQ(found, 0u) << after;
  }

  v1::ReferenceEntity keyless;
  keyless.mutable_market()->set_name("no code");
  EXPECT_THAT(store().reference().Apply({changed, keyless}, {}, TestNow()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(*store().reference().LastSequence(), data.size() + 2);
}

TEST_P(StorageContractTest, AccountsAreFoundByTokenHashAndNamesAreUnique) {
  v1::Account a;
  a.set_name("siti");
  a.set_role(v1::ROLE_INSPECTOR);
  a.set_token_sha256(std::string(32, 'x'));
  ASSERT_THAT(store().accounts().Create(a), IsOk());
  EXPECT_THAT(store().accounts().Create(a), StatusIs(absl::StatusCode::kAlreadyExists));
  auto found = store().accounts().FindByTokenHash(std::string(32, 'x'));
  ASSERT_THAT(found, IsOk());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->name(), "siti");
  EXPECT_FALSE(store().accounts().FindByTokenHash(std::string(32, 'y'))->has_value());
  EXPECT_EQ(store().accounts().List()->size(), 1u);
  a.set_disabled(true);
  ASSERT_THAT(store().accounts().Update(a), IsOk());
  EXPECT_TRUE((*store().accounts().FindByTokenHash(std::string(32, 'x')))->disabled());
  v1::Account nobody;
  nobody.set_name("nobody");
  EXPECT_THAT(store().accounts().Update(nobody), StatusIs(absl::StatusCode::kNotFound));
}

// A stored record that does not decode (damage on disk) fails the writer whose batch names it, with
// DATA_LOSS naming the record; the other writers sharing its group commit are committed.
TEST_P(StorageContractTest, OneWritersBadRecordNeverFailsTheOthersInItsGroup) {
  if (GetParam() == Backend::kMemory) GTEST_SKIP() << "no group commit in memory";
  const std::string damaged = TestUlid(66, 1);
  storage_.reset();
  ASSERT_TRUE(pantau::testing::PutRaw(dir_.Sub("db"), {{"records", damaged, "\xff\xff\xff"}}).ok());
  Reopen();
  constexpr int kThreads = 6;
  constexpr int kRounds = 60;
  std::atomic<int> good_failures{0}, bad_failures{0}, bad_named{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        if (t == 0) {  // the laptop whose batch names the damaged record, again and again
          auto result = store().records().Append(Writes({PriceRecord(damaged, 13100)}));
          if (!result.ok()) {
            bad_failures++;
            if (result.status().code() == absl::StatusCode::kDataLoss &&
                result.status().message().find(damaged) != std::string::npos) {
              bad_named++;
            }
          }
        } else {
          auto result = store().records().Append(
              Writes({PriceRecord(TestUlid(67 + t, static_cast<uint32_t>(round)), 13100 + round)}));
          if (!result.ok()) good_failures++;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good_failures.load(), 0);
  EXPECT_EQ(bad_failures.load(), kRounds);
  EXPECT_EQ(bad_named.load(), kRounds);
  auto counts = store().records().CountByKind();
  ASSERT_THAT(counts, IsOk());
  EXPECT_EQ((*counts)[static_cast<size_t>(common::RecordKind::kPriceSample)],
            static_cast<uint64_t>((kThreads - 1) * kRounds));
}

// Account changes from several threads at once: each is applied to what the one before it stored
// (none is lost: a revocation is never undone by a scope change read before it), and each is in the
// audit log, with its account, from the same write.
TEST_P(StorageContractTest, ConcurrentAccountChangesNeverUndoEachOtherAndEachIsAudited) {
  constexpr int kAccounts = 50;
  constexpr int kThreads = 4;
  constexpr int kChangesPerThread = 25;
  for (int a = 0; a < kAccounts; ++a) {
    v1::Account account;
    account.set_name("akun" + std::to_string(a));
    account.set_role(v1::ROLE_INSPECTOR);
    account.set_token_sha256(std::string(31, 'x') + static_cast<char>('A' + a));
    ASSERT_THAT(store().accounts().Create(account), IsOk());
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int a = 0; a < kAccounts; ++a) {
        for (int k = 0; k < kChangesPerThread; ++k) {
          v1::AuditEntry entry;
          entry.set_action("account.scope");
          entry.set_target("akun" + std::to_string(a));
          const std::string code = "kec" + std::to_string(t) + "_" + std::to_string(k);
          auto changed = store().accounts().Change("akun" + std::to_string(a), [&](v1::Account& account) {
            account.mutable_scope()->add_kecamatan_codes(code);  // read-modify-write of the same list
            if (t == 0 && k == 0) account.set_disabled(true);
            return absl::OkStatus();
          }, entry);
          EXPECT_THAT(changed, IsOk());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int a = 0; a < kAccounts; ++a) {
    auto account = store().accounts().FindByName("akun" + std::to_string(a));
    ASSERT_THAT(account, IsOk());
    ASSERT_TRUE(account->has_value());
    EXPECT_EQ((*account)->scope().kecamatan_codes_size(), kThreads * kChangesPerThread);
    EXPECT_TRUE((*account)->disabled());
  }
  auto log = store().audit().Scan(0, 100000);
  ASSERT_THAT(log, IsOk());
  EXPECT_EQ(log->size(), static_cast<size_t>(kAccounts * kThreads * kChangesPerThread));
  for (size_t i = 0; i < log->size(); ++i) EXPECT_EQ((*log)[i].sequence(), i + 1);
  // A refused change writes nothing, not even its audit entry; an unknown account is NOT_FOUND.
  v1::AuditEntry entry;
  EXPECT_THAT(store().accounts().Change("akun0", [](v1::Account&) { return absl::InvalidArgumentError("no"); }, entry),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store().accounts().Change("tidak_ada", [](v1::Account&) { return absl::OkStatus(); }, entry),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(*store().audit().LastSequence(), static_cast<uint64_t>(kAccounts * kThreads * kChangesPerThread));
  // A token changed by Change: the old hash finds nothing, the new one the account.
  ASSERT_THAT(store().accounts().Change("akun1", [](v1::Account& account) {
    account.set_token_sha256(std::string(32, 'n'));
    return absl::OkStatus();
  }, entry), IsOk());
  EXPECT_FALSE(store().accounts().FindByTokenHash(std::string(31, 'x') + 'B')->has_value());
  EXPECT_EQ((*store().accounts().FindByTokenHash(std::string(32, 'n')))->name(), "akun1");
}

TEST_P(StorageContractTest, ATokenRotatedAwayFindsNothingAndTheNewOneFindsTheAccount) {
  v1::Account a;
  a.set_name("siti");
  a.set_role(v1::ROLE_INSPECTOR);
  a.set_token_sha256(std::string(32, 'x'));
  ASSERT_THAT(store().accounts().Create(a), IsOk());
  a.set_token_sha256(std::string(32, 'z'));
  a.mutable_scope()->add_kecamatan_codes("marabahan");
  ASSERT_THAT(store().accounts().Update(a), IsOk());
  Reopen();
  EXPECT_FALSE(store().accounts().FindByTokenHash(std::string(32, 'x'))->has_value());
  auto found = store().accounts().FindByTokenHash(std::string(32, 'z'));
  ASSERT_THAT(found, IsOk());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->scope().kecamatan_codes(0), "marabahan");
  EXPECT_EQ(store().accounts().List()->size(), 1u);
}

// A laptop's last contact replaces the one before, is kept across restarts, and never shows up as
// an account (the same family holds both).
TEST_P(StorageContractTest, EachLaptopKeepsOnlyItsLastContactAcrossRestarts) {
  v1::Account a;
  a.set_name("siti");
  a.set_token_sha256(std::string(32, 'x'));
  ASSERT_THAT(store().accounts().Create(a), IsOk());
  auto contact = [](const std::string& device, int64_t seconds, int64_t refused) {
    v1::DeviceContact c;
    c.set_device_id(device);
    c.set_account_name("siti");
    c.mutable_contacted_at()->set_seconds(seconds);
    c.set_pending(3);
    c.set_needs_attention(refused);
    return c;
  };
  ASSERT_THAT(store().accounts().PutDeviceContact(contact("laptop-siti", 100, 2)), IsOk());
  ASSERT_THAT(store().accounts().PutDeviceContact(contact("laptop-ani", 150, 0)), IsOk());
  ASSERT_THAT(store().accounts().PutDeviceContact(contact("laptop-siti", 200, 0)), IsOk());
  Reopen();
  auto contacts = store().accounts().ListDeviceContacts();
  ASSERT_THAT(contacts, IsOk());
  ASSERT_EQ(contacts->size(), 2u);
  EXPECT_EQ((*contacts)[0].device_id(), "laptop-ani");
  EXPECT_EQ((*contacts)[1].device_id(), "laptop-siti");
  EXPECT_EQ((*contacts)[1].contacted_at().seconds(), 200);
  EXPECT_EQ((*contacts)[1].needs_attention(), 0);
  EXPECT_EQ(store().accounts().List()->size(), 1u);
}

TEST_P(StorageContractTest, TheAuditLogNumbersEntriesInOrderAndKeepsThemAcrossRestarts) {
  AuditLog& log = store().audit();
  EXPECT_EQ(*log.LastSequence(), 0u);
  for (int i = 1; i <= 5; ++i) {
    v1::AuditEntry e;
    e.set_action("account.create");
    e.set_target(absl::StrCat("user", i));
    e.set_sequence(999);  // ignored: the log numbers entries itself
    auto seq = log.Append(e);
    ASSERT_THAT(seq, IsOk());
    EXPECT_EQ(*seq, static_cast<uint64_t>(i));
  }
  Reopen();
  AuditLog& reopened = store().audit();
  EXPECT_EQ(*reopened.LastSequence(), 5u);
  auto page = reopened.Scan(2, 2);
  ASSERT_THAT(page, IsOk());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].sequence(), 3u);
  EXPECT_EQ((*page)[0].target(), "user3");
  EXPECT_EQ((*page)[1].sequence(), 4u);
  // Numbering continues after a restart, and accounts in the same family do not disturb it.
  v1::Account account;
  account.set_name("zz");
  account.set_token_sha256("hash");
  ASSERT_THAT(store().accounts().Create(account), IsOk());
  EXPECT_EQ(*reopened.Append(v1::AuditEntry()), 6u);
  EXPECT_EQ(reopened.Scan(0, 100)->size(), 6u);
  EXPECT_TRUE(reopened.Scan(6, 100)->empty());
}

TEST_P(StorageContractTest, PhotoUploadsResumeAndPhotosAreStoredOnce) {
  const std::string sha(64, 'a');
  PhotoStore& photos = store().photos();
  EXPECT_EQ(photos.State(sha)->received_bytes, 0);
  auto first = photos.AppendPart(sha, 10, 0, "abcd");
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->received_bytes, 4);
  EXPECT_FALSE(first->complete);
  // A part that does not continue the upload, another total, or one past the end is refused.
  EXPECT_THAT(photos.AppendPart(sha, 10, 0, "abcd"), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(photos.AppendPart(sha, 11, 4, "efgh"), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(photos.AppendPart(sha, 10, 4, "efghijk"), StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_THAT(photos.AppendPart(sha, 10, 4, "efghij"), IsOk());
  EXPECT_EQ(*photos.ReadParts(sha), "abcdefghij");
  ASSERT_THAT(photos.Finish(sha, "abcdefghij"), IsOk());
  auto done = photos.State(sha);
  EXPECT_TRUE(done->complete);
  EXPECT_EQ(done->received_bytes, 10);
  EXPECT_EQ(**photos.Read(sha), "abcdefghij");
  EXPECT_EQ(*photos.ReadParts(sha), "");  // the parts are gone
  // Uploading it again takes nothing.
  auto again = photos.AppendPart(sha, 10, 0, "abcd");
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->complete);
  // A discarded upload starts over.
  const std::string other(64, 'b');
  ASSERT_THAT(photos.AppendPart(other, 3, 0, "xy"), IsOk());
  ASSERT_THAT(photos.Discard(other), IsOk());
  EXPECT_EQ(photos.State(other)->received_bytes, 0);
  EXPECT_FALSE(photos.Read(other)->has_value());
  if (GetParam() == Backend::kMemory) return;
  // An upload in progress survives a restart, and resumes where it was.
  ASSERT_THAT(photos.AppendPart(other, 3, 0, "xy"), IsOk());
  Reopen();
  EXPECT_EQ(store().photos().State(other)->received_bytes, 2);
  ASSERT_THAT(store().photos().AppendPart(other, 3, 2, "z"), IsOk());
  EXPECT_EQ(*store().photos().ReadParts(other), "xyz");
  EXPECT_TRUE(store().photos().State(sha)->complete);
}

TEST_P(StorageContractTest, EverythingAcknowledgedSurvivesReopen) {
  if (GetParam() == Backend::kMemory) GTEST_SKIP() << "in-memory storage is not durable by design";
  auto a = PriceRecord(TestUlid(1, 1), 13100);
  ASSERT_THAT(store().records().Append(Writes({a})), IsOk());
  ASSERT_THAT(store().reference().Apply(pantau::testing::TestReferenceData(), {}, TestNow()), IsOk());
  v1::Account account;
  account.set_name("siti");
  account.set_token_sha256("hash");
  ASSERT_THAT(store().accounts().Create(account), IsOk());
  Reopen();
  auto stored = store().records().Get(a.id());
  ASSERT_THAT(stored, IsOk());
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->content_sha256(), service::RecordFingerprint(a));
  EXPECT_EQ((*store().records().CountByKind())[0], 1u);
  EXPECT_EQ(*store().reference().LastSequence(), pantau::testing::TestReferenceData().size());
  EXPECT_TRUE(store().accounts().FindByTokenHash("hash")->has_value());
  // A replay after restart is still a duplicate.
  auto replay = store().records().Append(Writes({a}));
  ASSERT_THAT(replay, IsOk());
  EXPECT_EQ((*replay)[0], AppendOutcome::kDuplicate);
}

// Acknowledged means on disk: after a simulated power cut (every byte not synced is gone), every
// acknowledged record, its index entries and its roll-ups are there. The same run with unsynced
// writes loses records: the test notices a missing sync.
TEST_P(StorageContractTest, EveryAcknowledgedRecordSurvivesAPowerCut) {
  if (GetParam() == Backend::kMemory) GTEST_SKIP() << "in-memory storage is not durable by design";
  for (const bool synced : {true, false}) {
    SCOPED_TRACE(synced ? "synced writes" : "unsynced writes");
    const std::string path = dir_.Sub(synced ? "cut-synced" : "cut-unsynced");
    pantau::testing::PowerCutEnv cut;
    RocksOptions options;
    options.path = path;
    options.env = cut.env.get();
    options.sync_writes = synced;
    std::vector<std::string> acknowledged;
    auto price_values = [](Storage& store) {
      size_t n = 0;
      EXPECT_THAT(store.records().ScanRollups("", std::string(8, '\xff'), [&](std::string_view, const v1::RollupCell& cell) {
        n += static_cast<size_t>(cell.price().prices_rupiah_size());
        return true;
      }), IsOk());
      return n;
    };
    size_t values_before = 0;
    {
      auto opened = OpenRocksStorage(options);
      ASSERT_THAT(opened, IsOk());
      for (uint32_t group = 0; group < 20; ++group) {
        std::vector<v1::Record> records;
        for (uint32_t i = 0; i < 50; ++i) records.push_back(PriceRecord(TestUlid(80 + group, i), 13000 + i));
        auto appended = (*opened)->records().Append(Writes(records));
        ASSERT_THAT(appended, IsOk());
        for (const auto& r : records) acknowledged.push_back(r.id());
      }
      values_before = price_values(**opened);
    }  // closed: a close syncs nothing more than the writes did
    const uint64_t dropped = cut.fs->PowerCut();
    RocksOptions after;
    after.path = path;
    auto reopened = OpenRocksStorage(after);
    ASSERT_THAT(reopened, IsOk());
    size_t found = 0;
    for (const auto& id : acknowledged) found += (*reopened)->records().Get(id)->has_value();
    if (synced) {
      EXPECT_EQ(found, acknowledged.size()) << dropped << " unsynced bytes dropped";
      auto counts = (*reopened)->records().CountByKind();
      ASSERT_THAT(counts, IsOk());
      EXPECT_EQ((*counts)[static_cast<size_t>(common::RecordKind::kPriceSample)], acknowledged.size());
      EXPECT_GE(values_before, acknowledged.size());
      EXPECT_EQ(price_values(**reopened), values_before);
    } else {
      EXPECT_GT(dropped, 0u);
      EXPECT_LT(found, acknowledged.size()) << "without sync the power cut must lose records, or it proves nothing";
    }
  }
}

TEST_P(StorageContractTest, ASecondOpenOfTheSameDirectoryIsRefused) {
  if (GetParam() == Backend::kMemory) GTEST_SKIP() << "no directory";
  RocksOptions options;
  options.path = dir_.Sub("db");
  EXPECT_THAT(OpenRocksStorage(options), StatusIs(absl::StatusCode::kFailedPrecondition));
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageContractTest,
                         ::testing::Values(Backend::kMemory, Backend::kRocks),
                         [](const auto& info) {
                           return info.param == Backend::kMemory ? "Memory" : "Rocks";
                         });

TEST(KeyCodecTest, TimesSortInTimeOrderAcrossTheEpoch) {
  std::vector<absl::Time> times = {absl::FromUnixMicros(-5), absl::FromUnixMicros(-1),
                                   absl::FromUnixMicros(0), absl::FromUnixMicros(1),
                                   absl::FromUnixMicros(1LL << 40)};
  for (size_t i = 1; i < times.size(); ++i) {
    EXPECT_LT(EncodeTimeMicros(times[i - 1]), EncodeTimeMicros(times[i]));
  }
  EXPECT_EQ(DecodeUint64(EncodeUint64(0x0102030405060708ULL)), 0x0102030405060708ULL);
  std::string key = IndexKey(common::IndexKind::kMarket, "pasar", TestNow(), TestUlid(1, 1));
  EXPECT_EQ(RecordIdOfIndexKey(key), TestUlid(1, 1));
}

}  // namespace
}  // namespace pantau::storage

namespace pantau::storage {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::TempDir;
using ::pantau::testing::TestNow;
using ::pantau::testing::TestUlid;

std::vector<std::pair<std::string, std::string>> DumpRollups(Storage& storage) {
  std::vector<std::pair<std::string, std::string>> out;
  EXPECT_THAT(storage.records().ScanRollups(std::string(1, '\0'), std::string(1, '\xff'),
                                            [&](std::string_view key, const v1::RollupCell& cell) {
                                              std::string bytes;
                                              cell.SerializeToString(&bytes);
                                              out.emplace_back(std::string(key), bytes);
                                              return true;
                                            }),
              IsOk());
  return out;
}

// A random stream of field records of every kind, with corrections, voids, amendments whose
// original never arrives, duplicates, and arrival in random order.
std::vector<v1::Record> RandomStream(std::mt19937& random) {
  std::vector<v1::Record> originals, stream;
  const char* markets[] = {"pasar_marabahan", "pasar_lain"};
  const char* commodities[] = {"beras_medium", "telur_itik"};
  const absl::Time base = TestNow() - absl::Hours(72);
  uint32_t n = 0;
  for (int i = 0; i < 60; ++i) {
    const absl::Time observed = base + absl::Minutes(random() % (72 * 60));
    v1::Record r = pantau::testing::PriceRecord(TestUlid(10, n++), 12000 + random() % 10 * 100, observed);
    switch (random() % 5) {
      case 0: {
        r.clear_price_sample();
        auto* a = r.mutable_outlet_audit();
        a->set_outlet_code(random() % 2 ? "pkl_1" : "pkl_2");
        a->set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
        a->set_checklist_version("1");
        if (random() % 2) a->add_findings("harga_di_atas_het");
        if (random() % 3 == 0) a->add_findings("tanpa_papan_nama");
        break;
      }
      case 1: {
        r.clear_price_sample();
        auto* f = r.mutable_follow_up();
        f->set_audit_record_id(TestUlid(99, 1));
        f->set_finding_code("harga_di_atas_het");
        f->set_action_code(random() % 2 ? "teguran_lisan" : "teguran_tertulis");
        f->set_action_date(random() % 2 ? "2026-11-22" : "2026-11-23");
        f->set_status(random() % 2 ? v1::FOLLOW_UP_STATUS_OPEN : v1::FOLLOW_UP_STATUS_CLOSED);
        break;
      }
      case 2: {
        r.clear_price_sample();
        auto* u = r.mutable_uttp_verification();
        u->set_instrument_id(random() % 2 ? "UTTP-1" : "UTTP-2");
        u->set_kind(static_cast<v1::VerificationKind>(1 + random() % 3));
        u->set_claimed_verdict(random() % 2 ? v1::VERDICT_SAH : v1::VERDICT_BATAL);
        u->add_weighing_points()->set_load_mg(1000);
        break;
      }
      default: {
        auto* p = r.mutable_price_sample();
        p->set_market_code(markets[random() % 2]);
        p->set_commodity_code(commodities[random() % 2]);
        p->set_trader(random() % 3 ? "Bu Ani" : "Pak Budi");
        break;
      }
    }
    originals.push_back(r);
    stream.push_back(r);
  }
  for (int i = 0; i < 30; ++i) {
    const v1::Record& target = originals[random() % originals.size()];
    v1::Record a = pantau::testing::PriceRecord(TestUlid(20, n++), 0,
                                                TestNow() - absl::Hours(random() % 72));
    if (random() % 3 == 0) {
      a.mutable_void_()->set_target_id(target.id());
      a.mutable_void_()->set_reason("dobel");
    } else {
      auto* c = a.mutable_correction();
      c->set_target_id(random() % 6 == 0 ? TestUlid(77, n) : target.id());  // some never arrive
      c->set_reason("salah ketik");
      if (target.has_price_sample()) {
        *c->mutable_price_sample() = target.price_sample();
        c->mutable_price_sample()->set_price_rupiah(15000 + random() % 10 * 100);
      } else if (target.has_outlet_audit()) {
        *c->mutable_outlet_audit() = target.outlet_audit();
        c->mutable_outlet_audit()->clear_findings();
      } else if (target.has_follow_up()) {
        *c->mutable_follow_up() = target.follow_up();
        c->mutable_follow_up()->set_status(v1::FOLLOW_UP_STATUS_CLOSED);
      } else {
        *c->mutable_uttp_verification() = target.uttp_verification();
        c->mutable_uttp_verification()->set_claimed_verdict(v1::VERDICT_SAH);
      }
    }
    stream.push_back(a);
  }
  for (int i = 0; i < 15; ++i) stream.push_back(stream[random() % stream.size()]);  // replays
  std::shuffle(stream.begin(), stream.end(), random);
  return stream;
}

void AppendInRandomBatches(Storage& storage, const std::vector<v1::Record>& stream, std::mt19937& random) {
  for (size_t start = 0; start < stream.size();) {
    size_t size = 1 + random() % 12;
    std::vector<RecordWrite> writes;
    for (size_t i = start; i < std::min(stream.size(), start + size); ++i) {
      RecordWrite w;
      w.kind = *common::KindOf(stream[i]);
      w.index = common::IndexEntriesOf(stream[i]);
      *w.stored.mutable_record() = stream[i];
      w.stored.set_content_sha256(service::RecordFingerprint(stream[i]));
      writes.push_back(std::move(w));
    }
    ASSERT_THAT(storage.records().Append(std::move(writes)), IsOk());
    start += size;
  }
}

// The property: whatever the stream, rebuilding the roll-ups from the records gives exactly the
// bytes that incremental maintenance produced, on both backends, and both backends agree.
TEST(RollupPropertyTest, RebuildEqualsIncrementalByteForByteOnBothBackends) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE(StrCat("random seed ", seed));
  std::mt19937 random(seed);
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE(StrCat("round ", round));
    const auto stream = RandomStream(random);
    TempDir dir;
    RocksOptions options;
    options.path = dir.Sub("db");
    auto rocks = OpenRocksStorage(options);
    ASSERT_THAT(rocks, IsOk());
    auto memory = NewMemoryStorage();
    AppendInRandomBatches(**rocks, stream, random);
    AppendInRandomBatches(*memory, stream, random);
    const auto incremental = DumpRollups(**rocks);
    ASSERT_FALSE(incremental.empty());
    EXPECT_EQ(DumpRollups(*memory), incremental);
    ASSERT_THAT((*rocks)->records().RebuildRollups(), IsOk());
    ASSERT_THAT(memory->records().RebuildRollups(), IsOk());
    EXPECT_EQ(DumpRollups(**rocks), incremental);
    EXPECT_EQ(DumpRollups(*memory), incremental);
  }
}

// The store remembers the zone its roll-ups count days in: an empty store takes a new one, a store
// with records refuses another until its roll-ups are rebuilt in it, and the rebuilt cells are the
// cells of the new zone, byte for byte.
TEST(RollupZoneTest, AStoreWithRecordsKeepsItsZoneUntilItsRollupsAreRebuilt) {
  const absl::TimeZone wib = *common::IndonesianTimeZone("WIB");
  const absl::TimeZone wita = *common::IndonesianTimeZone("WITA");
  TempDir dir;
  auto open = [&](std::optional<absl::TimeZone> zone, bool rebuilding = false, bool read_only = false) {
    RocksOptions options;
    options.path = dir.Sub("db");
    options.zone = zone;
    options.rebuilding_rollups = rebuilding;
    options.read_only = read_only;
    return OpenRocksStorage(options);
  };
  {
    auto empty = open(wita);  // an empty store takes any zone
    ASSERT_THAT(empty, IsOk());
    EXPECT_EQ((*empty)->records().zone(), wita);
  }
  // 23:30 WIB on 31 October is 00:30 WITA on 1 November: another day, another month.
  const v1::Record late = PriceRecord(TestUlid(1, 1), 13100, absl::FromCivil(absl::CivilMinute(2026, 10, 31, 23, 30), wib));
  {
    auto store = open(wib);
    ASSERT_THAT(store, IsOk());
    EXPECT_EQ((*store)->records().zone(), wib);
    ASSERT_THAT((*store)->records().Append(Writes({late})), IsOk());
  }
  auto expected_in = [&](absl::TimeZone zone) {
    auto memory = NewMemoryStorage(zone);
    EXPECT_THAT(memory->records().Append(Writes({late})), IsOk());
    return DumpRollups(*memory);
  };
  ASSERT_NE(expected_in(wib), expected_in(wita));
  {
    auto as_stored = open(std::nullopt);
    ASSERT_THAT(as_stored, IsOk());
    EXPECT_EQ((*as_stored)->records().zone(), wib);
    EXPECT_EQ(DumpRollups(**as_stored), expected_in(wib));
  }
  auto refused = open(wita);
  ASSERT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_NE(refused.status().message().find("count days in WIB but the deployment's time zone is WITA"), std::string::npos)
      << refused.status();
  EXPECT_NE(refused.status().message().find("pantau-server rebuild-rollups"), std::string::npos) << refused.status();
  refused = absl::UnknownError("closed");
  {
    auto rebuilding = open(wita, /*rebuilding=*/true);
    ASSERT_THAT(rebuilding, IsOk());
    EXPECT_EQ((*rebuilding)->records().zone(), wita);
    ASSERT_THAT((*rebuilding)->records().RebuildRollups(), IsOk());
    EXPECT_EQ(DumpRollups(**rebuilding), expected_in(wita));
  }
  {
    auto read_only = open(wib, false, /*read_only=*/true);  // read-only: the remembered zone
    ASSERT_THAT(read_only, IsOk());
    EXPECT_EQ((*read_only)->records().zone(), wita);
  }
  auto again = open(wita);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(DumpRollups(**again), expected_in(wita));
}

}  // namespace

// Raw access to a closed store's RocksDB, as an older build would have left it.
class RawStore {
 public:
  explicit RawStore(const std::string& path) {
    std::vector<std::string> names;
    EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const auto& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* db = nullptr;
    EXPECT_TRUE(rocksdb::DB::Open(rocksdb::Options(), path, families, &handles_, &db).ok());
    db_.reset(db);
    for (size_t i = 0; i < names.size(); ++i) by_name_[names[i]] = handles_[i];
  }
  ~RawStore() {
    for (auto* h : handles_) (void)db_->DestroyColumnFamilyHandle(h);
  }
  rocksdb::DB* db() { return db_.get(); }
  rocksdb::ColumnFamilyHandle* family(const std::string& name) { return by_name_.at(name); }
  std::string Get(const std::string& family_name, const std::string& key) {
    std::string value;
    return db_->Get(rocksdb::ReadOptions(), family(family_name), key, &value).ok() ? value : "(none)";
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*> by_name_;
};

// A store of format 1 (no price-days and price-months cells) opened for writing gets them, from
// its records, and moves to format 2; a read-only open reads it as it is; an unknown format is
// refused.
TEST(StorageFormatTest, AFormat1StoreGetsItsPriceSumsOnItsFirstWritableOpen) {
  TempDir dir;
  RocksOptions options;
  options.path = dir.Sub("db");
  std::vector<std::pair<std::string, std::string>> current;
  {
    auto store = OpenRocksStorage(options);
    ASSERT_THAT(store, IsOk());
    std::vector<v1::Record> prices;
    for (uint32_t n = 0; n < 40; ++n) {
      prices.push_back(PriceRecord(TestUlid(3, n), 13000 + 10 * n, TestNow() - absl::Hours(24 * 9 * n)));
    }
    ASSERT_THAT((*store)->records().Append(Writes(prices)), IsOk());
    current = DumpRollups(**store);
  }
  auto is_sum_cell = [](const std::string& key) { return !key.empty() && (key[0] == 'M' || key[0] == 'D'); };
  ASSERT_TRUE(std::any_of(current.begin(), current.end(), [&](const auto& e) { return is_sum_cell(e.first); }));
  {
    RawStore raw(options.path);
    EXPECT_EQ(raw.Get("default", "format_version"), "2");
    for (const auto& [key, value] : current) {
      if (is_sum_cell(key)) {
        ASSERT_TRUE(raw.db()->Delete(rocksdb::WriteOptions(), raw.family("rollups"), key).ok());
      }
    }
    ASSERT_TRUE(raw.db()->Put(rocksdb::WriteOptions(), raw.family("default"), "format_version", "1").ok());
  }
  {
    RocksOptions read_only = options;
    read_only.read_only = true;
    auto store = OpenRocksStorage(read_only);
    ASSERT_THAT(store, IsOk());
    auto without = DumpRollups(**store);
    EXPECT_FALSE(std::any_of(without.begin(), without.end(), [&](const auto& e) { return is_sum_cell(e.first); }));
  }
  {
    auto store = OpenRocksStorage(options);
    ASSERT_THAT(store, IsOk());
    EXPECT_EQ(DumpRollups(**store), current);
  }
  {
    RawStore raw(options.path);
    EXPECT_EQ(raw.Get("default", "format_version"), "2");
    ASSERT_TRUE(raw.db()->Put(rocksdb::WriteOptions(), raw.family("default"), "format_version", "9").ok());
  }
  auto refused = OpenRocksStorage(options);
  ASSERT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_NE(refused.status().message().find("has storage format 9, this build reads format 2"), std::string::npos)
      << refused.status();
}

}  // namespace pantau::storage
