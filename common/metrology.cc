#include "common/metrology.h"

#include <limits>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "absl/numeric/int128.h"
#include "common/record_kinds.h"
#include "common/str_cat.h"

namespace pantau::common {
namespace {

int64_t Abs(int64_t v) { return v < 0 ? -v : v; }

Ratio Reduce(Ratio r) {
  int64_t a = Abs(r.numerator), b = r.denominator;
  while (b != 0) {
    const int64_t t = a % b;
    a = b;
    b = t;
  }
  if (a <= 1) return r;
  return Ratio{r.numerator / a, r.denominator / a};
}

// Any quantity of a verification beyond this (in its unit) is refused before any arithmetic:
// 10^15 mg is a million tonnes, 10^15 mL a million cubic metres. Within it no step overflows.
constexpr int64_t kMaxQuantity = kMaxMetrologyUnits;

bool QuantityInRange(int64_t v) { return v >= -kMaxQuantity && v <= kMaxQuantity; }

// The first quantity of `u` out of range, as "field: value", or "".
std::string QuantityOutOfRange(const v1::UttpVerification& u) {
  auto check = [](std::string_view name, int64_t v) {
    return QuantityInRange(v) ? std::string() : StrCat(name, " = ", v);
  };
  for (auto [name, v] : {std::pair<std::string_view, int64_t>{"max_mg", u.max_mg()}, {"min_mg", u.min_mg()},
                         {"e_mg", u.e_mg()}, {"d_mg", u.d_mg()}, {"mmq_ml", u.mmq_ml()},
                         {"zero_changepoint_mg", u.zero_changepoint_mg()}}) {
    if (auto bad = check(name, v); !bad.empty()) return bad;
  }
  for (const auto& r : u.ranges()) {
    for (int64_t v : {r.max_mg(), r.e_mg()}) {
      if (auto bad = check("ranges", v); !bad.empty()) return bad;
    }
  }
  for (const auto* points : {&u.weighing_points(), &u.eccentricity_points(), &u.repeatability_points()}) {
    for (const auto& p : *points) {
      for (int64_t v : {p.load_mg(), p.indication_mg(), p.changepoint_mg()}) {
        if (auto bad = check("a weighing point", v); !bad.empty()) return bad;
      }
    }
  }
  for (const auto& r : u.volume_runs()) {
    for (int64_t v : {r.actual_ml(), r.indication_ml()}) {
      if (auto bad = check("a volume run", v); !bad.empty()) return bad;
    }
  }
  return "";
}

// The rules, for quantities in 1/scale of a milligram or millilitre (1 unless a finer unit is
// used: the verdict must not depend on it).
class Judge {
 public:
  explicit Judge(int64_t scale) : scale_(scale) {}

  // Text of a quantity for people: "2 g", "2.5 g", "500 mg", "30 kg".
  std::string Mass(Ratio units) {
    const Ratio mg = Reduce(Ratio{units.numerator, units.denominator * scale_});
    if (mg.denominator == 1 && mg.numerator != 0 && mg.numerator % 1000000 == 0) {
      return StrCat(mg.numerator / 1000000, " kg");
    }
    if (Abs(mg.numerator) >= 1000 * mg.denominator) {
      return StrCat(DecimalText(Ratio{mg.numerator, mg.denominator * 1000}), " g");
    }
    return StrCat(DecimalText(mg), " mg");
  }

  std::string Volume(Ratio units) {
    return StrCat(DecimalText(Ratio{units.numerator, units.denominator * scale_}), " mL");
  }

  // The class's allowed intervals and the limits that go with them (research §2.1, Tableau 1).
  struct ClassRow {
    NawiClass cls;
    int64_t e_min_mg, e_max_mg;  // e_max 0: no upper bound
    int64_t n_min, n_max;        // n_max 0: no upper bound
    int64_t min_in_e;            // Min = min_in_e x e
  };
  static constexpr ClassRow kClassRows[] = {
      {NawiClass::kI, 1, 0, 50000, 0, 100},       {NawiClass::kII, 1, 50, 100, 100000, 20},
      {NawiClass::kII, 100, 0, 5000, 100000, 50}, {NawiClass::kIII, 100, 2000, 100, 10000, 20},
      {NawiClass::kIII, 5000, 0, 500, 10000, 20}, {NawiClass::kIIII, 5000, 0, 100, 1000, 10},
  };

