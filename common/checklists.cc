#include "common/checklists.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/numeric/int128.h"
#include "common/dates.h"
#include "common/str_cat.h"

namespace pantau::common {
namespace {

using Type = v1::ChecklistItemType;

std::string Int128Text(absl::int128 v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  absl::uint128 m = negative ? -absl::uint128(v) : absl::uint128(v);
  std::string digits;
  while (m > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
    m /= 10;
  }
  return negative ? "-" + digits : digits;
}

const v1::ChecklistAnswer* AnswerTo(const v1::OutletAudit& audit, const std::string& item) {
  for (const auto& a : audit.answers()) {
    if (a.item_code() == item) return &a;
  }
  return nullptr;
}

// "harga_jual: expects a price in Rupiah".
Message Expects(Type type, const std::string& item) {
  switch (type) {
    case v1::CHECKLIST_ITEM_TYPE_YES_NO:
      return Msg("{}: expects yes or no", item);
    case v1::CHECKLIST_ITEM_TYPE_COUNT:
      return Msg("{}: expects a count", item);
    case v1::CHECKLIST_ITEM_TYPE_PRICE_RUPIAH:
      return Msg("{}: expects a price in Rupiah", item);
    case v1::CHECKLIST_ITEM_TYPE_WEIGHT_G:
      return Msg("{}: expects a weight in grams", item);
    case v1::CHECKLIST_ITEM_TYPE_PHOTO:
      return Msg("{}: expects a photo", item);
    default:
      return Msg("{}: expects no answer (it is a rule)", item);
  }
}

bool Matches(Type type, const v1::ChecklistAnswer& a) {
  switch (type) {
    case v1::CHECKLIST_ITEM_TYPE_YES_NO:
      return a.has_yes();
    case v1::CHECKLIST_ITEM_TYPE_COUNT:
      return a.has_count();
    case v1::CHECKLIST_ITEM_TYPE_PRICE_RUPIAH:
      return a.has_price_rupiah();
    case v1::CHECKLIST_ITEM_TYPE_WEIGHT_G:
      return a.has_weight_g();
    case v1::CHECKLIST_ITEM_TYPE_PHOTO:
      return a.has_photo_sha256();
    default:
      return false;
  }
}

const v1::ChecklistItem* Item(const v1::Checklist& checklist, const std::string& code) {
  for (const auto& item : checklist.items()) {
    if (item.code() == code) return &item;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> ChecklistProblems(const v1::Checklist& checklist) {
  std::vector<std::string> out;
  if (!ParseLocalDate(checklist.effective_from())) out.push_back("effective_from: must be a date YYYY-MM-DD");
  if (checklist.items().empty()) out.push_back("has no items");
  std::set<std::string> codes;
  for (const auto& item : checklist.items()) {
    if (item.code().empty()) out.push_back("an item has no code");
    if (!codes.insert(item.code()).second) out.push_back(StrCat("item ", item.code(), " appears twice"));
    if (item.type() == v1::CHECKLIST_ITEM_TYPE_UNSPECIFIED) out.push_back(StrCat("item ", item.code(), " has no type"));
    if (item.type() == v1::CHECKLIST_ITEM_TYPE_PRICE_RUPIAH && !item.finding_code().empty() &&
        item.het_product_code().empty()) {
      out.push_back(StrCat("item ", item.code(), ": a price rule needs het_product"));
    }
  }
  for (const auto& item : checklist.items()) {
    if (item.type() != v1::CHECKLIST_ITEM_TYPE_STOCK_BALANCE) continue;
    if (item.finding_code().empty()) out.push_back(StrCat("item ", item.code(), ": a stock balance needs a finding"));
    for (const std::string* part : {&item.received_item(), &item.sold_item(), &item.on_hand_item()}) {
      const v1::ChecklistItem* counted = Item(checklist, *part);
      if (counted == nullptr || counted->type() != v1::CHECKLIST_ITEM_TYPE_COUNT) {
        out.push_back(StrCat("item ", item.code(), ": \"", *part, "\" is not a count item of this checklist"));
      }
    }
  }
  return out;
}

const v1::Checklist* ChecklistFor(const v1::OutletAudit& audit, const ReferenceCatalog& catalog,
                                  absl::CivilDay day) {
  if (!audit.checklist_version().empty()) return catalog.FindChecklist(audit.outlet_kind(), audit.checklist_version());
  return catalog.ChecklistInForce(audit.outlet_kind(), day);
}

std::vector<std::pair<std::string, Message>> AnswerProblems(const v1::OutletAudit& audit,
                                                           const v1::Checklist& checklist) {
  std::vector<std::pair<std::string, Message>> out;
  for (int i = 0; i < audit.answers_size(); ++i) {
    const auto& a = audit.answers(i);
    const std::string field = StrCat("answers[", i, "]");
    const v1::ChecklistItem* item = Item(checklist, a.item_code());
    if (item == nullptr) {
      out.emplace_back(field + ".item_code", Msg("\"{}\" is not an item of checklist {} {}", a.item_code(),
                                                 OutletKindName(checklist.outlet_kind()), checklist.version()));
    } else if (a.value_case() != v1::ChecklistAnswer::VALUE_NOT_SET && !a.has_not_checked_reason() &&
               !Matches(item->type(), a)) {
      out.emplace_back(field, Expects(item->type(), a.item_code()));
    }
  }
  // Every item is answered, or marked "tidak dapat diperiksa" with a reason: an empty answer is
  // never "no finding".
  for (const auto& item : checklist.items()) {
    if (item.type() == v1::CHECKLIST_ITEM_TYPE_STOCK_BALANCE) continue;  // a rule, not a question
    const v1::ChecklistAnswer* a = AnswerTo(audit, item.code());
    if (a == nullptr || a->value_case() == v1::ChecklistAnswer::VALUE_NOT_SET) {
      out.emplace_back("answers", Msg("{} ({}) is not answered: answer it, or mark it tidak dapat diperiksa with the "
                                      "reason",
                                      item.code(), item.question()));
    }
  }
  return out;
}

std::vector<Finding> EvaluateChecklist(const v1::Checklist& checklist, const v1::OutletAudit& audit,
                                       const ReferenceCatalog& catalog, absl::CivilDay day,
                                       const std::vector<std::string>& zones) {
  std::vector<Finding> out;
  for (const auto& item : checklist.items()) {
    if (item.finding_code().empty()) continue;
    const v1::ChecklistAnswer* a = AnswerTo(audit, item.code());
    switch (item.type()) {
      case v1::CHECKLIST_ITEM_TYPE_YES_NO:
        if (a != nullptr && a->has_yes() && a->yes() == item.finding_if_yes()) {
          out.push_back({item.finding_code(), item.code(),
                         a->yes() ? Msg("{}: answered yes", item.code()) : Msg("{}: answered no", item.code())});
        }
        break;
      case v1::CHECKLIST_ITEM_TYPE_COUNT:
      case v1::CHECKLIST_ITEM_TYPE_WEIGHT_G: {
        if (a == nullptr || !Matches(item.type(), *a)) break;
        const int64_t v = a->has_count() ? a->count() : a->weight_g();
        const char* unit = a->has_count() ? "" : " g";
        if (item.has_min() && v < item.min()) {
          out.push_back({item.finding_code(), item.code(),
                         Msg("{}: {} is below the minimum of {}", item.code(), StrCat(v, unit), StrCat(item.min(), unit))});
        } else if (item.has_max() && v > item.max()) {
          out.push_back({item.finding_code(), item.code(),
                         Msg("{}: {} is above the maximum of {}", item.code(), StrCat(v, unit), StrCat(item.max(), unit))});
        }
        break;
      }
      case v1::CHECKLIST_ITEM_TYPE_PRICE_RUPIAH: {
        if (a == nullptr || !a->has_price_rupiah()) break;
        const v1::ReferencePrice* het = nullptr;
        for (const auto& zone : zones) {
          het = catalog.PriceInForce(item.het_product_code(), zone, v1::REFERENCE_PRICE_KIND_HET, day);
          if (het != nullptr) break;
        }
        if (het != nullptr && a->price_rupiah() > het->price_rupiah()) {
          out.push_back({item.finding_code(), item.code(),
                         Msg("{}: {} is above the HET of {} ({}) in force on {}", item.code(),
                             FormatRupiah(a->price_rupiah()), FormatRupiah(het->price_rupiah()), het->regulation(),
                             FormatLocalDate(day))});
        }
        break;
      }
      case v1::CHECKLIST_ITEM_TYPE_STOCK_BALANCE: {
        const auto* received = AnswerTo(audit, item.received_item());
        const auto* sold = AnswerTo(audit, item.sold_item());
        const auto* on_hand = AnswerTo(audit, item.on_hand_item());
        if (received == nullptr || sold == nullptr || on_hand == nullptr || !received->has_count() ||
            !sold->has_count() || !on_hand->has_count()) {
          break;
        }
        // In 128 bits: the laptop checks answers before validation has bounded them.
        const absl::int128 accounted = absl::int128(sold->count()) + on_hand->count();
        if (absl::int128(received->count()) != accounted) {
          out.push_back({item.finding_code(), item.code(),
                         Msg("{}: received {} but sold {} + on hand {} = {}", item.code(), received->count(),
                             sold->count(), on_hand->count(), Int128Text(accounted))});
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}

std::vector<std::string> EffectiveFindings(const v1::OutletAudit& audit) {
  std::set<std::string> all(audit.findings().begin(), audit.findings().end());
  all.insert(audit.computed_findings().begin(), audit.computed_findings().end());
  return std::vector<std::string>(all.begin(), all.end());
}

std::vector<v1::FieldError> FollowUpProblems(const v1::FollowUp& f, const std::string& at, const v1::OutletAudit& audit,
                                             const ReferenceCatalog& catalog) {
  std::vector<v1::FieldError> errors;
  const v1::FollowUpAction* action = catalog.FindFollowUpAction(f.action_code());
  const std::string kind(OutletKindName(audit.outlet_kind()));
  if (action != nullptr && !kind.empty() && action->domain() != kind) {
    std::vector<std::string> ladder;
    for (const auto& code : catalog.Codes("follow_up_action")) {
      if (catalog.FindFollowUpAction(code)->domain() == kind) ladder.push_back(code);
    }
    errors.push_back(FieldErrorOf(at + "action_code", Msg("\"{}\" is on the {} ladder, but audit {} is of a {}; its "
                                                          "ladder: {}",
                                                          f.action_code(), action->domain(), f.audit_record_id(), kind,
                                                          StrJoin(ladder, ", "))));
  }
  const std::vector<std::string> findings = EffectiveFindings(audit);
  if (!f.finding_code().empty() && std::find(findings.begin(), findings.end(), f.finding_code()) == findings.end()) {
    errors.push_back(FieldErrorOf(
        at + "finding_code",
        findings.empty() ? Msg("audit {} found no violation, so there is nothing to follow up", f.audit_record_id())
                         : Msg("\"{}\" is not a finding of audit {}; its findings: {}", f.finding_code(),
                               f.audit_record_id(), StrJoin(findings, ", "))));
  }
  return errors;
}

bool AttachComputedFindings(v1::Record& record, const ReferenceCatalog& catalog, absl::CivilDay day) {
  v1::OutletAudit* audit = record.has_outlet_audit() ? record.mutable_outlet_audit()
                           : record.has_correction() && record.correction().has_outlet_audit()
                               ? record.mutable_correction()->mutable_outlet_audit()
                               : nullptr;
  if (audit == nullptr) return false;
  audit->clear_computed_findings();
  audit->clear_finding_reasons();
  audit->clear_checklist_applied();
  const v1::Checklist* checklist = ChecklistFor(*audit, catalog, day);
  if (checklist == nullptr) return true;
  audit->set_checklist_applied(StrCat(OutletKindName(checklist->outlet_kind()), " ", checklist->version()));
  const auto zones = catalog.PriceZonesOfOutlet(audit->outlet_code());
  for (const auto& f : EvaluateChecklist(*checklist, *audit, catalog, day, zones)) {
    audit->add_computed_findings(f.code);
    audit->add_finding_reasons(f.reason.English());
  }
  return true;
}

}  // namespace pantau::common
