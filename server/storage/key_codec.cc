#include "server/storage/key_codec.h"

#include "common/ulid.h"

namespace pantau::storage {

std::string EncodeUint64(uint64_t value) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  return out;
}

std::optional<uint64_t> DecodeUint64(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return value;
}

std::string EncodeTimeMicros(absl::Time t) {
  const int64_t micros = absl::ToUnixMicros(t);
  return EncodeUint64(static_cast<uint64_t>(micros) ^ (uint64_t{1} << 63));
}

std::string IndexPrefix(common::IndexKind kind, std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  out.push_back(static_cast<char>(kind));
  out.append(value);
  out.push_back('\0');
  return out;
}

std::string IndexKey(common::IndexKind kind, std::string_view value, absl::Time observed,
                     std::string_view record_id) {
  std::string out = IndexPrefix(kind, value);
  out.append(EncodeTimeMicros(observed));
  out.append(record_id);
  return out;
}

std::string_view RecordIdOfIndexKey(std::string_view key) {
  if (key.size() < common::kUlidLength + 10) return {};
  return key.substr(key.size() - common::kUlidLength);
}

}  // namespace pantau::storage
