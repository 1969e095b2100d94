#!/usr/bin/env bash
# Runs IgLive.Service on the embedded default: a private PostgreSQL cluster under ./data/pg (Debian's PostgreSQL
# binaries, installed with apt when missing) unless ConnectionStrings__Postgres is given, local storage under
# ./data/media, local auth. Applies migrations, prints the URLs. Ctrl-C stops the service and the cluster it started;
# running it again reuses the data.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
PORT="${PORT:-8080}"
PGPORT="${PGPORT:-54329}"
DATA="$ROOT/data"
log() { echo "[run.sh $(date +%T)] $*"; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

apt_install() {
  command -v apt-get >/dev/null || { log "please install: $*"; exit 1; }
  log "installing $* (apt)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

command -v dotnet >/dev/null || { log "the .NET 10 SDK is required (https://dot.net)"; exit 1; }
command -v ffmpeg >/dev/null || apt_install ffmpeg || log "ffmpeg unavailable: local videos get no thumbnails"

mkdir -p "$DATA/media"
PG_STARTED=""
if [ -z "${ConnectionStrings__Postgres:-}" ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
  source scripts/private-pg.sh
  PGDATA="$DATA/pg"
  # Only the cluster's files go to 'postgres': ./data and the service's key files in it stay root's (0600).
  if [ "$(id -u)" = 0 ]; then
    touch "$DATA/pg.log"; chown postgres:postgres "$DATA/pg.log"
    if [ -d "$PGDATA" ]; then chown -R postgres:postgres "$PGDATA"; fi
    chmod o+x "$ROOT" "$DATA"
  fi
  [ -s "$PGDATA/PG_VERSION" ] || log "creating a PostgreSQL cluster in $PGDATA"
  pg_private_init "$PGDATA"
  log "starting PostgreSQL on 127.0.0.1:$PGPORT"
  pg_private_start "$PGDATA" "$PGPORT" "$DATA/pg-run" "$DATA/pg.log"
  PG_STARTED=1
  pg_private_createdb "$PGPORT" iglive
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PGPORT;Database=iglive;Username=iglive"
fi

stop() {
  trap - INT TERM EXIT
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  if [ -n "$PG_STARTED" ]; then log "stopping PostgreSQL"; pg_private_stop "$PGDATA" || true; fi
}
trap stop INT TERM EXIT

log "building"
dotnet build IgLive.Service.csproj -c Release -nologo -clp:ErrorsOnly -o "$DATA/bin" >/dev/null
export ASPNETCORE_URLS="http://127.0.0.1:$PORT" Storage__LocalPath="${Storage__LocalPath:-$DATA/media}"
export Auth__PublicBaseUrl="${Auth__PublicBaseUrl:-http://127.0.0.1:$PORT}"
( cd "$ROOT" && exec dotnet "$DATA/bin/IgLive.Service.dll" --contentRoot "$ROOT" ) &
APP_PID=$!
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 "$APP_PID" 2>/dev/null || { log "the service exited"; exit 1; }
  sleep 1
done
log "IgLive.Service is up:"
log "  web client   http://127.0.0.1:$PORT/"
log "  API          http://127.0.0.1:$PORT/api/videos/feed"
log "  API docs     http://127.0.0.1:$PORT/docs   (OpenAPI: /openapi/v1.json)"
log "  health       http://127.0.0.1:$PORT/health/ready"
# Local mode's Supabase-compatible auth server: point supabase-js at the URL with the anon key (README).
if [ "${Auth__Mode:-Local}" = "Local" ]; then
  ANON_KEY="${Auth__AnonKey:-$(cat "$DATA/anon-key" 2>/dev/null || echo '?')}"
  SERVICE_ROLE_KEY="${Auth__ServiceRoleKey:-$(cat "$DATA/service-role-key" 2>/dev/null || echo '?')}"
  log "Supabase Auth (supabase-js): createClient('http://127.0.0.1:$PORT', anon key)"
  log "  auth         http://127.0.0.1:$PORT/auth/v1   (JWKS: /auth/v1/.well-known/jwks.json)"
  log "  anon key     $ANON_KEY"
  log "  service key  $SERVICE_ROLE_KEY   (secret: servers only)"
fi
log "Ctrl-C stops the service and its database."
wait "$APP_PID"
