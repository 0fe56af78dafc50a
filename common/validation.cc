#include "common/validation.h"

#include <cstdint>

#include "common/str_cat.h"

#include "common/checklists.h"
#include "common/dates.h"
#include "common/record_kind_table.h"
#include "common/text.h"
#include "common/ulid.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace pantau::common {
namespace {

using google::protobuf::FieldDescriptor;


// One string field's value: not longer than the limit; text (not bytes) is valid UTF-8 with no NUL
// and no bidirectional override.
void CheckString(const std::string& v, const FieldDescriptor* field, const std::string& path,
                 const ValidationPolicy& policy, FieldErrorList& errors) {
  if (v.size() > policy.max_text_bytes) {
    errors.Add(path, Msg("is {} bytes long; at most {}", v.size(), policy.max_text_bytes));
    return;
  }
  if (field->type() != FieldDescriptor::TYPE_STRING) return;
  if (!IsValidUtf8(v)) {
    errors.Add(path, Msg("is not valid UTF-8 text"));
  } else if (v.find('\0') != std::string::npos) {
    errors.Add(path, Msg("contains a NUL character"));
  } else if (std::string why = BidiControlIn(v); !why.empty()) {
    errors.Add(path, Msg("contains the bidirectional control character {}, which makes text show in another order "
                         "than it is stored; type it without",
                         why));
  }
}

// Every string field of `message`, at any depth: valid UTF-8 and not longer than the limit; every
// repeated field: not longer than the limit. One generic walk, so no field can be forgotten.
void CheckTextAndSizes(const google::protobuf::Message& message, const std::string& at, const ValidationPolicy& policy,
                       FieldErrorList& errors) {
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string path = at + field->name();
    if (field->is_repeated()) {
      const int n = reflection->FieldSize(message, field);
      if (n > policy.max_repeated) {
        errors.Add(path, Msg("has {} entries; at most {}", n, policy.max_repeated));
        continue;
      }
      for (int i = 0; i < n; ++i) {
        const std::string item = StrCat(path, "[", i, "]");
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          std::string scratch;
          const std::string& v = reflection->GetRepeatedStringReference(message, field, i, &scratch);
          CheckString(v, field, item, policy, errors);
        } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          CheckTextAndSizes(reflection->GetRepeatedMessage(message, field, i), item + ".", policy,
                            errors);
        }
      }
      continue;
    }
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      std::string scratch;
      const std::string& v = reflection->GetStringReference(message, field, &scratch);
      CheckString(v, field, path, policy, errors);
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      CheckTextAndSizes(reflection->GetMessage(message, field), path + ".", policy, errors);
    }
  }
}

void CheckTime(FieldErrorList& errors, const char* field, bool present,
               const google::protobuf::Timestamp& ts, const ValidationContext& ctx) {
  if (!present) {
    errors.Add(field, Msg("is required (a date and time)"));
    return;
  }
  if (!IsValidTimestamp(ts)) {
    errors.Add(field, Msg("is not a valid date and time"));
    return;
  }
  const absl::Time t = FromTimestamp(ts);
  const absl::Time latest = ctx.now + ctx.policy.max_clock_skew;
  if (t > latest) {
    errors.Add(field, Msg("{} is {} ahead of the server clock (at most {} allowed); check the laptop's date, time "
                          "and time zone",
                          FormatLocalMinute(t, ctx.policy.display_zone), FormatHoursMinutes(t - ctx.now),
                          FormatHoursMinutes(ctx.policy.max_clock_skew)));
  } else if (t < ctx.policy.earliest_observation) {
    errors.Add(field, Msg("{} is before {}; check the laptop's date", FormatLocalMinute(t, ctx.policy.display_zone),
                          FormatLocalMinute(ctx.policy.earliest_observation, ctx.policy.display_zone)));
  }
}

}  // namespace

void FieldErrorList::Add(std::string field, const Message& reason) {
  errors_.push_back(FieldErrorOf(std::move(field), reason));
}

