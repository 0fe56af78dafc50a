#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + coverage) into
# ${PANTAU_FUZZ_BUILD_DIR:-build-fuzz} and runs each for PANTAU_FUZZ_SECONDS (default 30) from its
# seed corpus. A crash, a sanitizer finding or a failed check stops the run with the input saved
# in that folder (crash-*); rerun it with `build-fuzz/tests/fuzz/fuzz_NAME crash-...`.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/install-deps.sh
build_dir=${PANTAU_FUZZ_BUILD_DIR:-build-fuzz}
seconds=${PANTAU_FUZZ_SECONDS:-30}
if [ ! -f "$build_dir/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPANTAU_FUZZ=ON -DPANTAU_SANITIZE=address,undefined
fi
cmake --build "$build_dir" -j "$(nproc)" --target fuzz_targets
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for target in record_validation csv_import key_decoding push http_api; do
  binary="$build_dir/tests/fuzz/fuzz_$target"
  corpus="$build_dir/corpus/$target"
  mkdir -p "$corpus"
  PANTAU_FUZZ_WRITE_SEEDS="$corpus" "$binary"
  echo "fuzz: $target for ${seconds} s"
  (cd "$build_dir" && "$OLDPWD/$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 "$OLDPWD/$corpus" 2>&1 | tail -n 12)
done
echo "fuzz: every target ran ${seconds} s without a finding"
