// Reading a new password from a person: the one piece of terminal handling the client (`pantau
// admin password`) and the server's tool (`pantau-server accounts ... --password-prompt`) share.
// A password is never taken from the command line, where `ps` and the shell's history would see it.
// Thread-safety: not thread-safe (changes the terminal's echo).
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace pantau::common {

// On a terminal (`terminal`: standard input is one), asks twice without echo ("Password for
// ACCOUNT: ", "Again: ") on `err` and refuses two different answers; otherwise reads the first line
// of `in` (a script's pipe), without its line end. INVALID_ARGUMENT when nothing is given.
absl::StatusOr<std::string> ReadNewPassword(std::string_view account, std::istream& in, std::ostream& err,
                                            bool terminal);

// Whether standard input is a terminal.
bool StdinIsTerminal();

}  // namespace pantau::common
