// Accounts and tokens: creation, rotation, revocation, expiry, scopes, the back-off on failed
// authentication, and the audit log — which never holds a token.
#include "server/service/account_service.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/dates.h"
#include "server/storage/memory_storage.h"
#include "tests/testing/test_support.h"

namespace pantau::service {
namespace {

using ::pantau::testing::IsOk;
using ::pantau::testing::StatusIs;
using ::pantau::testing::TestNow;

const Actor kAdmin{"admin", "ipv4:10.0.0.1"};

class AccountServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto reference = ReferenceService::Create(storage_->reference(), clock_);
    ASSERT_THAT(reference, IsOk());
    reference_ = *std::move(reference);
    auto data = pantau::testing::TestReferenceData();
    v1::ReferenceEntity alalak;
    alalak.mutable_kecamatan()->set_code("alalak");
    alalak.mutable_kecamatan()->set_name("Alalak");
    data.push_back(alalak);
    ASSERT_THAT(reference_->Put(data, {}), IsOk());
    accounts_ = std::make_unique<AccountService>(storage_->accounts(), storage_->audit(), *reference_, clock_);
  }

  std::vector<v1::AuditEntry> Log() { return *storage_->audit().Scan(0, 10000); }

  FakeClock clock_{TestNow()};
  std::unique_ptr<storage::Storage> storage_ = storage::NewMemoryStorage();
  std::unique_ptr<ReferenceService> reference_;
  std::unique_ptr<AccountService> accounts_;
};

