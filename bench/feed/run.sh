#!/usr/bin/env bash
# The feed/likes/comments load run, one sitting: starts the service (Release) on the seeded benchmark database,
# runs wrk (64 connections, WARMUP s of warm-up (default 30), then three 15 s runs per scenario), interleaved with pgbench -M prepared
# on the same SQL (feed at 16 clients, like toggle at 64), then checks that likes_count equals the rows in video_likes for every video.
# Prerequisites: bench/feed/db.sh start; bench/feed/db.sh migrate; bench/feed/db.sh psql -f bench/feed/seed.sql; apt-get install -y wrk.
# Output: bench/results/feed/run-<time>.log with one RESULT line per run.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-5080}
SECRET=bench-secret-bench-secret-bench-secret-0123
# POOL (optional): the service's "Maximum Pool Size" (Npgsql default 100, so 64 wrk connections = 64 backends).
CS="Host=127.0.0.1;Port=${PGPORT:-54340};Database=iglive_bench;Username=iglive${POOL:+;Maximum Pool Size=$POOL}"
PGBENCH="/usr/lib/postgresql/15/bin/pgbench -h 127.0.0.1 -p ${PGPORT:-54340} -U iglive -n -M prepared -j 2"
OUT=bench/results/feed; mkdir -p "$OUT"
LOG="$OUT/run-$(date +%Y%m%dT%H%M%S).log"
log() { echo "[$(date +%T)] $*" | tee -a "$LOG"; }

dotnet build IgLive.Service.csproj -c Release -nologo -clp:ErrorsOnly -o /tmp/iglive-feed-bin >/dev/null
python3 bench/feed/mint_tokens.py "$SECRET" 2000 "http://127.0.0.1:$PORT/auth/v1" > "$OUT/tokens.txt"
bench/feed/db.sh psql -tA -f bench/feed/cursors.sql > "$OUT/cursors.txt"
T0=$(bench/feed/db.sh psql -tAc "SELECT (max(created_at) + interval '1.3 seconds')::text FROM videos WHERE title = 'Video number 1'")

ConnectionStrings__Postgres="$CS" Auth__JwtSecret="$SECRET" Auth__PublicBaseUrl="http://127.0.0.1:$PORT" \
  ASPNETCORE_URLS="http://127.0.0.1:$PORT" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  Cleanup__SchedulerEnabled=false Storage__LocalPath=/tmp/iglive-feed-media \
  dotnet /tmp/iglive-feed-bin/IgLive.Service.dll > "$OUT/service.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 1; done
log "service up (pid $APP, pool ${POOL:-default}); load: $(cut -d' ' -f1-3 /proc/loadavg)"

wrk_run() { # name script run
  local line; line=$(wrk -t2 -c64 -d15s --latency -s "bench/feed/$2" "http://127.0.0.1:$PORT" | grep '^RESULT')
  log "$1 run $3: $line load=$(cut -d' ' -f1 /proc/loadavg)"
}
pgb_run() { # name script clients run
  local out; out=$($PGBENCH -f "bench/feed/$2" -D t0="$T0" -c "$3" -T 15 iglive_bench 2>&1)
  log "pgbench $1 ($3 clients) run $4: RESULT tps=$(echo "$out" | grep -o 'tps = [0-9.]*' | grep -o '[0-9.]*$') latency_avg_ms=$(echo "$out" | grep -o 'latency average = [0-9.]*' | grep -o '[0-9.]*$') load=$(cut -d' ' -f1 /proc/loadavg)"
}
scenario() { # name script [pgbench-script clients]: warm-up, then three runs, each followed by its pgbench baseline
  # 30 s: tiered JIT and PGO keep recompiling the hot path for ~50 s of load after start (docs/benchmarks.md, third
  # round); each scenario exercises new code, so each gets its own warm-up.
  log "== $1: warm-up ${WARMUP:-30} s"
  wrk -t2 -c64 -d"${WARMUP:-30}s" -s "bench/feed/$2" "http://127.0.0.1:$PORT" > /dev/null
  if [ -n "${3:-}" ]; then $PGBENCH -f "bench/feed/$3" -D t0="$T0" -c "$4" -T 5 iglive_bench > /dev/null 2>&1; fi
  for i in 1 2 3; do
    wrk_run "$1" "$2" "$i"
    if [ -n "${3:-}" ]; then pgb_run "$1" "$3" "$4" "$i"; fi
  done
}

# The machine is shared: each HTTP run is followed at once by its pgbench baseline, so pairs see similar load.
scenario "feed anonymous" feed_anon.lua
scenario "feed authenticated" feed_auth.lua pgbench_feed.sql 16
scenario "video by id" video.lua
scenario "like toggle" like_toggle.lua pgbench_like.sql 64
scenario "comment post" comment_post.lua

log "exactness: videos whose likes_count differs from their rows in video_likes:"
bench/feed/db.sh psql -tA -c "SELECT count(*) FROM videos v LEFT JOIN (SELECT video_id, count(*) AS c FROM video_likes GROUP BY 1) l ON l.video_id = v.id WHERE v.likes_count <> COALESCE(l.c, 0)" | tee -a "$LOG"
bench/feed/db.sh psql -tA -c "SELECT count(*) FROM videos v LEFT JOIN (SELECT video_id, count(*) AS c FROM video_comments GROUP BY 1) l ON l.video_id = v.id WHERE v.comments_count <> COALESCE(l.c, 0)" | sed 's/^/comments_count mismatches: /' | tee -a "$LOG"
log "done: $LOG"
