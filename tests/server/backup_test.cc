// Online backups of the RocksDB store while the server runs: a backup holds exactly the records and
// roll-ups acknowledged before it, restores into a new folder, is verified file by file (a damaged
// file is found), and the schedule keeps the configured number.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/str_cat.h"
#include "server/running_server.h"
#include "server/storage/rocks_storage.h"
#include "tests/testing/test_support.h"

namespace pantau::server {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::PriceRecord;
using ::pantau::testing::StatusIs;
using ::pantau::testing::TempDir;
using ::pantau::testing::TestNow;
using ::pantau::testing::TestUlid;

// Every record (serialised) and every roll-up cell of a store, in key order.
struct Contents {
  std::vector<std::string> records;
  std::vector<std::string> rollups;
  bool operator==(const Contents&) const = default;
};

Contents Read(storage::Storage& store) {
  Contents out;
  EXPECT_THAT(store.records().ScanAll([&](const v1::StoredRecord& r) {
    out.records.push_back(r.SerializeAsString());
    return true;
  }),
              IsOk());
  EXPECT_THAT(store.records().ScanRollups(std::string(1, '\0'), std::string(1, '\xff'),
                                          [&](std::string_view key, const v1::RollupCell& cell) {
                                            out.rollups.push_back(StrCat(key, "=", cell.SerializeAsString()));
                                            return true;
                                          }),
              IsOk());
  return out;
}

std::unique_ptr<storage::Storage> Open(const std::string& path, bool read_only = false) {
  storage::RocksOptions options;
  options.path = path;
  options.read_only = read_only;
  auto store = storage::OpenRocksStorage(options);
  EXPECT_THAT(store, IsOk());
  return store.ok() ? *std::move(store) : nullptr;
}

class BackupTest : public ::testing::Test {
 protected:
  void Start(ServerOptions options) {
    auto started = RunningServer::Start(options, Open(dir_.Sub("data")),
                                        std::make_unique<service::FakeClock>(TestNow()));
    ASSERT_THAT(started, IsOk());
    server_ = *std::move(started);
    ASSERT_THAT(server_->reference().Put(pantau::testing::TestReferenceData(), {}), IsOk());
  }

  void Push(std::vector<v1::Record> records) {
    v1::PushRequest request;
    for (auto& r : records) *request.add_records() = std::move(r);
    auto response = server_->ingest().Push(service::Principal("siti", v1::ROLE_INSPECTOR), std::move(request));
    ASSERT_THAT(response, IsOk());
    for (const auto& r : response->results()) ASSERT_EQ(r.outcome(), v1::PUSH_OUTCOME_ACCEPTED) << r.message();
  }

  TempDir dir_;
  std::unique_ptr<RunningServer> server_;
};

TEST_F(BackupTest, ARestoredBackupHoldsExactlyTheRecordsAndRollUpsAcknowledgedBeforeIt) {
  ServerOptions options;
  options.backup_dir = dir_.Sub("backups");
  Start(options);
  Push({PriceRecord(TestUlid(1, 1), 13100, TestNow() - absl::Hours(30)),
        PriceRecord(TestUlid(1, 2), 13300, TestNow() - absl::Hours(2)),
        PriceRecord(TestUlid(1, 3), 13200, TestNow() - absl::Hours(1))});
  // An evidence photo: stored in the photo family's blob files, which the backup must carry too.
  const std::string photo_hash(64, 'b');
  std::string photo(20000, '\0');
  for (size_t i = 0; i < photo.size(); ++i) photo[i] = static_cast<char>(i * 7 + i / 13);
  ASSERT_THAT(server_->storage().photos().Finish(photo_hash, photo), IsOk());
  auto backup = server_->BackupNow("", 0);
  ASSERT_THAT(backup, IsOk());
  EXPECT_EQ(backup->backup_dir(), dir_.Sub("backups"));
  EXPECT_EQ(backup->backup_id(), 1u);
  const Contents at_backup = Read(server_->storage());
  ASSERT_EQ(at_backup.records.size(), 3u);
  ASSERT_FALSE(at_backup.rollups.empty());

  // After the backup: more records, and a void that changes the roll-ups of the first ones.
  v1::Record void_record = PriceRecord(TestUlid(2, 1), 0, TestNow() - absl::Minutes(30));
  void_record.mutable_void_()->set_target_id(TestUlid(1, 2));
  void_record.mutable_void_()->set_reason("salah ketik");
  Push({PriceRecord(TestUlid(2, 2), 13400, TestNow() - absl::Minutes(20)), void_record});
  const Contents now = Read(server_->storage());
  ASSERT_EQ(now.records.size(), 5u);
  ASSERT_NE(now.rollups, at_backup.rollups);

  auto restored = storage::RestoreBackup(dir_.Sub("backups"), 0, dir_.Sub("restored"));
  ASSERT_THAT(restored, IsOk());
  EXPECT_EQ(restored->id, 1u);
  auto store = Open(dir_.Sub("restored"));
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Read(*store), at_backup);
  auto restored_photo = store->photos().Read(photo_hash);
  ASSERT_THAT(restored_photo, IsOk());
  ASSERT_TRUE(restored_photo->has_value());
  EXPECT_EQ(**restored_photo, photo);
  // The restored roll-ups are the ones its records give.
  ASSERT_THAT(store->records().RebuildRollups(), IsOk());
  EXPECT_EQ(Read(*store).rollups, at_backup.rollups);

