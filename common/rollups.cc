#include "common/rollups.h"

#include <algorithm>

#include "common/checklists.h"
#include "common/dates.h"
#include "common/record_kinds.h"
#include "common/status_macros.h"
#include "common/str_cat.h"

namespace pantau::common {
namespace {

const absl::CivilDay kEpochDay(1970, 1, 1);

void AppendBe32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

uint32_t ReadBe32(std::string_view s) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(s[i]);
  return v;
}

// Day numbers are offset by 2^31 so that days before 1970 still sort first.
uint32_t DayNumber(absl::CivilDay day) {
  return static_cast<uint32_t>((day - kEpochDay) + (int64_t{1} << 31));
}

// Month numbers: months since January 1970, offset by 2^31 like days.
uint32_t MonthNumber(absl::CivilMonth month) {
  return static_cast<uint32_t>((month - absl::CivilMonth(1970, 1)) + (int64_t{1} << 31));
}

std::string Key(RollupFamily family, uint32_t time, std::initializer_list<std::string_view> codes) {
  std::string out(1, static_cast<char>(family));
  AppendBe32(out, time);
  bool first = true;
  for (std::string_view code : codes) {
    if (!first) out.push_back('\0');
    first = false;
    out.append(code);
  }
  return out;
}

absl::CivilDay LocalDay(const google::protobuf::Timestamp& ts, absl::TimeZone zone) {
  return absl::ToCivilDay(FromTimestamp(ts), zone);
}

// Inserts into (sign > 0) or removes one occurrence from (sign < 0) a sorted list.
template <typename T>
bool AdjustSorted(google::protobuf::RepeatedField<T>* list, const T& value, int sign) {
  auto it = std::lower_bound(list->begin(), list->end(), value);
  if (sign > 0) {
    const auto position = it - list->begin();  // Add may move the elements
    list->Add(value);
    std::rotate(list->begin() + position, list->end() - 1, list->end());
    return true;
  }
  if (it == list->end() || *it != value) return false;
  list->erase(it);
  return true;
}

bool AdjustSortedStrings(google::protobuf::RepeatedPtrField<std::string>* list, const std::string& value,
                         int sign) {
  auto it = std::lower_bound(list->begin(), list->end(), value);
  const int position = static_cast<int>(it - list->begin());
  if (sign > 0) {
    list->Add()->assign(value);
    for (int i = list->size() - 1; i > position; --i) list->SwapElements(i, i - 1);
    return true;
  }
  if (it == list->end() || *it != value) return false;
  list->DeleteSubrange(position, 1);
  return true;
}

// Adds `delta` to the count of `code` in a list sorted by code; entries reaching 0 are removed.
template <typename Entry, typename CodeOf>
bool AdjustCount(google::protobuf::RepeatedPtrField<Entry>* list, const std::string& code, int64_t delta,
                 CodeOf code_of, void (*set_code)(Entry*, const std::string&)) {
  auto it = std::lower_bound(list->begin(), list->end(), code,
                             [&](const Entry& e, const std::string& c) { return code_of(e) < c; });
  int position = static_cast<int>(it - list->begin());
  if (it == list->end() || code_of(*it) != code) {
    if (delta < 0) return false;
    Entry* added = list->Add();
    set_code(added, code);
    for (int i = list->size() - 1; i > position; --i) list->SwapElements(i, i - 1);
  }
  Entry* entry = list->Mutable(position);
  entry->set_count(entry->count() + delta);
  if (entry->count() < 0) return false;
  if (entry->count() == 0) list->DeleteSubrange(position, 1);
  return true;
}

absl::Status Missing(const std::string& what) {
  return absl::InternalError(StrCat("roll-up cell lacks the contribution being removed: ", what));
}

// Adds ±price to the entry `index` of a list of sums sorted by index; an entry whose count
// reaches 0 is removed (its sum must be 0 then).
bool AdjustSum(google::protobuf::RepeatedPtrField<v1::PriceSum>* list, int index, int64_t price, int sign) {
  auto it = std::lower_bound(list->begin(), list->end(), index,
                             [](const v1::PriceSum& s, int i) { return s.index() < i; });
  const int position = static_cast<int>(it - list->begin());
  if (it == list->end() || it->index() != index) {
    if (sign < 0) return false;
    list->Add()->set_index(index);
    for (int i = list->size() - 1; i > position; --i) list->SwapElements(i, i - 1);
  }
  v1::PriceSum* entry = list->Mutable(position);
  entry->set_count(entry->count() + sign);
  SetSum(*entry, SumOf(*entry) + absl::int128(price) * sign);
  if (entry->count() < 0) return false;
  if (entry->count() == 0) {
    if (SumOf(*entry) != 0) return false;
    list->DeleteSubrange(position, 1);
  }
  return true;
}

// The day's and the month's sums of the series (the alert rules' cells).
absl::Status ApplyPriceSums(const v1::Record& r, const v1::PriceSample& p, absl::CivilDay day, int sign,
                            CellStore& cells) {
  const std::string days_key = PriceDaysCellKey(absl::CivilMonth(day), p.commodity_code(), p.market_code());
  PANTAU_ASSIGN_OR_RETURN(v1::RollupCell* const days, cells.Mutable(days_key));
  if (!AdjustSum(days->mutable_price_days()->mutable_days(), day.day(), p.price_rupiah(), sign)) {
    return Missing(StrCat("day sum of price ", r.id()));
  }
  if (days->price_days().days_size() == 0) PANTAU_RETURN_IF_ERROR(cells.Delete(days_key));
  const std::string months_key = PriceMonthsCellKey(static_cast<int>(day.year()), p.commodity_code(), p.market_code());
  PANTAU_ASSIGN_OR_RETURN(v1::RollupCell* const months, cells.Mutable(months_key));
  if (!AdjustSum(months->mutable_price_months()->mutable_months(), day.month(), p.price_rupiah(), sign)) {
    return Missing(StrCat("month sum of price ", r.id()));
  }
  if (months->price_months().months_size() == 0) return cells.Delete(months_key);
  return absl::OkStatus();
}

absl::Status ApplyPrice(const v1::Record& r, const v1::PriceSample& p, int sign, absl::TimeZone zone,
                        CellStore& cells) {
  const absl::CivilDay day = LocalDay(r.observed_at(), zone);
  const std::string key = PriceCellKey(day, p.commodity_code(), p.market_code());
  // Changed in place: a copy per record would cost the whole cell (every trader of the day).
  PANTAU_ASSIGN_OR_RETURN(v1::RollupCell* const found, cells.Mutable(key));
  v1::RollupCell& cell = *found;
  v1::PriceCell* price = cell.mutable_price();
  if (!AdjustSorted(price->mutable_prices_rupiah(), p.price_rupiah(), sign) ||
      !AdjustCount(price->mutable_traders(), p.trader(), sign,
                   [](const v1::TraderCount& t) -> const std::string& { return t.trader(); },
                   +[](v1::TraderCount* t, const std::string& c) { t->set_trader(c); })) {
    return Missing(StrCat("price ", r.id()));
  }
  if (price->prices_rupiah_size() == 0) PANTAU_RETURN_IF_ERROR(cells.Delete(key));
  return ApplyPriceSums(r, p, day, sign, cells);
}

absl::Status ApplyAudit(const v1::Record& r, const v1::OutletAudit& a, int sign, absl::TimeZone zone,
                        CellStore& cells) {
  const std::string key = AuditCellKey(LocalDay(r.observed_at(), zone), a.outlet_code());
  // Changed in place: a copy per record would cost the whole cell (every trader of the day).
  PANTAU_ASSIGN_OR_RETURN(v1::RollupCell* const found, cells.Mutable(key));
  v1::RollupCell& cell = *found;
  v1::AuditCell* audit = cell.mutable_audit();
  audit->set_audits(audit->audits() + sign);
  for (const auto& finding : EffectiveFindings(a)) {
    if (!AdjustCount(audit->mutable_findings(), finding, sign,
                     [](const v1::CodeCount& c) -> const std::string& { return c.code(); },
                     +[](v1::CodeCount* c, const std::string& code) { c->set_code(code); })) {
      return Missing(StrCat("finding of ", r.id()));
    }
  }
  if (audit->audits() < 0) return Missing(StrCat("audit ", r.id()));
  if (audit->audits() == 0) return cells.Delete(key);
  return absl::OkStatus();
}

absl::Status ApplyFollowUp(const v1::Record& r, const v1::FollowUp& f, int sign, absl::TimeZone zone,
                           CellStore& cells) {
  const absl::CivilDay day = ParseLocalDate(f.action_date()).value_or(LocalDay(r.observed_at(), zone));
  const std::string key = FollowUpCellKey(day, f.action_code(), f.audit_outlet_code());
  // Changed in place: a copy per record would cost the whole cell (every trader of the day).
  PANTAU_ASSIGN_OR_RETURN(v1::RollupCell* const found, cells.Mutable(key));
  v1::RollupCell& cell = *found;
  v1::FollowUpCell* follow = cell.mutable_follow_up();
  follow->set_actions(follow->actions() + sign);
  if (f.status() == v1::FOLLOW_UP_STATUS_CLOSED) follow->set_closed(follow->closed() + sign);
  auto& violations = *follow->mutable_violations();
  const std::string violation = StrCat(f.audit_record_id(), "|", f.finding_code());
  const int64_t on_violation = (violations[violation] += sign);
  if (on_violation == 0) violations.erase(violation);
  if (follow->actions() < 0 || follow->closed() < 0 || on_violation < 0) return Missing(StrCat("follow-up ", r.id()));
  if (follow->actions() == 0) return cells.Delete(key);
  return absl::OkStatus();
}

absl::Status ApplyUttp(const v1::Record& r, const v1::UttpVerification& u, int sign, absl::TimeZone zone,
                       CellStore& cells) {
  const absl::CivilDay day = LocalDay(r.observed_at(), zone);
  const std::string key = UttpCellKey(static_cast<int>(day.year()), u.instrument_id());
  // Changed in place: a copy per record would cost the whole cell (every trader of the day).
  PANTAU_ASSIGN_OR_RETURN(v1::RollupCell* const found, cells.Mutable(key));
  v1::RollupCell& cell = *found;
  v1::UttpCell* uttp = cell.mutable_uttp();
  switch (u.kind()) {
    case v1::VERIFICATION_KIND_TERA:
      uttp->set_tera(uttp->tera() + sign);
      break;
    case v1::VERIFICATION_KIND_TERA_ULANG:
      uttp->set_tera_ulang(uttp->tera_ulang() + sign);
      break;
    default:
      uttp->set_pengawasan(uttp->pengawasan() + sign);
      break;
  }
  // The server's computed verdict counts; the claimed one only where no rule computes one.
  const v1::Verdict verdict =
      u.computed_verdict() != v1::VERDICT_UNSPECIFIED ? u.computed_verdict() : u.claimed_verdict();
  if (verdict == v1::VERDICT_SAH) uttp->set_sah(uttp->sah() + sign);
  if (verdict == v1::VERDICT_BATAL) uttp->set_batal(uttp->batal() + sign);
  if (u.computed_verdict() != v1::VERDICT_UNSPECIFIED && u.claimed_verdict() != v1::VERDICT_UNSPECIFIED &&
      u.computed_verdict() != u.claimed_verdict()) {
    uttp->set_discrepancies(uttp->discrepancies() + sign);
  }
  if (u.kind() == v1::VERIFICATION_KIND_TERA || u.kind() == v1::VERIFICATION_KIND_TERA_ULANG) {
    if (!AdjustSortedStrings(uttp->mutable_verified_on(), FormatLocalDate(day), sign)) {
      return Missing(StrCat("verification day of ", r.id()));
    }
    if (verdict == v1::VERDICT_SAH &&
        !AdjustSortedStrings(uttp->mutable_sah_on(), FormatLocalDate(day), sign)) {
      return Missing(StrCat("sah day of ", r.id()));
    }
  }
  if (verdict == v1::VERDICT_BATAL &&
      !AdjustSortedStrings(uttp->mutable_batal_on(), FormatLocalDate(day), sign)) {
    return Missing(StrCat("batal day of ", r.id()));
  }
  if (uttp->tera() < 0 || uttp->tera_ulang() < 0 || uttp->pengawasan() < 0 || uttp->sah() < 0 ||
      uttp->batal() < 0 || uttp->discrepancies() < 0) {
    return Missing(StrCat("verification ", r.id()));
  }
  if (uttp->tera() + uttp->tera_ulang() + uttp->pengawasan() == 0) return cells.Delete(key);
  return absl::OkStatus();
}

}  // namespace

