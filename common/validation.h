// Validation of field records and reference entities: one path for every record kind, shared by
// the laptop (checked at entry, offline) and the server (authoritative). Every error names the
// field and says what is wrong in words an inspector can act on. Pure: time is passed in.
// Thread-safety: stateless; the catalog must not change during a call.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "common/dates.h"
#include "common/messages.h"
#include "common/reference_catalog.h"
#include "pantau/v1/records.pb.h"
#include "pantau/v1/sync_service.pb.h"

namespace pantau::common {

// Documented defaults; the server reads overrides from its config.
struct ValidationPolicy {
  // How far ahead of the checking clock a laptop's created_at / observed_at may be.
  absl::Duration max_clock_skew = absl::Minutes(10);
  // Observations before this are refused as a wrong date.
  absl::Time earliest_observation = absl::FromCivil(absl::CivilDay(2020, 1, 1), absl::UTCTimeZone());
  // Longest text of any string field, in bytes.
  size_t max_text_bytes = 2000;
  // Longest code (market, commodity, outlet, device, finding, ...), in bytes.
  size_t max_code_bytes = 64;
  // Most checklist answers, findings, test points or seal numbers in one record.
  int max_repeated = 200;
  // Zone used for messages that show a time to a person, and for the times people type: the
  // deployment's (ReferenceCatalog::TimeZone).
  absl::TimeZone display_zone = ZoneWithoutDeployment();
};

struct ValidationContext {
  const ReferenceCatalog& catalog;
  const ValidationPolicy& policy;
  // The checking clock: the server's on the server, the laptop's on the laptop.
  absl::Time now;
  // The account the record will be stored as authored by: its device must be registered to it.
  std::string_view author;
};

// Collects field errors in the order found.
class FieldErrorList {
 public:
  // An inspector's error: its reason carries the message, for the page's language.
  void Add(std::string field, const Message& reason);
  // An admin's error (reference entities, which no inspector's page shows): English only.
  void AddEnglish(std::string field, std::string reason);
  bool empty() const { return errors_.empty(); }
  std::vector<v1::FieldError> Take() { return std::move(errors_); }

 private:
  std::vector<v1::FieldError> errors_;
};

// Every problem of `record`, each naming the field ("price_sample.price_rupiah") and the reason.
// Empty when the record is valid.
std::vector<v1::FieldError> ValidateRecord(const v1::Record& record, const ValidationContext& ctx);

// One line for people: "record 01J…: price_sample.price_rupiah: must be greater than 0 (got -5)";
// several errors are joined with "; ".
std::string DescribeRecordErrors(std::string_view record_id, size_t index_in_batch,
                                 const std::vector<v1::FieldError>& errors);

// Problems of a reference entity an admin sends or imports (missing code, bad date, ...).
std::vector<v1::FieldError> ValidateReferenceEntity(const v1::ReferenceEntity& entity);

// round(pack_price_rupiah * 1000 / pack_size_milli_units), halves away from zero; the price per
// commodity unit of a pack price. REQUIRES: 0 <= pack_price_rupiah <= 1e12 and
// 0 < pack_size_milli_units <= 1e9 (the validator's bounds).
int64_t PackPricePerUnit(int64_t pack_price_rupiah, int64_t pack_size_milli_units);

}  // namespace pantau::common
