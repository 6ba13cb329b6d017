#!/bin/sh
# One-shot: a stand-in certificate in the shared volume, made once and kept.
set -eu
mkdir -p /data/certs
if [ -f /data/certs/app.crt ]; then
  echo "init: certificate present"
else
  echo "example certificate made $(date -u +%Y-%m-%dT%H:%M:%SZ)" >/data/certs/app.crt
  echo "init: certificate made"
fi
