#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test with ctest; then the same tests built with
# AddressSanitizer and UndefinedBehaviorSanitizer (deploy/sanitize.sh), then each libFuzzer
# target for a bounded time (deploy/fuzz.sh). Exit code 0 = all passed.
#   deploy/test.sh --quick   only the first stage (while iterating)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
if [ "${1:-}" = "--quick" ]; then
  quick=1
fi
deploy/install-deps.sh
deploy/build.sh
build_dir=${PANTAU_BUILD_DIR:-build}
(cd "$build_dir" && ctest -j "$(nproc)" --output-on-failure --timeout 900)
if [ "$quick" -eq 1 ]; then
  exit 0
fi
echo "test: the suite again under AddressSanitizer and UndefinedBehaviorSanitizer"
deploy/sanitize.sh
echo "test: fuzzing"
deploy/fuzz.sh
