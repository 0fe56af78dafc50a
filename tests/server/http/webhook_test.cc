// The alert webhook against a real HTTP receiver on loopback (Beast, in the test): each alert the
// rules raise from stored records is POSTed once, in order; a receiver that fails is tried again
// and gets nothing twice; a restart of the store delivers nothing again; records landing on a
// running server reach the receiver without asking.
#include "server/http/webhook.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "common/dates.h"
#include "server/running_server.h"
#include "server/service/ingest_service.h"
#include "server/service/query_service.h"
#include "server/service/reference_service.h"
#include "server/storage/rocks_storage.h"
#include "tests/testing/test_support.h"

namespace pantau::http {
namespace {

// The store's delivery log, as the server hands it to the webhook.
DeliveryMarks Marks(storage::DeliveryLog& log) {
  return {[&log](const std::string& id) { return log.Delivered(id); },
          [&log](const std::string& id, absl::Time at) { return log.MarkDelivered(id, at); }};
}

using ::pantau::testing::IsOk;
using ::pantau::testing::PriceRecord;
using ::pantau::testing::StatusIs;
using ::pantau::testing::TempDir;
using ::pantau::testing::TestUlid;

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

const absl::TimeZone kWita = common::ZoneWithoutDeployment();

absl::Time Wita(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), kWita);
}

// An HTTP server on 127.0.0.1 that keeps every request and answers each with the next status of
// its script (200 once the script is used up), or not at all when told to stay silent.
class Receiver {
 public:
  struct Request {
    std::string target;
    std::string content_type;
    std::string idempotency_key;
    std::string body;
    unsigned answered = 0;
  };

