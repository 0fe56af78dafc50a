// The reference data as one in-memory view, built by applying ReferenceChanges in sequence order.
// The server keeps one (swapped whole on change), the laptop builds one from what it pulled; the
// validators read it. Pure: no I/O.
// Thread-safety: const methods may be called concurrently; Apply needs exclusive access.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "pantau/v1/reference.pb.h"

namespace pantau::common {

// The entity's type name: "kecamatan", "market", "commodity", "subsidised_product",
// "reference_price", "outlet", "uttp_type", "uttp_instrument", "indicator", "device",
// "indicator_target", "manual_realisation", "checklist", "follow_up_action", "deployment"; ""
// when unset.
std::string_view ReferenceTypeName(const v1::ReferenceEntity& entity);

// "lpg_pangkalan", "pupuk_kios", or "" for an unspecified kind.
std::string_view OutletKindName(v1::OutletKind kind);

// A key unique per entity: "<type>/<natural key>", e.g. "market/pasar_marabahan",
// "reference_price/beras_medium|2|HET|2024-05-01", "indicator/020". INVALID_ARGUMENT when the
// entity has no type or an empty natural key.
absl::StatusOr<std::string> ReferenceKey(const v1::ReferenceEntity& entity);

class ReferenceCatalog {
 public:
  // Upserts the change's entity (or removes it) and advances sequence(). Changes must come in
  // ascending sequence order; an entity without a valid key is ignored.
  void Apply(const v1::ReferenceChange& change);
  // Upserts `entity` without a sequence (used when loading a snapshot of current entities).
  void Upsert(const v1::ReferenceEntity& entity);
  // Removes the entity with `entity`'s key, without a sequence (planning a change).
  void Remove(const v1::ReferenceEntity& entity);

  uint64_t sequence() const { return sequence_; }
  size_t size() const { return entities_.size(); }

  const v1::Kecamatan* FindKecamatan(std::string_view code) const;
  const v1::Market* FindMarket(std::string_view code) const;
  const v1::Commodity* FindCommodity(std::string_view code) const;
  const v1::SubsidisedProduct* FindSubsidisedProduct(std::string_view code) const;
  const v1::Outlet* FindOutlet(std::string_view code) const;
  const v1::UttpType* FindUttpType(std::string_view code) const;
  const v1::UttpInstrument* FindUttpInstrument(std::string_view id) const;
  const v1::Device* FindDevice(std::string_view id) const;
  const v1::Indicator* FindIndicator(int number) const;
  const v1::IndicatorTarget* FindIndicatorTarget(int number, int year) const;
  const v1::ManualRealisation* FindManualRealisation(int number, int year) const;
  const v1::FollowUpAction* FindFollowUpAction(std::string_view code) const;
  // Who this deployment serves (deployment.csv); nullptr before one is loaded.
  const v1::Deployment* FindDeployment() const;
  // The deployment's time zone (its time_zone), or ZoneWithoutDeployment() when none is named.
  absl::TimeZone TimeZone() const;
  // The HET/HAP zones searched, in order, for a reference price at a market or an outlet: its own,
  // else the deployment's (none: no reference price applies).
  std::vector<std::string> PriceZonesOfMarket(std::string_view code) const;
  std::vector<std::string> PriceZonesOfOutlet(std::string_view code) const;
  // The checklist of `kind` with `version`, or the one in force on `day` (the latest
  // effective_from not after it); nullptr when there is none.
  const v1::Checklist* FindChecklist(v1::OutletKind kind, std::string_view version) const;
  const v1::Checklist* ChecklistInForce(v1::OutletKind kind, absl::CivilDay day) const;

  // Codes of all entities of `type` (a ReferenceTypeName), in key order.
  std::vector<std::string> Codes(std::string_view type) const;

  // The reference price of `kind` for `product_code` in `zone` in force on `day`: the entry with
  // the latest effective_from not after `day`. nullptr when none is in force.
  const v1::ReferencePrice* PriceInForce(std::string_view product_code, std::string_view zone,
                                         v1::ReferencePriceKind kind, absl::CivilDay day) const;
  // The reference price a price of `product_code` on `day` is compared with: the HET in force in
  // the first of `zones` (most specific first) that has one, else the HAP likewise; nullptr when
  // none is in force.
  const v1::ReferencePrice* ReferencePriceFor(std::string_view product_code, const std::vector<std::string>& zones,
                                              absl::CivilDay day) const;

  // ReferencePriceFor over time: the days it changes, each with what is in force from that day
  // until the next (nullptr: none), ascending. Before the first entry, none is in force. For
  // asking about many days of one product and zones at once.
  struct ReferenceChange {
    absl::CivilDay from;
    const v1::ReferencePrice* price = nullptr;
  };
  std::vector<ReferenceChange> ReferencePriceTimeline(std::string_view product_code,
                                                      const std::vector<std::string>& zones) const;

  // Every entity, in key order.
  const std::map<std::string, v1::ReferenceEntity, std::less<>>& entities() const {
    return entities_;
  }

 private:
  const v1::ReferenceEntity* Find(std::string_view type, std::string_view code) const;

  std::map<std::string, v1::ReferenceEntity, std::less<>> entities_;
  uint64_t sequence_ = 0;
};

}  // namespace pantau::common
