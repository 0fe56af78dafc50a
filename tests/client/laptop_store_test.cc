#include "client/laptop_store.h"

#include <gtest/gtest.h>

#include <sstream>

#include "client/cli.h"
#include "common/dates.h"
#include "tests/testing/power_cut_fs.h"
#include "tests/testing/test_support.h"

namespace pantau::client {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::PriceRecord;
using ::pantau::testing::StatusIs;
using ::pantau::testing::TempDir;
using ::pantau::testing::TestNow;
using ::pantau::testing::TestUlid;

class LaptopStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    store_.reset();
    auto opened = LaptopStore::Open(dir_.path());
    ASSERT_THAT(opened, IsOk());
    store_ = *std::move(opened);
  }
  v1::PushResponse Answer(const std::vector<v1::Record>& batch, std::vector<v1::PushOutcome> outcomes) {
    v1::PushResponse response;
    for (size_t i = 0; i < batch.size(); ++i) {
      auto* r = response.add_results();
      r->set_record_id(batch[i].id());
      r->set_index(static_cast<uint32_t>(i));
      r->set_outcome(outcomes[i]);
      if (outcomes[i] == v1::PUSH_OUTCOME_INVALID) {
        auto* e = r->add_errors();
        e->set_field("price_sample.price_rupiah");
        e->set_reason("must be greater than 0");
        r->set_message("record " + batch[i].id() + ": price_sample.price_rupiah: must be greater than 0");
      }
    }
    return response;
  }
  TempDir dir_;
  std::unique_ptr<LaptopStore> store_;
};

TEST_F(LaptopStoreTest, RecordsMoveFromPendingOnlyOnAnAnswerAndSurviveReopen) {
  std::vector<v1::Record> records;
  for (int i = 0; i < 5; ++i) records.push_back(PriceRecord(TestUlid(1, i), 13000 + i));
  for (const auto& r : records) ASSERT_THAT(store_->Add(r, TestNow()), IsOk());
  EXPECT_THAT(store_->Add(records[0], TestNow()), StatusIs(absl::StatusCode::kAlreadyExists));
  Reopen();  // saved means fsynced: all five are still pending
  EXPECT_EQ(store_->Counts()->pending, 5u);

  auto first = store_->NextPending("", 3);
  ASSERT_THAT(first, IsOk());
  ASSERT_EQ(first->size(), 3u);
  EXPECT_EQ((*first)[0].id(), records[0].id());
  auto rest = store_->NextPending((*first)[2].id(), 10);
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_EQ((*rest)[0].id(), records[3].id());

  ASSERT_THAT(store_->ApplyResults(*first, Answer(*first, {v1::PUSH_OUTCOME_ACCEPTED,
                                                           v1::PUSH_OUTCOME_INVALID,
                                                           v1::PUSH_OUTCOME_DUPLICATE}),
                                   TestNow()),
              IsOk());
  Reopen();
  auto counts = store_->Counts();
  EXPECT_EQ(counts->pending, 2u);
  EXPECT_EQ(counts->acknowledged, 2u);
  EXPECT_EQ(counts->needs_attention, 1u);
  auto pending = store_->NextPending("", 10);
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].id(), records[3].id());
  std::vector<std::string> flagged;
  ASSERT_THAT(store_->ScanAttention([&](const v1::OutboxEntry& e) {
    flagged.push_back(e.message());
    return true;
  }), IsOk());
  ASSERT_EQ(flagged.size(), 1u);
  EXPECT_NE(flagged[0].find(records[1].id()), std::string::npos);
  // The refused record is kept, never dropped.
  EXPECT_EQ((*store_->Get(records[1].id()))->record().price_sample().price_rupiah(), 13001);
}