  explicit Receiver(std::deque<unsigned> script = {}, bool silent = false)
      : script_(std::move(script)), silent_(silent), acceptor_(io_, tcp::endpoint(tcp::v4(), 0)) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~Receiver() {
    stop_ = true;
    beast::error_code ec;
    // Wake the accept with a connection of our own.
    tcp::socket poke(io_);
    std::ignore = poke.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port()), ec);
    thread_.join();
  }

  int port() const { return acceptor_.local_endpoint().port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()) + "/pantau/alerts"; }

  std::vector<Request> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  // The requests answered 2xx.
  std::vector<Request> taken() const {
    std::vector<Request> out;
    for (auto& r : requests()) {
      if (r.answered / 100 == 2) out.push_back(r);
    }
    return out;
  }
  // Waits until `n` requests were answered 2xx (up to 20 s).
  bool WaitTaken(size_t n) const {
    for (int i = 0; i < 2000; ++i) {
      if (taken().size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  void Serve() {
    std::vector<tcp::socket> held;  // silent mode: connections kept open, never answered
    while (!stop_) {
      tcp::socket socket(io_);
      beast::error_code ec;
      std::ignore = acceptor_.accept(socket, ec);
      if (ec || stop_) continue;
      beast::flat_buffer buffer;
      bhttp::request<bhttp::string_body> request;
      bhttp::read(socket, buffer, request, ec);
      if (ec) continue;
      Request seen{std::string(request.target()), std::string(request[bhttp::field::content_type]),
                   std::string(request["Idempotency-Key"]), request.body(), 0};
      if (silent_) {
        std::lock_guard lock(mu_);
        requests_.push_back(seen);
        held.push_back(std::move(socket));
        continue;
      }
      unsigned status = 200;
      {
        std::lock_guard lock(mu_);
        if (!script_.empty()) {
          status = script_.front();
          script_.pop_front();
        }
        seen.answered = status;
        requests_.push_back(seen);
      }
      bhttp::response<bhttp::string_body> response{static_cast<bhttp::status>(status), 11};
      response.body() = "ok";
      response.prepare_payload();
      bhttp::write(socket, response, ec);
      std::ignore = socket.shutdown(tcp::socket::shutdown_both, ec);
    }
  }

  mutable std::mutex mu_;
  std::deque<unsigned> script_;            // guarded by mu_
  std::vector<Request> requests_;          // guarded by mu_
  const bool silent_;
  std::atomic<bool> stop_{false};
  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

std::set<std::string> Ids(const std::vector<Receiver::Request>& requests) {
  std::set<std::string> out;
  for (const auto& r : requests) out.insert(r.idempotency_key);
  return out;
}

TEST(WebhookUrlTest, TakesHttpAddressesAndRefusesWhatItCannotSpeak) {
  auto plain = ParseWebhookUrl("http://10.0.0.5:8080/kirim?ke=kabid");
  ASSERT_THAT(plain, IsOk());
  EXPECT_EQ(plain->host, "10.0.0.5");
  EXPECT_EQ(plain->port, "8080");
  EXPECT_EQ(plain->target, "/kirim?ke=kabid");
  auto bare = ParseWebhookUrl("HTTP://gateway.dinas.lan");
  ASSERT_THAT(bare, IsOk());
  EXPECT_EQ(bare->host, "gateway.dinas.lan");
  EXPECT_EQ(bare->port, "80");
  EXPECT_EQ(bare->target, "/");
  auto v6 = ParseWebhookUrl("http://[::1]:9000/x");
  ASSERT_THAT(v6, IsOk());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, "9000");
  auto https = ParseWebhookUrl("https://gateway.example/x");
  EXPECT_THAT(https, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(https.status().message().find("https is not spoken"), std::string::npos);
  EXPECT_THAT(ParseWebhookUrl("ftp://x/"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseWebhookUrl("http://:80/"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseWebhookUrl("http://host:0/"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseWebhookUrl("http://host:65536/"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseWebhookUrl("http://host:8o/"), StatusIs(absl::StatusCode::kInvalidArgument));
  // A password in the URL would end up in logs and error messages.
  EXPECT_THAT(ParseWebhookUrl("http://user:secret@host/"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AlertIdTest, AHetRunIsOneAlertUntilItEscalates) {
  v1::PriceAlert a;
  a.set_kind("het");
  a.set_commodity_code("beras_medium");
  a.set_market_code("pasar_marabahan");
  a.set_run_first_day("2026-11-10");
  a.set_day("2026-11-11");
  a.set_level("waspada");
  const std::string first = AlertId(a);
  EXPECT_EQ(first, "het/beras_medium/pasar_marabahan/2026-11-10/waspada/-");
  a.set_day("2026-11-12");  // the run goes on: the same alert
  EXPECT_EQ(AlertId(a), first);
  a.set_level("siaga");  // the third day: news
  EXPECT_NE(AlertId(a), first);
  v1::PriceAlert month;
  month.set_kind("alps");
  month.set_commodity_code("cabai_rawit_merah");
  month.set_month("2026-10");
  month.set_level("siaga");
  month.set_band("alert");
  EXPECT_EQ(AlertId(month), "alps/cabai_rawit_merah/kabupaten/2026-10/siaga/alert");
  const auto body = nlohmann::json::parse(AlertJson(month));
  EXPECT_EQ(body["alert_id"], AlertId(month));
  EXPECT_EQ(body["kind"], "alps");
  EXPECT_EQ(body["band"], "alert");
}

// The alert rules over a real store: the query service's, as the server wires them.
class WebhookTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    storage::RocksOptions options;
    options.path = dir_.Sub("data");
    auto store = storage::OpenRocksStorage(options);
    ASSERT_THAT(store, IsOk());
    storage_ = *std::move(store);
    auto reference = service::ReferenceService::Create(storage_->reference(), clock_);
    ASSERT_THAT(reference, IsOk());
    reference_ = *std::move(reference);
    auto data = pantau::testing::TestReferenceData();
    data.push_back(pantau::testing::BerasMediumHet());  // Rp 13.100
    ASSERT_THAT(reference_->Put(data, {}), IsOk());
    ingest_ = std::make_unique<service::IngestService>(storage_->records(), *reference_, clock_,
                                                       service::IngestOptions{});
    queries_ = std::make_unique<service::QueryService>(storage_->records(), *reference_, clock_,
                                                       service::IkkSettings{});
  }

  void Close() {
    queries_.reset();
    ingest_.reset();
    reference_.reset();
    storage_.reset();
  }

  AlertWebhook::AlertSource Source() {
    return [this](absl::CivilDay from, absl::CivilDay to) -> absl::StatusOr<std::vector<v1::PriceAlert>> {
      v1::ListAlertsRequest request;
      request.set_from(common::FormatLocalDate(from));
      request.set_to(common::FormatLocalDate(to));
      auto got = queries_->Alerts(request);
      if (!got.ok()) return got.status();
      return std::vector<v1::PriceAlert>(got->alerts().begin(), got->alerts().end());
    };
  }

  std::unique_ptr<AlertWebhook> Webhook(const std::string& url, WebhookOptions options = {}) {
    options.url = url;
    options.kinds = {"het", "lonjakan"};
    options.first_retry = absl::Milliseconds(20);
    options.max_retry = absl::Milliseconds(80);
    auto made = AlertWebhook::Create(options, Source(), Marks(storage_->deliveries()), clock_, kWita);
    EXPECT_THAT(made, IsOk());
    return made.ok() ? *std::move(made) : nullptr;
  }

  void Push(std::vector<v1::Record> records) {
    v1::PushRequest request;
    for (auto& r : records) *request.add_records() = std::move(r);
    auto response = ingest_->Push({"siti", v1::ROLE_INSPECTOR}, std::move(request));
    ASSERT_THAT(response, IsOk());
    for (const auto& r : response->results()) ASSERT_EQ(r.outcome(), v1::PUSH_OUTCOME_ACCEPTED) << r.message();
  }

  static v1::Record PriceAt(uint32_t n, int64_t price, absl::Time at) {
    v1::Record r = PriceRecord(TestUlid(9, n), price, at);
    r.mutable_price_sample()->set_market_code("pasar_marabahan");
    return r;
  }

  // Het and lonjakan, each for Pasar Marabahan and the kabupaten: 4 alerts.
  void PushNovember() { Push(pantau::testing::CalmThenAboveHetNovember2026()); }

  TempDir dir_;
  service::FakeClock clock_{Wita(2026, 11, 12, 20, 0)};
  std::unique_ptr<storage::Storage> storage_;
  std::unique_ptr<service::ReferenceService> reference_;
  std::unique_ptr<service::IngestService> ingest_;
  std::unique_ptr<service::QueryService> queries_;
};

TEST_F(WebhookTest, EachAlertIsDeliveredOnceThroughFailuresNewRecordsAndARestart) {
  PushNovember();
  Receiver receiver({503});
  auto webhook = Webhook(receiver.url());
  ASSERT_NE(webhook, nullptr);

  // The receiver fails: nothing is marked, the error names the answer.
  auto failed = webhook->DeliverNew();
  EXPECT_THAT(failed, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_NE(failed.status().message().find("answered 503"), std::string::npos) << failed.status();
  ASSERT_EQ(receiver.requests().size(), 1u);

  // It takes them: four alerts, oldest first (the 10th's run and its +10,8 % jump: over the 10 % floor,
  // under twice it, so waspada), each once.
  auto delivered = webhook->DeliverNew();
  ASSERT_THAT(delivered, IsOk());
  EXPECT_EQ(*delivered, 4);
  const auto taken = receiver.taken();
  ASSERT_EQ(taken.size(), 4u);
  EXPECT_EQ(Ids(taken), (std::set<std::string>{"het/beras_medium/kabupaten/2026-11-10/waspada/-",
                                               "het/beras_medium/pasar_marabahan/2026-11-10/waspada/-",
                                               "lonjakan/beras_medium/kabupaten/2026-11-10/waspada/-",
                                               "lonjakan/beras_medium/pasar_marabahan/2026-11-10/waspada/-"}))
      << taken[0].body;
  for (const auto& r : taken) {
    EXPECT_EQ(r.target, "/pantau/alerts");
    EXPECT_EQ(r.content_type, "application/json");
    const auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["alert_id"], r.idempotency_key);
    EXPECT_EQ(body["commodity_code"], "beras_medium");
    EXPECT_FALSE(body["message"].get<std::string>().empty());
  }

  // Asked again: nothing new, nothing sent.
  auto again = webhook->DeliverNew();
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(receiver.requests().size(), 5u);

  // A new run above the HET on the 13th (after the 12th below it): two new alerts, only those.
  clock_.Set(Wita(2026, 11, 13, 20, 0));
  Push({PriceAt(13, 13400, Wita(2026, 11, 13, 9, 0))});
  auto fresh = webhook->DeliverNew();
  ASSERT_THAT(fresh, IsOk());
  EXPECT_EQ(*fresh, 2);
  auto now_taken = receiver.taken();
  ASSERT_EQ(now_taken.size(), 6u);
  EXPECT_EQ(Ids({now_taken[4], now_taken[5]}),
            (std::set<std::string>{"het/beras_medium/kabupaten/2026-11-13/waspada/-",
                                   "het/beras_medium/pasar_marabahan/2026-11-13/waspada/-"}));
  EXPECT_EQ(Ids(now_taken).size(), 6u);

  // The store remembers across a restart.
  webhook.reset();
  Close();
  Open();
  auto reopened = Webhook(receiver.url());
  auto after_restart = reopened->DeliverNew();
  ASSERT_THAT(after_restart, IsOk());
  EXPECT_EQ(*after_restart, 0);
  EXPECT_EQ(receiver.requests().size(), 7u);
}

TEST_F(WebhookTest, OldAlertsAreNotReplayedWhenTheWebhookIsSwitchedOn) {
  PushNovember();
  clock_.Set(Wita(2026, 11, 30, 20, 0));  // the 10th is more than 7 days back
  Receiver receiver;
  auto webhook = Webhook(receiver.url());
  auto delivered = webhook->DeliverNew();
  ASSERT_THAT(delivered, IsOk());
  EXPECT_EQ(*delivered, 0);
  EXPECT_TRUE(receiver.requests().empty());
}

TEST_F(WebhookTest, TheWorkerBacksOffFromAFailingReceiverAndDeliversEachAlertOnce) {
  PushNovember();
  Receiver receiver({500, 502, 503});
  WebhookOptions options;
  options.interval = absl::Hours(1);  // only the start and the back-off drive the passes here
  auto webhook = Webhook(receiver.url(), options);
  webhook->Start();
  ASSERT_TRUE(receiver.WaitTaken(4));
  webhook->Stop();
  const auto requests = receiver.requests();
  EXPECT_EQ(requests.size(), 7u);  // three refusals, then the four alerts
  EXPECT_EQ(Ids(receiver.taken()).size(), 4u);
  const auto figures = webhook->figures();
  EXPECT_EQ(figures.delivered, 4);
  EXPECT_EQ(figures.failures, 3);
  EXPECT_NE(figures.last_error.find("answered 503"), std::string::npos);
}

TEST_F(WebhookTest, AReceiverThatNeverAnswersCostsTheTimeoutNotTheServer) {
  PushNovember();
  Receiver receiver({}, /*silent=*/true);
  WebhookOptions options;
  options.timeout = absl::Milliseconds(300);
  auto webhook = Webhook(receiver.url(), options);
  const auto start = std::chrono::steady_clock::now();
  auto got = webhook->DeliverNew();
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_THAT(got, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_NE(got.status().message().find("no answer"), std::string::npos) << got.status();
  EXPECT_LT(took, std::chrono::seconds(5));
  // Nothing was marked: a receiver that comes back gets all four.
  Receiver back;
  auto again = Webhook(back.url());
  auto delivered = again->DeliverNew();
  ASSERT_THAT(delivered, IsOk());
  EXPECT_EQ(*delivered, 4);
}

TEST_F(WebhookTest, NobodyListeningIsAnErrorNamingTheAddress) {
  PushNovember();
  int port = 0;
  {
    Receiver gone;  // a port that was just free
    port = gone.port();
  }
  auto webhook = Webhook("http://127.0.0.1:" + std::to_string(port) + "/x");
  auto got = webhook->DeliverNew();
  EXPECT_THAT(got, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_NE(got.status().message().find("127.0.0.1"), std::string::npos) << got.status();
}

// The server as `serve` wires it: records pushed to a running server reach the receiver, with no
// query and no timer (the interval is an hour).
TEST(RunningServerWebhookTest, RecordsLandingOnTheServerReachTheReceiver) {
  TempDir dir;
  Receiver receiver;
  storage::RocksOptions store_options;
  store_options.path = dir.Sub("data");
  auto store = storage::OpenRocksStorage(store_options);
  ASSERT_THAT(store, IsOk());
  server::ServerOptions options;
  options.alert_webhook.url = receiver.url();
  options.alert_webhook.kinds = {"het"};
  options.alert_webhook.interval = absl::Hours(1);
  auto started = server::RunningServer::Start(options, *std::move(store),
                                              std::make_unique<service::FakeClock>(Wita(2026, 11, 12, 20, 0)));
  ASSERT_THAT(started, IsOk());
  auto& server = **started;
  auto data = pantau::testing::TestReferenceData();
  data.push_back(pantau::testing::BerasMediumHet());
  ASSERT_THAT(server.reference().Put(data, {}), IsOk());
  v1::PushRequest request;
  auto add = [&](uint32_t n, int64_t price, int day) {
    v1::Record r = PriceRecord(TestUlid(9, n), price, Wita(2026, 11, day, 9, 0));
    r.mutable_price_sample()->set_market_code("pasar_marabahan");
    *request.add_records() = std::move(r);
  };
  add(1, 12000, 9);
  add(2, 13500, 10);
  auto pushed = server.ingest().Push({"siti", v1::ROLE_INSPECTOR}, std::move(request));
  ASSERT_THAT(pushed, IsOk());
  ASSERT_TRUE(receiver.WaitTaken(2));
  EXPECT_EQ(Ids(receiver.taken()), (std::set<std::string>{"het/beras_medium/kabupaten/2026-11-10/waspada/-",
                                                          "het/beras_medium/pasar_marabahan/2026-11-10/waspada/-"}));
  server.Shutdown();
}

}  // namespace
}  // namespace pantau::http
