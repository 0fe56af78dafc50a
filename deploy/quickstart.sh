#!/usr/bin/env bash
# Runs Pantau on this machine: installs what is missing, builds, creates ./var/ with the bundled
# reference data and demo accounts (tokens in ./var/tokens/), and serves gRPC and HTTP on 127.0.0.1
# (daily backups into ./var/backups/) until Ctrl-C. Safe to run again: existing data and accounts are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/install-deps.sh
deploy/build.sh
build_dir=${PANTAU_BUILD_DIR:-build}
server="$build_dir/server/pantau-server"
var=var
data="$var/data"
listen=${PANTAU_GRPC_LISTEN:-127.0.0.1:50051}
http_listen=${PANTAU_HTTP_LISTEN:-127.0.0.1:8080}
mkdir -p "$var/tokens"
chmod 700 "$var/tokens"

"$server" import-reference --data-dir "$data" deploy/reference

# Demo accounts, one per role; a token file is written only when the account is new.
for account in admin:admin kabid:supervisor siti:inspector prometheus:monitor; do
  name=${account%%:*}
  role=${account##*:}
  if [ ! -f "$var/tokens/$name.token" ]; then
    "$server" accounts add --data-dir "$data" --name "$name" --role "$role" \
      --token-file "$var/tokens/$name.token"
  fi
done

# The demo supervisor's dashboard password: random, made once, kept beside the tokens (mode 0600).
if [ ! -f "$var/tokens/kabid.password" ]; then
  (umask 077; head -c 12 /dev/urandom | base64 | tr -d '/+=' >"$var/tokens/kabid.password")
  "$server" accounts password --data-dir "$data" kabid <"$var/tokens/kabid.password"
fi

rm -f "$var/server.port"
"$server" serve --data-dir "$data" --grpc-listen "$listen" --port-file "$var/server.port" \
  --http-listen "$http_listen" --backup-dir "$var/backups" --backup-every-hours 24 2>>"$var/server.log" &
server_pid=$!
trap 'kill -INT "$server_pid" 2>/dev/null; wait "$server_pid"; exit 0' INT TERM
for _ in $(seq 1 300); do
  [ -s "$var/server.port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "quickstart: the server did not start; see $var/server.log" >&2; tail -5 "$var/server.log" >&2; exit 1; }
  sleep 0.1
done

# An inspector's morning, once: siti records a market day at Pasar Marabahan on her laptop
# (three traders per commodity, typed and from a spreadsheet), syncs, and checks her status.
client="$build_dir/client/pantau"
laptop="$var/laptop-siti"
if [ ! -d "$laptop" ]; then
  echo
  echo "== An inspector's morning (demo account siti, laptop home $laptop) =="
  pantau() { echo "\$ pantau $*"; "$client" --home "$laptop" "$@"; }
  pantau login --server "$listen" --token-file "$var/tokens/siti.token" --description "demo laptop"
  pantau price add --market pasar_marabahan --commodity beras_medium --price 13100 --trader "Bu Ani"
  pantau price add --market pasar_marabahan --commodity beras_medium --price 13300 --trader "Pak Budi"
  pantau price add --market pasar_marabahan --commodity beras_medium --price 65000 --pack 5 kg --trader "Bu Ina"
  pantau price add --market pasar_marabahan --commodity minyakita --price 15700 --trader "Bu Ani"
  pantau price add --market pasar_marabahan --commodity minyakita --price 16000 --trader "Pak Budi"
  pantau price add --market pasar_marabahan --commodity minyakita --price 15800 --trader "Bu Ina"
  csv="$var/pasar-marabahan-pagi.csv"
  when=$(TZ=Asia/Makassar date -d '-1 hour' '+%Y-%m-%d %H:%M')
  {
    echo "market,commodity,trader,price_rupiah,observed_at"
    echo "pasar_marabahan,gula_konsumsi,Bu Ani,17500,$when"
    echo "pasar_marabahan,gula_konsumsi,Pak Budi,17800,$when"
    echo "pasar_marabahan,gula_konsumsi,Bu Ina,17600,$when"
    echo "pasar_marabahan,telur_itik,Bu Ani,3000,$when"
    echo "pasar_marabahan,telur_itik,Pak Budi,3200,$when"
    echo "pasar_marabahan,telur_itik,Bu Ina,3100,$when"
  } >"$csv"
  pantau import prices "$csv"
  pantau sync
  pantau status
  unset -f pantau
fi

cat <<MSG

Pantau is serving gRPC on $listen and HTTP on http://$http_listen, with data in $data
(backups daily into $var/backups; the server's log, one JSON object per line: $var/server.log).
Demo tokens (one file per account): $var/tokens/admin.token, kabid.token, siti.token, prometheus.token
The supervisor's dashboard: http://$http_listen/ — sign in as kabid with the password in $var/tokens/kabid.password
  curl http://$http_listen/readyz
  curl -H "Authorization: Bearer \$(cat $var/tokens/prometheus.token)" http://$http_listen/metrics
  curl -OJ -H "Authorization: Bearer \$(cat $var/tokens/kabid.token)" "http://$http_listen/api/v1/indicators.xlsx?period=$(date +%Y)"
The demo inspector's laptop: $client --home $laptop status
  and the inspector's app in the browser: $client --home $laptop ui   (docs/inspector-app.md)
Stop with Ctrl-C; run this script again to start where you left off.

MSG
wait "$server_pid"