  const ClassRow* RowFor(NawiClass cls, int64_t e_mg) {
    for (const auto& row : kClassRows) {
      if (row.cls == cls && e_mg >= row.e_min_mg * scale_ &&
          (row.e_max_mg == 0 || e_mg <= row.e_max_mg * scale_)) {
        return &row;
      }
    }
    return nullptr;
  }

  const char* ClassName(NawiClass cls) {
    switch (cls) {
      case NawiClass::kI:
        return "I";
      case NawiClass::kII:
        return "II";
      case NawiClass::kIII:
        return "III";
      case NawiClass::kIIII:
        return "IIII";
    }
    return "";
  }

  int Multiplier(v1::VerificationKind kind, int tera, int tera_ulang, int pengawasan) {
    switch (kind) {
      case v1::VERIFICATION_KIND_TERA_ULANG:
        return tera_ulang;
      case v1::VERIFICATION_KIND_PENGAWASAN:
        return pengawasan;
      default:
        return tera;
    }
  }

  // ---- Weighing instruments ----

  struct Interval {
    int64_t max_mg, e_mg;
  };

  // The partial ranges, ascending; one for a single-interval instrument.
  std::vector<Interval> Intervals(const v1::UttpVerification& u) {
    std::vector<Interval> out;
    for (const auto& r : u.ranges()) out.push_back({r.max_mg(), r.e_mg()});
    if (out.empty()) out.push_back({u.max_mg(), u.e_mg()});
    return out;
  }

  // The interval of the partial range a load falls in (the last range above every max).
  int64_t IntervalFor(const std::vector<Interval>& ranges, int64_t load_mg) {
    for (const auto& r : ranges) {
      if (load_mg <= r.max_mg) return r.e_mg;
    }
    return ranges.back().e_mg;
  }

  // Twice the error of one weighing, in mg: E = I - L, or with the change-point weights dL,
  // E = I + e/2 - dL - L.
  int64_t TwiceError(const v1::WeighingPoint& p, int64_t e_mg) {
    if (p.changepoint_mg() > 0)
      return 2 * p.indication_mg() + e_mg - 2 * p.changepoint_mg() - 2 * p.load_mg();
    return 2 * (p.indication_mg() - p.load_mg());
  }

  CheckedTest CheckWeighing(const std::string& test, int index, const v1::WeighingPoint& p,
                            NawiClass cls, const std::vector<Interval>& ranges, int multiplier) {
    const int64_t e = IntervalFor(ranges, p.load_mg());
    CheckedTest c;
    c.test = test;
    c.index = index;
    const int64_t twice_error = TwiceError(p, e);
    const int64_t twice_mpe = MpeHalfIntervals(cls, p.load_mg(), e) * e * multiplier;
    c.error = Reduce(Ratio{twice_error, 2});
    c.mpe = Reduce(Ratio{twice_mpe, 2});
    c.pass = Abs(twice_error) <= twice_mpe;
    return c;
  }

