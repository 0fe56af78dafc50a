// Text checks shared by the laptop and the server. Thread-safety: stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pantau::common {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values > U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Why `text` (valid UTF-8) may not be stored as free text, or "" when it may: a NUL byte, or a
// bidirectional override or isolate (U+202A..U+202E, U+2066..U+2069) that makes a list show
// something other than what is stored.
std::string UnsafeTextReason(std::string_view text);

// At most `max_bytes` of `text`, cut at a character boundary so well-formed UTF-8 stays so.
std::string_view TruncateUtf8(std::string_view text, size_t max_bytes);

// Levenshtein distance in bytes.
size_t EditDistance(std::string_view a, std::string_view b);

// Up to `limit` of `known`, nearest to `wanted` first (ties in the order given); for "did you
// mean" hints after an unknown code.
std::vector<std::string> ClosestCodes(std::string_view wanted, const std::vector<std::string>& known,
                                      size_t limit = 3);

// `text` without leading and trailing ASCII white space.
std::string_view StripAsciiSpace(std::string_view text);

// `text` with ASCII letters in lower case (codes, units, search text).
std::string AsciiLower(std::string_view text);

}  // namespace pantau::common
