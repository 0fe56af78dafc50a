#include "common/amounts.h"

#include <algorithm>
#include <cctype>

#include "common/messages.h"
#include "common/str_cat.h"
#include "common/text.h"

namespace pantau::common {
namespace {

struct Alias {
  const char* written;
  const char* unit;
};
constexpr Alias kAliases[] = {{"kg", "kg"},       {"kilo", "kg"},     {"kilogram", "kg"}, {"g", "g"},
                              {"gr", "g"},        {"gram", "g"},      {"liter", "liter"}, {"l", "liter"},
                              {"litre", "liter"}, {"ltr", "liter"},   {"ml", "ml"},       {"mililiter", "ml"}};

absl::Status BeyondAnyInstrument(std::string_view typed) {
  return MessageStatus(absl::StatusCode::kInvalidArgument, Msg("\"{}\" is beyond any instrument", typed));
}

}  // namespace

std::optional<int64_t> ParseRupiahText(std::string_view text) {
  text = StripAsciiSpace(text);
  if (text.size() >= 2 && (text[0] == 'R' || text[0] == 'r') && (text[1] == 'p' || text[1] == 'P')) {
    text = StripAsciiSpace(text.substr(2));
  }
  if (text.empty() || text.size() > 20) return std::nullopt;
  int64_t value = 0;
  int digits = 0;
  int group = -1;  // digits since the last dot; -1 before the first dot
  int leading = 0;  // digits before the first dot
  for (char c : text) {
    if (c == '.') {
      if (digits == 0 || (group >= 0 && group != 3)) return std::nullopt;
      if (group < 0 && leading > 3) return std::nullopt;
      group = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (++digits > 15) return std::nullopt;
    value = value * 10 + (c - '0');
    if (group >= 0) {
      ++group;
    } else {
      ++leading;
    }
  }
  if (group >= 0 && group != 3) return std::nullopt;
  return value;
}

std::optional<int64_t> ParseMilliText(std::string_view text) {
  text = StripAsciiSpace(text);
  if (text.empty() || text.size() > 15) return std::nullopt;
  int64_t whole = 0, fraction = 0;
  int fraction_digits = -1;
  bool any_digit = false;
  for (char c : text) {
    if (c == '.' || c == ',') {
      if (fraction_digits >= 0) return std::nullopt;
      fraction_digits = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    any_digit = true;
    if (fraction_digits >= 0) {
      if (++fraction_digits > 3) return std::nullopt;
      fraction = fraction * 10 + (c - '0');
    } else {
      whole = whole * 10 + (c - '0');
    }
  }
  if (!any_digit) return std::nullopt;
  for (int d = std::max(fraction_digits, 0); d < 3; ++d) fraction *= 10;
  return whole * 1000 + fraction;
}

std::string FormatMilliText(int64_t milli) {
  std::string out = StrCat(milli / 1000);
  int64_t fraction = milli % 1000;
  if (fraction == 0) return out;
  std::string digits = StrCat(fraction + 1000).substr(1);
  while (digits.back() == '0') digits.pop_back();
  return out + "." + digits;
}

std::optional<std::string> CanonicalUnit(std::string_view text) {
  const std::string lower = AsciiLower(StripAsciiSpace(text));
  for (const Alias& a : kAliases) {
    if (lower == a.written) return std::string(a.unit);
  }
  return std::nullopt;
}

std::string AcceptedUnits() {
  std::string out;
  bool first = true;
  for (const Alias& a : kAliases) {
    out += first ? "" : ", ";
    out += a.written;
    first = false;
  }
  return out;
}

absl::StatusOr<PackSize> ParsePackText(std::string_view text) {
  text = StripAsciiSpace(text);
  size_t split = 0;
  while (split < text.size() && (std::isdigit(static_cast<unsigned char>(text[split])) || text[split] == '.' ||
                                 text[split] == ',')) {
    ++split;
  }
  const std::string_view quantity = text.substr(0, split);
  const std::string_view unit = StripAsciiSpace(text.substr(split));
  auto milli = ParseMilliText(quantity);
  if (!milli || *milli <= 0) {
    return MessageStatus(absl::StatusCode::kInvalidArgument,
                         Msg("pack \"{}\": the size must be a positive number (at most 3 decimals) followed by its "
                             "unit, e.g. 5 kg or 1,5 liter",
                             text));
  }
  auto canonical = CanonicalUnit(unit);
  if (!canonical) {
    return MessageStatus(absl::StatusCode::kInvalidArgument,
                         Msg("pack \"{}\": \"{}\" is not a unit Pantau knows; accepted units: {}", text, unit,
                             AcceptedUnits()));
  }
  return PackSize{*milli, *canonical};
}

absl::StatusOr<int64_t> ParseMassMg(std::string_view text, bool bare_is_mg) {
  const std::string_view typed = StripAsciiSpace(text);
  size_t split = 0;
  while (split < typed.size() && ((typed[split] >= '0' && typed[split] <= '9') || typed[split] == '.' || typed[split] == ',')) {
    ++split;
  }
  const std::string unit = AsciiLower(StripAsciiSpace(typed.substr(split)));
  const std::optional<int64_t> milli = ParseMilliText(typed.substr(0, split));
  if (!milli) {
    return MessageStatus(absl::StatusCode::kInvalidArgument,
                         Msg("\"{}\" is not a mass: write e.g. 3 kg, 2996 g or 500 mg", typed));
  }
  constexpr int64_t kMaxMg = 1'000'000'000'000'000;
  int64_t mg = 0;
  if (unit == "kg" || unit == "kilo" || unit == "kilogram") {
    if (*milli > kMaxMg / 1000) return BeyondAnyInstrument(typed);
    mg = *milli * 1000;
  } else if (unit == "g" || unit == "gr" || unit == "gram") {
    mg = *milli;
  } else if (unit == "mg" || (unit.empty() && bare_is_mg)) {
    if (*milli % 1000 != 0) return absl::InvalidArgumentError(StrCat("\"", typed, "\": milligrams are whole"));
    mg = *milli / 1000;
  } else if (unit.empty()) {
    return absl::InvalidArgumentError(StrCat("\"", typed, "\": say the unit: kg, g or mg (3 kg, 2996 g)"));
  } else {
    return MessageStatus(absl::StatusCode::kInvalidArgument,
                         Msg("\"{}\": the unit \"{}\" is not kg, g or mg", typed, unit));
  }
  if (mg > kMaxMg) return BeyondAnyInstrument(typed);
  return mg;
}

std::string FormatMassText(int64_t mg) {
  if (mg != 0 && mg % 1'000'000 == 0) return StrCat(mg / 1'000'000, " kg");
  if (mg != 0 && mg % 1'000 == 0) return StrCat(mg / 1'000, " g");
  return StrCat(mg, " mg");
}

}  // namespace pantau::common
