// Who is calling, once authenticated, and who acts, for the audit log.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "pantau/v1/admin_service.pb.h"

namespace pantau::service {

struct Principal {
  Principal() = default;
  Principal(std::string name_in, v1::Role role_in, v1::AccountScope scope_in = {})
      : name(std::move(name_in)), role(role_in), scope(std::move(scope_in)) {}

  std::string name;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  v1::AccountScope scope;  // empty lists: no limit
  // Set by AccountService::Authenticate: when the token stops working, and the service's account
  // generation then, so a long stream can tell cheaply whether it must check the account again.
  std::optional<absl::Time> expires_at;
  uint64_t generation = 0;
};

// An account name ("" before authentication) and where the call came from.
struct Actor {
  std::string name;
  std::string peer;
};

}  // namespace pantau::service