TEST_F(LaptopStoreTest, ARefusedRecordRequeuedIsPendingAgainAndAConflictIsNot) {
  std::vector<v1::Record> records = {PriceRecord(TestUlid(2, 1), 13100), PriceRecord(TestUlid(2, 2), 13200),
                                     PriceRecord(TestUlid(2, 3), 13300)};
  for (const auto& r : records) ASSERT_THAT(store_->Add(r, TestNow()), IsOk());
  ASSERT_THAT(store_->ApplyResults(records,
                                   Answer(records, {v1::PUSH_OUTCOME_INVALID, v1::PUSH_OUTCOME_CONFLICT,
                                                    v1::PUSH_OUTCOME_ACCEPTED}),
                                   TestNow()),
              IsOk());
  ASSERT_THAT(store_->Requeue(records[0].id(), TestNow()), IsOk());
  EXPECT_THAT(store_->Requeue(records[0].id(), TestNow()), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store_->Requeue(records[1].id(), TestNow()), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store_->Requeue(records[2].id(), TestNow()), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store_->Requeue(TestUlid(9, 9), TestNow()), StatusIs(absl::StatusCode::kNotFound));
  Reopen();  // one synced write
  auto counts = store_->Counts();
  EXPECT_EQ(counts->pending, 1u);
  EXPECT_EQ(counts->needs_attention, 1u);
  EXPECT_EQ(counts->acknowledged, 1u);
  auto pending = store_->NextPending("", 10);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].id(), records[0].id());
  auto entry = *store_->Get(records[0].id());
  EXPECT_EQ(entry->state(), v1::OUTBOX_STATE_PENDING);
  EXPECT_EQ(entry->errors_size(), 0);
  // Sent again and accepted this time.
  ASSERT_THAT(store_->ApplyResults(*pending, Answer(*pending, {v1::PUSH_OUTCOME_ACCEPTED}), TestNow()), IsOk());
  EXPECT_EQ(store_->Counts()->acknowledged, 2u);
  EXPECT_EQ(store_->Counts()->pending, 0u);
}

TEST_F(LaptopStoreTest, ARefusedRecordReplacedOrDroppedLeavesAttentionInTheSameWrite) {
  std::vector<v1::Record> records = {PriceRecord(TestUlid(4, 1), 13100), PriceRecord(TestUlid(4, 2), 13200),
                                     PriceRecord(TestUlid(4, 3), 13300)};
  for (const auto& r : records) ASSERT_THAT(store_->Add(r, TestNow()), IsOk());
  ASSERT_THAT(store_->ApplyResults(records,
                                   Answer(records, {v1::PUSH_OUTCOME_INVALID, v1::PUSH_OUTCOME_CONFLICT,
                                                    v1::PUSH_OUTCOME_ACCEPTED}),
                                   TestNow()),
              IsOk());
  ASSERT_EQ(store_->Counts()->needs_attention, 2u);
  const v1::Record fixed = PriceRecord(TestUlid(4, 4), 13150);
  // A replacement whose id is taken changes nothing.
  const v1::Record taken = PriceRecord(TestUlid(4, 3), 1);
  EXPECT_THAT(store_->Resolve(records[0].id(), &taken, "x", TestNow()), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(store_->Counts()->needs_attention, 2u);
  ASSERT_THAT(store_->Resolve(records[0].id(), &fixed, "typo", TestNow()), IsOk());
  // A conflict (its id taken on the server) can be dropped; a delivered record cannot.
  ASSERT_THAT(store_->Resolve(records[1].id(), nullptr, "entered twice", TestNow()), IsOk());
  EXPECT_THAT(store_->Resolve(records[2].id(), nullptr, "x", TestNow()), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store_->Resolve(records[0].id(), nullptr, "x", TestNow()), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store_->Resolve(TestUlid(9, 9), nullptr, "x", TestNow()), StatusIs(absl::StatusCode::kNotFound));
  Reopen();  // synced writes
  auto counts = store_->Counts();
  EXPECT_EQ(counts->needs_attention, 0u);
  EXPECT_EQ(counts->pending, 1u);
  EXPECT_EQ(counts->acknowledged, 1u);
  auto pending = store_->NextPending("", 10);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].id(), fixed.id());
  auto replaced = *store_->Get(records[0].id());
  EXPECT_EQ(replaced->state(), v1::OUTBOX_STATE_RESOLVED);
  EXPECT_EQ(replaced->replaced_by(), fixed.id());
  auto dropped = *store_->Get(records[1].id());
  EXPECT_EQ(dropped->state(), v1::OUTBOX_STATE_RESOLVED);
  EXPECT_EQ(dropped->replaced_by(), "");
  EXPECT_EQ(dropped->resolution_reason(), "entered twice");
  int scanned = 0;
  ASSERT_THAT(store_->ScanAttention([&](const v1::OutboxEntry&) { return ++scanned > 0; }), IsOk());
  EXPECT_EQ(scanned, 0);
}

