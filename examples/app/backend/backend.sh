#!/bin/sh
# The example backend (busybox sh): `serve` answers HTTP on $PORT, /health once the schema is migrated; `work` is
# the worker (same image, another command); `migrate` is the migration command run after `up`.
set -eu
data=/data
case "${1:-serve}" in
  serve)
    # The application's settings (APP_ENV on the server, .env) must have reached the service; never print them.
    if [ -z "${MAILJET_API_KEY:-}" ] || [ -z "${GRAFANA_ALERT_RECIPIENTS:-}" ]; then
      echo "backend: MAILJET_API_KEY or GRAFANA_ALERT_RECIPIENTS is not set (the .env from APP_ENV)" >&2
      exit 1
    fi
    [ -f "$data/certs/app.crt" ] || { echo "backend: no certificate from the init container" >&2; exit 1; }
    # /health appears once the migration has brought the schema to this version.
    (
      while :; do
        if [ "$(cat "$data/schema" 2>/dev/null)" = "$SCHEMA_VERSION" ]; then
          echo ok >/srv/www/health
        else
          rm -f /srv/www/health
        fi
        sleep 1
      done
    ) &
    echo "backend: serving on ${PORT:?} (schema $SCHEMA_VERSION)"
    exec httpd -f -p "127.0.0.1:$PORT" -h /srv/www
    ;;
  work)
    echo "worker: started"
    while :; do
      date +%s >"$data/worker-heartbeat"
      sleep 2
    done
    ;;
  migrate)
    echo "migrate: schema $(cat "$data/schema" 2>/dev/null || echo none) -> $SCHEMA_VERSION"
    echo "$SCHEMA_VERSION" >"$data/schema"
    ;;
  *)
    echo "backend: unknown command '$1' (serve, work, migrate)" >&2
    exit 2
    ;;
esac
