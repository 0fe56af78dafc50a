#!/usr/bin/env bash
# Runs Pantau on this machine: installs what is missing, builds, creates ./var/ with the bundled
# reference data and demo accounts (tokens in ./var/tokens/), and serves gRPC on 127.0.0.1 until
# Ctrl-C. Safe to run again: existing data and accounts are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/install-deps.sh
deploy/build.sh
build_dir=${PANTAU_BUILD_DIR:-build}
server="$build_dir/server/pantau-server"
var=var
data="$var/data"
listen=${PANTAU_GRPC_LISTEN:-127.0.0.1:50051}
mkdir -p "$var/tokens"
chmod 700 "$var/tokens"

"$server" import-reference --data-dir "$data" deploy/reference

# Demo accounts, one per role; a token file is written only when the account is new.
for account in admin:admin kabid:supervisor siti:inspector; do
  name=${account%%:*}
  role=${account##*:}
  if [ ! -f "$var/tokens/$name.token" ]; then
    "$server" accounts add --data-dir "$data" --name "$name" --role "$role" \
      --token-file "$var/tokens/$name.token"
  fi
done

cat <<MSG

Pantau is starting on $listen with data in $data.
Demo tokens (one file per account): $var/tokens/admin.token, kabid.token, siti.token
Stop with Ctrl-C; run this script again to start where you left off.

MSG
exec "$server" serve --data-dir "$data" --grpc-listen "$listen"
