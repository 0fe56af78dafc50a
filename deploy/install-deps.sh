#!/usr/bin/env bash
# Installs the Debian 12 packages Pantau builds with, when any is missing. Needs root (or sudo).
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config ccache
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libboost-dev libssl-dev libsodium-dev
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libxlsxwriter-dev
  libgtest-dev libgmock-dev faketime python3-openpyxl
  clang libclang-rt-14-dev
  prometheus-cpp-dev libspdlog-dev prometheus systemd
  chromium chromium-driver python3-selenium fonts-dejavu-core libjs-chart.js
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
