// Text checks shared by the laptop and the server. Thread-safety: stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pantau::common {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values > U+10FFFF).
bool IsValidUtf8(std::string_view text);

// The first bidirectional override or isolate (U+202A..U+202E, U+2066..U+2069) in `text` (valid
// UTF-8), as "U+202E", or "" when there is none: such a character makes a list show something
// other than what is stored, so it may not be stored as free text.
std::string BidiControlIn(std::string_view text);

// The number of characters (code points) of UTF-8 `text`: its width in a terminal's columns for
// the scripts Pantau shows.
size_t Utf8Length(std::string_view text);

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

// Lower-case hex of bytes: "\x0f\xa0" -> "0fa0".
std::string HexText(std::string_view bytes);

}  // namespace pantau::common