std::string PriceCellKey(absl::CivilDay day, std::string_view commodity, std::string_view market) {
  return Key(RollupFamily::kPrice, DayNumber(day), {commodity, market});
}
std::string AuditCellKey(absl::CivilDay day, std::string_view outlet) {
  return Key(RollupFamily::kAudit, DayNumber(day), {outlet});
}
std::string FollowUpCellKey(absl::CivilDay day, std::string_view action_code, std::string_view outlet) {
  return Key(RollupFamily::kFollowUp, DayNumber(day), {action_code, outlet});
}
std::string UttpCellKey(int year, std::string_view instrument) {
  return Key(RollupFamily::kUttp, static_cast<uint32_t>(year), {instrument});
}
std::string PriceMonthsCellKey(int year, std::string_view commodity, std::string_view market) {
  return Key(RollupFamily::kPriceMonths, static_cast<uint32_t>(year), {commodity, market});
}
std::string PriceDaysCellKey(absl::CivilMonth month, std::string_view commodity, std::string_view market) {
  return Key(RollupFamily::kPriceDays, MonthNumber(month), {commodity, market});
}
std::string PriceMonthsKey(int year) {
  std::string out(1, static_cast<char>(RollupFamily::kPriceMonths));
  AppendBe32(out, static_cast<uint32_t>(year));
  return out;
}
std::string PriceDaysKey(absl::CivilMonth month) {
  std::string out(1, static_cast<char>(RollupFamily::kPriceDays));
  AppendBe32(out, MonthNumber(month));
  return out;
}
absl::int128 SumOf(const v1::PriceSum& s) { return absl::MakeInt128(s.sum_high(), s.sum_low()); }
void SetSum(v1::PriceSum& s, absl::int128 sum) {
  s.set_sum_high(absl::Int128High64(sum));
  s.set_sum_low(absl::Int128Low64(sum));
}
std::string DayKey(RollupFamily family, absl::CivilDay day) {
  std::string out(1, static_cast<char>(family));
  AppendBe32(out, DayNumber(day));
  return out;
}
std::string YearKey(int year) {
  std::string out(1, static_cast<char>(RollupFamily::kUttp));
  AppendBe32(out, static_cast<uint32_t>(year));
  return out;
}

