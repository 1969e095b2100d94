#!/usr/bin/env bash
# Interleaved A/B of two service configurations in one sitting (the per-change measurements of docs/benchmarks.md).
# Both services run at once on the seeded benchmark database (each idle while the other is measured); per scenario:
# 5 s warm-up of each, then three rounds of one wrk run (64 connections) per variant, order alternating (AB, BA, AB).
# Usage: A_BIN=dir B_BIN=dir A_ENV="K=V ..." B_ENV="K=V ..." bench/feed/ab.sh label [scenario.lua ...]
#   *_BIN: a Release publish/build output holding IgLive.Service.dll (default /tmp/iglive-feed-bin);
#   *_ENV: extra environment for that variant; A_CS/B_CS replace the connection string. DUR: seconds per run (10).
# Prerequisites as for run.sh; tokens.txt/cursors.txt are reused from a run.sh (same issuer, port 5080) or made here.
set -euo pipefail
cd "$(dirname "$0")/../.."
LABEL=$1; shift; SCRIPTS=("${@:-feed_auth.lua}")
[ $# -eq 0 ] && SCRIPTS=(feed_auth.lua like_toggle.lua)
DUR=${DUR:-10}
source bench/feed/service.sh
LOG="$OUT/ab-$(date +%Y%m%dT%H%M%S).log"
log() { echo "[$(date +%T)] $*" | tee -a "$LOG"; }
[ -s "$OUT/tokens.txt" ] || python3 bench/feed/mint_tokens.py "$SECRET" 2000 "http://127.0.0.1:5080/auth/v1" > "$OUT/tokens.txt"
[ -s "$OUT/cursors.txt" ] || bench/feed/db.sh psql -tA -f bench/feed/cursors.sql > "$OUT/cursors.txt"

PA=$(start_service A 5081 "${A_BIN:-/tmp/iglive-feed-bin}" "${A_CS:-$CS0}" "${A_ENV:-}")
PB=$(start_service B 5082 "${B_BIN:-/tmp/iglive-feed-bin}" "${B_CS:-$CS0}" "${B_ENV:-}")
trap 'kill $PA $PB 2>/dev/null || true' EXIT
wait_ready 5081 5082
log "== $LABEL: A=[${A_BIN:-default bin} ${A_ENV:-} ${A_CS:-}] B=[${B_BIN:-default bin} ${B_ENV:-} ${B_CS:-}] load: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # variant port script round
  local line; line=$(wrk -t2 -c64 -d"${DUR}s" --latency -s "bench/feed/$3" "http://127.0.0.1:$2" | grep '^RESULT')
  log "$LABEL $3 $1 round $4: $line load=$(cut -d' ' -f1 /proc/loadavg)"
}
for s in "${SCRIPTS[@]}"; do
  wrk -t2 -c64 -d5s -s "bench/feed/$s" http://127.0.0.1:5081 >/dev/null
  wrk -t2 -c64 -d5s -s "bench/feed/$s" http://127.0.0.1:5082 >/dev/null
  run A 5081 "$s" 1; run B 5082 "$s" 1
  run B 5082 "$s" 2; run A 5081 "$s" 2
  run A 5081 "$s" 3; run B 5082 "$s" 3
done
log "done: $LOG"