TEST_F(LaptopStoreTest, RecordsDeliveredSinceADayArePendingAgainAfterAServerRestore) {
  // Three records delivered on the day before, two on the day, one refused, one still pending.
  std::vector<v1::Record> early = {PriceRecord(TestUlid(3, 1), 13100), PriceRecord(TestUlid(3, 2), 13200),
                                   PriceRecord(TestUlid(3, 3), 13300)};
  std::vector<v1::Record> late = {PriceRecord(TestUlid(3, 4), 13400), PriceRecord(TestUlid(3, 5), 13500),
                                  PriceRecord(TestUlid(3, 6), 13600)};
  ASSERT_THAT(store_->AddNew(early, TestNow() - absl::Hours(30)), IsOk());
  ASSERT_THAT(store_->ApplyResults(early, Answer(early, std::vector<v1::PushOutcome>(3, v1::PUSH_OUTCOME_ACCEPTED)),
                                   TestNow() - absl::Hours(30)),
              IsOk());
  ASSERT_THAT(store_->AddNew(late, TestNow()), IsOk());
  ASSERT_THAT(store_->ApplyResults(late,
                                   Answer(late, {v1::PUSH_OUTCOME_ACCEPTED, v1::PUSH_OUTCOME_DUPLICATE,
                                                 v1::PUSH_OUTCOME_INVALID}),
                                   TestNow()),
              IsOk());
  ASSERT_THAT(store_->Add(PriceRecord(TestUlid(3, 7), 13700), TestNow()), IsOk());
  auto resent = store_->ResendDeliveredSince(TestNow() - absl::Hours(2), TestNow());
  ASSERT_THAT(resent, IsOk());
  EXPECT_EQ(*resent, 2u);  // the two delivered on the day; not the refused one, not the earlier ones
  Reopen();                // one synced write
  auto counts = store_->Counts();
  EXPECT_EQ(counts->pending, 3u);
  EXPECT_EQ(counts->acknowledged, 3u);
  EXPECT_EQ(counts->needs_attention, 1u);
  auto pending = store_->NextPending("", 10);
  ASSERT_EQ(pending->size(), 3u);
  EXPECT_EQ((*pending)[0].id(), late[0].id());
  EXPECT_EQ((*pending)[1].id(), late[1].id());
  // Nothing delivered since: nothing to do.
  EXPECT_EQ(*store_->ResendDeliveredSince(TestNow() + absl::Hours(1), TestNow()), 0u);
}

TEST_F(LaptopStoreTest, AnAnswerThatDoesNotMatchTheBatchChangesNothing) {
  std::vector<v1::Record> batch = {PriceRecord(TestUlid(1, 1), 13000), PriceRecord(TestUlid(1, 2), 13000)};
  ASSERT_THAT(store_->AddNew(batch, TestNow()), IsOk());
  auto answer = Answer(batch, {v1::PUSH_OUTCOME_ACCEPTED, v1::PUSH_OUTCOME_ACCEPTED});
  answer.mutable_results(1)->set_record_id(TestUlid(9, 9));
  EXPECT_THAT(store_->ApplyResults(batch, answer, TestNow()), StatusIs(absl::StatusCode::kInvalidArgument));
  answer.mutable_results()->RemoveLast();
  EXPECT_THAT(store_->ApplyResults(batch, answer, TestNow()), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(store_->Counts()->pending, 2u);
}

TEST_F(LaptopStoreTest, AddNewSkipsKnownIdsSoReimportAddsNothing) {
  std::vector<v1::Record> batch = {PriceRecord(TestUlid(1, 1), 13000), PriceRecord(TestUlid(1, 2), 13000)};
  EXPECT_EQ(*store_->AddNew(batch, TestNow()), 2u);
  batch.push_back(PriceRecord(TestUlid(1, 3), 13000));
  EXPECT_EQ(*store_->AddNew(batch, TestNow()), 1u);
  EXPECT_EQ(store_->Counts()->pending, 3u);
}

TEST_F(LaptopStoreTest, ReferenceChangesApplyOnceAndMoveTheCursor) {
  std::vector<v1::ReferenceChange> changes;
  uint64_t seq = 0;
  for (const auto& e : pantau::testing::TestReferenceData()) {
    auto& c = changes.emplace_back();
    c.set_sequence(++seq);
    *c.mutable_entity() = e;
  }
  ASSERT_THAT(store_->ApplyReferenceChanges(changes, TestNow()), IsOk());
  v1::ReferenceChange removal = changes[1];
  removal.set_sequence(++seq);
  removal.set_removed(true);
  ASSERT_THAT(store_->ApplyReferenceChanges({removal}, TestNow()), IsOk());
  ASSERT_THAT(store_->ApplyReferenceChanges(changes, TestNow()), IsOk());  // a replay is ignored
  Reopen();
  EXPECT_EQ(*store_->ReferenceCursor(), seq);
  auto catalog = store_->LoadCatalog();
  ASSERT_THAT(catalog, IsOk());
  EXPECT_EQ(catalog->FindMarket("pasar_marabahan"), nullptr);
  EXPECT_NE(catalog->FindCommodity("beras_medium"), nullptr);
  EXPECT_TRUE(store_->LastPull()->has_value());
}

TEST_F(LaptopStoreTest, SettingsKeepOneDeviceIdForever) {
  auto first = store_->Settings();
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->device_id.rfind("laptop-", 0), 0u);
  LaptopSettings s = *first;
  s.server = "127.0.0.1:1";
  s.account = "siti";
  ASSERT_THAT(store_->SaveSettings(s), IsOk());
  Reopen();
  auto again = store_->Settings();
  EXPECT_EQ(again->device_id, first->device_id);
  EXPECT_EQ(again->account, "siti");
}

