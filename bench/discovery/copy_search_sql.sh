#!/usr/bin/env bash
# Re-copies the search's SQL constants (Features/Discovery/SearchVideos/SearchVideosSql.cs) into pgbench_search.sql and
# the search part of explain.sql (between its "-- Search:" and "DEALLOCATE search_correct;" lines), with the endpoint's
# default parameters written in. Run after changing a constant.
set -euo pipefail
cd "$(dirname "$0")/../.."
# G: a constant without its plan-mode prefix (sql_from_cs.py leaves PlanCacheMode's DO line out: explain.sql sets
# plan_cache_mode itself) and without its final semicolon. GP: the batch as the service sends it, prefix and statement
# in one pgbench pipeline (one Sync, so the prefix's settings hold for the statement, as in the service).
G() { bench/discovery/sql_from_cs.py "$@" | sed 's/;$//'; }
GP() { echo '\startpipeline'; bench/discovery/sql_from_cs.py --batch "$@"; echo '\endpipeline'; }
C="Now=now() Viewer=NULL::uuid Take=21 Cap=200 Expansions=50"
W="Walk=200 WindowTo=NULL::timestamptz"
# pgbench binds its :variables as parameters (-M prepared), as the service binds the options: the same generic plan.
CB="Now=now() Viewer=NULL::uuid Take=:take Cap=:cap Expansions=:expansions"
WB="Walk=:walk WindowTo=NULL::timestamptz"
{
cat <<'EOF'
-- pgbench baseline for GET /api/videos/search (anonymous, first page), as the endpoint runs it: one word,
-- SearchVideosSql.FirstAnonymous (the 200 newest matches, 50 prefix expansions: the defaults of Discovery:*) after its
-- PlanCacheMode.Generic prefix in one pipeline (the generic plan); several words, SearchSeveralWordsSql.First after its
-- PlanCacheMode.Custom prefix; then, where the endpoint runs the typo fallback (fallback = 1), SearchVideosSql.Correct
-- (here without its prefix: \gset cannot run in a pipeline) and, when it changed a word, FirstAnonymous again with the corrected word. Parameters: @Word (the
-- one word), @Words, @Prefix from bench_queries, @Now = now(), @Viewer = NULL; @Take, @Walk, @Cap, @Expansions bound as
-- parameters (pgbench variables). Generated from the constants by bench/discovery/copy_search_sql.sh.
\set take 21
\set walk 200
\set cap 200
\set expansions 50
\set k random(1, 150)
SELECT words, prefix, fallback, (cardinality(words) > 1)::int AS several FROM bench_queries WHERE i = :k \gset
\if :several
EOF
GP SearchSeveralWordsSql.First Words=:words Prefix=:prefix::boolean $CB
echo '\else'
GP SearchVideosSql.FirstAnonymous Word="(:words::text[])[1]" Prefix=:prefix::boolean $WB $CB
echo '\endif'
echo '\if :fallback'
# The endpoint searches again only when a word changed (a correction, else an empty array).
echo "SELECT c.corrected, (cardinality(c.corrected) > 0)::int AS changed FROM ($(G SearchVideosSql.Correct Words=:words)) c \gset"
echo '\if :changed'
GP SearchVideosSql.FirstAnonymous Word="(:corrected::text[])[1]" Prefix=:prefix::boolean $WB $CB
echo '\endif'
echo '\endif'
} > bench/discovery/pgbench_search.sql
P='Word=$1 Prefix=$2 Walk=$3 Take=$4 Expansions=$5'
{
cat <<'EOF'
-- Search: the statements prepared with the parameters the service binds, EXPLAINed as generic plans (plan_cache_mode =
-- force_generic_plan): what the service runs (PlanCacheMode.Generic), Walk, Take and Expansions bound as it binds them
-- (200 for one word, Discovery:SearchCandidates; 21; 50). Copied by bench/discovery/copy_search_sql.sh.
SELECT '{back}'::text[] AS back_words \gset
EOF
CE="Now=now() Viewer=NULL::uuid Cap=200"
echo "PREPARE search_first (text, boolean, integer, integer, integer) AS"; G SearchVideosSql.FirstAnonymous $P WindowTo='NULL::timestamptz' $CE; echo ";"
echo "PREPARE search_next (text, boolean, integer, integer, integer, timestamptz, timestamptz, real, timestamptz, uuid, text[]) AS"
G SearchVideosSql.NextAnonymous $P WindowFrom='$6' WindowTo='$7' CursorScore='$8' CursorAt='$9' CursorId='$10' Lexemes='$11' $CE; echo ";"
echo "PREPARE search_correct (text[]) AS"; G SearchVideosSql.Correct 'Words=$1'; echo ";"
echo "PREPARE search_several (text[], boolean) AS"; G SearchSeveralWordsSql.First Words='$1' Prefix='$2' $C; echo ";"
cat <<'EOF'
SET plan_cache_mode = force_generic_plan;
\echo '=== search, full text, most common word (one word: a prefix of itself)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE search_first ((:'common_words'::text[])[1], true, 200, 21, 50);
\echo '=== search, full text, two words, as the endpoint runs it: SearchSeveralWordsSql.First, custom plan (GIN bitmap AND)'
SET plan_cache_mode = force_custom_plan;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE search_several (:'two_words', true);
SET plan_cache_mode = force_generic_plan;
\echo '=== search, full text, 4-letter prefix'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE search_first ((:'prefix_words'::text[])[1], true, 200, 21, 50);
\echo '=== search, full text, 4-letter prefix with many completions (back)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE search_first ((:'back_words'::text[])[1], true, 200, 21, 50);
\echo '=== search, full text, next page (common word): the first page''s window, its 20th row and its lexemes as the cursor'
EOF
echo "SELECT window_from AS c_from, window_to AS c_to, score AS c_score, created_at AS c_at, id AS c_id, lexemes AS c_lexemes"
echo "FROM ($(G SearchVideosSql.FirstAnonymous Word="(:'common_words'::text[])[1]" Prefix=true Walk=200 WindowTo='NULL::timestamptz' $C | sed 's/ p\.id, p\.username/ p.id AS author_id, p.username/')) x"
echo "OFFSET 19 LIMIT 1 \gset"
cat <<'EOF'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE search_next ((:'common_words'::text[])[1], true, 200, 21, 50, :'c_from', :'c_to', :'c_score', :'c_at', :'c_id', :'c_lexemes');
\echo '=== search, typo fallback, typo: the full-text statement (no match), the correction, the full text with the corrected words'
SELECT string_to_array(:'typo_q', ' ') AS words_typo_q \gset
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE search_first ((:'words_typo_q'::text[])[1], true, 200, 21, 50);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE search_correct (:'words_typo_q');
EXECUTE search_correct (:'words_typo_q') \gset corrected_
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE search_first ((:'corrected_corrected'::text[])[1], true, 200, 21, 50);
\echo '=== search, typo fallback, no hit: the full-text statement (no match), the correction (nothing close: stays empty)'
SELECT string_to_array(:'nohit_q', ' ') AS words_nohit_q \gset
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE search_first ((:'words_nohit_q'::text[])[1], true, 200, 21, 50);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE search_correct (:'words_nohit_q');
RESET plan_cache_mode;
DEALLOCATE search_first;
DEALLOCATE search_next;
DEALLOCATE search_several;
DEALLOCATE search_correct;
EOF
} > /tmp/explain_search.$$.sql
python3 - /tmp/explain_search.$$.sql <<'EOF'
import sys
p = 'bench/discovery/explain.sql'; s = open(p).read()
a = s.index('-- Search: the statements'); b = s.index('DEALLOCATE search_correct;\n') + len('DEALLOCATE search_correct;\n')
open(p, 'w').write(s[:a] + open(sys.argv[1]).read() + s[b:])
EOF
rm -f /tmp/explain_search.$$.sql
