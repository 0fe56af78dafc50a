// The files of the supervisor's dashboard (server/http/assets/), built into the binary by
// cmake/embed_assets.cmake. Thread-safety: immutable.
#pragma once

#include <vector>

#include "common/web.h"

namespace pantau::http::dashboard {

using Asset = common::EmbeddedAsset;

const std::vector<Asset>& Assets();

}  // namespace pantau::http::dashboard