TEST_F(LaptopStoreTest, ASecondProcessOnTheSameHomeIsRefused) {
  EXPECT_THAT(LaptopStore::Open(dir_.path()), StatusIs(absl::StatusCode::kFailedPrecondition));
}

// "Saved" means on disk: after a simulated power cut (every unsynced byte gone), every record the
// laptop said it saved is still in the outbox, and an applied answer is still applied. Without
// synced writes the same run loses records: the test notices a missing sync.
TEST(LaptopPowerCutTest, EverySavedRecordAndAppliedAnswerSurvivesAPowerCut) {
  TempDir dir;
  for (const bool synced : {true, false}) {
    SCOPED_TRACE(synced ? "synced" : "unsynced");
    const std::string home = dir.Sub(synced ? "synced" : "unsynced");
    pantau::testing::PowerCutEnv cut;
    std::vector<v1::Record> saved;
    {
      auto store = LaptopStore::Open(home, cut.env.get(), synced);
      ASSERT_THAT(store, IsOk());
      for (uint32_t i = 0; i < 200; ++i) {
        saved.push_back(PriceRecord(TestUlid(90, i), 13000 + i));
        ASSERT_THAT((*store)->Add(saved.back(), TestNow()), IsOk());
      }
      // The server's answer to the first 100: accepted.
      const std::vector<v1::Record> batch(saved.begin(), saved.begin() + 100);
      v1::PushResponse answer;
      for (size_t i = 0; i < batch.size(); ++i) {
        auto* r = answer.add_results();
        r->set_index(static_cast<uint32_t>(i));
        r->set_record_id(batch[i].id());
        r->set_outcome(v1::PUSH_OUTCOME_ACCEPTED);
      }
      ASSERT_THAT((*store)->ApplyResults(batch, answer, TestNow()), IsOk());
    }
    const uint64_t dropped = cut.fs->PowerCut();
    auto reopened = LaptopStore::Open(home);
    ASSERT_THAT(reopened, IsOk());
    size_t found = 0;
    for (const auto& r : saved) found += (*reopened)->Get(r.id())->has_value();
    if (synced) {
      EXPECT_EQ(found, saved.size()) << dropped << " unsynced bytes dropped";
      auto counts = (*reopened)->Counts();
      ASSERT_THAT(counts, IsOk());
      EXPECT_EQ(counts->acknowledged, 100u);
      EXPECT_EQ(counts->pending, 100u);
    } else {
      EXPECT_GT(dropped, 0u);
      EXPECT_LT(found, saved.size()) << "without sync the power cut must lose records, or it proves nothing";
    }
  }
}

// `pantau status --attention` with an outbox entry that does not decode (damage on disk): the
// command fails and says so, rather than listing fewer records as if that were all of them.
TEST(CliFailureTest, StatusAttentionFailsWhenTheRecordsCannotBeRead) {
  TempDir dir;
  const std::string home = dir.Sub("home");
  const std::string damaged = TestUlid(95, 1);
  {
    auto store = LaptopStore::Open(home);  // creates the store and its families
    ASSERT_THAT(store, IsOk());
  }
  ASSERT_TRUE(pantau::testing::PutRaw(home + "/db", {{"attention", damaged, ""}, {"outbox", damaged, "\xff\xff\xff"}}).ok());
  std::vector<std::string> args = {"pantau", "--home", home, "status", "--attention"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::istringstream in;
  std::ostringstream out, err;
  const int code = RunCli(static_cast<int>(argv.size()), argv.data(), in, out, err);
  EXPECT_EQ(code, 1) << out.str() << err.str();
  EXPECT_NE(err.str().find("the records that need attention could not be read"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace pantau::client
