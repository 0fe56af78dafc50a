// The `pantau` command line: parses arguments and runs one command. Output goes to `out`
// (results) and `err` (progress, problems). Returns the process exit code: 0 done, 1 failed,
// 2 refused input. Never exits the process itself.
#pragma once

#include <iosfwd>

namespace pantau::client {

int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace pantau::client
