// The files of the supervisor's dashboard (server/http/assets/), built into the binary by
// cmake/embed_assets.cmake. Thread-safety: immutable.
#pragma once

#include <string_view>
#include <vector>

namespace pantau::http::dashboard {

struct Asset {
  std::string_view path;          // "/dasbor.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view bytes;
};

const std::vector<Asset>& Assets();

}  // namespace pantau::http::dashboard
