#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test with ctest. Exit code 0 = all passed.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/install-deps.sh
deploy/build.sh
build_dir=${PANTAU_BUILD_DIR:-build}
cd "$build_dir"
ctest -j "$(nproc)" --output-on-failure --timeout 900
