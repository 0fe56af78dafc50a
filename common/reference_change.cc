#include "common/reference_change.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <set>

#include "common/reference_csv.h"
#include "common/str_cat.h"

namespace pantau::common {
namespace {

bool IsProduct(const ReferenceCatalog& catalog, const std::string& code) {
  return catalog.FindCommodity(code) != nullptr || catalog.FindSubsidisedProduct(code) != nullptr;
}

}  // namespace

std::vector<ReferenceFile> ExportReferenceFiles(const ReferenceCatalog& catalog) {
  std::vector<ReferenceFile> files;
  for (const auto& name : ReferenceFileNames()) {
    std::vector<const v1::ReferenceEntity*> entities;
    for (const auto& [key, e] : catalog.entities()) {
      if (ReferenceFileOf(e) == name) entities.push_back(&e);
    }
    auto text = WriteReferenceCsv(name, entities);
    if (text.ok()) files.push_back({name, *std::move(text)});  // every name is a known file
  }
  return files;
}

std::string ListProblems(const std::vector<std::string>& problems, std::string_view separator, size_t most) {
  std::vector<std::string> shown(problems.begin(), problems.begin() + static_cast<std::ptrdiff_t>(std::min(most, problems.size())));
  if (problems.size() > most) shown.push_back(StrCat("... and ", problems.size() - most, " more"));
  return StrJoin(shown, separator);
}

std::string_view ReferenceDifferenceName(ReferenceDifferenceKind kind) {
  switch (kind) {
    case ReferenceDifferenceKind::kAdded:
      return "added";
    case ReferenceDifferenceKind::kChanged:
      return "changed";
    case ReferenceDifferenceKind::kRetired:
      return "retired";
  }
  return "";
}

std::vector<std::string> ReferenceIntegrityProblems(const ReferenceCatalog& catalog,
                                                    const std::function<std::string(const std::string& key)>& where) {
  std::vector<std::string> out;
  auto missing = [&](const std::string& key, std::string_view field, const std::string& value, std::string_view what) {
    out.push_back(StrCat(where(key), ": ", field, ": \"", value, "\" is not ", what));
  };
  std::map<std::string, std::map<int, std::vector<std::string>>> ladders;  // domain -> step -> keys
  // The zones the deployment, its markets and outlets name: a reference price elsewhere applies
  // nowhere (checked once a deployment is loaded).
  const v1::Deployment* deployment = catalog.FindDeployment();
  std::set<std::string> zones;
  if (deployment != nullptr) zones.insert(deployment->price_zones().begin(), deployment->price_zones().end());
  for (const auto& [key, e] : catalog.entities()) {
    if (e.has_market()) zones.insert(e.market().price_zones().begin(), e.market().price_zones().end());
    if (e.has_outlet()) zones.insert(e.outlet().price_zones().begin(), e.outlet().price_zones().end());
  }
  for (const auto& [key, e] : catalog.entities()) {
    switch (e.entity_case()) {
      case v1::ReferenceEntity::kMarket:
        if (catalog.FindKecamatan(e.market().kecamatan_code()) == nullptr) {
          missing(key, "kecamatan_code", e.market().kecamatan_code(), "a kecamatan (kecamatan.csv)");
        }
        break;
      case v1::ReferenceEntity::kOutlet:
        if (catalog.FindKecamatan(e.outlet().kecamatan_code()) == nullptr) {
          missing(key, "kecamatan_code", e.outlet().kecamatan_code(), "a kecamatan (kecamatan.csv)");
        }
        for (const auto& product : e.outlet().products()) {
          const v1::SubsidisedProduct* p = catalog.FindSubsidisedProduct(product);
          if (p == nullptr || p->outlet_kind() != e.outlet().kind()) {
            missing(key, "products", product,
                    StrCat("a subsidised product a ", OutletKindName(e.outlet().kind()),
                           " sells (subsidised_products.csv)"));
          }
        }
        break;
      case v1::ReferenceEntity::kReferencePrice:
        if (!IsProduct(catalog, e.reference_price().product_code())) {
          missing(key, "product_code", e.reference_price().product_code(),
                  "a commodity or subsidised product (commodities.csv, subsidised_products.csv)");
        }
        if (deployment != nullptr && !zones.count(e.reference_price().zone())) {
          missing(key, "zone", e.reference_price().zone(),
                  "a zone the deployment, a market or an outlet names (price_zones in deployment.csv, markets.csv, "
                  "outlets.csv)");
        }
        break;
      case v1::ReferenceEntity::kUttpInstrument: {
        const auto& u = e.uttp_instrument();
        if (catalog.FindUttpType(u.type_code()) == nullptr) {
          missing(key, "type_code", u.type_code(), "a UTTP type (uttp_types.csv)");
        }
        if (!u.market_code().empty() && catalog.FindMarket(u.market_code()) == nullptr) {
          missing(key, "market_code", u.market_code(), "a market (markets.csv)");
        }
        if (!u.kecamatan_code().empty() && catalog.FindKecamatan(u.kecamatan_code()) == nullptr) {
          missing(key, "kecamatan_code", u.kecamatan_code(), "a kecamatan (kecamatan.csv)");
        }
        break;
      }
      case v1::ReferenceEntity::kChecklist:
        for (const auto& item : e.checklist().items()) {
          if (!item.het_product_code().empty() && !IsProduct(catalog, item.het_product_code())) {
            missing(key, StrCat("item ", item.code(), ": het_product"), item.het_product_code(),
                    "a commodity or subsidised product (commodities.csv, subsidised_products.csv)");
          }
        }
        break;
      case v1::ReferenceEntity::kFollowUpAction:
        ladders[e.follow_up_action().domain()][e.follow_up_action().step()].push_back(key);
        break;
      case v1::ReferenceEntity::kIndicatorTarget:
        if (catalog.FindIndicator(e.indicator_target().indicator_number()) == nullptr) {
          missing(key, "no", StrCat(e.indicator_target().indicator_number()), "an indicator (indicators.csv)");
        }
        break;
      case v1::ReferenceEntity::kManualRealisation:
        if (catalog.FindIndicator(e.manual_realisation().indicator_number()) == nullptr) {
          missing(key, "no", StrCat(e.manual_realisation().indicator_number()), "an indicator (indicators.csv)");
        }
        break;
      default:
        break;
    }
  }
  for (const auto& [domain, steps] : ladders) {
    int expected = 1;
    for (const auto& [step, keys] : steps) {
      if (step != expected) {
        out.push_back(StrCat(where(keys.front()), ": step: the ", domain, " ladder has no step ", expected,
                             " before step ", step, " (steps are 1, 2, 3, ... each once)"));
      }
      for (size_t i = 1; i < keys.size(); ++i) {
        out.push_back(StrCat(where(keys[i]), ": step: the ", domain, " ladder has step ", step,
                             " twice (also ", where(keys.front()), ")"));
      }
      expected = step + 1;
    }
  }
  return out;
}

std::vector<std::string> NewIntegrityProblems(const ReferenceCatalog& before, const ReferenceCatalog& after,
                                              const std::function<std::string(const std::string& key)>& where) {
  auto by_key = [](const std::string& key) { return key; };
  const auto had = ReferenceIntegrityProblems(before, by_key);
  const std::multiset<std::string> known(had.begin(), had.end());
  const auto has = ReferenceIntegrityProblems(after, by_key);
  const auto told = ReferenceIntegrityProblems(after, where);  // the same problems, in the same order
  std::vector<std::string> out;
  for (size_t i = 0; i < has.size() && i < told.size(); ++i) {
    if (!known.count(has[i])) out.push_back(told[i]);
  }
  return out;
}

ReferencePlan PlanReferenceChange(const ReferenceCatalog& current, const std::vector<ReferenceFile>& files,
                                  Retire retire, const std::multimap<std::string, std::string>& kecamatan_in_use) {
  ReferencePlan plan;
  const auto& known = ReferenceFileNames();
  std::map<std::string, std::string> origin;  // key -> "markets.csv line 4"
  std::map<std::string, v1::ReferenceEntity> desired;
  std::map<std::string, std::string> file_of_key;
  std::set<std::string> present;
  // Files in load order, so a difference list reads kecamatan before markets.
  std::vector<const ReferenceFile*> ordered;
  for (const auto& name : known) {
    for (const auto& f : files) {
      if (f.name == name) ordered.push_back(&f);
    }
  }
  for (const auto& f : files) {
    if (std::find(known.begin(), known.end(), f.name) == known.end()) {
      plan.problems.push_back(StrCat(f.name, ": not a reference file (known: ", StrJoin(known, ", "), ")"));
    }
  }
  for (const ReferenceFile* f : ordered) {
    if (!present.insert(f->name).second) {
      plan.problems.push_back(StrCat(f->name, ": given twice"));
      continue;
    }
    auto contents = ParseReferenceCsv(f->name, f->text);
    if (!contents.ok()) {
      plan.problems.push_back(std::string(contents.status().message()));
      continue;
    }
    for (auto& e : contents->errors) plan.problems.push_back(std::move(e));
    for (size_t i = 0; i < contents->entities.size(); ++i) {
      auto key = ReferenceKey(contents->entities[i]);
      if (!key.ok()) continue;  // the parser's validation already refused it
      const std::string here = StrCat(f->name, " line ", contents->lines[i]);
      if (auto [it, inserted] = origin.emplace(*key, here); !inserted) {
        plan.problems.push_back(StrCat(here, ": ", *key, " again (first at ", it->second, ")"));
        continue;
      }
      desired.emplace(*key, std::move(contents->entities[i]));
      plan.entities++;
      file_of_key.emplace(*key, f->name);
    }
  }

  ReferenceCatalog after = current;
  std::map<std::string, std::vector<ReferenceDifference>> by_file;
  for (auto& [key, entity] : desired) {
    const auto it = current.entities().find(key);
    if (it != current.entities().end() && google::protobuf::util::MessageDifferencer::Equals(it->second, entity)) {
      continue;
    }
    by_file[file_of_key[key]].push_back(
        {file_of_key[key], key, it == current.entities().end() ? ReferenceDifferenceKind::kAdded : ReferenceDifferenceKind::kChanged});
    after.Upsert(entity);
    plan.upserts.push_back(entity);
  }
  if (retire == Retire::kMissingFromTheirFile) {
    for (const auto& [key, entity] : current.entities()) {
      const std::string file(ReferenceFileOf(entity));
      if (file.empty() || !present.count(file) || desired.count(key)) continue;
      by_file[file].push_back({file, key, ReferenceDifferenceKind::kRetired});
      plan.removals.push_back(entity);
      after.Remove(entity);
      if (entity.has_kecamatan()) {
        auto [from, to] = kecamatan_in_use.equal_range(entity.kecamatan().code());
        for (auto it = from; it != to; ++it) {
          plan.problems.push_back(StrCat(file, ": kecamatan ", entity.kecamatan().code(),
                                         " would be retired, but ", it->second, " names it; change that first"));
        }
      }
    }
  }
  for (const auto& name : known) {
    auto it = by_file.find(name);
    if (it == by_file.end()) continue;
    std::sort(it->second.begin(), it->second.end(),
              [](const ReferenceDifference& a, const ReferenceDifference& b) { return a.key < b.key; });
    for (auto& d : it->second) plan.differences.push_back(std::move(d));
  }

  auto placed = [&](const std::string& key) {
    auto it = origin.find(key);
    return it != origin.end() ? it->second : StrCat(key, " (in force)");
  };
  for (auto& problem : NewIntegrityProblems(current, after, placed)) plan.problems.push_back(std::move(problem));
  return plan;
}

}  // namespace pantau::common
