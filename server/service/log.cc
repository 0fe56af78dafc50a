#include "server/service/log.h"

#include <openssl/rand.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <memory>
#include <mutex>

#include "absl/time/clock.h"
#include "common/ulid.h"

namespace pantau::service::log {
namespace {

// The message of a line is the event and its fields without the outer braces, so that the
// pattern below closes one JSON object.
constexpr const char* kPattern = R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v})";

struct State {
  std::mutex mu;
  std::shared_ptr<spdlog::logger> logger;
  spdlog::level::level_enum level = spdlog::level::info;
};

State& Global() {
  static State* state = [] {
    auto* s = new State;
    s->logger = std::make_shared<spdlog::logger>("pantau", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    s->logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(kPattern, spdlog::pattern_time_type::utc));
    s->logger->set_level(s->level);
    s->logger->flush_on(spdlog::level::debug);  // every line reaches the file at once
    return s;
  }();
  return *state;
}

std::shared_ptr<spdlog::logger> Logger() {
  State& s = Global();
  std::lock_guard lock(s.mu);
  return s.logger;
}

spdlog::level::level_enum ToSpd(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

}  // namespace

bool SetLevel(std::string_view level) {
  spdlog::level::level_enum l;
  if (level == "debug") {
    l = spdlog::level::debug;
  } else if (level == "info") {
    l = spdlog::level::info;
  } else if (level == "warning" || level == "warn") {  // "warning", as each line spells it
    l = spdlog::level::warn;
  } else if (level == "error") {
    l = spdlog::level::err;
  } else {
    return false;
  }
  State& s = Global();
  std::lock_guard lock(s.mu);
  s.level = l;
  s.logger->set_level(l);
  return true;
}

void WriteTo(const std::string& path) {
  spdlog::sink_ptr sink;
  if (path.empty()) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  } else {
    sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path);
  }
  auto logger = std::make_shared<spdlog::logger>("pantau", sink);
  logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(kPattern, spdlog::pattern_time_type::utc));
  logger->flush_on(spdlog::level::debug);
  State& s = Global();
  std::lock_guard lock(s.mu);
  logger->set_level(s.level);
  s.logger = std::move(logger);
}

void Write(Level level, std::string_view event, const nlohmann::ordered_json& fields) {
  auto logger = Logger();
  const auto spd = ToSpd(level);
  if (!logger->should_log(spd)) return;
  nlohmann::ordered_json line = nlohmann::ordered_json::object();
  line["event"] = event;
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) line[key] = value;
  }
  // Invalid UTF-8 in a field (a record id as sent) is replaced, never thrown on.
  std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string_view inner(text);
  inner = inner.substr(1, inner.size() - 2);  // without { and }
  logger->log(spd, "{}", inner);
}

std::string NewRequestId() {
  std::array<uint8_t, 10> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) random.fill(0);
  return common::FormatUlid(static_cast<uint64_t>(absl::ToUnixMillis(absl::Now())), random);
}

}  // namespace pantau::service::log
