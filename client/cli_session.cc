#include "client/cli_session.h"

#include <ostream>

#include "common/dates.h"

namespace pantau::client {

int Session::Fail(const absl::Status& status, const std::string& context) {
  err << "pantau: " << context << (context.empty() ? "" : ": ") << status.message() << "\n";
  return status.code() == absl::StatusCode::kInvalidArgument ? kRefused : kFailed;
}

int OpenSession(const std::string& home, Session& s) {
  auto store = LaptopStore::Open(home);
  if (!store.ok()) return s.Fail(store.status());
  s.store = *std::move(store);
  auto settings = s.store->Settings();
  if (!settings.ok()) return s.Fail(settings.status());
  s.settings = *settings;
  auto catalog = s.store->LoadCatalog();
  if (!catalog.ok()) return s.Fail(catalog.status());
  s.catalog = *std::move(catalog);
  // Dates typed and printed are the deployment's local dates.
  s.policy.display_zone = s.catalog.TimeZone();
  return kOk;
}

std::string TimeText(std::optional<absl::Time> t, const common::ValidationPolicy& policy) {
  return t ? common::FormatLocalMinute(*t, policy.display_zone) : "never";
}

}  // namespace pantau::client
