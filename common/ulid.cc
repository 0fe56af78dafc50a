#include "common/ulid.h"

namespace pantau::common {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int DecodeChar(char c) {
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

}  // namespace

std::string FormatUlid(uint64_t unix_ms, const std::array<uint8_t, 10>& random) {
  std::string out(kUlidLength, '0');
  for (int i = 9; i >= 0; --i) {
    out[i] = kAlphabet[unix_ms & 31];
    unix_ms >>= 5;
  }
  // 80 random bits as 16 characters of 5 bits, most significant first.
  int bit = 0;
  for (int i = 0; i < 16; ++i) {
    int value = 0;
    for (int b = 0; b < 5; ++b, ++bit) {
      int byte = random[bit / 8];
      value = (value << 1) | ((byte >> (7 - bit % 8)) & 1);
    }
    out[10 + i] = kAlphabet[value];
  }
  return out;
}

bool IsValidUlid(std::string_view text) {
  if (text.size() != kUlidLength) return false;
  if (text[0] < '0' || text[0] > '7') return false;
  for (char c : text) {
    if (DecodeChar(c) < 0) return false;
  }
  return true;
}

uint64_t UlidUnixMs(std::string_view text) {
  uint64_t ms = 0;
  for (int i = 0; i < 10; ++i) ms = (ms << 5) | static_cast<uint64_t>(DecodeChar(text[i]));
  return ms;
}

}  // namespace pantau::common