  // A folder that is not empty is never restored into.
  EXPECT_THAT(storage::RestoreBackup(dir_.Sub("backups"), 0, dir_.Sub("restored")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(storage::RestoreBackup(dir_.Sub("backups"), 7, dir_.Sub("restored-7")),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(BackupTest, VerificationFindsADamagedFileAndRestoreRefusesIt) {
  ServerOptions options;
  options.backup_dir = dir_.Sub("backups");
  Start(options);
  Push({PriceRecord(TestUlid(1, 1), 13100, TestNow() - absl::Hours(3))});
  ASSERT_THAT(server_->BackupNow("", 0), IsOk());
  EXPECT_THAT(storage::VerifyBackup(dir_.Sub("backups"), 1), IsOk());
  // Flip one byte of the biggest table file of the backup.
  std::filesystem::path victim;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.Sub("backups"))) {
    if (entry.path().extension() == ".sst" &&
        (victim.empty() || entry.file_size() > std::filesystem::file_size(victim))) {
      victim = entry.path();
    }
  }
  ASSERT_FALSE(victim.empty());
  {
    std::fstream file(victim, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(100);
    char c = 0;
    file.get(c);
    file.seekp(100);
    file.put(static_cast<char>(c ^ 0x5a));
  }
  EXPECT_THAT(storage::VerifyBackup(dir_.Sub("backups"), 1), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(storage::RestoreBackup(dir_.Sub("backups"), 1, dir_.Sub("restored")),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(BackupTest, TheScheduleBacksUpWhileRecordsArriveAndKeepsTheNewestOnes) {
  ServerOptions options;
  options.backup_dir = dir_.Sub("backups");
  options.backup_every = absl::Milliseconds(300);
  options.backup_keep = 2;
  Start(options);
  // An operator verifies backups over and over while the schedule makes new ones and removes old
  // ones: a backup is either whole or gone (NOT_FOUND), never reported damaged.
  std::atomic<bool> stop{false};
  std::atomic<int> verified{0};
  std::vector<std::string> false_alarms;
  std::thread verifier([&] {
    while (!stop.load()) {
      auto listed = storage::ListBackups(dir_.Sub("backups"));
      if (!listed.ok()) continue;  // before the first backup
      for (const auto& b : *listed) {
        absl::Status s = storage::VerifyBackup(dir_.Sub("backups"), b.id);
        if (s.ok()) {
          verified++;
        } else if (s.code() != absl::StatusCode::kNotFound) {
          false_alarms.push_back(s.ToString());
        }
      }
    }
  });
  // Records keep arriving while the schedule runs.
  for (uint32_t i = 0; i < 20; ++i) {
    Push({PriceRecord(TestUlid(10, i), 13100 + i, TestNow() - absl::Minutes(100 - i))});
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
  }
  for (int i = 0; i < 200; ++i) {
    auto listed = storage::ListBackups(dir_.Sub("backups"));
    ASSERT_THAT(listed, IsOk());
    if (listed->size() == 2 && listed->back().id >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  verifier.join();
  EXPECT_THAT(false_alarms, ::testing::IsEmpty());
  EXPECT_GT(verified.load(), 0);
  auto sample = server_->SampleMetrics();
  ASSERT_TRUE(sample.last_backup.has_value());
  EXPECT_FALSE(sample.last_backup_failed);
  EXPECT_LT(sample.now - *sample.last_backup, absl::Seconds(60));
  // With the schedule stopped, exactly the newest two are left, and each verifies.
  server_.reset();
  auto listed = storage::ListBackups(dir_.Sub("backups"));
  ASSERT_THAT(listed, IsOk());
  const std::vector<storage::BackupInfo> backups = *listed;
  ASSERT_EQ(backups.size(), 2u);  // older ones were removed
  EXPECT_GE(backups.back().id, 3u);
  for (const auto& b : backups) EXPECT_THAT(storage::VerifyBackup(dir_.Sub("backups"), b.id), IsOk());
  EXPECT_THAT(storage::VerifyBackup(dir_.Sub("backups"), backups.front().id - 1),
              StatusIs(absl::StatusCode::kNotFound));
  // Each restores to a store that opens, with at most the records pushed.
  auto restored = storage::RestoreBackup(dir_.Sub("backups"), backups.back().id, dir_.Sub("restored"));
  ASSERT_THAT(restored, IsOk());
  auto store = Open(dir_.Sub("restored"));
  ASSERT_NE(store, nullptr);
  EXPECT_LE(Read(*store).records.size(), 20u);
}

TEST_F(BackupTest, ABackupWithNoFolderIsRefusedClearly) {
  Start(ServerOptions{});
  auto refused = server_->BackupNow("", 0);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_NE(refused.status().message().find("no backup folder"), std::string::npos);
}

}  // namespace
}  // namespace pantau::server
