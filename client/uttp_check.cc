#include "client/uttp_check.h"

#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/amounts.h"
#include "common/str_cat.h"

namespace pantau::client {
namespace {

using nlohmann::ordered_json;

absl::Status Bad(const std::string& what) { return absl::InvalidArgumentError(what); }

absl::Status CheckKeys(const nlohmann::json& object, const std::string& where,
                       const std::set<std::string>& known) {
  if (!object.is_object())
    return Bad(StrCat(where.empty() ? "the input" : where, ": must be a JSON object"));
  for (const auto& [key, value] : object.items()) {
    if (known.count(key) == 0) {
      return Bad(StrCat(where, where.empty() ? "" : ".", key, ": unknown key"));
    }
  }
  return absl::OkStatus();
}

absl::Status Int(const nlohmann::json& object, const std::string& where, const std::string& key,
                 int64_t* out, bool required = false) {
  auto it = object.find(key);
  if (it == object.end()) {
    return required ? Bad(StrCat(where, where.empty() ? "" : ".", key, ": is required"))
                    : absl::OkStatus();
  }
  if (!it->is_number_integer()) {
    return Bad(StrCat(where, where.empty() ? "" : ".", key,
                      ": must be a whole number (integer mg or mL)"));
  }
  *out = it->get<int64_t>();
  return absl::OkStatus();
}

absl::Status Text(const nlohmann::json& object, const std::string& where, const std::string& key,
                  std::string* out) {
  auto it = object.find(key);
  if (it == object.end()) return absl::OkStatus();
  if (!it->is_string()) return Bad(StrCat(where, where.empty() ? "" : ".", key, ": must be text"));
  *out = it->get<std::string>();
  return absl::OkStatus();
}

absl::Status Points(const nlohmann::json& object, const std::string& key,
                    google::protobuf::RepeatedPtrField<v1::WeighingPoint>* out) {
  auto it = object.find(key);
  if (it == object.end()) return absl::OkStatus();
  if (!it->is_array()) return Bad(StrCat(key, ": must be a list"));
  for (size_t i = 0; i < it->size(); ++i) {
    const auto& item = (*it)[i];
    const std::string where = StrCat(key, "[", i, "]");
    if (absl::Status s = CheckKeys(item, where, {"load_mg", "indication_mg", "changepoint_mg"});
        !s.ok())
      return s;
    int64_t load = 0, indication = 0, changepoint = 0;
    if (absl::Status s = Int(item, where, "load_mg", &load, true); !s.ok()) return s;
    if (absl::Status s = Int(item, where, "indication_mg", &indication, true); !s.ok()) return s;
    if (absl::Status s = Int(item, where, "changepoint_mg", &changepoint); !s.ok()) return s;
    auto* p = out->Add();
    p->set_load_mg(load);
    p->set_indication_mg(indication);
    p->set_changepoint_mg(changepoint);
  }
  return absl::OkStatus();
}

// A number node with exactly the decimal text of `r` ("2.5", "100.015", "7").
ordered_json Number(common::Ratio r) { return ordered_json::parse(common::DecimalText(r)); }

std::string KindName(v1::VerificationKind kind) {
  switch (kind) {
    case v1::VERIFICATION_KIND_TERA:
      return "tera";
    case v1::VERIFICATION_KIND_TERA_ULANG:
      return "tera_ulang";
    case v1::VERIFICATION_KIND_PENGAWASAN:
      return "pengawasan";
    default:
      return "";
  }
}

std::string Signed(common::Ratio r) {
  const std::string text = common::DecimalText(r);
  return r.numerator > 0 ? "+" + text : text;
}

}  // namespace

absl::StatusOr<CheckInput> ParseCheckInput(const std::string& json_text, bool require_instrument) {
  const auto j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Bad("the input is not JSON");
  if (absl::Status s = CheckKeys(j, "",
                                 {"instrument", "kind", "class", "accuracy_class", "max_mg",
                                  "min_mg", "e_mg", "d_mg", "ranges", "points", "eccentricity",
                                  "repeatability", "zero_changepoint_mg", "mmq_ml", "runs"});
      !s.ok()) {
    return s;
  }
  CheckInput in;
  v1::UttpVerification& u = in.verification;
  std::string instrument, kind, cls;
  if (absl::Status s = Text(j, "", "instrument", &instrument); !s.ok()) return s;
  if (instrument == "nawi") {
    in.category = v1::UTTP_CATEGORY_NAWI;
  } else if (instrument == "fuel_dispenser") {
    in.category = v1::UTTP_CATEGORY_FUEL_DISPENSER;
  } else if (instrument == "water_meter") {
    in.category = v1::UTTP_CATEGORY_WATER_METER;
  } else if (!instrument.empty() || require_instrument) {
    return Bad(StrCat("instrument: must be nawi, fuel_dispenser or water_meter (got \"", instrument,
                      "\")"));
  }
  if (absl::Status s = Text(j, "", "kind", &kind); !s.ok()) return s;
  u.set_kind(kind == "tera"         ? v1::VERIFICATION_KIND_TERA
             : kind == "tera_ulang" ? v1::VERIFICATION_KIND_TERA_ULANG
             : kind == "pengawasan" ? v1::VERIFICATION_KIND_PENGAWASAN
                                    : v1::VERIFICATION_KIND_UNSPECIFIED);
  if (u.kind() == v1::VERIFICATION_KIND_UNSPECIFIED) {
    return Bad(StrCat("kind: must be tera, tera_ulang or pengawasan (got \"", kind, "\")"));
  }
  if (absl::Status s = Text(j, "", j.contains("class") ? "class" : "accuracy_class", &cls); !s.ok())
    return s;
  u.set_accuracy_class(cls);
  int64_t v = 0;
  for (const char* key : {"max_mg", "min_mg", "e_mg", "d_mg", "mmq_ml", "zero_changepoint_mg"}) {
    if (!j.contains(key)) continue;
    if (absl::Status s = Int(j, "", key, &v); !s.ok()) return s;
    const std::string k = key;
    if (k == "max_mg") u.set_max_mg(v);
    if (k == "min_mg") u.set_min_mg(v);
    if (k == "e_mg") u.set_e_mg(v);
    if (k == "d_mg") u.set_d_mg(v);
    if (k == "mmq_ml") u.set_mmq_ml(v);
    if (k == "zero_changepoint_mg") u.set_zero_changepoint_mg(v);
  }
  if (auto it = j.find("ranges"); it != j.end()) {
    if (!it->is_array()) return Bad("ranges: must be a list");
    for (size_t i = 0; i < it->size(); ++i) {
      const std::string where = StrCat("ranges[", i, "]");
      int64_t max = 0, e = 0;
      if (absl::Status s = CheckKeys((*it)[i], where, {"max_mg", "e_mg"}); !s.ok()) return s;
      if (absl::Status s = Int((*it)[i], where, "max_mg", &max, true); !s.ok()) return s;
      if (absl::Status s = Int((*it)[i], where, "e_mg", &e, true); !s.ok()) return s;
      auto* r = u.add_ranges();
      r->set_max_mg(max);
      r->set_e_mg(e);
    }
  }
  if (absl::Status s = Points(j, "points", u.mutable_weighing_points()); !s.ok()) return s;
  if (absl::Status s = Points(j, "eccentricity", u.mutable_eccentricity_points()); !s.ok())
    return s;
  if (absl::Status s = Points(j, "repeatability", u.mutable_repeatability_points()); !s.ok())
    return s;
  if (auto it = j.find("runs"); it != j.end()) {
    if (!it->is_array()) return Bad("runs: must be a list");
    for (size_t i = 0; i < it->size(); ++i) {
      const auto& item = (*it)[i];
      const std::string where = StrCat("runs[", i, "]");
      if (absl::Status s =
              CheckKeys(item, where, {"flow", "zone", "above_30c", "actual_ml", "indication_ml"});
          !s.ok()) {
        return s;
      }
      auto* r = u.add_volume_runs();
      std::string flow, zone;
      int64_t actual = 0, indication = 0;
      if (absl::Status s = Text(item, where, "flow", &flow); !s.ok()) return s;
      if (absl::Status s = Text(item, where, "zone", &zone); !s.ok()) return s;
      if (absl::Status s = Int(item, where, "actual_ml", &actual, true); !s.ok()) return s;
      if (absl::Status s = Int(item, where, "indication_ml", &indication, true); !s.ok()) return s;
      if (item.contains("above_30c")) {
        if (!item["above_30c"].is_boolean())
          return Bad(StrCat(where, ".above_30c: must be true or false"));
        r->set_above_30c(item["above_30c"].get<bool>());
      }
      r->set_flow(flow);
      r->set_zone(zone);
      r->set_actual_ml(actual);
      r->set_indication_ml(indication);
    }
  }
  if (u.weighing_points_size() == 0 && u.volume_runs_size() == 0) {
    return Bad("points or runs: at least one test point or run is needed");
  }
  return in;
}

std::string VerdictJson(const CheckInput& input, const common::VerdictResult& result) {
  const v1::UttpVerification& u = input.verification;
  const bool volume = input.category != v1::UTTP_CATEGORY_NAWI;
  ordered_json j;
  j["instrument"] = input.category == v1::UTTP_CATEGORY_NAWI             ? "nawi"
                    : input.category == v1::UTTP_CATEGORY_FUEL_DISPENSER ? "fuel_dispenser"
                    : input.category == v1::UTTP_CATEGORY_WATER_METER    ? "water_meter"
                                                                         : "";
  j["kind"] = KindName(u.kind());
  j["class"] = u.accuracy_class();
  ordered_json points = ordered_json::array();
  for (const auto& c : result.points) {
    ordered_json p;
    if (volume) {
      const auto& r = u.volume_runs(c.index);
      if (!r.flow().empty()) p["flow"] = r.flow();
      if (!r.zone().empty()) p["zone"] = r.zone();
      p["actual_ml"] = r.actual_ml();
      p["indication_ml"] = r.indication_ml();
      p["error_ml"] = Number(c.error);
      p["mpe_ml"] = Number(c.mpe);
    } else {
      const auto& w = u.weighing_points(c.index);
      p["load_mg"] = w.load_mg();
      p["indication_mg"] = w.indication_mg();
      if (w.changepoint_mg() > 0) p["changepoint_mg"] = w.changepoint_mg();
      p["error_mg"] = Number(c.error);
      p["mpe_mg"] = Number(c.mpe);
    }
    p["pass"] = c.pass;
    points.push_back(p);
  }
  j[volume ? "runs" : "points"] = points;
  ordered_json auxiliary = ordered_json::array();
  for (const auto& c : result.auxiliary) {
    ordered_json a;
    a["test"] = c.test;
    if (c.test == "eccentricity") a["position"] = c.index + 1;
    if (!c.flow.empty()) a["flow"] = c.flow;
    if (volume) {
      a["spread_percent"] = Number(c.error);
      a["limit_percent"] = Number(c.mpe);
    } else {
      a[c.test == "repeatability" ? "spread_mg" : "error_mg"] = Number(c.error);
      a["mpe_mg"] = Number(c.mpe);
    }
    a["pass"] = c.pass;
    auxiliary.push_back(a);
  }
  j["auxiliary"] = auxiliary;
  j["reasons"] = result.ReasonsIn();
  const bool has_rule = !j["instrument"].get<std::string>().empty();
  j["verdict"] = !has_rule ? ordered_json(nullptr) : ordered_json(result.sah ? "sah" : "batal");
  return j.dump(2) + "\n";
}

std::string VerdictLines(const v1::UttpVerification& u, const common::VerdictResult& result,
                         bool has_rule) {
  std::string out;
  for (const auto& c : result.points) {
    if (c.test == "run") {
      const auto& r = u.volume_runs(c.index);
      out += StrCat("  run ", c.index + 1, " (", c.flow, ", ", r.actual_ml(), " mL): error ",
                    Signed(c.error), " mL, MPE ", common::DecimalText(c.mpe), " mL  ",
                    c.pass ? "pass" : "FAIL", "\n");
    } else {
      const auto& p = u.weighing_points(c.index);
      out +=
          StrCat("  point ", c.index + 1, " (load ", p.load_mg(), " mg): error ", Signed(c.error),
                 " mg, MPE ", common::DecimalText(c.mpe), " mg  ", c.pass ? "pass" : "FAIL", "\n");
    }
  }
  for (const auto& c : result.auxiliary) {
    const bool percent = c.test == "repeatability" && !c.flow.empty();
    const char* unit = percent ? " %" : " mg";
    out +=
        StrCat("  ", c.test, c.test == "eccentricity" ? StrCat(" ", c.index + 1) : std::string(),
               c.flow.empty() ? "" : StrCat(" (", c.flow, ")"), ": ",
               c.test == "repeatability" ? "spread " : "error ", common::DecimalText(c.error), unit,
               ", limit ", common::DecimalText(c.mpe), unit, "  ", c.pass ? "pass" : "FAIL", "\n");
  }
  if (!has_rule) return out + "verdict: not computed (no rule for this type of instrument)\n";
  out += StrCat("verdict: ", result.sah ? "sah" : "batal");
  for (size_t i = 0; i < result.reasons.size(); ++i)
    out += StrCat(i == 0 ? " — " : "; ", result.reasons[i].English());
  return out + "\n";
}

absl::StatusOr<v1::WeighingPoint> ParsePointSpec(const std::string& spec, const std::string& flag) {
  std::vector<int64_t> values;
  for (const std::string& part : std::vector<std::string>(absl::StrSplit(spec, ':'))) {
    auto mg = common::ParseMassMg(part, /*bare_is_mg=*/true);
    if (!mg.ok()) {
      return Bad(StrCat(flag, " ", spec, ": ", mg.status().message(),
                        "; use LOAD:INDICATION[:CHANGEPOINT], each in kg, g or mg (a bare number is mg): 3kg:2996g"));
    }
    values.push_back(*mg);
  }
  if (values.size() < 2 || values.size() > 3) {
    return Bad(StrCat(flag, " ", spec, ": use LOAD:INDICATION[:CHANGEPOINT], each in kg, g or mg (a bare number is mg): "
                      "3kg:2996g"));
  }
  v1::WeighingPoint p;
  p.set_load_mg(values[0]);
  p.set_indication_mg(values[1]);
  if (values.size() == 3) p.set_changepoint_mg(values[2]);
  return p;
}

void PrefillFromRegistry(v1::UttpVerification& u, const common::ReferenceCatalog& catalog) {
  const v1::UttpInstrument* entry = catalog.FindUttpInstrument(u.instrument_id());
  if (entry == nullptr) return;
  if (u.accuracy_class().empty()) u.set_accuracy_class(entry->accuracy_class());
  if (u.max_mg() == 0 && u.ranges_size() == 0) u.set_max_mg(entry->max_mg());
  if (u.e_mg() == 0 && u.ranges_size() == 0) u.set_e_mg(entry->e_mg());
}

absl::StatusOr<v1::VolumeRun> ParseRunSpec(const std::string& spec) {
  const std::vector<std::string> parts = absl::StrSplit(spec, ':');
  int64_t actual = 0, indication = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[1], &actual) ||
      !absl::SimpleAtoi(parts[2], &indication)) {
    return Bad(StrCat("--run ", spec,
                      ": use FLOW:ACTUAL_ML:INDICATION_ML (FLOW max, mid, min; or lower, upper, "
                      "upper30 for water meters)"));
  }
  v1::VolumeRun r;
  if (parts[0] == "lower" || parts[0] == "upper") {
    r.set_zone(parts[0]);
  } else if (parts[0] == "upper30") {
    r.set_zone("upper");
    r.set_above_30c(true);
  } else {
    r.set_flow(parts[0]);
  }
  r.set_actual_ml(actual);
  r.set_indication_ml(indication);
  return r;
}

absl::StatusOr<v1::WeighingRange> ParseRangeSpec(const std::string& spec) {
  const std::vector<std::string> parts = absl::StrSplit(spec, ':');
  int64_t max = 0, e = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &max) || !absl::SimpleAtoi(parts[1], &e)) {
    return Bad(StrCat("--range ", spec, ": use MAX_MG:E_MG"));
  }
  v1::WeighingRange r;
  r.set_max_mg(max);
  r.set_e_mg(e);
  return r;
}

}  // namespace pantau::client
