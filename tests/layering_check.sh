#!/usr/bin/env bash
# Fails when a layer includes what it must not (see the READMEs of the top-level folders).
# Usage: layering_check.sh ROOT        check the tree at ROOT
#        layering_check.sh --self-test prove the check catches a violation
set -u

check() {
  local root=$1 failed=0
  # rule: folder;forbidden include pattern (extended regex on the #include line);why
  local rules=(
    "common;#include [<\"](grpcpp/|grpc/|rocksdb/|boost/|server/|client/);common/ is pure domain logic"
    "common;#include <(fstream|iostream|filesystem|cstdio)>;common/ does no I/O (but common/report/xlsx.cc and common/reference_folder.cc, which read and write their own formats' files)"
    "server/service;#include [<\"](grpcpp/|rocksdb/|server/rpc/);services use no gRPC or RocksDB"
    "server/storage;#include [<\"](grpcpp/|server/service/|server/rpc/);storage knows no transport or services"
    "server/rpc;#include [<\"](rocksdb/|server/storage/);RPC adapters reach storage only through services"
    "server/http;#include [<\"](rocksdb/|grpcpp/|server/storage/|server/rpc/);the HTTP side reaches storage only through services, and no gRPC"
    "client;#include [<\"]server/;the laptop client does not use server code"
    "client/ui;#include [<\"](grpcpp/|rocksdb/|CLI/);the app reaches the outbox and the server only through the laptop layer (client/laptop.h), as the CLI does"
  )
  for rule in "${rules[@]}"; do
    IFS=';' read -r folder pattern why <<<"$rule"
    [ -d "$root/$folder" ] || continue
    local hits
    hits=$(grep -rEn --include='*.h' --include='*.cc' "$pattern" "$root/$folder" 2>/dev/null |
      grep -v '^[^:]*common/report/xlsx.cc:' | grep -v '^[^:]*common/reference_folder.cc:')
    if [ -n "$hits" ]; then
      echo "layering violation ($why):"
      echo "$hits"
      failed=1
    fi
  done
  # RocksDB headers appear in one place of the server only.
  local rocks
  rocks=$(grep -rlE --include='*.h' --include='*.cc' '#include [<"]rocksdb/' "$root/server" 2>/dev/null |
    grep -v 'server/storage/rocks_storage.cc$')
  if [ -n "$rocks" ]; then
    echo "layering violation (only server/storage/rocks_storage.cc may include RocksDB):"
    echo "$rocks"
    failed=1
  fi
  return $failed
}

if [ "${1:-}" = "--self-test" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/common" "$tmp/server/service"
  echo '#include "common/text.h"' >"$tmp/common/ok.cc"
  check "$tmp" >/dev/null || { echo "self-test: a clean tree was reported"; exit 1; }
  echo '#include <grpcpp/grpcpp.h>' >"$tmp/common/bad.cc"
  check "$tmp" >/dev/null && { echo "self-test: common/ including grpcpp was not caught"; exit 1; }
  rm "$tmp/common/bad.cc"
  echo '#include "rocksdb/db.h"' >"$tmp/server/service/bad.cc"
  check "$tmp" >/dev/null && { echo "self-test: service including rocksdb was not caught"; exit 1; }
  rm "$tmp/server/service/bad.cc"
  mkdir -p "$tmp/server/rpc" "$tmp/server/http"
  echo '#include "server/storage/storage.h"' >"$tmp/server/rpc/bad.cc"
  check "$tmp" >/dev/null && { echo "self-test: rpc including storage was not caught"; exit 1; }
  rm "$tmp/server/rpc/bad.cc"
  echo '#include "server/storage/storage.h"' >"$tmp/server/http/bad.cc"
  check "$tmp" >/dev/null && { echo "self-test: http including storage was not caught"; exit 1; }
  rm "$tmp/server/http/bad.cc"
  echo '#include <grpcpp/grpcpp.h>' >"$tmp/server/http/bad.cc"
  check "$tmp" >/dev/null && { echo "self-test: http including grpcpp was not caught"; exit 1; }
  echo "self-test passed"
  exit 0
fi

check "${1:?usage: layering_check.sh ROOT | --self-test}" && echo "layering ok"
