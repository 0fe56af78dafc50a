#include "common/uttp_due.h"

#include <algorithm>
#include <map>

#include "common/dates.h"
#include "common/rollups.h"

namespace pantau::common {

absl::CivilDay AddMonthsClamped(absl::CivilDay day, int months) {
  const absl::CivilMonth month = absl::CivilMonth(day) + months;
  const absl::CivilDay last_of_month = absl::CivilDay(absl::CivilMonth(month + 1)) - 1;
  return std::min(absl::CivilDay(month.year(), month.month(), 1) + (day.day() - 1), last_of_month);
}

MarkState MarkOn(const CellList& uttp_cells, std::string_view instrument, int interval_months,
                 absl::CivilDay day) {
  MarkState s;
  const std::string day_text = FormatLocalDate(day);
  std::optional<absl::CivilDay> batal;
  for (const auto& [key, cell] : uttp_cells) {
    auto parts = ParseCellKey(key);
    if (!parts || parts->family != RollupFamily::kUttp || parts->codes.empty() ||
        parts->codes[0] != instrument) {
      continue;
    }
    for (const auto& d : cell.uttp().sah_on()) {
      auto parsed = ParseLocalDate(d);
      if (parsed && d <= day_text && (!s.last_sah || *parsed > *s.last_sah)) s.last_sah = parsed;
    }
    for (const auto& d : cell.uttp().batal_on()) {
      auto parsed = ParseLocalDate(d);
      if (parsed && d <= day_text && (!batal || *parsed > *batal)) batal = parsed;
    }
  }
  if (batal && (!s.last_sah || *batal > *s.last_sah)) s.last_batal = batal;
  if (s.last_sah) s.next_due = AddMonthsClamped(*s.last_sah, interval_months);
  s.valid = s.last_sah && !s.last_batal && day <= *s.next_due;
  return s;
}

bool InServiceOn(const v1::UttpInstrument& instrument, absl::CivilDay day) {
  auto registered = ParseLocalDate(instrument.registered_on());
  auto retired = ParseLocalDate(instrument.retired_on());
  if (registered && *registered > day) return false;
  if (retired && *retired <= day) return false;
  return true;
}

std::string DueStatusName(DueStatus status) {
  switch (status) {
    case DueStatus::kOverdue:
      return "terlambat";
    case DueStatus::kDueSoon:
      return "jatuh_tempo";
    case DueStatus::kValid:
      return "berlaku";
  }
  return "";
}

std::vector<UttpDue> UttpDueList(const CellList& uttp_cells, const ReferenceCatalog& catalog,
                                 absl::CivilDay as_of, int within_days, bool include_valid) {
  // Cells by instrument, so each instrument reads only its own.
  std::map<std::string, CellList> by_instrument;
  for (const auto& entry : uttp_cells) {
    auto parts = ParseCellKey(entry.first);
    if (parts && parts->family == RollupFamily::kUttp && !parts->codes.empty()) {
      by_instrument[parts->codes[0]].push_back(entry);
    }
  }
  std::vector<UttpDue> out;
  for (const auto& id : catalog.Codes("uttp_instrument")) {
    const v1::UttpInstrument& instrument = *catalog.FindUttpInstrument(id);
    if (!InServiceOn(instrument, as_of)) continue;
    const v1::UttpType* type = catalog.FindUttpType(instrument.type_code());
    const int months = type != nullptr && type->reverification_interval_months() > 0
                           ? type->reverification_interval_months()
                           : 12;
    UttpDue due;
    due.instrument = id;
    due.mark = MarkOn(by_instrument[id], id, months, as_of);
    if (due.mark.last_batal) {
      due.status = DueStatus::kOverdue;
      due.days = as_of - *due.mark.last_batal;
    } else if (!due.mark.last_sah) {
      due.status = DueStatus::kOverdue;
      auto registered = ParseLocalDate(instrument.registered_on());
      due.days = registered ? as_of - *registered : 0;
    } else if (as_of > *due.mark.next_due) {
      due.status = DueStatus::kOverdue;
      due.days = as_of - *due.mark.next_due;
    } else {
      due.days = *due.mark.next_due - as_of;
      due.status = due.days <= within_days ? DueStatus::kDueSoon : DueStatus::kValid;
    }
    if (due.status == DueStatus::kValid && !include_valid) continue;
    out.push_back(std::move(due));
  }
  std::stable_sort(out.begin(), out.end(), [](const UttpDue& a, const UttpDue& b) {
    if (a.status != b.status) return a.status < b.status;
    if (a.status == DueStatus::kOverdue) return a.days > b.days;
    return a.days < b.days;
  });
  return out;
}

}  // namespace pantau::common
