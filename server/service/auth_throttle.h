// Back-off on repeated failed authentication from one peer (an address, without its port).
// After `free_failures` failures the peer is refused for `first_block`, doubling with each
// further failure up to `max_block`; a peer quiet for `forget_after` starts afresh. Attempts
// refused while blocked are not counted, so a laptop that retries with a fixed token never locks
// itself out for longer than the block it earned. Time is passed in.
// Thread-safety: thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace pantau::service {

// The payload of a back-off refusal: the seconds to wait, as decimal text.
inline constexpr std::string_view kRetryAfterPayload = "type.pantau/retry-after-seconds";
// The wait of a back-off refusal; nullopt for any other status.
std::optional<int64_t> ThrottledFor(const absl::Status& status);

struct ThrottleOptions {
  int free_failures = 5;
  absl::Duration first_block = absl::Seconds(1);
  absl::Duration max_block = absl::Minutes(5);
  absl::Duration forget_after = absl::Minutes(15);
  // Peers remembered at most; the one quiet longest is forgotten first.
  size_t max_peers = 10000;
};

class AuthThrottle {
 public:
  explicit AuthThrottle(ThrottleOptions options = {}) : options_(options) {}

  // OK, or UNAVAILABLE saying how long `peer` must wait (temporary: a laptop behind the same
  // address with a right token backs off and tries again), with that wait in seconds as the
  // status's kRetryAfterPayload.
  absl::Status Check(std::string_view peer, absl::Time now);

  // Counts a failure of `peer`; returns the block it starts (zero when none).
  absl::Duration Failure(std::string_view peer, absl::Time now);

  size_t peers() const;

 private:
  struct PeerState {
    int failures = 0;
    absl::Time last_failure;
    absl::Time blocked_until = absl::InfinitePast();
  };

  const ThrottleOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, PeerState, std::less<>> peers_;  // guarded by mu_
};

}  // namespace pantau::service