  void CheckNawiMetadata(const v1::UttpVerification& u, NawiClass cls,
                         const std::vector<Interval>& ranges, std::vector<Message>& reasons) {
    for (size_t i = 0; i < ranges.size(); ++i) {
      const auto& r = ranges[i];
      // Partial ranges are named as OIML R 76 does: Max1, e1, Max2, e2, ...
      const std::string which = ranges.size() > 1 ? StrCat(i + 1) : "";
      if (r.e_mg <= 0 || r.max_mg <= 0) {
        reasons.push_back(Msg("Max{} and e{} are required", which, which));
        continue;
      }
      if (!IsOneTwoFiveDecade(r.e_mg)) {
        reasons.push_back(Msg("e{} = {} is not of the form 1, 2 or 5 x 10^k", which, Mass(Whole(r.e_mg))));
      }
      if (i > 0 && (r.e_mg <= ranges[i - 1].e_mg || r.max_mg <= ranges[i - 1].max_mg)) {
        reasons.push_back(Msg("range {}: Max and e must grow from one partial range to the next", i + 1));
      }
      const ClassRow* row = RowFor(cls, r.e_mg);
      if (row == nullptr) {
        reasons.push_back(Msg("e{} = {} is not allowed for class {}", which, Mass(Whole(r.e_mg)), ClassName(cls)));
        continue;
      }
      if (r.max_mg % r.e_mg != 0) {
        reasons.push_back(Msg("Max{} = {} is not a whole number of e = {}", which, Mass(Whole(r.max_mg)),
                              Mass(Whole(r.e_mg))));
        continue;
      }
      const int64_t n = r.max_mg / r.e_mg;
      if (n < row->n_min || (row->n_max > 0 && n > row->n_max)) {
        if (row->n_max > 0) {
          reasons.push_back(Msg("n = Max{} / e{} = {} is outside class {}'s {} to {} for e = {}", which, which, n,
                                ClassName(cls), row->n_min, row->n_max, Mass(Whole(r.e_mg))));
        } else {
          reasons.push_back(Msg("n = Max{} / e{} = {} is below class {}'s {} for e = {}", which, which, n,
                                ClassName(cls), row->n_min, Mass(Whole(r.e_mg))));
        }
      }
    }
    if (u.d_mg() > 0) {
      if (!IsOneTwoFiveDecade(u.d_mg())) {
        reasons.push_back(Msg("d = {} is not of the form 1, 2 or 5 x 10^k", Mass(Whole(u.d_mg()))));
      }
      if (u.d_mg() > ranges.front().e_mg) {
        reasons.push_back(Msg("d = {} is larger than e = {}", Mass(Whole(u.d_mg())), Mass(Whole(ranges.front().e_mg))));
      }
    }
    const ClassRow* first = ranges.front().e_mg > 0 ? RowFor(cls, ranges.front().e_mg) : nullptr;
    if (u.min_mg() > 0 && first != nullptr && u.min_mg() < first->min_in_e * ranges.front().e_mg) {
      reasons.push_back(Msg("Min = {} is below class {}'s lower limit of {} e = {}", Mass(Whole(u.min_mg())),
                            ClassName(cls), first->min_in_e, Mass(Whole(first->min_in_e * ranges.front().e_mg))));
    }
  }

