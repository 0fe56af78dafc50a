// What every `pantau` command group shares: the exit codes the README documents, and the laptop
// opened once (its outbox, settings, reference data and the deployment's zone). Thread-safety:
// single-threaded (one CLI run).
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/laptop_store.h"
#include "common/reference_catalog.h"
#include "common/validation.h"

namespace pantau::client {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kRefused = 2;
// `pantau sync`: everything that could be sent was, but records on this laptop need attention.
constexpr int kNeedsAttention = 3;

// Everything a command needs, opened once.
struct Session {
  std::unique_ptr<LaptopStore> store;
  LaptopSettings settings;
  std::ostream& out;
  std::ostream& err;
  common::ValidationPolicy policy;
  // The reference data this laptop last pulled (empty before the first pull).
  common::ReferenceCatalog catalog;

  // Prints "pantau: CONTEXT: MESSAGE" on err; kRefused for INVALID_ARGUMENT, else kFailed.
  int Fail(const absl::Status& status, const std::string& context = "");
};

// Opens the laptop at `home` into `s`; kOk, or the exit code after saying why.
int OpenSession(const std::string& home, Session& s);

// "2026-11-30 14:05 WITA", or "never".
std::string TimeText(std::optional<absl::Time> t, const common::ValidationPolicy& policy);

}  // namespace pantau::client
