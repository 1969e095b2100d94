#!/usr/bin/env bash
# Comment post A/B in one sitting: POST /api/videos/{id}/comments (bench/feed/comment_post.lua, wrk 2 threads x 64
# connections) against two prebuilt binaries, alternating A B A B on one database (the /10 seed of bench/feed/seed.sql
# that like-ab.sh uses: 10,000 users, 100,000 videos, 1,000,000 likes), each run WARM s of warm-up then DUR s measured;
# then the same with synchronous_commit on for the service's sessions (the production default; the bench cluster's own
# setting is off). Nothing is built here: build first (with /work/wt/heavy), then run this under /work/wt/quiet.
#   BIN_A, BIN_B   folders holding IgLive.Service.dll (e.g. main's build and this tree's)
#   PGPORT         a private cluster (bench/feed/db.sh start with your PGPORT/PGDATA)
#   SEED_ONLY=1    create and seed the database, then stop (run it with heavy, outside the sitting)
#   RUNS (2), WARM (5), DUR (15), SYNC ("off on": the settings to measure)
#   EVENTS_CLIENT  a build of bench/events (EventsBench): then pgbench also runs each binary's comment statement
#                  (bench/events/render_comment_sql.py; 64 clients, PGBENCH_RUNS (2) x DUR s per setting of PGBENCH_SYNC (= SYNC)). B's batched
#                  after-commit NOTIFYs are not part of its pgbench statement.
# Output: bench/results/events/comment-ab-<time>.log
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18611}; PGPORT=${PGPORT:-18601}; DB=${DB:-iglive_commentab}
RUNS=${RUNS:-2}; WARM=${WARM:-5}; DUR=${DUR:-15}; SYNC=${SYNC:-off on}
SECRET=${SECRET:-$(head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 48)}
CS="Host=127.0.0.1;Port=$PGPORT;Database=$DB;Username=iglive"
PSQL="/usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p $PGPORT -U iglive"
OUT=bench/results/events; mkdir -p "$OUT" bench/results/feed
LOG="$OUT/comment-ab-$(date +%Y%m%dT%H%M%S).log"
log() { echo "[$(date +%T)] $*" | tee -a "$LOG"; }

APP=
start() { # binary-dir synchronous_commit
  ConnectionStrings__Postgres="$CS;Options=-c synchronous_commit=$2" Auth__JwtSecret="$SECRET" Auth__PublicBaseUrl="http://127.0.0.1:$PORT" \
    ASPNETCORE_URLS="http://127.0.0.1:$PORT" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    RateLimits__LikesPerMinute=0 RateLimits__CommentsPerMinute=0 RateLimits__UploadsPerHour=0 RateLimits__EventTicketsPerMinute=0 \
    Cleanup__SchedulerEnabled=false Media__Workers=0 Storage__LocalPath=/tmp/iglive-commentab-media \
    dotnet "$1/IgLive.Service.dll" > "$OUT/commentab-service.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 90); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && return; sleep 1; done
  echo "service did not start"; exit 1
}
stop() { kill "$APP"; wait "$APP" 2>/dev/null || true; }
trap 'kill $APP 2>/dev/null || true' EXIT

if [ "${SEED_ONLY:-}" = 1 ]; then
  $PSQL -d postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  start "$BIN_B" off; stop   # migrates (B's migrations are a superset of A's)
  sed -e 's/generate_series(1, 1000000)/generate_series(1, 100000)/; s/% 1000000)/% 100000)/g' \
      -e 's/generate_series(1, 100000) \(u\|n, seed_clock\)/generate_series(1, 10000) \1/g; s/(n % 100000) + 1/(n % 10000) + 1/g' \
      bench/feed/seed.sql | $PSQL -d $DB -q -v ON_ERROR_STOP=1 -f - > "$OUT/commentab-seed.log"
  $PSQL -d $DB -qc "TRUNCATE new_video_fanout" -c "VACUUM ANALYZE"
  log "seeded $DB: $($PSQL -d $DB -tAc "SELECT count(*) FROM videos") videos"
  exit 0
fi

python3 bench/feed/mint_tokens.py "$SECRET" 2000 "http://127.0.0.1:$PORT/auth/v1" > bench/results/feed/tokens.txt
log "A=$BIN_A B=$BIN_B db=$DB runs=$RUNS warm=${WARM}s dur=${DUR}s; load $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # label binary sync
  start "$2" "$3"
  wrk -t2 -c64 -d"${WARM}s" -s bench/feed/comment_post.lua "http://127.0.0.1:$PORT" > /dev/null
  log "$1 sync=$3: $(wrk -t2 -c64 -d"${DUR}s" --latency -s bench/feed/comment_post.lua "http://127.0.0.1:$PORT" | grep '^RESULT') load=$(cut -d' ' -f1 /proc/loadavg)"
  stop
}
for s in $SYNC; do
  for i in $(seq 1 "$RUNS"); do run "A run $i" "$BIN_A" "$s"; run "B run $i" "$BIN_B" "$s"; done
done
if [ -n "${EVENTS_CLIENT:-}" ]; then
  python3 bench/events/render_comment_sql.py "$BIN_A/IgLive.Service.dll" "$EVENTS_CLIENT" > "$OUT/pgbench_comment_A.sql"
  python3 bench/events/render_comment_sql.py "$BIN_B/IgLive.Service.dll" "$EVENTS_CLIENT" > "$OUT/pgbench_comment_B.sql"
  log "pgbench statements: A has $(grep -o 'pg_notify' "$OUT/pgbench_comment_A.sql" | wc -l) pg_notify calls, B $(grep -o 'pg_notify' "$OUT/pgbench_comment_B.sql" | wc -l)"
  PGBENCH="/usr/lib/postgresql/15/bin/pgbench -h 127.0.0.1 -p $PGPORT -U iglive -n -M prepared -j 2"
  for s in ${PGBENCH_SYNC:-$SYNC}; do
    for i in $(seq 1 "${PGBENCH_RUNS:-2}"); do
      for ab in A B; do
        out=$(PGOPTIONS="-c synchronous_commit=$s" $PGBENCH -f "$OUT/pgbench_comment_$ab.sql" -c 64 -T "$DUR" $DB 2>&1)
        log "pgbench $ab sync=$s run $i: tps=$(echo "$out" | grep -o 'tps = [0-9.]*' | grep -o '[0-9.]*$') latency_avg_ms=$(echo "$out" | grep -o 'latency average = [0-9.]*' | grep -o '[0-9.]*$') failed=$(echo "$out" | grep -o 'number of failed transactions: [0-9]*' | grep -o '[0-9]*$') load=$(cut -d' ' -f1 /proc/loadavg)"
      done
    done
  done
fi
log "exactness: $($PSQL -d $DB -tAc "SELECT count(*) FROM videos v LEFT JOIN (SELECT video_id, count(*) c FROM video_comments GROUP BY 1) c ON c.video_id = v.id WHERE v.comments_count <> COALESCE(c.c, 0)") videos with comments_count <> rows; comments: $($PSQL -d $DB -tAc "SELECT count(*) FROM video_comments")"
log "done: $LOG; load $(cut -d' ' -f1-3 /proc/loadavg)"
