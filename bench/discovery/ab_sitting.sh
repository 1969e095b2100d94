#!/usr/bin/env bash
# One A/B sitting of the search and the feed: bench/discovery/run.sh for build A, B, B, A (so a drift of the machine
# shows in both), A with its own pgbench copy. Env: A_BIN, B_BIN (Release build directories), A_SRC (an export of A's
# source tree: its bench/discovery/pgbench_search.sql is A's SQL), RUNS ("1 2"), PREWARM (60 s: the JIT takes about a minute to settle, docs/benchmarks.md 2026-12-03) and WARMUP (5 s; run.sh's). Prints
# the RESULT lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${A_BIN:?}" "${B_BIN:?}" "${A_SRC:?}"
common=(TRENDING_JOB=0 EXPLAIN=0 PREWARM="${PREWARM:-60}" WARMUP="${WARMUP:-5}" RUNS="${RUNS:-1 2}" SCENARIOS="search feed")
A() { env "${common[@]}" BIN="$A_BIN" PGB_DIR="$A_SRC/bench/discovery" SEARCH_PGBENCH="$A_SRC/bench/discovery/pgbench_search.sql" LABEL="$1" bench/discovery/run.sh 2>&1 | grep -E 'RESULT|uptime'; }
B() { env "${common[@]}" BIN="$B_BIN" LABEL="$1" bench/discovery/run.sh 2>&1 | grep -E 'RESULT|uptime'; }
A a-1; B b-1; B b-2; A a-2