  void ComputeNawi(const v1::UttpVerification& u, const MetrologySettings& settings,
                   VerdictResult& out) {
    const auto cls = ParseNawiClass(u.accuracy_class());
    if (!cls) {
      out.reasons.push_back(Msg("accuracy class \"{}\" is not I, II, III or IIII", u.accuracy_class()));
      return;
    }
    const std::vector<Interval> ranges = Intervals(u);
    CheckNawiMetadata(u, *cls, ranges, out.reasons);
    for (const auto& r : ranges) {
      if (r.e_mg <= 0) return;  // nothing can be judged without e (said above)
    }
    const int multiplier = Multiplier(u.kind(), settings.nawi_tera, settings.nawi_tera_ulang,
                                      settings.nawi_pengawasan);
    const int64_t max_mg = ranges.back().max_mg;
    if (u.weighing_points_size() == 0) out.reasons.push_back(Msg("no test point"));
    for (int i = 0; i < u.weighing_points_size(); ++i) {
      const auto& p = u.weighing_points(i);
      CheckedTest c = CheckWeighing("point", i, p, *cls, ranges, multiplier);
      if (!c.pass) {
        out.reasons.push_back(Msg("point {} (load {}): error {} exceeds the MPE of {}", i + 1, Mass(Whole(p.load_mg())),
                                  Mass(c.error), Mass(c.mpe)));
      }
      if (p.load_mg() > max_mg + 9 * ranges.back().e_mg) {
        out.reasons.push_back(Msg("point {}: load {} is above Max + 9 e", i + 1, Mass(Whole(p.load_mg()))));
      }
      out.points.push_back(std::move(c));
    }
    for (int i = 0; i < u.eccentricity_points_size(); ++i) {
      const auto& p = u.eccentricity_points(i);
      CheckedTest c = CheckWeighing("eccentricity", i, p, *cls, ranges, multiplier);
      if (!c.pass) {
        out.reasons.push_back(
            Msg("eccentricity position {}: error {} exceeds the MPE of {}", i + 1, Mass(c.error), Mass(c.mpe)));
      }
      if (3 * p.load_mg() < max_mg) {
        out.reasons.push_back(Msg("eccentricity position {}: load {} is below Max / 3", i + 1, Mass(Whole(p.load_mg()))));
      }
      out.auxiliary.push_back(std::move(c));
    }
    if (u.repeatability_points_size() == 1)
      out.reasons.push_back(Msg("repeatability needs at least two weighings"));
    if (u.repeatability_points_size() >= 2) {
      // The results of several weighings of the same load may differ by at most |MPE| at that load.
      int64_t low = INT64_MAX, high = INT64_MIN, twice_mpe = INT64_MAX;
      for (const auto& p : u.repeatability_points()) {
        const int64_t e = IntervalFor(ranges, p.load_mg());
        const int64_t twice = TwiceError(p, e);
        low = std::min(low, twice);
        high = std::max(high, twice);
        twice_mpe = std::min(twice_mpe, MpeHalfIntervals(*cls, p.load_mg(), e) * e * multiplier);
      }
      CheckedTest c;
      c.test = "repeatability";
      c.error = Reduce(Ratio{high - low, 2});
      c.mpe = Reduce(Ratio{twice_mpe, 2});
      c.pass = high - low <= twice_mpe;
      if (!c.pass) {
        out.reasons.push_back(
            Msg("repeatability: the weighings differ by {}, more than the MPE of {}", Mass(c.error), Mass(c.mpe)));
      }
      out.auxiliary.push_back(std::move(c));
    }
    if (u.has_zero_changepoint_mg()) {
      // At zero: E0 = e/2 - dL, within +-0.25 e (OIML R 76-1 4.5.2).
      const int64_t e = ranges.front().e_mg;
      const int64_t twice = e - 2 * u.zero_changepoint_mg();
      CheckedTest c;
      c.test = "zero";
      c.error = Reduce(Ratio{twice, 2});
      c.mpe = Reduce(Ratio{e, 4});
      c.pass = 2 * Abs(twice) <= e;
      if (!c.pass) {
        out.reasons.push_back(Msg("zero-setting: error {} exceeds 0.25 e = {}", Mass(c.error), Mass(c.mpe)));
      }
      out.auxiliary.push_back(std::move(c));
    }
  }

  // ---- Volume instruments ----

  // The accuracy class of a fuel dispenser as its line-A MPE in thousandths of a percent.
  std::optional<int64_t> DispenserClass(const std::string& text) {
    static const std::map<std::string, int64_t, std::less<>> kClasses = {
        {"0.3", 300}, {"0.5", 500}, {"1", 1000}, {"1.0", 1000}, {"1.5", 1500}, {"2.5", 2500}};
    auto it = kClasses.find(text.empty() ? "0.5" : text);
    if (it == kClasses.end()) return std::nullopt;
    return it->second;
  }

  // The table MPE for a quantity of `v` mL, in units of mL / 100 000 (OIML R 117 line A with the
  // small-volume rules below 2 L).
  int64_t TableMpeScaled(int64_t v, int64_t a) {
    const int64_t ml = scale_;
    if (v >= 2000 * ml) return v * a;
    if (v >= 1000 * ml) return 2000 * ml * a;
    if (v >= 400 * ml) return 2 * v * a;
    if (v >= 200 * ml) return 2 * 400 * ml * a;
    if (v >= 100 * ml) return 4 * v * a;
    return 4 * 100 * ml * a;
  }