TEST_F(AccountServiceTest, TokensAreRandomShownOnceAndStoredAsHashes) {
  auto a = accounts_->Create("siti", v1::ROLE_INSPECTOR);
  auto b = accounts_->Create("budi", v1::ROLE_SUPERVISOR);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_NE(a->token, b->token);
  EXPECT_GE(a->token.size(), 7u + 64u);  // 256 random bits in hex
  auto stored = storage_->accounts().FindByName("siti");
  EXPECT_EQ((*stored)->token_sha256().find(a->token), std::string::npos);
  EXPECT_EQ((*stored)->token_sha256().size(), 32u);
  auto who = accounts_->Authenticate(a->token, "ipv4:10.0.0.9");
  ASSERT_THAT(who, IsOk());
  EXPECT_EQ(who->name, "siti");
  EXPECT_THAT(accounts_->Authenticate(a->token + "x", "ipv4:10.0.0.9"), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(accounts_->Authenticate(a->token.substr(0, a->token.size() - 1), "ipv4:10.0.0.9"),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(accounts_->Authenticate("", "ipv4:10.0.0.9"), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(accounts_->Authenticate(std::string(100000, 'a'), "ipv4:10.0.0.8"),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(accounts_->Create("siti", v1::ROLE_ADMIN), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(accounts_->Create("Siti Aminah", v1::ROLE_ADMIN), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(RequireRole(*who, {v1::ROLE_ADMIN}, "create accounts"), StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(AccountServiceTest, RotationRefusesTheOldTokenAndRevocationRefusesTheAccount) {
  auto created = accounts_->Create("siti", v1::ROLE_INSPECTOR, std::nullopt, {}, kAdmin);
  ASSERT_THAT(created, IsOk());
  clock_.Advance(absl::Hours(1));
  auto rotated = accounts_->Rotate("siti", std::nullopt, kAdmin);
  ASSERT_THAT(rotated, IsOk());
  EXPECT_NE(rotated->token, created->token);
  EXPECT_EQ(common::FromTimestamp(rotated->account.token_issued_at()), clock_.Now());
  EXPECT_EQ(common::FromTimestamp(rotated->account.created_at()), TestNow());
  EXPECT_THAT(accounts_->Authenticate(created->token, "p1"), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(accounts_->Authenticate(rotated->token, "p1"), IsOk());

  ASSERT_THAT(accounts_->Revoke("siti", kAdmin), IsOk());
  ASSERT_THAT(accounts_->Revoke("siti", kAdmin), IsOk());  // idempotent
  auto refused = accounts_->Authenticate(rotated->token, "p1");
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_NE(refused.status().message().find("\"siti\" was revoked"), std::string::npos) << refused.status();
  EXPECT_THAT(accounts_->Revoke("nobody", kAdmin), StatusIs(absl::StatusCode::kNotFound));

  // Rotating a revoked account gives it a working token again.
  auto again = accounts_->Rotate("siti", std::nullopt, kAdmin);
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->account.disabled());
  EXPECT_THAT(accounts_->Authenticate(again->token, "p1"), IsOk());
  EXPECT_THAT(accounts_->Authenticate(rotated->token, "p1"), StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(AccountServiceTest, ATokenWorksUntilItsExpiryAndNotAnInstantLonger) {
  const absl::Time expiry = TestNow() + absl::Hours(48);
  auto created = accounts_->Create("siti", v1::ROLE_INSPECTOR, expiry, {}, kAdmin);
  ASSERT_THAT(created, IsOk());
  clock_.Set(expiry - absl::Microseconds(1));
  EXPECT_THAT(accounts_->Authenticate(created->token, "p"), IsOk());
  clock_.Set(expiry);
  auto expired = accounts_->Authenticate(created->token, "p");
  EXPECT_THAT(expired, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_NE(expired.status().message().find("expired on"), std::string::npos) << expired.status();
  // An expiry in the past is refused; rotation without an expiry clears it.
  EXPECT_THAT(accounts_->Rotate("siti", clock_.Now(), kAdmin), StatusIs(absl::StatusCode::kInvalidArgument));
  auto rotated = accounts_->Rotate("siti", std::nullopt, kAdmin);
  ASSERT_THAT(rotated, IsOk());
  EXPECT_FALSE(rotated->account.has_expires_at());
  clock_.Advance(absl::Hours(24 * 3650));
  EXPECT_THAT(accounts_->Authenticate(rotated->token, "p"), IsOk());
}

TEST_F(AccountServiceTest, ScopesNameKnownKecamatanAndBidangAndFitTheRole) {
  v1::AccountScope scope;
  scope.add_kecamatan_codes("marabahan");
  auto siti = accounts_->Create("siti", v1::ROLE_INSPECTOR, std::nullopt, scope, kAdmin);
  ASSERT_THAT(siti, IsOk());
  auto who = accounts_->Authenticate(siti->token, "p");
  ASSERT_THAT(who, IsOk());
  ASSERT_EQ(who->scope.kecamatan_codes_size(), 1);

  v1::AccountScope unknown;
  unknown.add_kecamatan_codes("atlantis");
  auto refused = accounts_->Create("budi", v1::ROLE_INSPECTOR, std::nullopt, unknown, kAdmin);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(refused.status().message().find("\"atlantis\" is not in the reference data"), std::string::npos);

  v1::AccountScope bidang;
  bidang.add_bidang("koperasi");
  EXPECT_THAT(accounts_->Create("budi", v1::ROLE_INSPECTOR, std::nullopt, bidang, kAdmin),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(accounts_->Create("kabid", v1::ROLE_SUPERVISOR, std::nullopt, bidang, kAdmin), IsOk());
  EXPECT_THAT(accounts_->Create("root", v1::ROLE_ADMIN, std::nullopt, scope, kAdmin),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::AccountScope wrong;
  wrong.add_bidang("pertanian");
  EXPECT_THAT(accounts_->Create("x", v1::ROLE_SUPERVISOR, std::nullopt, wrong, kAdmin),
              StatusIs(absl::StatusCode::kInvalidArgument));

  v1::AccountScope both;
  both.add_kecamatan_codes("marabahan");
  both.add_kecamatan_codes("alalak");
  auto changed = accounts_->SetScope("siti", both, kAdmin);
  ASSERT_THAT(changed, IsOk());
  EXPECT_EQ(accounts_->Authenticate(siti->token, "p")->scope.kecamatan_codes_size(), 2);
  ASSERT_THAT(accounts_->SetScope("siti", {}, kAdmin), IsOk());
  EXPECT_EQ(accounts_->Authenticate(siti->token, "p")->scope.kecamatan_codes_size(), 0);
}

TEST_F(AccountServiceTest, RepeatedFailuresFromOnePeerBackOffWhileOthersAreServed) {
  auto siti = accounts_->Create("siti", v1::ROLE_INSPECTOR);
  ASSERT_THAT(siti, IsOk());
  const std::string attacker = "ipv4:203.0.113.7";
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(accounts_->Authenticate("pantau_guess", attacker), StatusIs(absl::StatusCode::kUnauthenticated));
  }
  // The sixth failure starts a one-second block; then even a right token waits.
  EXPECT_THAT(accounts_->Authenticate("pantau_guess", attacker), StatusIs(absl::StatusCode::kUnauthenticated));
  auto blocked = accounts_->Authenticate(siti->token, attacker);
  EXPECT_THAT(blocked, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_NE(blocked.status().message().find("try again in 1 s"), std::string::npos) << blocked.status();
  // Another address is not affected.
  EXPECT_THAT(accounts_->Authenticate(siti->token, "ipv4:10.0.0.2"), IsOk());
  // After the block the right token works; another failure doubles the block.
  clock_.Advance(absl::Seconds(1));
  EXPECT_THAT(accounts_->Authenticate(siti->token, attacker), IsOk());
  EXPECT_THAT(accounts_->Authenticate("pantau_guess", attacker), StatusIs(absl::StatusCode::kUnauthenticated));
  clock_.Advance(absl::Milliseconds(1999));
  EXPECT_THAT(accounts_->Authenticate(siti->token, attacker), StatusIs(absl::StatusCode::kUnavailable));
  clock_.Advance(absl::Milliseconds(1));
  EXPECT_THAT(accounts_->Authenticate(siti->token, attacker), IsOk());
  // Fifteen quiet minutes forget the peer.
  clock_.Advance(absl::Minutes(15));
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(accounts_->Authenticate("pantau_guess", attacker), StatusIs(absl::StatusCode::kUnauthenticated));
  }
  EXPECT_THAT(accounts_->Authenticate(siti->token, attacker), IsOk());
}

// Dashboard passwords: stored only as an Argon2id hash, checked with the same back-off and audit
// as tokens; an unknown name, no password and a wrong password are the same refusal.
TEST_F(AccountServiceTest, APasswordIsStoredAsArgon2idAndSignsInWithTheTokensBackOffAndAudit) {
  ASSERT_THAT(accounts_->Create("budi", v1::ROLE_SUPERVISOR, std::nullopt, {}, kAdmin), IsOk());
  ASSERT_THAT(accounts_->Create("siti", v1::ROLE_INSPECTOR, std::nullopt, {}, kAdmin), IsOk());
  const std::string password = "pasar terapung 2026";
  // The rules: at least 10 characters (not bytes), at most 1024 bytes, UTF-8, not the name.
  EXPECT_THAT(accounts_->SetPassword("budi", "pendek123", kAdmin), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(accounts_->SetPassword("budi", "ééééééééé", kAdmin), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(accounts_->SetPassword("budi", "éééééééééé", kAdmin), IsOk());  // 10 characters, 20 bytes
  EXPECT_THAT(accounts_->SetPassword("budi", std::string(1025, 'a'), kAdmin), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(accounts_->SetPassword("budi", "\xff\xfe tidak sah teks", kAdmin), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(accounts_->SetPassword("budi.santoso", "budi.santoso", kAdmin), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(accounts_->SetPassword("nobody", password, kAdmin), StatusIs(absl::StatusCode::kNotFound));
  auto set = accounts_->SetPassword("budi", password, kAdmin);
  ASSERT_THAT(set, IsOk());
  EXPECT_TRUE(set->has_password());
  auto stored = storage_->accounts().FindByName("budi");
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ((*stored)->password_hash().rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << (*stored)->password_hash();
  EXPECT_EQ((*stored)->password_hash().find(password), std::string::npos);

  auto who = accounts_->SignIn("budi", password, "ipv4:10.0.0.5");
  ASSERT_THAT(who, IsOk());
  EXPECT_EQ(who->name, "budi");
  EXPECT_EQ(who->role, v1::ROLE_SUPERVISOR);
  // The same words for a wrong password, an account without one and an unknown name.
  for (const auto& [name, typed] : {std::pair{"budi", "pasar terapung 2025"}, std::pair{"siti", "pasar terapung 2026"},
                                    std::pair{"nobody", "pasar terapung 2026"}}) {
    auto refused = accounts_->SignIn(name, typed, "ipv4:10.0.0.5");
    EXPECT_THAT(refused, StatusIs(absl::StatusCode::kUnauthenticated)) << name;
    EXPECT_EQ(refused.status().message(), "the name or the password is wrong") << name;
  }
  // Repeated failures from one address back off, as tokens do; the right password then waits too.
  for (int i = 0; i < 3; ++i) EXPECT_THAT(accounts_->SignIn("budi", "tebakan salah", "ipv4:10.0.0.5"), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(accounts_->SignIn("budi", password, "ipv4:10.0.0.5"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(accounts_->SignIn("budi", password, "ipv4:10.0.0.6"), IsOk());
  // A revoked account no longer signs in, even with its password.
  ASSERT_THAT(accounts_->Revoke("budi", kAdmin), IsOk());
  EXPECT_THAT(accounts_->SignIn("budi", password, "ipv4:10.0.0.7"), StatusIs(absl::StatusCode::kUnauthenticated));

  // The audit log: who set which password and who signed in from where — never a password.
  int set_entries = 0, sign_ins = 0, failures = 0;
  for (const auto& e : Log()) {
    EXPECT_EQ(e.ShortDebugString().find("pasar terapung"), std::string::npos) << e.ShortDebugString();
    EXPECT_EQ(e.ShortDebugString().find("tebakan"), std::string::npos) << e.ShortDebugString();
    set_entries += e.action() == "account.password" && e.outcome() == "ok";
    sign_ins += e.action() == "auth.sign_in";
    failures += e.action() == "auth.failure";
  }
  EXPECT_EQ(set_entries, 2);  // the 10-character one, then the real one
  EXPECT_EQ(sign_ins, 2);
  EXPECT_EQ(failures, 7);  // 3 of the same words, 3 more from one address, the revoked account
}

TEST(AuthThrottleTest, BlocksDoubleUpToTheCapAndThePeerTableIsBounded) {
  ThrottleOptions options;
  options.max_peers = 3;
  AuthThrottle throttle(options);
  absl::Time t = TestNow();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(throttle.Failure("a", t), absl::ZeroDuration());
  EXPECT_EQ(throttle.Failure("a", t), absl::Seconds(1));
  EXPECT_EQ(throttle.Failure("a", t), absl::Seconds(2));
  EXPECT_EQ(throttle.Failure("a", t), absl::Seconds(4));
  for (int i = 0; i < 20; ++i) (void)throttle.Failure("a", t);
  EXPECT_EQ(throttle.Failure("a", t), absl::Minutes(5));
  EXPECT_THAT(throttle.Check("a", t + absl::Minutes(5) - absl::Seconds(1)), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(throttle.Check("a", t + absl::Minutes(5)), IsOk());
  (void)throttle.Failure("b", t + absl::Seconds(1));
  (void)throttle.Failure("c", t + absl::Seconds(2));
  (void)throttle.Failure("d", t + absl::Seconds(3));  // forgets "a", the quietest
  EXPECT_EQ(throttle.peers(), 3u);
  EXPECT_THAT(throttle.Check("a", t + absl::Seconds(4)), IsOk());
}

TEST_F(AccountServiceTest, TheAuditLogRecordsWhoDidWhatFromWhereAndNeverAToken) {
  v1::AccountScope scope;
  scope.add_kecamatan_codes("marabahan");
  auto siti = accounts_->Create("siti", v1::ROLE_INSPECTOR, TestNow() + absl::Hours(24 * 30), scope, kAdmin);
  ASSERT_THAT(siti, IsOk());
  auto rotated = accounts_->Rotate("siti", std::nullopt, kAdmin);
  ASSERT_THAT(rotated, IsOk());
  ASSERT_THAT(accounts_->Revoke("siti", kAdmin), IsOk());
  EXPECT_THAT(accounts_->Authenticate(rotated->token, "ipv4:10.9.9.9"), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(accounts_->Authenticate("pantau_wrong_secret_value", "ipv4:10.9.9.9"),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(accounts_->Create("Bad Name", v1::ROLE_INSPECTOR, std::nullopt, {}, kAdmin),
              StatusIs(absl::StatusCode::kInvalidArgument));

  auto log = Log();
  ASSERT_EQ(log.size(), 6u);
  EXPECT_EQ(log[0].action(), "account.create");
  EXPECT_EQ(log[0].actor(), "admin");
  EXPECT_EQ(log[0].peer(), "ipv4:10.0.0.1");
  EXPECT_EQ(log[0].target(), "siti");
  EXPECT_EQ(log[0].outcome(), "ok");
  EXPECT_NE(log[0].detail().find("kecamatan marabahan"), std::string::npos) << log[0].detail();
  EXPECT_EQ(log[1].action(), "token.rotate");
  EXPECT_EQ(log[2].action(), "account.revoke");
  EXPECT_EQ(log[3].action(), "auth.failure");
  EXPECT_EQ(log[3].actor(), "");
  EXPECT_EQ(log[3].target(), "siti");  // a revoked token still names its account
  EXPECT_EQ(log[3].peer(), "ipv4:10.9.9.9");
  EXPECT_EQ(log[4].action(), "auth.failure");
  EXPECT_EQ(log[4].target(), "");
  EXPECT_EQ(log[5].action(), "account.create");
  EXPECT_NE(log[5].outcome(), "ok");
  for (uint64_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].sequence(), i + 1);
  // No token, and no part of one, anywhere in the log.
  for (const auto& e : log) {
    const std::string all = e.SerializeAsString();
    for (const std::string& secret : {siti->token, rotated->token, std::string("pantau_wrong_secret_value")}) {
      EXPECT_EQ(all.find(secret.substr(7, 16)), std::string::npos) << e.DebugString();
    }
  }
  auto page = accounts_->ListAudit(4, 1);
  ASSERT_THAT(page, IsOk());
  ASSERT_EQ(page->entries_size(), 1);
  EXPECT_EQ(page->entries(0).sequence(), 5u);
  EXPECT_EQ(page->last_sequence(), 6u);
}

// A revocation and a scope change at the same moment: both apply, whichever ran first, and both
// are in the audit log (before, each read the whole account and wrote it back: the later write
// could bring a revoked account back).
TEST_F(AccountServiceTest, ARevocationIsNeverUndoneByAConcurrentScopeChange) {
  v1::AccountScope scope;
  scope.add_kecamatan_codes("marabahan");
  for (int round = 0; round < 100; ++round) {
    const std::string name = "petugas" + std::to_string(round);
    ASSERT_THAT(accounts_->Create(name, v1::ROLE_INSPECTOR), IsOk());
    std::thread revoke([&] { EXPECT_THAT(accounts_->Revoke(name, {"admin", "local"}), IsOk()); });
    std::thread rescope([&] { EXPECT_THAT(accounts_->SetScope(name, scope, {"admin", "local"}), IsOk()); });
    revoke.join();
    rescope.join();
    auto stored = storage_->accounts().FindByName(name);
    ASSERT_TRUE(stored.ok() && stored->has_value());
    EXPECT_TRUE((*stored)->disabled()) << name;
    EXPECT_EQ((*stored)->scope().kecamatan_codes_size(), 1) << name;
  }
  int revocations = 0, scopes = 0;
  for (const auto& e : Log()) {
    if (e.outcome() != "ok") continue;
    revocations += e.action() == "account.revoke";
    scopes += e.action() == "account.scope";
  }
  EXPECT_EQ(revocations, 100);
  EXPECT_EQ(scopes, 100);
}

}  // namespace
}  // namespace pantau::service
