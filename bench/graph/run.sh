#!/usr/bin/env bash
# The social graph benchmarks, one sitting, interleaved: the following feed for a typical user and for the user who
# follows 2,000 accounts (wrk GET /api/videos/following, 64 connections, each run followed at once by pgbench
# -M prepared of the same SQL at 64 clients), and the follow toggle (PUT/DELETE /api/users/{u}/follow against
# pgbench of PairStatement.LockPair + FollowUserSql.Follow/Unfollow in one pipelined transaction, 64 clients: the
# statements as the build composes them, notification rows included, pgbench_follow.sql rendered by render_follow_sql.py).
# Then checks that every followers_count/following_count equals its rows.
# Prerequisites: bench/feed/db.sh start; bench/feed/seed.sql; the service's migrations (dotnet IgLive.Service.dll
# migrate, with Command Timeout=0 on a large database); bench/graph/seed.sql. Wrap it in `flock /work/wt/bench.lock`.
# Env: BIN (a Release build; built into /tmp/iglive-graph-bin when unset), PGPORT, PORT (18310), DUR (15), WARMUP (20),
# SCENARIOS (a subset of "typical 2000 toggle", the default: all three), BARE (1: each toggle round also runs pgbench of
# pgbench_follow_bare.sql, the old hand copy without notification rows, right after the rendered one, for reference).
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18310}; DUR=${DUR:-15}
source bench/feed/service.sh
if [ -z "${BIN:-}" ]; then
  BIN=/tmp/iglive-graph-bin
  dotnet build IgLive.Service.csproj -c Release -nologo -clp:ErrorsOnly -o "$BIN" >/dev/null
fi
PGBENCH="/usr/lib/postgresql/15/bin/pgbench -h 127.0.0.1 -p ${PGPORT:-54340} -U iglive -n -M prepared -j 2"
LOG="$OUT/graph-$(date +%Y%m%dT%H%M%S).log"
log() { echo "[$(date +%T)] $*" | tee -a "$LOG"; }
python3 bench/feed/mint_tokens.py "$SECRET" 2000 "http://127.0.0.1:5080/auth/v1" > "$OUT/tokens.txt"
bench/feed/db.sh psql -tA -f bench/feed/cursors.sql > "$OUT/cursors.txt"
T0=$(bench/feed/db.sh psql -tAc "SELECT (max(created_at) + interval '1.3 seconds')::text FROM videos WHERE title = 'Video number 1'")
APP=$(start_service graph "$PORT" "$BIN" "$CS0" "")
trap 'kill $APP 2>/dev/null || true' EXIT
wait_ready "$PORT"
log "uptime: $(uptime)"
log "service up (pid $APP); load: $(cut -d' ' -f1-3 /proc/loadavg)"
http() { # name script round
  local line; line=$(wrk -t2 -c64 -d"${DUR}s" --latency -s "bench/graph/$2" "http://127.0.0.1:$PORT" | grep '^RESULT')
  log "$1 round $3: $line load=$(cut -d' ' -f1 /proc/loadavg)"
}
pgb() { # name script round [-D ...]
  local name=$1 script=$2 round=$3; shift 3
  local out; out=$($PGBENCH -f "bench/graph/$script" -D t0="$T0" "$@" -c 64 -T "$DUR" iglive_bench 2>&1)
  log "pgbench $name round $round: RESULT tps=$(echo "$out" | grep -o 'tps = [0-9.]*' | grep -o '[0-9.]*$') latency_avg_ms=$(echo "$out" | grep -o 'latency average = [0-9.]*' | grep -o '[0-9.]*$') load=$(cut -d' ' -f1 /proc/loadavg)"
}
scenario() { # name wrk-script pgbench-script [pgbench -D ...]
  local name=$1 w=$2 p=$3; shift 3
  log "== $name: warm-up ${WARMUP:-20} s"
  wrk -t2 -c64 -d"${WARMUP:-20}s" -s "bench/graph/$w" "http://127.0.0.1:$PORT" > /dev/null
  for i in 1 2 3; do
    http "$name" "$w" "$i"; pgb "$name" "$p" "$i" "$@"
    if [[ $p == pgbench_follow.sql && -n ${BARE:-} ]]; then pgb "$name bare" pgbench_follow_bare.sql "$i"; fi
  done
}
SCENARIOS=" ${SCENARIOS:-typical 2000 toggle} "
[[ $SCENARIOS == *" typical "* ]] && scenario "following typical" following_typical.lua pgbench_following.sql -D ulo=21 -D uhi=2000
[[ $SCENARIOS == *" 2000 "* ]] && scenario "following 2000" following_2000.lua pgbench_following.sql -D ulo=1999 -D uhi=1999
[[ $SCENARIOS == *" toggle "* ]] && scenario "follow toggle" follow_toggle.lua pgbench_follow.sql
[[ $SCENARIOS == *" toggle "* ]] && log "counter mismatches (followers, following):" &&
bench/feed/db.sh psql -tA -c "SELECT (SELECT count(*) FROM profiles p WHERE followers_count <> (SELECT count(*) FROM user_follows f WHERE f.followee_id = p.id)), (SELECT count(*) FROM profiles p WHERE following_count <> (SELECT count(*) FROM user_follows f WHERE f.follower_id = p.id))" | tee -a "$LOG"
log "uptime: $(uptime)"
log "done: $LOG"
