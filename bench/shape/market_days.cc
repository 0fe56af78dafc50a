#include "bench/shape/market_days.h"

#include <array>
#include <string>

#include "common/dates.h"
#include "common/ulid.h"

namespace pantau::bench {
namespace {

struct Item {
  const char* code;
  const char* unit;
  int64_t price;
};
const Item kItems[] = {
    {"beras_premium", "kg", 15000},         {"beras_medium", "kg", 13000},
    {"beras_sphp", "kg", 12500},            {"kedelai_impor", "kg", 12000},
    {"bawang_merah", "kg", 38000},          {"bawang_putih_bonggol", "kg", 40000},
    {"cabai_merah_keriting", "kg", 45000},  {"cabai_merah_besar", "kg", 45000},
    {"cabai_rawit_merah", "kg", 55000},     {"cabe_hiyung", "kg", 90000},
    {"daging_sapi_murni", "kg", 140000},    {"daging_ayam_ras", "kg", 40000},
    {"telur_ayam_ras", "kg", 30000},        {"telur_itik", "butir", 3000},
    {"gula_konsumsi", "kg", 17500},         {"tepung_terigu_curah", "kg", 11000},
    {"tepung_terigu_kemasan", "kg", 13000}, {"minyak_goreng_kemasan", "liter", 20000},
    {"minyak_goreng_curah", "liter", 17000}, {"minyakita", "liter", 15700},
    {"ikan_kembung", "kg", 40000},          {"ikan_tongkol", "kg", 35000},
    {"ikan_bandeng", "kg", 35000},          {"ikan_peda", "kg", 50000},
    {"ikan_kering_sepat", "kg", 90000},     {"garam_konsumsi", "kg", 10000},
    {"kacang_hijau", "kg", 20000},          {"kentang", "kg", 18000},
    {"kubis", "kg", 10000},                 {"wortel", "kg", 15000},
    {"tomat", "kg", 12000}};
const char* const kMarkets[] = {"pasar_marabahan", "pasar_handil_bakti", "pasar_anjir_pasar",
                                "pasar_tamban", "pasar_wanaraya"};
constexpr size_t kItemCount = sizeof(kItems) / sizeof(kItems[0]);
constexpr size_t kMarketCount = sizeof(kMarkets) / sizeof(kMarkets[0]);

}  // namespace

size_t PerDay() { return kMarketCount * kItemCount * 3; }

v1::Record MarketDayRecord(size_t i, absl::Time end) {
  const size_t day = i / PerDay(), k = i % PerDay();
  const Item& item = kItems[(k / 3) % kItemCount];
  std::array<uint8_t, 10> random{};
  for (int b = 0; b < 8; ++b) random[9 - b] = static_cast<uint8_t>(i >> (8 * b));
  const absl::Time observed = end - absl::Hours(24 * static_cast<int64_t>(day)) -
                              absl::Minutes(static_cast<int64_t>(k % 600));
  v1::Record r;
  r.set_id(common::FormatUlid(static_cast<uint64_t>(absl::ToUnixMillis(observed)), random));
  r.set_author("bench");
  r.set_device_id("bench-laptop");
  *r.mutable_created_at() = common::ToTimestamp(observed);
  *r.mutable_observed_at() = r.created_at();
  auto* p = r.mutable_price_sample();
  p->set_market_code(kMarkets[k / (3 * kItemCount)]);
  p->set_commodity_code(item.code);
  p->set_trader("Pedagang " + std::to_string(k % 3 + 1));
  p->set_unit(item.unit);
  p->set_price_rupiah(item.price + static_cast<int64_t>((i * 37) % 500));
  return r;
}

}  // namespace pantau::bench
