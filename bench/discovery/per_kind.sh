#!/usr/bin/env bash
# Per-kind latency of the search's SQL, single-threaded (no HTTP, no concurrency): every query of bench_queries
# (30 each: common, two words, prefix, typo, no hit) run REPS times (after one warm-up) as the endpoint runs it — the
# full-text statement, and when it finds nothing and the query has 3+ letters, the correction then the full-text
# statement again with the corrected words — timed in a plpgsql loop (clock_timestamp around EXECUTE … USING, which
# plans each call: what a custom plan costs; the service's generic plans skip that). Prints per kind avg / p50 / p95 /
# max ms and rows. Env: SRC (source tree whose SQL constants are timed; this one), BENCH_DB, PGPORT, REPS (3),
# CUSTOM (1: SET plan_cache_mode = force_custom_plan first, as main's endpoint did), NEW_PARAMS (1 when the
# constants take @Expansions/@Walk: this branch's; 0 for main's).
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=${SRC:-$PWD}
gen() { SRC="$SRC" bench/discovery/sql_from_cs.py "SearchVideosSql.$1" "${@:2}"; }
# One word: SearchVideosSql.FirstAnonymous (ranked postings, 0220) where the source tree has it, walk 200; else the
# earlier FullTextFirst (walk 250, or no walk at all with NEW_PARAMS=0).
ONE_WALK=200
FIRST=$(gen FirstAnonymous Word='($1::text[])[1]' Prefix='$2' Now='now()' Viewer='NULL::uuid' Take=21 Expansions=50 Walk='$3' \
        WindowTo='NULL::timestamptz' 2>/dev/null | sed 's/;$//' || true)
if [ -z "$FIRST" ]; then
  ONE_WALK=250
  P=(Words='$1' Prefix='$2' Now='now()' Viewer='NULL::uuid' Take=21 Cap=200)
  if [ "${NEW_PARAMS:-1}" = 1 ]; then P+=(Expansions=50 Walk='$3' WindowTo='NULL::timestamptz'); fi
  FIRST=$(gen FullTextFirst "${P[@]}" | sed 's/;$//')
fi
CORRECT=$(gen Correct Words='$1' | sed 's/;$//')
USING_WALK=$( [ "${NEW_PARAMS:-1}" = 1 ] && echo ", walk" || true)
# Several words: SearchSeveralWordsSql where the source tree has it (the endpoint sends them there), else FullTextFirst.
SEVERAL=$(SRC="$SRC" bench/discovery/sql_from_cs.py SearchSeveralWordsSql.First Words='$1' Prefix='$2' Now='now()' Viewer='NULL::uuid' Take=21 Cap=200 2>/dev/null | sed 's/;$//' || true)
USING_SEVERAL=""
if [ -z "$SEVERAL" ]; then SEVERAL="$FIRST"; USING_SEVERAL="$USING_WALK"; fi
cat > /tmp/per_kind.$$.sql <<SQL
SET jit = off;
$( [ "${CUSTOM:-1}" = 1 ] && echo "SET plan_cache_mode = force_custom_plan;" )
CREATE TEMP TABLE timing (kind text, i int, ms float8, nrows int);
DO \$do\$
DECLARE
  q record; t0 timestamptz; n int; fixed text[]; walk int; rep int;
BEGIN
  FOR q IN SELECT * FROM bench_queries ORDER BY i LOOP
    FOR rep IN 0..${REPS:-3} LOOP
      walk := CASE WHEN cardinality(q.words) = 1 THEN $ONE_WALK ELSE 1000 END;
      t0 := clock_timestamp();
      IF cardinality(q.words) > 1 THEN
        EXECUTE \$q\$SELECT count(*) FROM ($SEVERAL) x\$q\$ INTO n USING q.words, q.prefix$USING_SEVERAL;
      ELSE
        EXECUTE \$q\$SELECT count(*) FROM ($FIRST) x\$q\$ INTO n USING q.words, q.prefix$USING_WALK;
      END IF;
      IF n = 0 AND length(array_to_string(q.words, ' ')) >= 3 THEN
        EXECUTE \$q\$$CORRECT\$q\$ INTO fixed USING q.words;
        IF cardinality(fixed) > 0 AND fixed IS DISTINCT FROM q.words THEN
          EXECUTE \$q\$SELECT count(*) FROM ($FIRST) x\$q\$ INTO n USING fixed, q.prefix$USING_WALK;
        END IF;
      END IF;
      IF rep > 0 THEN
        INSERT INTO timing VALUES (q.kind, q.i, extract(epoch FROM clock_timestamp() - t0) * 1000, n);
      END IF;
    END LOOP;
  END LOOP;
END \$do\$;
SELECT kind, round(avg(ms)::numeric, 2) AS avg_ms, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS p50_ms,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS p95_ms, round(max(ms)::numeric, 2) AS max_ms,
       round(avg(nrows), 1) AS avg_rows
FROM timing GROUP BY ROLLUP (kind) ORDER BY kind NULLS LAST;
SELECT kind, i, (SELECT q FROM bench_queries b WHERE b.i = t.i) AS q, round(avg(ms)::numeric, 2) AS avg_ms FROM timing t
GROUP BY kind, i ORDER BY avg(ms) DESC LIMIT 8;
SQL
bench/feed/db.sh psql -q -f /tmp/per_kind.$$.sql
rm -f /tmp/per_kind.$$.sql
