#include "client/entry.h"

#include "client/record_ids.h"
#include "common/amounts.h"
#include "common/dates.h"
#include "common/messages.h"
#include "common/str_cat.h"

namespace pantau::client {

absl::StatusOr<int64_t> PackSizeMilliUnits(const std::string& quantity, const std::string& unit_text,
                                           const std::string& commodity_unit) {
  common::PackSize pack;
  if (unit_text.empty()) {  // "5kg", "1,5 liter": the quantity and its unit in one
    auto parsed = common::ParsePackText(quantity);
    if (!parsed.ok()) return parsed.status();
    pack = *std::move(parsed);
  } else {
    auto milli = common::ParseMilliText(quantity);
    if (!milli || *milli <= 0) {
      return common::MessageStatus(absl::StatusCode::kInvalidArgument,
                                   common::Msg("pack size \"{}\" is not a positive number (at most 3 decimals)", quantity));
    }
    auto canonical = common::CanonicalUnit(unit_text);
    if (!canonical) {
      return common::MessageStatus(absl::StatusCode::kInvalidArgument,
                                   common::Msg("pack unit \"{}\" is not a unit Pantau knows; accepted units: {}",
                                               unit_text, common::AcceptedUnits()));
    }
    pack = {*milli, *canonical};
  }
  if (pack.unit == commodity_unit) return pack.milli;
  // Smaller units of the commodity's unit: 1000 g = 1 kg, 1000 ml = 1 liter.
  if ((pack.unit == "g" && commodity_unit == "kg") || (pack.unit == "ml" && commodity_unit == "liter")) {
    if (pack.milli % 1000 != 0) {
      return common::MessageStatus(
          absl::StatusCode::kInvalidArgument,
          common::Msg("pack size {} is finer than a thousandth of a {}", StrCat(quantity, " ", unit_text), commodity_unit));
    }
    return pack.milli / 1000;
  }
  return common::MessageStatus(absl::StatusCode::kInvalidArgument,
                               common::Msg("a pack in \"{}\" cannot be converted to \"{}\", the unit this commodity is "
                                           "priced per",
                                           pack.unit, commodity_unit));
}

absl::StatusOr<v1::Record> NewRecord(const EntryContext& ctx, std::optional<absl::Time> observed) {
  auto id = NewRecordId(ctx.now);
  if (!id.ok()) return id.status();
  v1::Record r;
  r.set_id(*id);
  r.set_author(ctx.account);
  r.set_device_id(ctx.device_id);
  *r.mutable_created_at() = common::ToTimestamp(ctx.now);
  *r.mutable_observed_at() = common::ToTimestamp(observed.value_or(ctx.now));
  return r;
}

absl::StatusOr<v1::Record> BuildPriceSample(const PriceInput& input, const EntryContext& ctx,
                                            const std::string& id) {
  auto record = NewRecord(ctx, input.observed);
  if (!record.ok()) return record.status();
  if (!id.empty()) record->set_id(id);
  record->set_note(input.note);
  v1::PriceSample* p = record->mutable_price_sample();
  p->set_market_code(input.market);
  p->set_commodity_code(input.commodity);
  p->set_trader(input.trader);
  p->set_confirm_reason(input.confirm_reason);
  const v1::Commodity* commodity = ctx.catalog.FindCommodity(input.commodity);
  p->set_unit(commodity != nullptr ? commodity->unit() : "");
  if (!input.pack_quantity.empty() || !input.pack_unit.empty()) {
    if (commodity == nullptr) {
      // Leave the conversion to the validator's "unknown commodity" message.
      p->set_price_rupiah(input.price_rupiah);
      return record;
    }
    auto size = PackSizeMilliUnits(input.pack_quantity, input.pack_unit, commodity->unit());
    if (!size.ok()) return size.status();
    p->set_pack_price_rupiah(input.price_rupiah);
    p->set_pack_size_milli_units(*size);
    if (input.price_rupiah > 0 && input.price_rupiah <= 1'000'000'000'000) {
      p->set_price_rupiah(common::PackPricePerUnit(input.price_rupiah, *size));
    }
  } else {
    p->set_price_rupiah(input.price_rupiah);
  }
  return record;
}

std::vector<v1::FieldError> CheckBeforeSaving(const v1::Record& record, const EntryContext& ctx,
                                              const std::vector<int64_t>& recent_prices) {
  common::ValidationContext vctx{ctx.catalog, ctx.policy, ctx.now, ctx.account};
  std::vector<v1::FieldError> errors = common::ValidateRecord(record, vctx);
  const v1::PriceSample* sample = nullptr;
  std::string field = "price_sample.price_rupiah";
  if (record.has_price_sample()) sample = &record.price_sample();
  if (record.has_correction() && record.correction().has_price_sample()) {
    sample = &record.correction().price_sample();
    field = "correction.price_sample.price_rupiah";
  }
  if (errors.empty() && sample != nullptr && sample->confirm_reason().empty()) {
    if (auto reason = common::CheckAgainstRecentMedian(sample->price_rupiah(), recent_prices)) {
      errors.push_back(common::FieldErrorOf(field, *reason));
    }
  }
  return errors;
}

}  // namespace pantau::client
