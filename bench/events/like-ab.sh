#!/usr/bin/env bash
# Like path A/B in one sitting: the like toggle (bench/feed/like_toggle.lua, wrk 64 connections) against BASE (a
# build of another commit, default 5e6573c^1: main just before notifications were merged) and this tree, alternating A B A B A B on one database, each 15 s after a
# 20 s warm-up per binary; then pgbench of the old and the new statement (bench/feed/pgbench_like.sql and
# the statement this tree sends, rendered by bench/events/render_like_sql.py). A reduced seed (bench/feed/seed.sql / 10: 10,000 users, 100,000 videos,
# 1,000,000 likes) keeps the sitting short on the shared machine.
# pgbench also runs the new statement with its pg_notify calls removed; SYNC_COMMIT=on runs pgbench with
# synchronous_commit on (the cluster's bench setting is off). SEED_ONLY=1 stops after seeding; REUSE_DB=1 reuses a seeded database (each part then fits a short locked run).
# Prerequisites: a private PostgreSQL (PGPORT), wrk. Output: bench/results/events/like-ab-<time>.log
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18481}; PGPORT=${PGPORT:-54340}; BASE=${BASE:-5e6573c^1}; DB=iglive_likeab
SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 48)
CS="Host=127.0.0.1;Port=$PGPORT;Database=$DB;Username=iglive"
PSQL="/usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p $PGPORT -U iglive"
PGBENCH="/usr/lib/postgresql/15/bin/pgbench -h 127.0.0.1 -p $PGPORT -U iglive -n -M prepared -j 2"
OUT=bench/results/events; mkdir -p "$OUT" bench/results/feed
LOG="$OUT/like-ab-$(date +%Y%m%dT%H%M%S).log"
log() { echo "[$(date +%T)] $*" | tee -a "$LOG"; }

# The baseline's sources by git archive (no worktree: the repository's worktree list is shared).
rm -rf /tmp/iglive-likeab-base && mkdir -p /tmp/iglive-likeab-base && git archive "$BASE" | tar -x -C /tmp/iglive-likeab-base
dotnet build /tmp/iglive-likeab-base/IgLive.Service.csproj -c Release -nologo -clp:ErrorsOnly -o /tmp/iglive-likeab-A >/dev/null
dotnet build IgLive.Service.csproj -c Release -nologo -clp:ErrorsOnly -o /tmp/iglive-likeab-B >/dev/null
rm -rf /tmp/iglive-likeab-base
dotnet build bench/events/EventsBench.csproj -c Release -nologo -clp:ErrorsOnly -o /tmp/iglive-events-client >/dev/null

APP=
start() { # binary dir
  ConnectionStrings__Postgres="$CS" Auth__JwtSecret="$SECRET" Auth__PublicBaseUrl="http://127.0.0.1:$PORT" \
    ASPNETCORE_URLS="http://127.0.0.1:$PORT" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    RateLimits__LikesPerMinute=0 RateLimits__CommentsPerMinute=0 RateLimits__UploadsPerHour=0 RateLimits__EventTicketsPerMinute=0 \
    Cleanup__SchedulerEnabled=false Storage__LocalPath=/tmp/iglive-likeab-media dotnet "$1/IgLive.Service.dll" > "$OUT/likeab-service.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 90); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && return; sleep 1; done
  echo "service did not start"; exit 1
}
stop() { kill "$APP"; wait "$APP" 2>/dev/null || true; }
trap 'kill $APP 2>/dev/null || true' EXIT

if [ "${REUSE_DB:-}" = 1 ] && [ "$($PSQL -d $DB -tAc "SELECT count(*) FROM videos" 2>/dev/null)" = 100000 ]; then
  echo "reusing the seeded $DB" > "$OUT/likeab-seed.log"; echo "(reused)" >> "$OUT/likeab-seed.log"; echo >> "$OUT/likeab-seed.log"
  $PSQL -d $DB -qc "TRUNCATE notifications CASCADE"
else
  $PSQL -d postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  start /tmp/iglive-likeab-B; stop   # migrates (including this tree's migrations)
  sed -e 's/generate_series(1, 1000000)/generate_series(1, 100000)/; s/% 1000000)/% 100000)/g' \
      -e 's/generate_series(1, 100000) \(u\|n, seed_clock\)/generate_series(1, 10000) \1/g; s/(n % 100000) + 1/(n % 10000) + 1/g' \
      bench/feed/seed.sql | $PSQL -d $DB -q -v ON_ERROR_STOP=1 -f - > "$OUT/likeab-seed.log"
fi
[ "${SEED_ONLY:-}" = 1 ] && { log "seeded (SEED_ONLY): $(tail -3 "$OUT/likeab-seed.log" | head -1)"; exit 0; }
$PSQL -d $DB -qc "TRUNCATE new_video_fanout" 2>/dev/null || true
python3 bench/feed/mint_tokens.py "$SECRET" 2000 "http://127.0.0.1:$PORT/auth/v1" > bench/results/feed/tokens.txt
python3 bench/events/render_like_sql.py /tmp/iglive-likeab-B/IgLive.Service.dll /tmp/iglive-events-client/EventsBench > "$OUT/pgbench_like_notify.sql"
python3 bench/events/render_like_sql.py /tmp/iglive-likeab-B/IgLive.Service.dll /tmp/iglive-events-client/EventsBench no-notify > "$OUT/pgbench_like_no_notify.sql"
T0=$($PSQL -d $DB -tAc "SELECT (max(created_at) + interval '1.3 seconds')::text FROM videos WHERE title = 'Video number 1'")
log "seeded: $(tail -3 "$OUT/likeab-seed.log" | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"

run() { # label binary
  start "$2"
  wrk -t2 -c64 -d20s -s bench/feed/like_toggle.lua "http://127.0.0.1:$PORT" > /dev/null
  log "$1: $(wrk -t2 -c64 -d15s --latency -s bench/feed/like_toggle.lua "http://127.0.0.1:$PORT" | grep '^RESULT') load=$(cut -d' ' -f1 /proc/loadavg)"
  stop
}
for i in 1 2 3; do run "A ($BASE) run $i" /tmp/iglive-likeab-A; run "B (this tree) run $i" /tmp/iglive-likeab-B; done
for i in 1 2; do
  for f in bench/feed/pgbench_like.sql "$OUT/pgbench_like_no_notify.sql" "$OUT/pgbench_like_notify.sql"; do
    out=$(PGOPTIONS="-c synchronous_commit=${SYNC_COMMIT:-off}" $PGBENCH -f "$f" -D t0="$T0" -c 64 -T 15 $DB 2>&1)
    log "pgbench $(basename "$f") run $i: tps=$(echo "$out" | grep -o 'tps = [0-9.]*' | grep -o '[0-9.]*$') latency_avg_ms=$(echo "$out" | grep -o 'latency average = [0-9.]*' | grep -o '[0-9.]*$') load=$(cut -d' ' -f1 /proc/loadavg)"
  done
done
log "exactness: $($PSQL -d $DB -tAc "SELECT count(*) FROM videos v LEFT JOIN (SELECT video_id, count(*) c FROM video_likes GROUP BY 1) l ON l.video_id = v.id WHERE v.likes_count <> COALESCE(l.c, 0)") videos with likes_count <> rows; notifications: $($PSQL -d $DB -tAc "SELECT count(*) FROM notifications")"
log "done: $LOG"
