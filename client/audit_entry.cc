#include "client/audit_entry.h"

#include <istream>
#include <set>
#include <ostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "common/messages.h"
#include "common/amounts.h"
#include "common/str_cat.h"
#include "common/text.h"

namespace pantau::client {
namespace {

// "19.000", "Rp 19.000", "19000" -> 19000 (common/amounts.h, as prices everywhere).
bool ParseRupiah(const std::string& text, int64_t* out) {
  auto rupiah = common::ParseRupiahText(text);
  if (!rupiah) return false;
  *out = *rupiah;
  return true;
}

constexpr std::string_view kNotChecked = "tidak dapat diperiksa";

}  // namespace

v1::ChecklistAnswer NotChecked(const std::string& item, const std::string& reason) {
  v1::ChecklistAnswer a;
  a.set_item_code(item);
  a.set_not_checked_reason(std::string(common::StripAsciiSpace(reason)));
  return a;
}

namespace {
absl::Status Bad(const common::Message& why) { return common::MessageStatus(absl::StatusCode::kInvalidArgument, why); }
}  // namespace

absl::StatusOr<v1::ChecklistAnswer> AnswerFor(const v1::ChecklistItem& item, const std::string& raw) {
  const std::string text = absl::AsciiStrToLower(std::string(common::StripAsciiSpace(raw)));
  v1::ChecklistAnswer a;
  a.set_item_code(item.code());
  if (text.rfind(kNotChecked, 0) == 0 && item.type() != v1::CHECKLIST_ITEM_TYPE_STOCK_BALANCE) {
    // "tidak dapat diperiksa: timbangan rusak"
    std::string_view reason = common::StripAsciiSpace(common::StripAsciiSpace(raw).substr(kNotChecked.size()));
    if (!reason.empty() && reason.front() == ':') reason = common::StripAsciiSpace(reason.substr(1));
    if (reason.empty()) {
      return Bad(common::Msg("{}: say why it could not be checked: \"tidak dapat diperiksa: REASON\"", item.code()));
    }
    return NotChecked(item.code(), std::string(reason));
  }
  int64_t number = 0;
  switch (item.type()) {
    case v1::CHECKLIST_ITEM_TYPE_YES_NO:
      if (text == "yes" || text == "ya" || text == "y") {
        a.set_yes(true);
      } else if (text == "no" || text == "tidak" || text == "t" || text == "n") {
        a.set_yes(false);
      } else {
        return Bad(common::Msg("{}: answer ya or tidak (yes or no)", item.code()));
      }
      return a;
    case v1::CHECKLIST_ITEM_TYPE_COUNT:
      if (!absl::SimpleAtoi(text, &number) || number < 0) {
        return Bad(common::Msg("{}: answer a count (a whole number)", item.code()));
      }
      a.set_count(number);
      return a;
    case v1::CHECKLIST_ITEM_TYPE_PRICE_RUPIAH:
      if (!ParseRupiah(raw, &number) || number == 0) {
        return Bad(common::Msg("{}: answer a price in whole Rupiah (19000 or Rp 19.000)", item.code()));
      }
      a.set_price_rupiah(number);
      return a;
    case v1::CHECKLIST_ITEM_TYPE_WEIGHT_G: {
      std::string grams = text;
      if (grams.size() > 1 && grams.back() == 'g') grams = std::string(common::StripAsciiSpace(grams.substr(0, grams.size() - 1)));
      if (!absl::SimpleAtoi(grams, &number) || number < 0) {
        return Bad(common::Msg("{}: answer a weight in whole grams (7950 or 7950 g)", item.code()));
      }
      a.set_weight_g(number);
      return a;
    }
    case v1::CHECKLIST_ITEM_TYPE_PHOTO:
      if (text.size() != 64 || text.find_first_not_of("0123456789abcdef") != std::string::npos) {
        return Bad(common::Msg("{}: answer the photo's SHA-256 (64 hex digits)", item.code()));
      }
      a.set_photo_sha256(text);
      return a;
    default:
      return Bad(common::Msg("{}: is a rule over other items, not a question", item.code()));
  }
}

absl::StatusOr<v1::ChecklistAnswer> UntypedAnswer(const std::string& item, const std::string& value) {
  v1::ChecklistAnswer answer;
  answer.set_item_code(item);
  int64_t number = 0;
  if (value == "yes" || value == "ya") {
    answer.set_yes(true);
  } else if (value == "no" || value == "tidak") {
    answer.set_yes(false);
  } else if (value.rfind("Rp", 0) == 0 && ParseRupiah(value, &number)) {
    answer.set_price_rupiah(number);
  } else if (value.size() > 2 && value.substr(value.size() - 2) == " g" &&
             absl::SimpleAtoi(value.substr(0, value.size() - 2), &number)) {
    answer.set_weight_g(number);
  } else if (absl::SimpleAtoi(value, &number)) {
    answer.set_count(number);
  } else {
    return Bad(common::Msg("{}={}: the value must be yes, no, a number, \"Rp N\" or \"N g\"", item, value));
  }
  return answer;
}

void WalkChecklist(const v1::Checklist& checklist, v1::OutletAudit& audit, std::istream& in, std::ostream& out) {
  out << "checklist " << common::OutletKindName(checklist.outlet_kind()) << " " << checklist.version()
      << " (every item is answered; - marks one tidak dapat diperiksa, with the reason)\n";
  for (const auto& item : checklist.items()) {
    if (item.type() == v1::CHECKLIST_ITEM_TYPE_STOCK_BALANCE) continue;
    bool answered = false;
    for (const auto& a : audit.answers()) answered = answered || a.item_code() == item.code();
    if (answered) continue;
    while (true) {
      out << item.question() << " [" << item.code() << "]> " << std::flush;
      std::string line;
      if (!std::getline(in, line)) return;
      const std::string_view typed = common::StripAsciiSpace(line);
      if (typed.empty()) {
        out << "  answer it, or type - if it cannot be checked\n";
        continue;
      }
      if (typed == "-") {
        out << "  tidak dapat diperiksa, because> " << std::flush;
        std::string reason;
        if (!std::getline(in, reason)) return;
        if (common::StripAsciiSpace(reason).empty()) {
          out << "  a reason is needed\n";
          continue;
        }
        *audit.add_answers() = NotChecked(item.code(), reason);
        break;
      }
      auto answer = AnswerFor(item, line);
      if (answer.ok()) {
        *audit.add_answers() = *answer;
        break;
      }
      out << "  " << answer.status().message() << "\n";
    }
  }
}

const v1::Checklist* FillAudit(v1::OutletAudit& audit, const AuditAnswers& answers,
                               const common::ReferenceCatalog& catalog, absl::CivilDay day,
                               std::vector<std::pair<std::string, common::Message>>& problems) {
  if (const v1::Outlet* o = catalog.FindOutlet(audit.outlet_code());
      o != nullptr && audit.outlet_kind() == v1::OUTLET_KIND_UNSPECIFIED) {
    audit.set_outlet_kind(o->kind());
  }
  const v1::Checklist* checklist = common::ChecklistFor(audit, catalog, day);
  if (checklist != nullptr) audit.set_checklist_version(checklist->version());
  for (const auto& [item_code, value] : answers.typed) {
    const v1::ChecklistItem* item = nullptr;
    if (checklist != nullptr) {
      for (const auto& i : checklist->items()) item = i.code() == item_code ? &i : item;
    }
    auto answer = item != nullptr ? AnswerFor(*item, value) : UntypedAnswer(item_code, value);
    if (!answer.ok()) {
      problems.emplace_back(StrCat("answers.", item_code), common::MessageOf(answer.status()));
      continue;
    }
    *audit.add_answers() = *answer;
  }
  for (const auto& [item_code, reason] : answers.not_checked) {
    if (common::StripAsciiSpace(reason).empty()) {
      problems.emplace_back(StrCat("answers.", item_code), common::Msg("{}: say why it could not be checked", item_code));
      continue;
    }
    *audit.add_answers() = NotChecked(item_code, reason);
  }
  return checklist;
}

std::vector<common::Finding> SettleFindings(v1::OutletAudit& audit, const v1::Checklist* checklist,
                                            const common::ReferenceCatalog& catalog, absl::CivilDay day,
                                            const std::vector<std::string>& observed) {
  std::vector<common::Finding> found;
  std::set<std::string> listed(observed.begin(), observed.end());
  if (checklist != nullptr) {
    found = common::EvaluateChecklist(*checklist, audit, catalog, day, catalog.PriceZonesOfOutlet(audit.outlet_code()));
    for (const auto& f : found) listed.insert(f.code);
  }
  audit.clear_findings();
  for (const auto& f : listed) audit.add_findings(f);
  return found;
}

std::string FindingLines(const std::vector<common::Finding>& findings) {
  if (findings.empty()) return "findings: none\n";
  std::string out = StrCat("findings (", findings.size(), "):\n");
  for (const auto& f : findings) out += StrCat("  ", f.code, " — ", f.reason.English(), "\n");
  return out;
}

}  // namespace pantau::client
