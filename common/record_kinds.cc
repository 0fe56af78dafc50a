#include "common/record_kinds.h"

#include <cstdint>

#include "common/str_cat.h"

#include "common/checklists.h"
#include "common/dates.h"
#include "common/metrology.h"
#include "common/record_kind_table.h"
#include "common/text.h"
#include "common/ulid.h"

namespace pantau::common {
namespace {

using internal::CheckCode;
using internal::CheckRecordReference;

// Adds `unknown` (the template "unknown market \"{}\""), or `unknown_near` with the closest codes
// as its second argument, when `found` is null.
void CheckKnown(FieldErrorList& errors, const std::string& path, const std::string& code,
                const void* found, std::string_view type, std::string_view unknown, std::string_view unknown_near,
                const ReferenceCatalog& catalog) {
  if (code.empty() || found != nullptr) return;
  const std::string near = StrJoin(ClosestCodes(code, catalog.Codes(type)), ", ");
  errors.Add(path, near.empty() ? Msg(unknown, code) : Msg(unknown_near, code, near));
}

// Above `max` is refused whatever the inspector confirms (docs/security.md, absolute ceilings):
// no sum or product of accepted values can then wrap.
void CheckCeiling(FieldErrorList& errors, const std::string& path, int64_t value, int64_t max,
                  std::string_view unit) {
  if (value > max) {
    errors.Add(path, Msg("is above the absolute ceiling of {} (got {}); no confirmation can pass it: check the number "
                         "of digits",
                         StrCat(max, unit.empty() ? "" : " ", unit), value));
  }
}

void CheckPositive(FieldErrorList& errors, const std::string& path, int64_t value,
                   std::string_view unit, int64_t max) {
  if (value <= 0) {
    errors.Add(path, Msg("must be greater than 0 (got {})", StrCat(value, unit.empty() ? "" : " ", unit)));
  } else {
    CheckCeiling(errors, path, value, max, unit);
  }
}

void CheckNonNegative(FieldErrorList& errors, const std::string& path, int64_t value,
                      std::string_view unit, int64_t max) {
  if (value < 0) {
    errors.Add(path, Msg("must not be negative (got {})", StrCat(value, unit.empty() ? "" : " ", unit)));
  } else {
    CheckCeiling(errors, path, value, max, unit);
  }
}

void CheckDate(FieldErrorList& errors, const std::string& path, const std::string& value,
               bool required) {
  if (value.empty()) {
    if (required) errors.Add(path, Msg("is required (a date YYYY-MM-DD)"));
    return;
  }
  if (!ParseLocalDate(value)) {
    errors.Add(path, Msg("\"{}\" is not a date of the form YYYY-MM-DD", value));
  }
}

// Largest pack price and size accepted: keeps pack arithmetic far from int64 overflow.
constexpr int64_t kMaxPackPriceRupiah = kMaxRupiah;
constexpr int64_t kMaxPackSizeMilli = 1'000'000'000;        // a million units

void ValidatePriceSample(const v1::PriceSample& p, const std::string& at,
                         const ValidationContext& ctx, FieldErrorList& errors) {
  const auto& catalog = ctx.catalog;
  CheckCode(errors, at + "market_code", p.market_code(), ctx.policy, true);
  CheckKnown(errors, at + "market_code", p.market_code(), catalog.FindMarket(p.market_code()),
             "market", MessageTemplate("unknown market \"{}\""),
             MessageTemplate("unknown market \"{}\"; did you mean {}?"), catalog);
  CheckCode(errors, at + "commodity_code", p.commodity_code(), ctx.policy, true);
  const v1::Commodity* commodity = catalog.FindCommodity(p.commodity_code());
  CheckKnown(errors, at + "commodity_code", p.commodity_code(), commodity, "commodity",
             MessageTemplate("unknown commodity \"{}\""),
             MessageTemplate("unknown commodity \"{}\"; did you mean {}?"), catalog);
  CheckPositive(errors, at + "price_rupiah", p.price_rupiah(), "Rupiah", kMaxRupiah);
  if (p.unit().empty()) {
    // With an unknown commodity the unit is unknowable too: that error alone is the useful one.
    if (commodity != nullptr || p.commodity_code().empty()) {
      errors.Add(at + "unit", Msg("is required (the commodity's unit, e.g. kg)"));
    }
  } else if (commodity != nullptr && p.unit() != commodity->unit()) {
    errors.Add(at + "unit", Msg("price is per \"{}\" but {} is priced per \"{}\"", p.unit(), commodity->name(),
                                commodity->unit()));
  }
  const bool has_pack = p.pack_price_rupiah() != 0 || p.pack_size_milli_units() != 0;
  if (has_pack) {
    bool pack_ok = true;
    if (p.pack_price_rupiah() <= 0 || p.pack_price_rupiah() > kMaxPackPriceRupiah) {
      errors.Add(at + "pack_price_rupiah",
                 Msg("must be between 1 and {} Rupiah (got {})", kMaxPackPriceRupiah, p.pack_price_rupiah()));
      pack_ok = false;
    }
    if (p.pack_size_milli_units() <= 0 || p.pack_size_milli_units() > kMaxPackSizeMilli) {
      errors.Add(at + "pack_size_milli_units",
                 Msg("must be between 1 and {} thousandths of the unit (got {})", kMaxPackSizeMilli,
                     p.pack_size_milli_units()));
      pack_ok = false;
    }
    if (pack_ok) {
      int64_t expected = PackPricePerUnit(p.pack_price_rupiah(), p.pack_size_milli_units());
      if (p.price_rupiah() != expected) {
        errors.Add(at + "price_rupiah",
                   Msg("does not match the pack: {} per {}/1000 {} is {} per {}, not {}",
                       FormatRupiah(p.pack_price_rupiah()), p.pack_size_milli_units(), p.unit(), FormatRupiah(expected),
                       p.unit(), FormatRupiah(p.price_rupiah())));
      }
    }
  }
  if (commodity != nullptr && p.price_rupiah() > 0 && p.confirm_reason().empty()) {
    const int64_t lo = commodity->plausible_min_rupiah();
    const int64_t hi = commodity->plausible_max_rupiah();
    if ((lo > 0 && p.price_rupiah() < lo) || (hi > 0 && p.price_rupiah() > hi)) {
      errors.Add(at + "price_rupiah",
                 Msg("{} per {} is outside the plausible range for {} ({} to {}); check for a digit slip, or "
                     "confirm the price with a reason",
                     FormatRupiah(p.price_rupiah()), commodity->unit(), commodity->name(), FormatRupiah(lo),
                     FormatRupiah(hi)));
    }
  }
}

void ValidateOutletAudit(const v1::OutletAudit& a, const std::string& at,
                         const ValidationContext& ctx, FieldErrorList& errors) {
  CheckCode(errors, at + "outlet_code", a.outlet_code(), ctx.policy, true);
  const v1::Outlet* outlet = ctx.catalog.FindOutlet(a.outlet_code());
  CheckKnown(errors, at + "outlet_code", a.outlet_code(), outlet, "outlet", MessageTemplate("unknown outlet \"{}\""),
             MessageTemplate("unknown outlet \"{}\"; did you mean {}?"),
             ctx.catalog);
  if (a.outlet_kind() == v1::OUTLET_KIND_UNSPECIFIED) {
    errors.Add(at + "outlet_kind", Msg("is required (LPG pangkalan or pupuk kios)"));
  } else if (outlet != nullptr && outlet->kind() != a.outlet_kind()) {
    errors.Add(at + "outlet_kind",
               Msg("outlet \"{}\" is a {}, not a {}", a.outlet_code(), OutletKindName(outlet->kind()),
                   OutletKindName(a.outlet_kind())));
  }
  CheckCode(errors, at + "checklist_version", a.checklist_version(), ctx.policy, true);
  std::vector<std::string_view> seen;
  for (int i = 0; i < a.answers_size(); ++i) {
    const auto& answer = a.answers(i);
    const std::string path = StrCat(at, "answers[", i, "]");
    CheckCode(errors, path + ".item_code", answer.item_code(), ctx.policy, true);
    for (auto s : seen) {
      if (s == answer.item_code()) {
        errors.Add(path + ".item_code",
                   Msg("item \"{}\" is answered twice", answer.item_code()));
      }
    }
    seen.push_back(answer.item_code());
    switch (answer.value_case()) {
      case v1::ChecklistAnswer::VALUE_NOT_SET:
        errors.Add(path, Msg("has no answer"));
        break;
      case v1::ChecklistAnswer::kCount:
        CheckNonNegative(errors, path + ".count", answer.count(), "", kMaxCount);
        break;
      case v1::ChecklistAnswer::kPriceRupiah:
        CheckPositive(errors, path + ".price_rupiah", answer.price_rupiah(), "Rupiah", kMaxRupiah);
        break;
      case v1::ChecklistAnswer::kWeightG:
        CheckNonNegative(errors, path + ".weight_g", answer.weight_g(), "g", kMaxWeightG);
        break;
      case v1::ChecklistAnswer::kPhotoSha256: {
        const std::string& h = answer.photo_sha256();
        bool hex = h.size() == 64;
        for (char c : h) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
        if (!hex) errors.Add(path + ".photo_sha256", Msg("must be 64 lower-case hex digits (SHA-256)"));
        break;
      }
      case v1::ChecklistAnswer::kYes:
        break;
      case v1::ChecklistAnswer::kNotCheckedReason:
        if (StripAsciiSpace(answer.not_checked_reason()).empty()) {
          errors.Add(path + ".not_checked_reason", Msg("says why the item could not be checked; it is empty"));
        } else if (answer.not_checked_reason().size() > 500) {
          errors.Add(path + ".not_checked_reason", Msg("is longer than 500 characters"));
        }
        break;
    }
  }
  for (int i = 0; i < a.findings_size(); ++i) {
    CheckCode(errors, StrCat(at, "findings[", i, "]"), a.findings(i), ctx.policy, true);
  }
  if (a.computed_findings_size() > 0 || a.finding_reasons_size() > 0 || !a.checklist_applied().empty()) {
    errors.Add(at + "computed_findings", Msg("are computed by the server; leave them (and finding_reasons, checklist_applied) empty"));
  }
  // Where the dinas keeps checklists for this kind of outlet, the version must be one of them
  // and the answers must fit it.
  bool kind_has_checklists = false;
  for (const auto& key : ctx.catalog.Codes("checklist")) {
    kind_has_checklists = kind_has_checklists || key.rfind(StrCat(OutletKindName(a.outlet_kind()), "|"), 0) == 0;
  }
  if (kind_has_checklists && !a.checklist_version().empty()) {
    const v1::Checklist* checklist = ctx.catalog.FindChecklist(a.outlet_kind(), a.checklist_version());
    if (checklist == nullptr) {
      std::vector<std::string> versions;
      for (const auto& key : ctx.catalog.Codes("checklist")) {
        const std::string prefix = StrCat(OutletKindName(a.outlet_kind()), "|");
        if (key.rfind(prefix, 0) == 0) versions.push_back(key.substr(prefix.size()));
      }
      errors.Add(at + "checklist_version", Msg("no checklist {} for {}; known versions: {}", a.checklist_version(),
                                               OutletKindName(a.outlet_kind()), StrJoin(versions, ", ")));
    } else {
      for (const auto& [field, reason] : AnswerProblems(a, *checklist)) errors.Add(at + field, reason);
    }
  }
}

void ValidateFollowUp(const v1::FollowUp& f, const std::string& at, const ValidationContext& ctx,
                      FieldErrorList& errors) {
  CheckRecordReference(errors, at + "audit_record_id", f.audit_record_id());
  CheckCode(errors, at + "finding_code", f.finding_code(), ctx.policy, true);
  CheckCode(errors, at + "action_code", f.action_code(), ctx.policy, true);
  CheckDate(errors, at + "action_date", f.action_date(), true);
  CheckDate(errors, at + "due_date", f.due_date(), false);
  auto action = ParseLocalDate(f.action_date());
  auto due = ParseLocalDate(f.due_date());
  if (action && due && *due < *action) {
    errors.Add(at + "due_date", Msg("due date {} is before the action date {}", f.due_date(), f.action_date()));
  }
  if (f.status() == v1::FOLLOW_UP_STATUS_UNSPECIFIED) {
    errors.Add(at + "status", Msg("is required (open or closed)"));
  }
  if (!f.audit_outlet_code().empty()) {
    errors.Add(at + "audit_outlet_code", Msg("is set by the server; leave it empty"));
  }
  // Where the dinas keeps follow-up ladders, the action must be a step of one.
  if (!ctx.catalog.Codes("follow_up_action").empty() && !f.action_code().empty()) {
    CheckKnown(errors, at + "action_code", f.action_code(), ctx.catalog.FindFollowUpAction(f.action_code()),
               "follow_up_action", MessageTemplate("unknown follow-up action \"{}\""),
             MessageTemplate("unknown follow-up action \"{}\"; did you mean {}?"), ctx.catalog);
  }
}

void ValidateUttpVerification(const v1::UttpVerification& u, const std::string& at,
                              const ValidationContext& ctx, FieldErrorList& errors) {
  CheckCode(errors, at + "instrument_id", u.instrument_id(), ctx.policy, true);
  CheckKnown(errors, at + "instrument_id", u.instrument_id(),
             ctx.catalog.FindUttpInstrument(u.instrument_id()), "uttp_instrument",
             MessageTemplate("unknown UTTP instrument \"{}\""),
             MessageTemplate("unknown UTTP instrument \"{}\"; did you mean {}?"), ctx.catalog);
  if (u.kind() == v1::VERIFICATION_KIND_UNSPECIFIED) {
    errors.Add(at + "kind", Msg("is required (tera, tera ulang or pengawasan)"));
  }
  CheckNonNegative(errors, at + "max_mg", u.max_mg(), "mg", kMaxMetrologyUnits);
  CheckNonNegative(errors, at + "min_mg", u.min_mg(), "mg", kMaxMetrologyUnits);
  CheckNonNegative(errors, at + "e_mg", u.e_mg(), "mg", kMaxMetrologyUnits);
  CheckNonNegative(errors, at + "d_mg", u.d_mg(), "mg", kMaxMetrologyUnits);
  if (u.weighing_points_size() == 0 && u.volume_runs_size() == 0) {
    errors.Add(at + "weighing_points", Msg("at least one test point or volume run is required"));
  }
  // A verdict is judged against the class: without one there is no verdict, sah or batal.
  const v1::UttpCategory category = CategoryOf(u, ctx.catalog);
  if (u.accuracy_class().empty() &&
      (category == v1::UTTP_CATEGORY_NAWI || category == v1::UTTP_CATEGORY_FUEL_DISPENSER)) {
    errors.Add(at + "accuracy_class",
               Msg("is required to judge {} ({}): no verdict, sah or batal, without it; the class is on the "
                   "instrument's data plate",
                   u.instrument_id(),
                   category == v1::UTTP_CATEGORY_NAWI ? "I, II, III, IIII" : "0.3, 0.5, 1.0, 1.5, 2.5"));
  }
  if (u.computed_verdict() != v1::VERDICT_UNSPECIFIED || u.verdict_reasons_size() > 0) {
    errors.Add(at + "computed_verdict", Msg("is computed by the server; leave it (and verdict_reasons) empty"));
  }
  CheckNonNegative(errors, at + "mmq_ml", u.mmq_ml(), "mL", kMaxMetrologyUnits);
  if (u.has_zero_changepoint_mg()) CheckNonNegative(errors, at + "zero_changepoint_mg", u.zero_changepoint_mg(), "mg", kMaxMetrologyUnits);
  for (int i = 0; i < u.ranges_size(); ++i) {
    const std::string path = StrCat(at, "ranges[", i, "]");
    CheckPositive(errors, path + ".max_mg", u.ranges(i).max_mg(), "mg", kMaxMetrologyUnits);
    CheckPositive(errors, path + ".e_mg", u.ranges(i).e_mg(), "mg", kMaxMetrologyUnits);
  }
  for (const auto* list : {&u.eccentricity_points(), &u.repeatability_points()}) {
    const std::string name = list == &u.eccentricity_points() ? "eccentricity_points" : "repeatability_points";
    for (int i = 0; i < list->size(); ++i) {
      const std::string path = StrCat(at, name, "[", i, "]");
      CheckPositive(errors, path + ".load_mg", (*list)[i].load_mg(), "mg", kMaxMetrologyUnits);
      CheckNonNegative(errors, path + ".indication_mg", (*list)[i].indication_mg(), "mg", kMaxMetrologyUnits);
      CheckNonNegative(errors, path + ".changepoint_mg", (*list)[i].changepoint_mg(), "mg", kMaxMetrologyUnits);
    }
  }
  for (int i = 0; i < u.weighing_points_size(); ++i) {
    const auto& p = u.weighing_points(i);
    const std::string path = StrCat(at, "weighing_points[", i, "]");
    CheckPositive(errors, path + ".load_mg", p.load_mg(), "mg", kMaxMetrologyUnits);
    CheckNonNegative(errors, path + ".indication_mg", p.indication_mg(), "mg", kMaxMetrologyUnits);
    CheckNonNegative(errors, path + ".changepoint_mg", p.changepoint_mg(), "mg", kMaxMetrologyUnits);
  }
  for (int i = 0; i < u.volume_runs_size(); ++i) {
    const auto& r = u.volume_runs(i);
    const std::string path = StrCat(at, "volume_runs[", i, "]");
    if (!r.zone().empty()) {
      if (r.zone() != "lower" && r.zone() != "upper") {
        errors.Add(path + ".zone", Msg("must be lower or upper (got \"{}\")", r.zone()));
      }
    } else if (r.flow() != "max" && r.flow() != "mid" && r.flow() != "min") {
      errors.Add(path + ".flow", Msg("must be max, mid or min (got \"{}\")", r.flow()));
    }
    CheckPositive(errors, path + ".actual_ml", r.actual_ml(), "mL", kMaxMetrologyUnits);
    CheckNonNegative(errors, path + ".indication_ml", r.indication_ml(), "mL", kMaxMetrologyUnits);
  }
}

// The correction's replacement, validated by its own kind's rules.
void ValidateCorrection(const v1::Record& record, const ValidationContext& ctx,
                        FieldErrorList& errors) {
  const v1::Correction& c = record.correction();
  CheckRecordReference(errors, "correction.target_id", c.target_id());
  if (c.target_id() == record.id() && !c.target_id().empty()) {
    errors.Add("correction.target_id", Msg("a record cannot correct itself"));
  }
  if (c.reason().empty()) errors.Add("correction.reason", Msg("is required (why the record is corrected)"));
  switch (c.replacement_case()) {
    case v1::Correction::kPriceSample:
      ValidatePriceSample(c.price_sample(), "correction.price_sample.", ctx, errors);
      break;
    case v1::Correction::kOutletAudit:
      ValidateOutletAudit(c.outlet_audit(), "correction.outlet_audit.", ctx, errors);
      break;
    case v1::Correction::kFollowUp:
      ValidateFollowUp(c.follow_up(), "correction.follow_up.", ctx, errors);
      break;
    case v1::Correction::kUttpVerification:
      ValidateUttpVerification(c.uttp_verification(), "correction.uttp_verification.", ctx,
                               errors);
      break;
    case v1::Correction::REPLACEMENT_NOT_SET:
      errors.Add("correction.replacement", Msg("is required (the corrected values)"));
      break;
  }
}

void ValidateVoid(const v1::Record& record, const ValidationContext&, FieldErrorList& errors) {
  const v1::Void& v = record.void_();
  CheckRecordReference(errors, "void.target_id", v.target_id());
  if (v.target_id() == record.id() && !v.target_id().empty()) {
    errors.Add("void.target_id", Msg("a record cannot void itself"));
  }
  if (v.reason().empty()) errors.Add("void.reason", Msg("is required (why the record is void)"));
}

void IndexPriceSample(const v1::PriceSample& p, std::vector<IndexEntry>& out) {
  out.push_back({IndexKind::kMarket, p.market_code()});
  out.push_back({IndexKind::kCommodity, p.commodity_code()});
}

// One row per kind: name, body validation, kind-specific index entries.
struct KindSpec {
  RecordKind kind;
  v1::Record::BodyCase body_case;
  std::string_view name;
  void (*validate)(const v1::Record&, const ValidationContext&, FieldErrorList&);
  void (*index)(const v1::Record&, std::vector<IndexEntry>&);
};

const KindSpec kKindSpecs[kRecordKindCount] = {
    {RecordKind::kPriceSample, v1::Record::kPriceSample, "price_sample",
     [](const v1::Record& r, const ValidationContext& ctx, FieldErrorList& e) {
       ValidatePriceSample(r.price_sample(), "price_sample.", ctx, e);
     },
     [](const v1::Record& r, std::vector<IndexEntry>& out) { IndexPriceSample(r.price_sample(), out); }},
    {RecordKind::kOutletAudit, v1::Record::kOutletAudit, "outlet_audit",
     [](const v1::Record& r, const ValidationContext& ctx, FieldErrorList& e) {
       ValidateOutletAudit(r.outlet_audit(), "outlet_audit.", ctx, e);
     },
     [](const v1::Record& r, std::vector<IndexEntry>& out) {
       out.push_back({IndexKind::kOutlet, r.outlet_audit().outlet_code()});
     }},
    {RecordKind::kFollowUp, v1::Record::kFollowUp, "follow_up",
     [](const v1::Record& r, const ValidationContext& ctx, FieldErrorList& e) {
       ValidateFollowUp(r.follow_up(), "follow_up.", ctx, e);
     },
     [](const v1::Record& r, std::vector<IndexEntry>& out) {
       out.push_back({IndexKind::kTarget, r.follow_up().audit_record_id()});
     }},
    {RecordKind::kUttpVerification, v1::Record::kUttpVerification, "uttp_verification",
     [](const v1::Record& r, const ValidationContext& ctx, FieldErrorList& e) {
       ValidateUttpVerification(r.uttp_verification(), "uttp_verification.", ctx, e);
     },
     [](const v1::Record& r, std::vector<IndexEntry>& out) {
       out.push_back({IndexKind::kInstrument, r.uttp_verification().instrument_id()});
     }},
    {RecordKind::kCorrection, v1::Record::kCorrection, "correction", &ValidateCorrection,
     [](const v1::Record& r, std::vector<IndexEntry>& out) {
       const auto& c = r.correction();
       out.push_back({IndexKind::kTarget, c.target_id()});
       if (c.has_price_sample()) IndexPriceSample(c.price_sample(), out);
       if (c.has_outlet_audit()) out.push_back({IndexKind::kOutlet, c.outlet_audit().outlet_code()});
       if (c.has_uttp_verification()) {
         out.push_back({IndexKind::kInstrument, c.uttp_verification().instrument_id()});
       }
     }},
    {RecordKind::kVoid, v1::Record::kVoid, "void", &ValidateVoid,
     [](const v1::Record& r, std::vector<IndexEntry>& out) {
       out.push_back({IndexKind::kTarget, r.void_().target_id()});
     }},
};

const KindSpec* SpecOf(const v1::Record& record) {
  for (const auto& spec : kKindSpecs) {
    if (spec.body_case == record.body_case()) return &spec;
  }
  return nullptr;
}

}  // namespace

std::optional<RecordKind> KindOf(const v1::Record& record) {
  const KindSpec* spec = SpecOf(record);
  if (spec == nullptr) return std::nullopt;
  return spec->kind;
}

std::string_view KindName(RecordKind kind) { return kKindSpecs[static_cast<int>(kind)].name; }

std::optional<RecordKind> KindFromName(std::string_view name) {
  for (const auto& spec : kKindSpecs) {
    if (spec.name == name) return spec.kind;
  }
  return std::nullopt;
}

const std::array<RecordKind, kRecordKindCount>& AllRecordKinds() {
  static const std::array<RecordKind, kRecordKindCount> kinds = {
      RecordKind::kPriceSample,       RecordKind::kOutletAudit, RecordKind::kFollowUp,
      RecordKind::kUttpVerification, RecordKind::kCorrection,  RecordKind::kVoid};
  return kinds;
}

std::vector<IndexEntry> IndexEntriesOf(const v1::Record& record) {
  std::vector<IndexEntry> out;
  out.push_back({IndexKind::kTime, ""});
  out.push_back({IndexKind::kDevice, record.device_id()});
  if (const KindSpec* spec = SpecOf(record)) spec->index(record, out);
  return out;
}

namespace internal {

void ValidateRecordBody(const v1::Record& record, const ValidationContext& ctx,
                        FieldErrorList& errors) {
  const KindSpec* spec = SpecOf(record);
  if (spec == nullptr) {
    errors.Add("body", Msg("the record has no content (price sample, audit, follow-up, ...)"));
    return;
  }
  spec->validate(record, ctx, errors);
}

void CheckCode(FieldErrorList& errors, const std::string& path, const std::string& value,
               const ValidationPolicy& policy, bool required) {
  if (value.empty()) {
    if (required) errors.Add(path, Msg("is required"));
    return;
  }
  if (value.size() > policy.max_code_bytes) {
    errors.Add(path, Msg("is {} bytes long; a code has at most {}", value.size(), policy.max_code_bytes));
    return;
  }
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      errors.Add(path, Msg("must not contain control characters (tabs, line breaks, NUL)"));
      return;
    }
  }
}

void CheckRecordReference(FieldErrorList& errors, const std::string& path,
                          const std::string& value) {
  if (value.empty()) {
    errors.Add(path, Msg("is required (the id of the record it refers to)"));
  } else if (!IsValidUlid(value)) {
    errors.Add(path, Msg("is not a record id (26 characters, e.g. 01JD3QZ6N8V6Y8T3W4X5Y6Z7A8)"));
  }
}

}  // namespace internal
bool SetBodyFromCorrection(const v1::Correction& c, v1::Record& into) {
  switch (c.replacement_case()) {
    case v1::Correction::kPriceSample:
      *into.mutable_price_sample() = c.price_sample();
      return true;
    case v1::Correction::kOutletAudit:
      *into.mutable_outlet_audit() = c.outlet_audit();
      return true;
    case v1::Correction::kFollowUp:
      *into.mutable_follow_up() = c.follow_up();
      return true;
    case v1::Correction::kUttpVerification:
      *into.mutable_uttp_verification() = c.uttp_verification();
      return true;
    case v1::Correction::REPLACEMENT_NOT_SET:
      return false;
  }
  return false;
}

}  // namespace pantau::common
