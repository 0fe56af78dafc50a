// The IKK indicators as pure functions over roll-up cells and reference data: the four computed
// from field records, manual realisations, targets and capaian. Exact: values are rationals,
// rounded (half up) only when formatted. Time never read here: periods are passed in.
// Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <optional>

#include "absl/numeric/int128.h"
#include <string>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"

#include "common/reference_catalog.h"
#include "common/rollups.h"

namespace pantau::common {

// A rational number (negative only for changes).
struct Ratio {
  int64_t numerator = 0;
  int64_t denominator = 1;
  bool operator==(const Ratio&) const = default;
};
Ratio Whole(int64_t n);
// numerator / denominator computed in 128 bits, with a positive denominator. When it does not fit
// 64 bits (or always, with kLowestTerms) it is reduced to lowest terms, and should it still not fit
// (no real figure comes near: record quantities have ceilings), both are halved until it does,
// keeping about 18 significant digits: it never wraps.
enum class Reduction { kWhenTooWide, kLowestTerms };
Ratio RatioOf(absl::int128 numerator, absl::int128 denominator,
              Reduction reduction = Reduction::kWhenTooWide);
Ratio Milli(int64_t thousandths);
// `decimals` places, rounded half away from zero: FormatRatio({215 * 100, 247}, 2) == "87.04",
// FormatRatio({-1, 8}, 2) == "-0.13".
std::string FormatRatio(Ratio r, int decimals);
// capaian = realisasi / target x 100; nullopt when the target is 0.
std::optional<Ratio> Capaian(Ratio realisasi, Ratio target);

using CellList = std::vector<std::pair<std::string, v1::RollupCell>>;

// Jumlah kebutuhan bahan pokok yang dimonitor: distinct commodities with at least one effective
// price sample among `price_cells` (the cells of the period).
int64_t BahanPokokMonitored(const CellList& price_cells);
// The same from the cell keys alone (a cell exists only while it holds a sample).
int64_t BahanPokokMonitoredFromKeys(const std::vector<std::string>& price_cell_keys);

// Jumlah barang / produk tertentu yang diawasi: distinct outlets audited among `audit_cells`, with
// the split by outlet kind ("lpg_pangkalan", "pupuk_kios"), by product (the subsidised products
// each outlet is registered to sell, outlets.csv `products`; "unknown" when it names none) and by
// kecamatan, from the outlet registry.
struct OutletsAudited {
  int64_t total = 0;
  std::map<std::string, int64_t> by_kind;
  std::map<std::string, int64_t> by_product;
  std::map<std::string, int64_t> by_kecamatan;
};
OutletsAudited CountOutletsAudited(const CellList& audit_cells, const ReferenceCatalog& catalog);
// The same from the cell keys alone (a cell exists only while it holds an audit).
OutletsAudited CountOutletsAuditedFromKeys(const std::vector<std::string>& audit_cell_keys,
                                           const ReferenceCatalog& catalog);

// Follow-up actions recorded (by action date) among `follow_up_cells`: the row-22 alternative
// count in its simplest form (CountViolationsFollowedUp gives the one the table uses).
int64_t FollowUpActions(const CellList& follow_up_cells);

// Jumlah pelanggaran barang bersubsidi (row 22) as the dinas's formula reads it: the violations
// (one finding of one audit) found by LPG 3 kg pangkalan and pupuk kios audits that were followed
// up by an action dated in the period, each counted once however many actions it had. `audit_of`
// gives the effective outlet audit of an id, or nothing when it is not stored, was voided, or is
// not an outlet audit (a UTTP verification): its follow-ups never count. An action naming no
// finding follows up every finding of its audit; a finding the (corrected) audit no longer has
// does not count. The breakdown is as FollowUpActionsBy's, in violations, plus "tindakan:ACTION"
// (actions by ladder step) and the total of actions in `actions`.
struct ViolationsFollowedUp {
  int64_t total = 0;    // violations
  int64_t actions = 0;  // actions on them (the documented alternative count)
  std::map<std::string, int64_t> by_kind;
  std::map<std::string, int64_t> by_product;
  std::map<std::string, int64_t> by_kecamatan;
  std::map<std::string, int64_t> actions_by_code;
};
ViolationsFollowedUp CountViolationsFollowedUp(
    const CellList& follow_up_cells, const ReferenceCatalog& catalog,
    const std::function<std::optional<v1::OutletAudit>(const std::string& audit_id)>& audit_of);

// Prosentase alat UTTP yang ditera/tera ulang.
enum class UttpDefinition {
  // Default: instruments of the year's registry with a tera or tera ulang in the year.
  kVerifiedInYear,
  // Instruments of the year's registry carrying a valid mark at the end of the period: a tera or
  // tera ulang judged sah, no batal after it, not older than the type's re-verification interval
  // (common/uttp_due.h MarkOn).
  kValidMark,
};
struct UttpCoverage {
  int64_t verified = 0;
  int64_t registry = 0;  // potensi: registered on or before 31 Dec, not retired before 1 Jan
  std::optional<Ratio> percent;
};
// For a whole year: `uttp_cells` are the UTTP cells of `year` (and, for kValidMark, of the years
// before it).
UttpCoverage UttpVerifiedPercent(const CellList& uttp_cells, const ReferenceCatalog& catalog,
                                 int year, UttpDefinition definition);
// For any period: kVerifiedInYear counts a tera or tera ulang on a day of the period; kValidMark
// looks at the period's last day. The potensi is that of the period's last year.
// `in_scope` (when given) limits the potensi, and so the instruments counted, to those it accepts
// (a supervisor limited to kecamatan).
UttpCoverage UttpVerifiedPercentIn(const CellList& uttp_cells, const ReferenceCatalog& catalog,
                                   absl::CivilDay first, absl::CivilDay last,
                                   UttpDefinition definition,
                                   const std::function<bool(const v1::UttpInstrument&)>& in_scope = nullptr);

// The realisation of a manual IKK row for `year`, or nullopt when none was entered: a value, or
// numerator x 100 / denominator when the row is a percentage.
std::optional<Ratio> ManualRealisationValue(const ReferenceCatalog& catalog, int indicator, int year);

}  // namespace pantau::common
