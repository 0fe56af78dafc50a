// The server's log: one JSON object per line on standard error (spdlog), e.g.
//   {"ts":"2026-11-28T03:04:05.123456Z","level":"info","event":"push.batch","request_id":"01J…",
//    "account":"siti","records":120,"accepted":118,"invalid":2,"ms":41}
// Every line has ts, level and event; the rest are the event's fields. Lines of one Push stream or
// one HTTP request share a request_id. Tokens and other secrets are never passed to the log: the
// callers log account names, never credentials. Thread-safety: thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace pantau::service::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// Sets the lowest level written ("debug", "info", "warn", "error"); false for another word.
bool SetLevel(std::string_view level);
// Writes to `path` (appending) instead of standard error; for tests. "" returns to standard error.
void WriteTo(const std::string& path);

void Write(Level level, std::string_view event, const nlohmann::ordered_json& fields = nlohmann::ordered_json::object());
inline void Debug(std::string_view e, const nlohmann::ordered_json& f = nlohmann::ordered_json::object()) { Write(Level::kDebug, e, f); }
inline void Info(std::string_view e, const nlohmann::ordered_json& f = nlohmann::ordered_json::object()) { Write(Level::kInfo, e, f); }
inline void Warn(std::string_view e, const nlohmann::ordered_json& f = nlohmann::ordered_json::object()) { Write(Level::kWarn, e, f); }
inline void Error(std::string_view e, const nlohmann::ordered_json& f = nlohmann::ordered_json::object()) { Write(Level::kError, e, f); }

// A new request id (a ULID: sortable by time, unique).
std::string NewRequestId();

}  // namespace pantau::service::log
