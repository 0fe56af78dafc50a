// `pantau-server serve` settings from a TOML file (deploy/pantau-server.toml.example); flags
// override. Parsing is pure. Thread-safety: stateless.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "server/running_server.h"

namespace pantau::server {

struct ServeConfig {
  std::string data_dir;
  ServerOptions server;
  std::string log_level = "info";  // debug, info, warn or error
};

// Applies the settings found in `toml_text` over `base`. INVALID_ARGUMENT naming the key for an
// unknown key, a wrong type or an out-of-range value, or the line of a syntax error.
absl::StatusOr<ServeConfig> ParseServeConfig(std::string_view toml_text, ServeConfig base);

}  // namespace pantau::server