  static constexpr int64_t kScale =
      100000;  // mL / 100 000: one thousandth of a percent of a millilitre

  void ComputeDispenser(const v1::UttpVerification& u, const MetrologySettings& settings,
                        VerdictResult& out) {
    const auto a = DispenserClass(u.accuracy_class());
    if (!a) {
      out.reasons.push_back(Msg("accuracy class \"{}\" is not 0.3, 0.5, 1.0, 1.5 or 2.5", u.accuracy_class()));
      return;
    }
    const int multiplier = Multiplier(u.kind(), settings.volume_tera, settings.volume_tera_ulang,
                                      settings.volume_pengawasan);
    // Emin = 2 x MMQ x A / 100 for MMQ >= 2 L, else twice the small-volume value at the MMQ.
    int64_t emin = 0;
    if (u.mmq_ml() >= 2000 * scale_) emin = 2 * u.mmq_ml() * *a;
    if (u.mmq_ml() > 0 && u.mmq_ml() < 2000 * scale_) emin = 2 * TableMpeScaled(u.mmq_ml(), *a);
    if (u.volume_runs_size() == 0) out.reasons.push_back(Msg("no run"));
    std::map<std::string, std::vector<int>> by_flow;
    for (int i = 0; i < u.volume_runs_size(); ++i) {
      const auto& r = u.volume_runs(i);
      CheckedTest c;
      c.test = "run";
      c.index = i;
      c.flow = r.flow();
      const int64_t error = r.indication_ml() - r.actual_ml();
      const int64_t mpe = std::max(TableMpeScaled(r.actual_ml(), *a), emin) * multiplier;
      c.error = Whole(error);
      c.mpe = Reduce(Ratio{mpe, kScale});
      c.pass = absl::int128(Abs(error)) * kScale <= mpe;
      if (!c.pass) {
        out.reasons.push_back(Msg("run {} ({} flow, {}): error {} exceeds the MPE of {}", i + 1, r.flow(),
                                  Volume(Whole(r.actual_ml())), Volume(c.error), Volume(c.mpe)));
      }
      by_flow[r.flow()].push_back(i);
      out.points.push_back(std::move(c));
    }
    if (settings.dispenser_three_flows && u.kind() != v1::VERIFICATION_KIND_PENGAWASAN) {
      for (const char* flow : {"max", "mid", "min"}) {
        if (by_flow.count(flow) == 0)
          out.reasons.push_back(Msg("no run at the {} flow rate", flow));
      }
    }
    // Repeatability: at one flow rate the relative errors E / V may spread at most the limit.
    const int64_t limit = settings.dispenser_repeatability_milli_percent;
    for (const auto& flow_runs : by_flow) {
      const auto& runs = flow_runs.second;  // a plain reference: lambdas may not capture bindings
      if (runs.size() < 2) continue;
      // The widest pair: (Ei / Vi - Ej / Vj) compared exactly by cross-multiplying.
      size_t hi = 0, lo = 0;
      auto rel_less = [&](size_t x, size_t y) {
        const auto& rx = u.volume_runs(runs[x]);
        const auto& ry = u.volume_runs(runs[y]);
        return absl::int128(rx.indication_ml() - rx.actual_ml()) * ry.actual_ml() <
               absl::int128(ry.indication_ml() - ry.actual_ml()) * rx.actual_ml();
      };
      for (size_t k = 1; k < runs.size(); ++k) {
        if (rel_less(hi, k)) hi = k;
        if (rel_less(k, lo)) lo = k;
      }
      const auto& rh = u.volume_runs(runs[hi]);
      const auto& rl = u.volume_runs(runs[lo]);
      const int64_t eh = rh.indication_ml() - rh.actual_ml(),
                    el = rl.indication_ml() - rl.actual_ml();
      // spread = eh / vh - el / vl <= limit / kScale  <=>  (eh vl - el vh) kScale <= limit vh vl
      const absl::int128 spread =
          absl::int128(eh) * rl.actual_ml() - absl::int128(el) * rh.actual_ml();
      CheckedTest c;
      c.test = "repeatability";
      c.flow = flow_runs.first;
      // In percent of the volume, exact: 100 x spread / (vh vl), in 128 bits (each factor may
      // be up to kMaxQuantity).
      // In lowest terms; the text shown is rounded only for inputs near kMaxQuantity, while the
      // pass/fail decision below is taken on the exact 128-bit values.
      c.error = RatioOf(spread * 100, absl::int128(rh.actual_ml()) * rl.actual_ml(), Reduction::kLowestTerms);
      c.mpe = Reduce(Ratio{limit, 1000});
      c.pass = spread * kScale <= absl::int128(limit) * rh.actual_ml() * rl.actual_ml();
      if (!c.pass) {
        out.reasons.push_back(Msg("repeatability at the {} flow rate: the errors spread {} %, more than {} %",
                                  flow_runs.first, FormatRatio(c.error, 3), DecimalText(c.mpe)));
      }
      out.auxiliary.push_back(std::move(c));
    }
  }

