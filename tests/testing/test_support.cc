#include "tests/testing/test_support.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/dates.h"
#include "common/ulid.h"

namespace pantau::testing {

TempDir::TempDir() {
  const char* base = getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/pantau-test-XXXXXX";
  char* made = mkdtemp(pattern.data());
  if (made == nullptr) abort();
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

absl::Time TestNow() {
  return absl::FromCivil(absl::CivilMinute(2026, 11, 24, 2, 0), absl::UTCTimeZone());
}

std::string TestUlid(uint64_t unix_ms, uint32_t n) {
  std::array<uint8_t, 10> random{};
  for (int i = 0; i < 4; ++i) random[9 - i] = static_cast<uint8_t>(n >> (8 * i));
  return common::FormatUlid(unix_ms, random);
}

std::vector<v1::ReferenceEntity> TestReferenceData() {
  std::vector<v1::ReferenceEntity> out;
  {
    auto* k = out.emplace_back().mutable_kecamatan();
    k->set_code("marabahan");
    k->set_name("Marabahan");
  }
  {
    auto* m = out.emplace_back().mutable_market();
    m->set_code("pasar_marabahan");
    m->set_name("Pasar Marabahan");
    m->set_kecamatan_code("marabahan");
  }
  {
    auto* c = out.emplace_back().mutable_commodity();
    c->set_code("beras_medium");
    c->set_name("Beras Medium");
    c->set_unit("kg");
    c->set_category("beras");
    c->set_plausible_min_rupiah(7000);
    c->set_plausible_max_rupiah(25000);
  }
  {
    auto* c = out.emplace_back().mutable_commodity();
    c->set_code("telur_itik");
    c->set_name("Telur Itik");
    c->set_unit("butir");
    c->set_category("telur");
  }
  {
    auto* o = out.emplace_back().mutable_outlet();
    o->set_code("pkl_1");
    o->set_name("Pangkalan 1");
    o->set_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
    o->set_kecamatan_code("marabahan");
  }
  {
    auto* t = out.emplace_back().mutable_uttp_type();
    t->set_code("timbangan_elektronik");
    t->set_name("Timbangan elektronik");
    t->set_category(v1::UTTP_CATEGORY_NAWI);
    t->set_reverification_interval_months(12);
  }
  {
    auto* u = out.emplace_back().mutable_uttp_instrument();
    u->set_id("UTTP-1");
    u->set_type_code("timbangan_elektronik");
  }
  {
    auto* d = out.emplace_back().mutable_device();
    d->set_id("laptop-siti");
    d->set_account_name("siti");
  }
  // Last, so the indexes of the entities above stay as tests know them.
  {
    auto* d = out.emplace_back().mutable_deployment();
    d->set_code("63.04");
    d->set_name("Kabupaten Barito Kuala");
    d->set_province("Kalimantan Selatan");
    for (const char* zone : {"2", "kalsel", "nasional"}) d->add_price_zones(zone);
    d->set_time_zone("WITA");
  }
  return out;
}

v1::ReferenceEntity BerasMediumHet() {
  v1::ReferenceEntity het;
  auto* p = het.mutable_reference_price();
  p->set_product_code("beras_medium");
  p->set_zone("2");
  p->set_kind(v1::REFERENCE_PRICE_KIND_HET);
  p->set_price_rupiah(13100);
  p->set_effective_from("2024-06-01");
  p->set_regulation("Perbadan 5/2024");
  return het;
}

v1::Record PriceRecord(const std::string& id, int64_t price_rupiah, absl::Time observed) {
  v1::Record r;
  r.set_id(id);
  r.set_author("siti");
  r.set_device_id("laptop-siti");
  *r.mutable_created_at() = common::ToTimestamp(observed);
  *r.mutable_observed_at() = common::ToTimestamp(observed);
  auto* p = r.mutable_price_sample();
  p->set_market_code("pasar_marabahan");
  p->set_commodity_code("beras_medium");
  p->set_trader("Bu Ani");
  p->set_price_rupiah(price_rupiah);
  p->set_unit("kg");
  return r;
}

std::vector<v1::Record> CalmThenAboveHetNovember2026() {
  auto at = [](int day, int64_t price) {
    return PriceRecord(TestUlid(9, static_cast<uint32_t>(day)), price,
                       absl::FromCivil(absl::CivilMinute(2026, 11, day, 9, 0), common::ZoneWithoutDeployment()));
  };
  std::vector<v1::Record> samples;
  for (int d = 2; d <= 8; ++d) samples.push_back(at(d, d % 2 == 0 ? 12000 : 12100));
  samples.push_back(at(10, 13300));
  samples.push_back(at(11, 13250));
  samples.push_back(at(12, 13000));
  return samples;
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(PANTAU_SOURCE_DIR) + "/tests/golden/" + name;
  if (std::getenv("PANTAU_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << actual;
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path << " is missing";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "differs from " << path;
}

}  // namespace pantau::testing
