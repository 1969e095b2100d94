#!/usr/bin/env bash
# The Discovery load run, one sitting, on the database bench/discovery/seed.sh built: applies the migrations, runs the
# trending job's statements twice (timed: the one-time fold of the seed's window, then a steady-state run after the
# activity of one 30 s period), writes EXPLAIN (ANALYZE, BUFFERS) of every statement (explain.sql), starts the service
# (Release; the trending job off so it does not run during the measurements), then for each scenario a warm-up and
# three 15 s wrk runs at 64 connections, each followed at once by pgbench -M prepared of the same SQL (16 clients), so
# each pair sees the same load from the other work on the box. Search: one word generic, several words custom, on both sides
# (the endpoint prefixes each statement with its plan mode, PlanCacheMode; the pgbench copy sends the same prefix in one pipeline).
# Output: bench/results/discovery/run-<time>[-LABEL].log with one RESULT line per run. Env: PGPORT (18401), PORT (18410),
# BENCH_DB (or DB; iglive_bench: a copy made with CREATE DATABASE … TEMPLATE iglive_bench works the same, for
# experiments that write), WARMUP (20), RUNS ("1 2 3"), ACTIVITY_LIKES (2000: ~10M likes / 48 h is 58/s, so one 30 s
# period is ~1,700), SCENARIOS ("search trending feed tag": which load runs, in order), TRENDING_JOB (1; 0 skips the two
# timed trending runs, which change the trending tables), EXPLAIN (1; 0 skips explain.sql), BIN (a Release build's
# directory: given, nothing is built, as inside a quiet sitting), PGB_DIR (bench/discovery: where the pgbench copies
# are, e.g. another checkout's for its build), SEARCH_PGBENCH (pgbench_search.sql; an absolute path runs another
# build's copy), SEARCH_PGB_OPTIONS (none: the copy sets each statement's plan mode itself, as the service does), LABEL (in the log's name and on every
# line), SEARCH_PGB_CLIENTS (16; 64 compares pgbench's p99 with wrk's at the same concurrency), PREWARM (0: seconds of wrk on each scenario's script, all before the first measured one, so the first scenario
# measured after start-up does not pay for the JIT's and the pools' warm-up alone).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export PGPORT=${PGPORT:-18401}
PORT=${PORT:-18410}
export BENCH_DB=${BENCH_DB:-${DB:-iglive_bench}}
CS="Host=127.0.0.1;Port=$PGPORT;Database=$BENCH_DB;Username=iglive"
PGBENCH="/usr/lib/postgresql/15/bin/pgbench -h 127.0.0.1 -p $PGPORT -U iglive -n -M prepared -j 2"
PGB_DIR=${PGB_DIR:-bench/discovery}
SCENARIOS=${SCENARIOS:-search trending feed tag}
OUT=bench/results/discovery; mkdir -p "$OUT"
LOG="$OUT/run-$(date +%Y%m%dT%H%M%S)${LABEL:+-$LABEL}.log"
log() { echo "[$(date +%T)] ${LABEL:+$LABEL: }$*" | tee -a "$LOG"; }

if [ -z "${BIN:-}" ]; then
  BIN=/tmp/iglive-discovery-bin
  dotnet build IgLive.Service.csproj -c Release -nologo -clp:ErrorsOnly -o "$BIN" >/dev/null
fi
log "uptime: $(uptime); build $BIN; database $BENCH_DB; scenarios: $SCENARIOS"
ConnectionStrings__Postgres="$CS" Logging__LogLevel__Default=Warning dotnet "$BIN/IgLive.Service.dll" migrate >> "$LOG" 2>&1
trending() { bench/feed/db.sh psql -v ON_ERROR_STOP=1 -f bench/discovery/compute_trending.sql | grep -E '^Time|^ *[0-9]+( \| [0-9]+)* *$' | tr '\n' ' '; }
if [ "${TRENDING_JOB:-1}" != 0 ]; then
  log "trending run 1 (folds whatever is queued): $(trending)"
  log "activity of one period: $(bench/feed/db.sh psql -v ON_ERROR_STOP=1 -v likes="${ACTIVITY_LIKES:-2000}" -v views="${ACTIVITY_LIKES:-2000}" -f bench/discovery/trending_activity.sql | grep -E '^Time|^ *[0-9]+ *$' | tr '\n' ' ')"
  log "trending run 2 (steady state): $(trending)"
fi
if [ "${EXPLAIN:-1}" != 0 ]; then
  EX="$OUT/explain-$(date +%Y%m%dT%H%M%S).txt"
  bench/feed/db.sh psql -f bench/discovery/explain.sql > "$EX" 2>&1 || log "explain.sql failed: see $EX"
