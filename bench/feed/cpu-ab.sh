#!/usr/bin/env bash
# CPU per request, interleaved A/B (docs/benchmarks.md, fourth round): two Release services of the given builds on the
# seeded benchmark database (ports 5091/5092); after a 25 s warm-up of each, three rounds (A B, B A, A B) of one
# 10 s wrk run (64 connections) per variant, each printing req/s and the CPU microseconds per request spent by the
# service (utime+stime from /proc) and by PostgreSQL (all its processes, plus the postmaster's reaped children).
# Usage: A_BIN=dir B_BIN=dir A_ENV="K=V ..." B_ENV="K=V ..." bench/feed/cpu-ab.sh [scenario.lua]
# Prerequisites as for ab.sh (bench/feed/db.sh start, seeded database, tokens/cursors from run.sh or ab.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
S=${1:-feed_auth.lua}
source bench/feed/service.sh
PGDATA=${PGDATA:-/tmp/iglive-feed-pg}
PA=$(start_service cpu-ab-A 5091 "${A_BIN:-/tmp/iglive-feed-bin}" "$CS0" "${A_ENV:-}")
PB=$(start_service cpu-ab-B 5092 "${B_BIN:-/tmp/iglive-feed-bin}" "$CS0" "${B_ENV:-}")
trap 'kill $PA $PB 2>/dev/null || true' EXIT
wait_ready 5091 5092
TICK=$(getconf CLK_TCK)
pg_cpu() {
  local t=0 p pm
  for p in $(pgrep -u postgres postgres); do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  pm=$(head -1 "$PGDATA/postmaster.pid"); echo $((t + $(awk '{print $16+$17}' "/proc/$pm/stat")))
}
one() { # label pid port
  local s0 p0 s1 p1 out n
  s0=$(awk '{print $14+$15}' "/proc/$2/stat"); p0=$(pg_cpu)
  out=$(wrk -t2 -c64 -d10s -s "bench/feed/$S" "http://127.0.0.1:$3" | grep '^RESULT')
  s1=$(awk '{print $14+$15}' "/proc/$2/stat"); p1=$(pg_cpu)
  n=$(echo "$out" | grep -o 'requests=[0-9]*' | cut -d= -f2)
  echo "$S $1 $(echo "$out" | grep -o 'rps=[0-9]*') service_us=$(( (s1 - s0) * 1000000 / TICK / n )) postgres_us=$(( (p1 - p0) * 1000000 / TICK / n )) load=$(cut -d' ' -f1 /proc/loadavg)"
}
for p in 5091 5092; do wrk -t2 -c64 -d25s -s "bench/feed/$S" "http://127.0.0.1:$p" > /dev/null; done
one A "$PA" 5091; one B "$PB" 5092
one B "$PB" 5092; one A "$PA" 5091
one A "$PA" 5091; one B "$PB" 5092
