#include "server/service/auth_throttle.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "common/str_cat.h"

namespace pantau::service {

std::optional<int64_t> ThrottledFor(const absl::Status& status) {
  auto payload = status.GetPayload(absl::string_view(kRetryAfterPayload.data(), kRetryAfterPayload.size()));
  int64_t seconds = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &seconds)) return std::nullopt;
  return seconds;
}

absl::Status AuthThrottle::Check(std::string_view peer, absl::Time now) {
  std::lock_guard lock(mu_);
  auto it = peers_.find(peer);
  if (it == peers_.end() || now >= it->second.blocked_until) return absl::OkStatus();
  const int64_t seconds = absl::ToInt64Seconds(absl::Ceil(it->second.blocked_until - now, absl::Seconds(1)));
  absl::Status blocked = absl::UnavailableError(
      StrCat("too many failed sign-ins from this address (", it->second.failures,
             "); try again in ", seconds, " s with the right token"));
  blocked.SetPayload(absl::string_view(kRetryAfterPayload.data(), kRetryAfterPayload.size()),
                     absl::Cord(std::to_string(seconds)));
  return blocked;
}

absl::Duration AuthThrottle::Failure(std::string_view peer, absl::Time now) {
  std::lock_guard lock(mu_);
  auto it = peers_.find(peer);
  if (it == peers_.end()) {
    if (peers_.size() >= options_.max_peers) {
      auto quietest = std::min_element(peers_.begin(), peers_.end(), [](const auto& a, const auto& b) {
        return a.second.last_failure < b.second.last_failure;
      });
      peers_.erase(quietest);
    }
    it = peers_.emplace(std::string(peer), PeerState{}).first;
  }
  PeerState& state = it->second;
  if (state.failures > 0 && now - state.last_failure >= options_.forget_after) state = PeerState{};
  state.failures++;
  state.last_failure = now;
  const int over = state.failures - options_.free_failures;
  if (over <= 0) return absl::ZeroDuration();
  absl::Duration block = options_.first_block;
  for (int i = 1; i < over && block < options_.max_block; ++i) block *= 2;
  block = std::min(block, options_.max_block);
  state.blocked_until = now + block;
  return block;
}

size_t AuthThrottle::peers() const {
  std::lock_guard lock(mu_);
  return peers_.size();
}

}  // namespace pantau::service
