// The files of the inspector's app (client/ui/assets/), built into the binary by
// cmake/embed_assets.cmake. Thread-safety: immutable.
#pragma once

#include <string_view>
#include <vector>

namespace pantau::client::ui {

struct Asset {
  std::string_view path;          // "/app.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view bytes;
};

const std::vector<Asset>& Assets();

}  // namespace pantau::client::ui