void FieldErrorList::AddEnglish(std::string field, std::string reason) {
  v1::FieldError& e = errors_.emplace_back();
  e.set_field(std::move(field));
  e.set_reason(std::move(reason));
}

std::vector<v1::FieldError> ValidateRecord(const v1::Record& record, const ValidationContext& ctx) {
  FieldErrorList errors;
  if (record.id().empty()) {
    errors.Add("id", Msg("is required (made by the laptop when the record is created)"));
  } else if (!IsValidUlid(record.id())) {
    errors.Add("id", Msg("is not a record id (26 characters of 0-9 and A-Z without I, L, O, U)"));
  }
  CheckTextAndSizes(record, "", ctx.policy, errors);
  if (!errors.empty()) return errors.Take();  // codes below assume sane text

  internal::CheckCode(errors, "device_id", record.device_id(), ctx.policy, true);
  if (!record.device_id().empty()) {
    const v1::Device* device = ctx.catalog.FindDevice(record.device_id());
    if (device == nullptr) {
      errors.Add("device_id", Msg("laptop \"{}\" is not registered; run `pantau login` on it", record.device_id()));
    } else if (device->account_name() != ctx.author) {
      errors.Add("device_id", Msg("laptop \"{}\" is registered to another inspector", record.device_id()));
    }
  }
  CheckTime(errors, "created_at", record.has_created_at(), record.created_at(), ctx);
  CheckTime(errors, "observed_at", record.has_observed_at(), record.observed_at(), ctx);
  internal::ValidateRecordBody(record, ctx, errors);
  return errors.Take();
}

std::string DescribeRecordErrors(std::string_view record_id, size_t index_in_batch,
                                 const std::vector<v1::FieldError>& errors) {
  // An id longer than any ULID is shown cut, so an error never echoes a huge input back.
  std::string who = record_id.empty()     ? StrCat("record #", index_in_batch + 1, " of the batch")
                    : record_id.size() > 40 ? StrCat("record #", index_in_batch + 1, " (id \"",
                                                     TruncateUtf8(record_id, 26), "...\", ", record_id.size(), " bytes)")
                                          : StrCat("record ", record_id);
  std::vector<std::string> parts;
  for (const auto& e : errors) parts.push_back(StrCat(e.field(), ": ", e.reason()));
  return StrCat(who, ": ", StrJoin(parts, "; "));
}

int64_t PackPricePerUnit(int64_t pack_price_rupiah, int64_t pack_size_milli_units) {
  // Within the documented bounds (price <= 1e12, size <= 1e9) every term stays below 2.1e15.
  return (pack_price_rupiah * 2000 + pack_size_milli_units) / (pack_size_milli_units * 2);
}

