// Decoding of stored keys on any bytes — big-endian counters, index keys, roll-up cell keys —
// and the round trip of encoding: what is encoded decodes back to itself.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "common/rollups.h"
#include "common/ulid.h"
#include "server/storage/key_codec.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using namespace pantau;
  pantau::fuzz::MaybeWriteSeedsAndExit(
      {storage::EncodeUint64(42),
       storage::IndexKey(common::IndexKind::kTime, "", absl::FromUnixSeconds(1764000000), "01KB00000000000000000000AB"),
       storage::IndexKey(common::IndexKind::kOutlet, "pkl_contoh_marabahan_1", absl::FromUnixSeconds(1),
                         "01KB00000000000000000000CD"),
       common::DayKey(common::RollupFamily::kPrice, absl::CivilDay(2026, 11, 24)) + "beras_medium" +
           std::string(1, '\0') + "pasar_marabahan"});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pantau;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto v = storage::DecodeUint64(bytes)) {
    if (storage::EncodeUint64(*v) != bytes) std::abort();
  }
  (void)storage::RecordIdOfIndexKey(bytes);
  (void)common::ParseCellKey(bytes);
  // Round trip: split the input into a value (no NUL) and an id, and encode them.
  if (size >= 9) {
    int64_t micros = 0;
    std::memcpy(&micros, data, sizeof micros);
    micros %= int64_t{253402300799} * 1000000;  // within the years a Timestamp allows
    const std::string_view rest = bytes.substr(8);
    const size_t cut = rest.size() / 2;
    std::string value(rest.substr(0, cut));
    std::erase(value, '\0');
    // Stored ids are ULIDs: 26 bytes (validation refuses any other), whatever their bytes.
    std::string id(rest.substr(cut));
    id.resize(common::kUlidLength, '0');
    static constexpr common::IndexKind kKinds[] = {
        common::IndexKind::kTime,   common::IndexKind::kMarket, common::IndexKind::kCommodity,
        common::IndexKind::kOutlet, common::IndexKind::kDevice, common::IndexKind::kInstrument,
        common::IndexKind::kTarget};
    const common::IndexKind kind = kKinds[data[8] % 7];
    const std::string key = storage::IndexKey(kind, value, absl::FromUnixMicros(micros), id);
    if (key.rfind(storage::IndexPrefix(kind, value), 0) != 0) std::abort();
    if (storage::RecordIdOfIndexKey(key) != id) std::abort();
  }
  return 0;
}
