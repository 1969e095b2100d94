#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the feed benchmark (Debian's binaries; as root it runs as 'postgres').
# Usage: bench/feed/db.sh start|stop|psql [args]   Env: PGPORT (54340), PGDATA (/tmp/iglive-feed-pg)
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
export PGPORT=${PGPORT:-54340} PGDATA=${PGDATA:-/tmp/iglive-feed-pg}
AS=(); [ "$(id -u)" = 0 ] && AS=(runuser -u postgres --)
case "${1:-start}" in
  start)
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
      mkdir -p "$PGDATA"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA"
      "${AS[@]}" "$PGBIN/initdb" -D "$PGDATA" -U iglive --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      # Bench-only durability trade-offs (documented in docs/benchmarks.md); the rest is tuned for a 2-core box.
      cat >> "$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
max_connections = 200
shared_buffers = 2GB
effective_cache_size = 8GB
work_mem = 16MB
maintenance_work_mem = 1GB
max_wal_size = 8GB
checkpoint_timeout = 30min
synchronous_commit = off
wal_level = minimal
max_wal_senders = 0
max_parallel_maintenance_workers = 2
CONF
    fi
    "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w start >/dev/null
    "${AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -U iglive -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='iglive_bench'" | grep -q 1 \
      || "${AS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -U iglive iglive_bench
    echo "Host=127.0.0.1;Port=$PGPORT;Database=iglive_bench;Username=iglive" ;;
  stop) "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop ;;
  psql) shift; exec "$PGBIN/psql" -h 127.0.0.1 -U iglive -d iglive_bench "$@" ;;
esac
