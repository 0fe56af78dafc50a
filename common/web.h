// What Pantau's two web faces — the inspector's app (`pantau ui`) and the supervisor's dashboard
// (pantau-server's HTTP side) — share: the files built into a binary and the headers every page
// answer carries. Thread-safety: stateless.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pantau::common {

// One file built into a binary by cmake/embed_assets.cmake.
struct EmbeddedAsset {
  std::string_view path;          // "/app.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view bytes;
};

// The headers of every page answer: scripts, styles and connections only from this server, no
// framing, no MIME sniffing, nothing cached, and the referrer as `referrer_policy` says.
inline std::vector<std::pair<std::string, std::string>> PageSecurityHeaders(std::string_view referrer_policy) {
  return {{"Content-Security-Policy",
           "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"},
          {"X-Frame-Options", "DENY"},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", std::string(referrer_policy)},
          {"Cache-Control", "no-store"}};
}

}  // namespace pantau::common
