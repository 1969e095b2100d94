#!/usr/bin/env bash
# The search mix per kind over HTTP: starts a Release build of the service on the bench database, warms it on the whole
# mix, then for each kind of bench/results/discovery/queries.txt (30 lines each, in the order of bench_queries: common,
# two words, prefix, typo, no hit; "all" is the mix) runs wrk at 64 connections for DUR seconds (3 s untimed first) and
# prints req/s, latency and the CPU per request of the PostgreSQL backends and of the service (their /proc ticks over
# the run divided by the requests). Env: BIN (a Release build's directory, required), LABEL, PGPORT (18401), PORT (18410),
# KINDS ("common two prefix typo nohit all"), DUR (10), WARM (8), CS_EXTRA (appended to the connection string),
# SVC_ENV ("NAME=value …" for the service). Run bench/discovery/run.sh once first: it writes queries.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${BIN:?a Release build directory}"
PGPORT=${PGPORT:-18401}; PORT=${PORT:-18410}; LABEL=${LABEL:-run}
K=$(mktemp -d); trap 'rm -rf "$K"' EXIT
q=bench/results/discovery/queries.txt
sed -n 1,30p $q > $K/common; sed -n 31,60p $q > $K/two; sed -n 61,90p $q > $K/prefix; sed -n 91,120p $q > $K/typo
sed -n 121,150p $q > $K/nohit; cp $q $K/all
source bench/discovery/service.sh
CS="Host=127.0.0.1;Port=$PGPORT;Database=${BENCH_DB:-iglive_bench};Username=iglive${CS_EXTRA:-}"
start_service "$K/service.log"
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true; rm -rf "$K"' EXIT
pgticks() { local s=0; for p in $(pgrep -f "postgres: iglive ${BENCH_DB:-iglive_bench}"); do set -- $(cut -d' ' -f14,15 /proc/$p/stat 2>/dev/null || echo 0 0); s=$((s+$1+$2)); done; echo $s; }
apticks() { set -- $(cut -d' ' -f14,15 /proc/$APP/stat); echo $(($1+$2)); }
QUERIES=$K/all wrk -t2 -c64 -d${WARM:-8}s -s bench/discovery/search.lua http://127.0.0.1:$PORT >/dev/null
for k in ${KINDS:-common two prefix typo nohit all}; do
  QUERIES=$K/$k wrk -t2 -c64 -d3s -s bench/discovery/search.lua http://127.0.0.1:$PORT >/dev/null
  p0=$(pgticks); a0=$(apticks)
  line=$(QUERIES=$K/$k wrk -t2 -c64 -d${DUR:-10}s --latency -s bench/discovery/search.lua http://127.0.0.1:$PORT | grep '^RESULT')
  p1=$(pgticks); a1=$(apticks)
  n=$(echo "$line" | grep -o 'requests=[0-9]*' | cut -d= -f2)
  echo "$LABEL $k: $line pg_ms/req=$(echo "scale=2; ($p1-$p0)*1000/$(getconf CLK_TCK)/$n" | bc) svc_ms/req=$(echo "scale=2; ($a1-$a0)*1000/$(getconf CLK_TCK)/$n" | bc)"
done
