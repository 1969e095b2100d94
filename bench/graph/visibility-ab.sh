#!/usr/bin/env bash
# The feed before and after the visibility predicate, one sitting, interleaved: two Release builds of the service on the
# seeded benchmark database (bench/feed/seed.sql), each measured with wrk (bench/feed/feed_auth.lua, 64 connections) and
# followed at once by pgbench -M prepared of its own SQL (16 clients, as bench/feed/run.sh): A = BEFORE_BIN with
# bench/graph/pgbench_feed_before.sql, B = AFTER_BIN with bench/feed/pgbench_feed.sql. Three rounds, order alternating.
# Usage: BEFORE_BIN=dir AFTER_BIN=dir PGPORT=18300 PGDATA=… bench/graph/visibility-ab.sh   (ports A_PORT/B_PORT: 18301/18302)
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR=${DUR:-15}; A_PORT=${A_PORT:-18301}; B_PORT=${B_PORT:-18302}
source bench/feed/service.sh
PGBENCH="/usr/lib/postgresql/15/bin/pgbench -h 127.0.0.1 -p ${PGPORT:-54340} -U iglive -n -M prepared -j 2"
LOG="$OUT/visibility-ab-$(date +%Y%m%dT%H%M%S).log"
log() { echo "[$(date +%T)] $*" | tee -a "$LOG"; }
python3 bench/feed/mint_tokens.py "$SECRET" 2000 "http://127.0.0.1:5080/auth/v1" > "$OUT/tokens.txt"
bench/feed/db.sh psql -tA -f bench/feed/cursors.sql > "$OUT/cursors.txt"
T0=$(bench/feed/db.sh psql -tAc "SELECT (max(created_at) + interval '1.3 seconds')::text FROM videos WHERE title = 'Video number 1'")

PA=$(start_service before "$A_PORT" "$BEFORE_BIN" "$CS0" "")
PB=$(start_service after "$B_PORT" "$AFTER_BIN" "$CS0" "")
trap 'kill $PA $PB 2>/dev/null || true' EXIT
wait_ready "$A_PORT" "$B_PORT"
log "services up: before=$PA after=$PB; load: $(cut -d' ' -f1-3 /proc/loadavg)"
http() { # variant port round
  local line; line=$(wrk -t2 -c64 -d"${DUR}s" --latency -s bench/feed/feed_auth.lua "http://127.0.0.1:$2" | grep '^RESULT')
  log "feed auth $1 round $3: $line load=$(cut -d' ' -f1 /proc/loadavg)"
}
pgb() { # variant sql round
  local out; out=$($PGBENCH -f "$2" -D t0="$T0" -c 16 -T "$DUR" iglive_bench 2>&1)
  log "pgbench $1 round $3: RESULT tps=$(echo "$out" | grep -o 'tps = [0-9.]*' | grep -o '[0-9.]*$') latency_avg_ms=$(echo "$out" | grep -o 'latency average = [0-9.]*' | grep -o '[0-9.]*$') load=$(cut -d' ' -f1 /proc/loadavg)"
}
A() { http before "$A_PORT" "$1"; pgb before bench/graph/pgbench_feed_before.sql "$1"; }
B() { http after "$B_PORT" "$1"; pgb after bench/feed/pgbench_feed.sql "$1"; }
for p in "$A_PORT" "$B_PORT"; do wrk -t2 -c64 -d"${WARMUP:-30}s" -s bench/feed/feed_auth.lua "http://127.0.0.1:$p" > /dev/null; done
A 1; B 1; B 2; A 2; A 3; B 3
log "done: $LOG"
