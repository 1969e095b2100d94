#!/usr/bin/env bash
# A private PostgreSQL cluster for the feed benchmark (scripts/private-pg.sh; bench-only settings below).
# Usage: bench/feed/db.sh start|migrate|stop|psql [args]   Env: PGPORT (54340), PGDATA (/tmp/iglive-feed-pg),
# BENCH_DB (iglive_bench: the database psql and migrate use; start always creates iglive_bench)
# Recipe on a fresh cluster: start, then migrate (the schema seed.sql fills), then psql -f bench/feed/seed.sql.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/scripts/private-pg.sh"
export PGPORT=${PGPORT:-54340} PGDATA=${PGDATA:-/tmp/iglive-feed-pg}
BENCH_DB=${BENCH_DB:-iglive_bench}
CS="Host=127.0.0.1;Port=$PGPORT;Database=$BENCH_DB;Username=iglive"
# Bench-only durability trade-offs (documented in docs/benchmarks.md); the rest is tuned for a 2-core box.
CONF="max_connections = 200
shared_buffers = 2GB
effective_cache_size = 8GB
work_mem = 16MB
maintenance_work_mem = 1GB
max_wal_size = 8GB
checkpoint_timeout = 30min
synchronous_commit = off
wal_level = minimal
max_wal_senders = 0
max_parallel_maintenance_workers = 2"
case "${1:-start}" in
  start)
    pg_private_init "$PGDATA" "$CONF"
    pg_private_start "$PGDATA" "$PGPORT" /tmp "$PGDATA/server.log"
    pg_private_createdb "$PGPORT" iglive_bench
    echo "$CS" ;;
  migrate)
    dotnet build "$ROOT/IgLive.Service.csproj" -c Release -nologo -clp:ErrorsOnly -o /tmp/iglive-feed-bin >/dev/null
    ConnectionStrings__Postgres="$CS" \
      dotnet /tmp/iglive-feed-bin/IgLive.Service.dll migrate ;;
  stop) pg_private_stop "$PGDATA" ;;
  psql) shift; exec "$PGBIN/psql" -h 127.0.0.1 -U iglive -d "$BENCH_DB" -v ON_ERROR_STOP=1 "$@" ;;
esac