  void ComputeWaterMeter(const v1::UttpVerification& u, const MetrologySettings& settings,
                         VerdictResult& out) {
    const std::string cls = u.accuracy_class().empty() ? "2" : u.accuracy_class();
    if (cls != "1" && cls != "2") {
      out.reasons.push_back(Msg("accuracy class \"{}\" is not 1 or 2", u.accuracy_class()));
      return;
    }
    const int multiplier = Multiplier(u.kind(), settings.volume_tera, settings.volume_tera_ulang,
                                      settings.volume_pengawasan);
    if (u.volume_runs_size() == 0) out.reasons.push_back(Msg("no run"));
    for (int i = 0; i < u.volume_runs_size(); ++i) {
      const auto& r = u.volume_runs(i);
      CheckedTest c;
      c.test = "run";
      c.index = i;
      c.flow = r.zone();
      if (r.zone() != "lower" && r.zone() != "upper") {
        out.reasons.push_back(Msg("run {}: zone must be lower or upper", i + 1));
        continue;
      }
      // Percent of the volume: class 2 lower 5, upper 2 (3 above 30 C); class 1 lower 3, upper 1
      // (2).
      int64_t percent = cls == "2" ? (r.zone() == "lower" ? 5
                                      : r.above_30c()     ? 3
                                                          : 2)
                                   : (r.zone() == "lower" ? 3
                                      : r.above_30c()     ? 2
                                                          : 1);
      const int64_t error = r.indication_ml() - r.actual_ml();
      const int64_t mpe = r.actual_ml() * percent * multiplier;  // mL / 100
      c.error = Whole(error);
      c.mpe = Reduce(Ratio{mpe, 100});
      c.pass = Abs(error) * 100 <= mpe;
      if (!c.pass) {
        out.reasons.push_back(Msg("run {} ({} zone, {}): error {} exceeds the MPE of {}", i + 1, r.zone(),
                                  Volume(Whole(r.actual_ml())), Volume(c.error), Volume(c.mpe)));
      }
      out.points.push_back(std::move(c));
    }
  }

