// The `pantau` command line: parses arguments and runs one command. Input typed at prompts (and
// `--input -`) is read from `in`; output goes to `out` (results) and `err` (progress, prompts,
// problems). Returns the process exit code: 0 done, 1 failed,
// 2 refused input. Never exits the process itself.
#pragma once

#include <iosfwd>

namespace pantau::client {

int RunCli(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace pantau::client