fi
log "trending_videos rows: $(bench/feed/db.sh psql -tAc "SELECT count(*) FROM trending_videos")"
bench/feed/db.sh psql -tA -c "SELECT tag FROM bench_tags ORDER BY i" > "$OUT/tags.txt"
bench/feed/db.sh psql -tA -c "SELECT q FROM bench_queries ORDER BY i" > "$OUT/queries.txt"

source bench/discovery/service.sh
start_service "$OUT/service${LABEL:+-$LABEL}.log"
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true' EXIT # waits: the next sitting's service needs the port
log "service up (pid $APP); load: $(cut -d' ' -f1-3 /proc/loadavg)"

# The hypervisor's steal since the last call, in % of all CPU time (/proc/stat's 8th field): on this shared VM it went
# from ~1 % to 50 % within one sitting, and a run under heavy steal measures the host, not the code.
STEAL0=""
steal() {
  local now; now=$(awk '/^cpu /{print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  if [ -n "$STEAL0" ]; then awk -v a="$STEAL0" -v b="$now" 'BEGIN {split(a, x, " "); split(b, y, " "); d = y[2] - x[2]; printf "%.0f", d ? 100 * (y[1] - x[1]) / d : 0}'; fi
  STEAL0=$now
}
wrk_run() { # name script run
  steal > /dev/null
  local line; line=$(wrk -t2 -c64 -d15s --latency -s "bench/discovery/$2" "http://127.0.0.1:$PORT" | grep '^RESULT')
  log "$1 run $3: $line load=$(cut -d' ' -f1 /proc/loadavg) steal=$(steal)%"
}
script_path() { case "$1" in /*) echo "$1" ;; *) case "$PGB_DIR" in /*) echo "$PGB_DIR/$1" ;; *) echo "$ROOT/$PGB_DIR/$1" ;; esac ;; esac; }
pgb_run() { # name script clients run (p99 from pgbench's per-transaction log: its third field, microseconds)
  local out d; d=$(mktemp -d)
  steal > /dev/null
  out=$(cd "$d" && PGOPTIONS="${PGB_OPTIONS:-}" $PGBENCH -f "$(script_path "$2")" -c "$3" -T 15 -l --log-prefix=pgb "$BENCH_DB" 2>&1)
  local p99; p99=$(cat "$d"/pgb.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {if (NR) printf "%.1f", a[int(NR*0.99)]/1000}')
  rm -rf "$d"
  log "pgbench $1 ($3 clients) run $4: RESULT tps=$(echo "$out" | grep -o 'tps = [0-9.]*' | grep -o '[0-9.]*$') latency_avg_ms=$(echo "$out" | grep -o 'latency average = [0-9.]*' | grep -o '[0-9.]*$') p99_ms=$p99 load=$(cut -d' ' -f1 /proc/loadavg) steal=$(steal)%"
}
scenario() { # name wrk-script [pgbench-script clients]
  log "== $1: warm-up ${WARMUP:-20} s"
  wrk -t2 -c64 -d"${WARMUP:-20}s" -s "bench/discovery/$2" "http://127.0.0.1:$PORT" > /dev/null
  if [ -n "${3:-}" ]; then PGOPTIONS="${PGB_OPTIONS:-}" $PGBENCH -f "$(script_path "$3")" -c "$4" -T 5 "$BENCH_DB" > /dev/null 2>&1; fi
  for i in ${RUNS:-1 2 3}; do
    wrk_run "$1" "$2" "$i"
    if [ -n "${3:-}" ]; then pgb_run "$1" "$3" "$4" "$i"; fi
  done
}

script_of() { case $1 in search) echo search.lua ;; trending) echo trending.lua ;; feed) echo feed_first.lua ;; tag) echo tag.lua ;; esac; }
if [ "${PREWARM:-0}" != 0 ]; then
  for s in $SCENARIOS; do wrk -t2 -c64 -d"${PREWARM}s" -s "bench/discovery/$(script_of "$s")" "http://127.0.0.1:$PORT" > /dev/null; done
  log "pre-warmed every scenario for ${PREWARM} s; load: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
for s in $SCENARIOS; do
  case $s in
    search) PGB_OPTIONS="${SEARCH_PGB_OPTIONS-}" scenario "search" search.lua "${SEARCH_PGBENCH:-pgbench_search.sql}" "${SEARCH_PGB_CLIENTS:-16}" ;;
    trending) scenario "trending" trending.lua pgbench_trending.sql 16 ;;
    feed) scenario "feed first page (reference)" feed_first.lua ;;
    tag) scenario "tag page" tag.lua pgbench_tag.sql 16 ;;
    *) log "unknown scenario $s"; exit 2 ;;
  esac
done
log "uptime: $(uptime)"
log "done: $LOG"
