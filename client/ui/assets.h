// The files of the inspector's app (client/ui/assets/), built into the binary by
// cmake/embed_assets.cmake. Thread-safety: immutable.
#pragma once

#include <vector>

#include "common/web.h"

namespace pantau::client::ui {

using Asset = common::EmbeddedAsset;

const std::vector<Asset>& Assets();

}  // namespace pantau::client::ui