 private:
  const int64_t scale_;
};

}  // namespace

std::optional<NawiClass> ParseNawiClass(std::string_view text) {
  if (text == "I") return NawiClass::kI;
  if (text == "II") return NawiClass::kII;
  if (text == "III") return NawiClass::kIII;
  if (text == "IIII") return NawiClass::kIIII;
  return std::nullopt;
}

int MpeHalfIntervals(NawiClass cls, int64_t load, int64_t e) {
  // Upper bounds (in e) of the 0.5 e and 1 e bands.
  int64_t b1 = 0, b2 = 0;
  switch (cls) {
    case NawiClass::kI:
      b1 = 50000, b2 = 200000;
      break;
    case NawiClass::kII:
      b1 = 5000, b2 = 20000;
      break;
    case NawiClass::kIII:
      b1 = 500, b2 = 2000;
      break;
    case NawiClass::kIIII:
      b1 = 50, b2 = 200;
      break;
  }
  const absl::int128 l = Abs(load);
  if (l <= absl::int128(b1) * e) return 1;
  if (l <= absl::int128(b2) * e) return 2;
  return 3;
}

bool IsOneTwoFiveDecade(int64_t value) {
  if (value <= 0) return false;
  while (value % 10 == 0) value /= 10;
  return value == 1 || value == 2 || value == 5;
}

std::string DecimalText(Ratio r) {
  r = Reduce(r);
  if (r.denominator < 0) r = Ratio{-r.numerator, -r.denominator};
  int64_t d = r.denominator;
  int places = 0;
  while (d % 10 == 0) d /= 10, ++places;
  while (d % 2 == 0 && places < 18) d /= 2, ++places;
  while (d % 5 == 0 && places < 18) d /= 5, ++places;
  if (d != 1 || places > 9) return FormatRatio(r, 5);
  return FormatRatio(r, places);
}

VerdictResult ComputeVerdict(const v1::UttpVerification& u, v1::UttpCategory category,
                             const MetrologySettings& settings, int64_t units_per_base) {
  Judge judge(units_per_base > 0 ? units_per_base : 1);
  VerdictResult out;
  if (HasVerdictRule(category)) {
    if (const std::string bad = QuantityOutOfRange(u); !bad.empty()) {
      out.reasons.push_back(Msg("{} is beyond any instrument (at most 10^15 in its unit); check the entry", bad));
      return out;
    }
  }
  switch (category) {
    case v1::UTTP_CATEGORY_NAWI:
      judge.ComputeNawi(u, settings, out);
      break;
    case v1::UTTP_CATEGORY_FUEL_DISPENSER:
      judge.ComputeDispenser(u, settings, out);
      break;
    case v1::UTTP_CATEGORY_WATER_METER:
      judge.ComputeWaterMeter(u, settings, out);
      break;
    default:
      out.reasons.push_back(Msg("no verdict rule for this type of instrument yet"));
      return out;
  }
  out.sah = out.reasons.empty();
  return out;
}

std::vector<std::string> VerdictResult::ReasonsIn(Language language) const {
  std::vector<std::string> out;
  for (const auto& r : reasons) out.push_back(Render(r, language));
  return out;
}

bool HasVerdictRule(v1::UttpCategory category) {
  return category == v1::UTTP_CATEGORY_NAWI || category == v1::UTTP_CATEGORY_FUEL_DISPENSER ||
         category == v1::UTTP_CATEGORY_WATER_METER;
}

v1::UttpCategory CategoryOf(const v1::UttpVerification& u, const ReferenceCatalog& catalog) {
  const v1::UttpInstrument* instrument = catalog.FindUttpInstrument(u.instrument_id());
  if (instrument == nullptr) return v1::UTTP_CATEGORY_UNSPECIFIED;
  const v1::UttpType* type = catalog.FindUttpType(instrument->type_code());
  return type != nullptr ? type->category() : v1::UTTP_CATEGORY_UNSPECIFIED;
}

std::optional<VerdictResult> AttachComputedVerdict(v1::Record& record,
                                                   const ReferenceCatalog& catalog,
                                                   const MetrologySettings& settings) {
  v1::UttpVerification* u = record.has_uttp_verification() ? record.mutable_uttp_verification()
                            : record.has_correction() && record.correction().has_uttp_verification()
                                ? record.mutable_correction()->mutable_uttp_verification()
                                : nullptr;
  if (u == nullptr) return std::nullopt;
  const v1::UttpCategory category = CategoryOf(*u, catalog);
  VerdictResult result = ComputeVerdict(*u, category, settings);
  const bool has_rule = HasVerdictRule(category);
  u->set_computed_verdict(!has_rule    ? v1::VERDICT_UNSPECIFIED
                          : result.sah ? v1::VERDICT_SAH
                                       : v1::VERDICT_BATAL);
  u->clear_verdict_reasons();
  for (const auto& reason : result.reasons) u->add_verdict_reasons(reason.English());
  return result;
}

}  // namespace pantau::common