std::optional<CellKeyParts> ParseCellKeyTime(std::string_view key) {
  if (key.size() < 5) return std::nullopt;
  CellKeyParts parts;
  const char family = key[0];
  if (family != 'P' && family != 'A' && family != 'F' && family != 'U' && family != 'M' && family != 'D') {
    return std::nullopt;
  }
  parts.family = static_cast<RollupFamily>(family);
  const uint32_t time = ReadBe32(key.substr(1, 4));
  if (parts.family == RollupFamily::kUttp || parts.family == RollupFamily::kPriceMonths) {
    parts.year = static_cast<int>(time);
  } else if (parts.family == RollupFamily::kPriceDays) {
    parts.month = absl::CivilMonth(1970, 1) + (static_cast<int64_t>(time) - (int64_t{1} << 31));
  } else {
    parts.day = kEpochDay + (static_cast<int64_t>(time) - (int64_t{1} << 31));
  }
  return parts;
}

std::optional<CellKeyParts> ParseCellKey(std::string_view key) {
  std::optional<CellKeyParts> parts = ParseCellKeyTime(key);
  if (!parts) return std::nullopt;
  std::string_view rest = key.substr(5);
  for (;;) {
    size_t zero = rest.find('\0');
    parts->codes.emplace_back(rest.substr(0, zero));
    if (zero == std::string_view::npos) break;
    rest = rest.substr(zero + 1);
  }
  return parts;
}

