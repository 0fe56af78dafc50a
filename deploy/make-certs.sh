#!/usr/bin/env bash
# Makes a local certificate authority and a server certificate signed by it, for Pantau's TLS:
#   deploy/make-certs.sh DIR [NAME_OR_IP]...
# DIR gets ca.pem and ca.key (keep ca.key offline), server.pem and server.key (for pantau-server
# serve --tls-cert DIR/server.pem --tls-key DIR/server.key). The server certificate names
# localhost and 127.0.0.1 plus every NAME_OR_IP given (the dinas server's host name or address).
# Laptops log in with --ca-file DIR/ca.pem. Keys are written readable by the owner only.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 DIR [NAME_OR_IP]..." >&2
  exit 2
fi
dir=$1
shift
mkdir -p "$dir"
umask 077
san="DNS:localhost,IP:127.0.0.1"
for name in "$@"; do
  if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then
    san="$san,IP:$name"
  else
    san="$san,DNS:$name"
  fi
done
openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=Pantau local CA" \
  -keyout "$dir/ca.key" -out "$dir/ca.pem" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:3072 -nodes -subj "/CN=pantau-server" -keyout "$dir/server.key" \
  -out "$dir/server.csr" 2>/dev/null
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' \
  "$san" >"$dir/server.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
  -days 825 -out "$dir/server.pem" -extfile "$dir/server.ext" 2>/dev/null
rm -f "$dir/server.csr" "$dir/server.ext" "$dir/ca.srl"
chmod 644 "$dir/ca.pem" "$dir/server.pem"
echo "make-certs: CA $dir/ca.pem, server certificate $dir/server.pem for $san"