std::vector<v1::FieldError> ValidateReferenceEntity(const v1::ReferenceEntity& entity) {
  FieldErrorList errors;
  ValidationPolicy policy;
  CheckTextAndSizes(entity, "", policy, errors);
  auto key = ReferenceKey(entity);
  if (!key.ok()) {
    errors.AddEnglish(std::string(ReferenceTypeName(entity)), std::string(key.status().message()));
    return errors.Take();
  }
  for (char c : *key) {
    if (c == '\n' || c == '\r' || c == '\0') errors.AddEnglish("code", "must not contain line breaks");
  }
  switch (entity.entity_case()) {
    case v1::ReferenceEntity::kCommodity: {
      const auto& c = entity.commodity();
      if (c.unit().empty()) errors.AddEnglish("commodity.unit", "is required (kg, liter, butir, ...)");
      if (c.plausible_min_rupiah() < 0 || c.plausible_max_rupiah() < 0 ||
          (c.plausible_max_rupiah() > 0 && c.plausible_min_rupiah() > c.plausible_max_rupiah())) {
        errors.AddEnglish("commodity.plausible_min_rupiah", "the plausible range is not a range");
      }
      break;
    }
    case v1::ReferenceEntity::kReferencePrice: {
      const auto& p = entity.reference_price();
      if (p.price_rupiah() <= 0) errors.AddEnglish("reference_price.price_rupiah", "must be greater than 0");
      if (!ParseLocalDate(p.effective_from())) {
        errors.AddEnglish("reference_price.effective_from", "is not a date of the form YYYY-MM-DD");
      }
      break;
    }
    case v1::ReferenceEntity::kOutlet:
      if (entity.outlet().kind() == v1::OUTLET_KIND_UNSPECIFIED) {
        errors.AddEnglish("outlet.kind", "is required (lpg_pangkalan or pupuk_kios)");
      }
      break;
    case v1::ReferenceEntity::kUttpType:
      if (entity.uttp_type().reverification_interval_months() <= 0) {
        errors.AddEnglish("uttp_type.reverification_interval_months", "must be greater than 0");
      }
      break;
    case v1::ReferenceEntity::kUttpInstrument: {
      const auto& u = entity.uttp_instrument();
      if (u.type_code().empty()) errors.AddEnglish("uttp_instrument.type_code", "is required");
      if (!u.registered_on().empty() && !ParseLocalDate(u.registered_on())) {
        errors.AddEnglish("uttp_instrument.registered_on", "is not a date of the form YYYY-MM-DD");
      }
      if (!u.retired_on().empty() && !ParseLocalDate(u.retired_on())) {
        errors.AddEnglish("uttp_instrument.retired_on", "is not a date of the form YYYY-MM-DD");
      }
      break;
    }
    case v1::ReferenceEntity::kIndicatorTarget:
      if (entity.indicator_target().target_milli() < 0) {
        errors.AddEnglish("indicator_target.target_milli", "must not be negative");
      }
      break;
    case v1::ReferenceEntity::kManualRealisation: {
      const auto& m = entity.manual_realisation();
      if (m.denominator() < 0 || m.numerator() < 0 || m.value_milli() < 0) {
        errors.AddEnglish("manual_realisation", "values must not be negative");
      } else if (m.numerator() > 0 && m.denominator() == 0) {
        errors.AddEnglish("manual_realisation.denominator", "is required with a numerator (the formula's divisor)");
      }
      break;
    }
    case v1::ReferenceEntity::kDevice:
      if (entity.device().account_name().empty()) {
        errors.AddEnglish("device.account_name", "is required");
      }
      break;
    case v1::ReferenceEntity::kChecklist:
      for (const auto& problem : ChecklistProblems(entity.checklist())) errors.AddEnglish("checklist", problem);
      break;
    case v1::ReferenceEntity::kFollowUpAction: {
      const auto& a = entity.follow_up_action();
      if (a.domain() != "lpg_pangkalan" && a.domain() != "pupuk_kios" && a.domain() != "uttp") {
        errors.AddEnglish("follow_up_action.domain", "must be lpg_pangkalan, pupuk_kios or uttp");
      }
      if (a.step() <= 0) errors.AddEnglish("follow_up_action.step", "must be 1 or more");
      break;
    }
    case v1::ReferenceEntity::kDeployment: {
      const auto& d = entity.deployment();
      if (d.code().empty()) errors.AddEnglish("deployment.code", "is required (the kode wilayah, e.g. 63.04)");
      if (d.name().empty()) errors.AddEnglish("deployment.name", "is required (e.g. Kabupaten Barito Kuala)");
      if (d.price_zones().empty()) {
        errors.AddEnglish("deployment.price_zones", "name at least one HET/HAP zone, most specific first (e.g. 2;kalsel;nasional)");
      }
      if (!IndonesianTimeZone(d.time_zone())) {
        errors.AddEnglish("deployment.time_zone", StrCat("must be WIB, WITA or WIT (got \"", d.time_zone(), "\")"));
      }
      break;
    }
    default:
      break;
  }
  return errors.Take();
}

}  // namespace pantau::common
