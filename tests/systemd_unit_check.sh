#!/usr/bin/env bash
# Checks deploy/pantau-server.service with systemd-analyze (any complaint fails), with ExecStart
# pointed at the built binary; and that the check itself catches a broken unit.
# Usage: systemd_unit_check.sh SOURCE_DIR SERVER_BINARY
set -u
source_dir=$1
binary=$2
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze is not installed (Debian package systemd)"
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
verify() {
  local out
  out=$(systemd-analyze verify "$1" 2>&1)
  local rc=$?
  [ $rc -eq 0 ] && [ -z "$out" ] || { echo "$out"; return 1; }
}
sed "s@/usr/local/bin/pantau-server@$binary@" "$source_dir/deploy/pantau-server.service" >"$tmp/pantau-server.service"
grep -q "^ExecStart=$binary serve " "$tmp/pantau-server.service" || { echo "ExecStart does not run pantau-server serve"; exit 1; }
verify "$tmp/pantau-server.service" || { echo "deploy/pantau-server.service has problems (above)"; exit 1; }
mkdir -p "$tmp/bad"
sed 's/^Type=simple/Type=simpel/' "$tmp/pantau-server.service" >"$tmp/bad/pantau-server.service"
verify "$tmp/bad/pantau-server.service" >/dev/null && { echo "self-test: a broken unit was not caught"; exit 1; }
echo "systemd unit ok"
