#!/usr/bin/env bash
# Builds the whole test suite with AddressSanitizer and UndefinedBehaviorSanitizer (g++) into
# ${PANTAU_ASAN_BUILD_DIR:-build-asan} and runs every test there. Any finding fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/install-deps.sh
build_dir=${PANTAU_ASAN_BUILD_DIR:-build-asan}
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
    -DPANTAU_SANITIZE=address,undefined -DPANTAU_BUILD_BENCH=OFF
fi
cmake --build "$build_dir" -j "$(nproc)"
# verify_asan_link_order=0: the clock-skew test runs the client under faketime, whose LD_PRELOAD
# library loads before the ASan runtime.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:verify_asan_link_order=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# The large-backlog test with 10 000 records instead of 100 000: every step is several times slower.
export PANTAU_TEST_BACKLOG=${PANTAU_TEST_BACKLOG:-10000}
cd "$build_dir"
ctest -j "$(nproc)" --output-on-failure --timeout 1800