bool IsAmendment(const v1::Record& record) {
  return record.body_case() == v1::Record::kCorrection || record.body_case() == v1::Record::kVoid;
}

std::string LogicalId(const v1::Record& record) {
  if (record.has_correction()) return record.correction().target_id();
  if (record.has_void_()) return record.void_().target_id();
  return record.id();
}

std::optional<v1::Record> EffectiveRecord(const v1::Record* original,
                                          const std::vector<v1::Record>& amendments) {
  const v1::Record* latest = nullptr;
  for (const auto& a : amendments) {
    if (a.has_void_()) return std::nullopt;
    if (a.has_correction() && (latest == nullptr || a.id() > latest->id())) latest = &a;
  }
  if (latest == nullptr) {
    if (original == nullptr || IsAmendment(*original)) return std::nullopt;
    return *original;
  }
  v1::Record effective = *latest;
  effective.set_id(LogicalId(*latest));
  if (!SetBodyFromCorrection(latest->correction(), effective)) return std::nullopt;
  return effective;
}

absl::Status ApplyContribution(const v1::Record& effective, int sign, absl::TimeZone zone,
                               CellStore& cells) {
  switch (effective.body_case()) {
    case v1::Record::kPriceSample:
      return ApplyPrice(effective, effective.price_sample(), sign, zone, cells);
    case v1::Record::kOutletAudit:
      return ApplyAudit(effective, effective.outlet_audit(), sign, zone, cells);
    case v1::Record::kFollowUp:
      return ApplyFollowUp(effective, effective.follow_up(), sign, zone, cells);
    case v1::Record::kUttpVerification:
      return ApplyUttp(effective, effective.uttp_verification(), sign, zone, cells);
    default:
      return absl::OkStatus();
  }
}

}  // namespace pantau::common
