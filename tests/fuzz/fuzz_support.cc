#include "tests/fuzz/fuzz_support.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/dates.h"
#include "common/reference_csv.h"

namespace pantau::fuzz {

const std::vector<v1::ReferenceEntity>& BundledEntities() {
  static const std::vector<v1::ReferenceEntity>* entities = [] {
    auto* out = new std::vector<v1::ReferenceEntity>();
    const std::string folder = std::string(PANTAU_SOURCE_DIR) + "/deploy/reference/";
    for (const auto& name : common::ReferenceFileNames()) {
      std::ifstream in(folder + name);
      if (!in) continue;
      std::stringstream text;
      text << in.rdbuf();
      auto parsed = common::ParseReferenceCsv(name, text.str());
      if (!parsed.ok() || !parsed->errors.empty()) {
        std::fprintf(stderr, "fuzz: %s does not load\n", name.c_str());
        std::abort();
      }
      out->insert(out->end(), parsed->entities.begin(), parsed->entities.end());
    }
    v1::ReferenceEntity device;
    device.mutable_device()->set_id("laptop-siti");
    device.mutable_device()->set_account_name("siti");
    out->push_back(device);
    return out;
  }();
  return *entities;
}

const common::ReferenceCatalog& BundledCatalog() {
  static const common::ReferenceCatalog* catalog = [] {
    auto* c = new common::ReferenceCatalog();
    for (const auto& e : BundledEntities()) c->Upsert(e);
    return c;
  }();
  return *catalog;
}

std::vector<v1::Record> SeedRecords(absl::Time now) {
  std::vector<v1::Record> out;
  auto base = [&](int n) {
    v1::Record r;
    r.set_id("01KB0000000000000000000" + std::to_string(100 + n));
    r.set_author("siti");
    r.set_device_id("laptop-siti");
    *r.mutable_created_at() = common::ToTimestamp(now);
    *r.mutable_observed_at() = common::ToTimestamp(now - absl::Minutes(5));
    return r;
  };
  {
    v1::Record r = base(1);
    auto* p = r.mutable_price_sample();
    p->set_market_code("pasar_marabahan");
    p->set_commodity_code("beras_medium");
    p->set_trader("Bu Ani");
    p->set_price_rupiah(13100);
    p->set_unit("kg");
    out.push_back(r);
  }
  {
    v1::Record r = base(2);
    auto* a = r.mutable_outlet_audit();
    a->set_outlet_code("pkl_contoh_marabahan_1");
    a->set_outlet_kind(v1::OUTLET_KIND_LPG_PANGKALAN);
    a->add_findings("harga_di_atas_het");
    out.push_back(r);
  }
  {
    v1::Record r = base(3);
    auto* f = r.mutable_follow_up();
    f->set_audit_record_id(out[1].id());
    f->set_finding_code("harga_di_atas_het");
    f->set_action_code("teguran_lisan");
    f->set_action_date(common::FormatLocalDate(absl::ToCivilDay(now, common::ZoneWithoutDeployment())));
    f->set_status(v1::FOLLOW_UP_STATUS_OPEN);
    out.push_back(r);
  }
  {
    v1::Record r = base(4);
    auto* u = r.mutable_uttp_verification();
    u->set_instrument_id("UTTP-CONTOH-0001");
    u->set_kind(v1::VERIFICATION_KIND_TERA_ULANG);
    u->set_accuracy_class("III");
    u->set_max_mg(30000000);
    u->set_min_mg(100000);
    u->set_e_mg(5000);
    u->set_d_mg(5000);
    for (int64_t load : {100000, 10000000, 30000000}) {
      auto* p = u->add_weighing_points();
      p->set_load_mg(load);
      p->set_indication_mg(load + 2500);
    }
    out.push_back(r);
  }
  {
    v1::Record r = base(5);
    auto* c = r.mutable_correction();
    c->set_target_id(out[0].id());
    c->set_reason("salah harga");
    *c->mutable_price_sample() = out[0].price_sample();
    c->mutable_price_sample()->set_price_rupiah(13200);
    out.push_back(r);
  }
  {
    v1::Record r = base(6);
    r.mutable_void_()->set_target_id(out[0].id());
    r.mutable_void_()->set_reason("salah pasar");
    out.push_back(r);
  }
  return out;
}

void MaybeWriteSeedsAndExit(const std::vector<std::string>& seeds) {
  const char* folder = std::getenv("PANTAU_FUZZ_WRITE_SEEDS");
  if (folder == nullptr) return;
  std::filesystem::create_directories(folder);
  for (size_t i = 0; i < seeds.size(); ++i) {
    std::ofstream(std::string(folder) + "/seed-" + std::to_string(i), std::ios::binary) << seeds[i];
  }
  std::exit(0);
}

}  // namespace pantau::fuzz
