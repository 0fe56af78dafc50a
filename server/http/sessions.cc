#include "server/http/sessions.h"

#include <stdexcept>

#include "server/service/digest.h"

namespace pantau::http {

std::string RandomId() {
  auto bytes = service::SecureRandomBytes(32);
  if (!bytes.ok()) throw std::runtime_error("the secure random source failed");
  return service::HexEncode(*bytes);
}

DashboardSession Sessions::Start(service::Principal principal) {
  const absl::Time now = clock_.Now();
  DashboardSession s{RandomId(), RandomId(), std::move(principal), now, now};
  std::lock_guard lock(mu_);
  while (sessions_.size() >= options_.max_sessions && !sessions_.empty()) {
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
      if (it->second.created < oldest->second.created) oldest = it;
    }
    sessions_.erase(oldest);
  }
  sessions_.emplace(s.id, s);
  return s;
}

std::optional<DashboardSession> Sessions::Find(std::string_view id) {
  const absl::Time now = clock_.Now();
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  DashboardSession& s = it->second;
  if (now - s.last_seen >= options_.idle || now - s.created >= options_.absolute) {
    sessions_.erase(it);
    return std::nullopt;
  }
  s.last_seen = now;
  return s;
}

void Sessions::Update(std::string_view id, const service::Principal& principal) {
  std::lock_guard lock(mu_);
  if (auto it = sessions_.find(id); it != sessions_.end()) it->second.principal = principal;
}

void Sessions::End(std::string_view id) {
  std::lock_guard lock(mu_);
  if (auto it = sessions_.find(id); it != sessions_.end()) sessions_.erase(it);
}

size_t Sessions::size() {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace pantau::http
