-- EXPLAIN (ANALYZE, BUFFERS) of every Discovery statement on the benchmark seed (docs/explain.md, Discovery).
-- Copies of the SQL constants (bench/discovery/README.md) with literals of typical calls.
\pset pager off
SET jit = off;
SELECT (SELECT words FROM bench_queries WHERE kind = 'common' ORDER BY i LIMIT 1) AS common_words,
       (SELECT words FROM bench_queries WHERE kind = 'two words' ORDER BY i LIMIT 1) AS two_words,
       (SELECT words FROM bench_queries WHERE kind = 'prefix' ORDER BY i LIMIT 1) AS prefix_words,
       (SELECT q FROM bench_queries WHERE kind = 'typo' ORDER BY i LIMIT 1) AS typo_q,
       (SELECT q FROM bench_queries WHERE kind = 'no hit' ORDER BY i LIMIT 1) AS nohit_q,
       (SELECT tag FROM bench_tags WHERE i = 1) AS top_tag,
       coalesce((SELECT score FROM trending_videos ORDER BY score DESC LIMIT 1 OFFSET 500), 0) AS mid_score \gset
\echo 'common: ' :common_words ' two words: ' :two_words ' prefix: ' :prefix_words ' typo: ' :typo_q ' no hit: ' :nohit_q ' tag: ' :top_tag
-- Search: the statements prepared with the parameters the service binds, EXPLAINed as generic plans (plan_cache_mode =
-- force_generic_plan): what the service runs (PlanCacheMode.Generic), Walk, Take and Expansions bound as it binds them
-- (200 for one word, Discovery:SearchCandidates; 21; 50). Copied by bench/discovery/copy_search_sql.sh.
SELECT '{back}'::text[] AS back_words \gset
PREPARE search_first (text, boolean, integer, integer, integer) AS
WITH lexemes AS MATERIALIZED (
    SELECT l.lexeme, l.ndoc
    FROM (SELECT lower(iglive_unaccent($1)) COLLATE "C" AS u) t
    CROSS JOIN LATERAL ((SELECT s.lexeme, s.ndoc FROM search_lexemes s WHERE s.lexeme >= t.u AND s.lexeme <= t.u)
                        UNION ALL
                        (SELECT s.lexeme, s.ndoc FROM search_lexemes s
                         WHERE $2 AND s.lexeme > t.u AND s.lexeme < t.u || chr(1114111) AND s.lexeme ^@ t.u
                         ORDER BY s.ndoc DESC, s.lexeme
                         LIMIT $5 - 1)) l
    WHERE t.u <> ''),

since AS MATERIALIZED (
    SELECT coalesce((SELECT po.created_at FROM search_postings po
                     WHERE po.lexeme = (SELECT lexeme FROM lexemes ORDER BY ndoc DESC, lexeme LIMIT 1)
                     ORDER BY po.created_at DESC, po.video_id DESC
                     OFFSET (SELECT least($3, ceil((1.25 * $3 + 10) * max(ndoc) / nullif(sum(ndoc), 0)))::integer - 1 FROM lexemes)
                     LIMIT 1), '-infinity') AS t0),
estimated AS MATERIALIZED (
    SELECT p.created_at, p.video_id, sum(p.rank ORDER BY p.lexeme) AS rank
    FROM lexemes l
    CROSS JOIN LATERAL (SELECT po.lexeme, po.created_at, po.video_id, po.rank FROM search_postings po
                        WHERE po.lexeme = l.lexeme
                          AND po.created_at <= coalesce(NULL::timestamptz::timestamptz, 'infinity')
                          AND po.created_at >= (SELECT t0 FROM since)
                        ORDER BY po.created_at DESC, po.video_id DESC
                        LIMIT $3) p
    GROUP BY p.created_at, p.video_id
    ORDER BY p.created_at DESC, p.video_id DESC
    LIMIT $3),
exact AS MATERIALIZED (
    SELECT coalesce((SELECT po.created_at FROM search_postings po
                     WHERE po.lexeme = (SELECT lexeme FROM lexemes ORDER BY ndoc DESC, lexeme LIMIT 1)
                     ORDER BY po.created_at DESC, po.video_id DESC
                     OFFSET $3 - 1
                     LIMIT 1), '-infinity') AS t0),
enough AS MATERIALIZED (
    SELECT (SELECT count(*) FROM estimated) >= $3 OR (SELECT t0 FROM since) = '-infinity' AS ok),
walk AS MATERIALIZED (
    SELECT * FROM estimated WHERE (SELECT ok FROM enough)
    UNION ALL
    SELECT * FROM (
    SELECT p.created_at, p.video_id, sum(p.rank ORDER BY p.lexeme) AS rank
    FROM lexemes l
    CROSS JOIN LATERAL (SELECT po.lexeme, po.created_at, po.video_id, po.rank FROM search_postings po
                        WHERE po.lexeme = l.lexeme
                          AND po.created_at <= coalesce(NULL::timestamptz::timestamptz, 'infinity')
                          AND po.created_at >= (SELECT t0 FROM exact)
                        ORDER BY po.created_at DESC, po.video_id DESC
                        LIMIT $3) p
    GROUP BY p.created_at, p.video_id
    ORDER BY p.created_at DESC, p.video_id DESC
    LIMIT $3) w
    WHERE NOT (SELECT ok FROM enough))
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       NULL::boolean AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, v.rank AS score, (SELECT min(created_at) FROM walk) AS window_from, (SELECT max(created_at) FROM walk) AS window_to,
       (SELECT count(*) FROM walk) AS candidates,
       CASE WHEN $2 AND row_number() OVER (ORDER BY v.rank DESC, v.walk_at DESC, v.id DESC) = $4 - 1
            THEN (SELECT array_agg(lexeme ORDER BY lexeme) FROM lexemes) END AS lexemes
FROM (SELECT v.*, r.rank, r.created_at AS walk_at
      FROM (SELECT * FROM walk ORDER BY rank DESC, created_at DESC, video_id DESC) r
      CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = r.video_id OFFSET 0) v
      WHERE
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
      ORDER BY r.rank DESC, r.created_at DESC, r.video_id DESC
      LIMIT $4) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.rank DESC, v.walk_at DESC, v.id DESC
LIMIT $4
;
PREPARE search_next (text, boolean, integer, integer, integer, timestamptz, timestamptz, real, timestamptz, uuid, text[]) AS
WITH lexemes AS MATERIALIZED (
    SELECT l.lexeme, l.ndoc
    FROM (SELECT lower(iglive_unaccent($1)) COLLATE "C" AS u) t
    CROSS JOIN LATERAL ((SELECT s.lexeme, s.ndoc FROM search_lexemes s WHERE s.lexeme >= t.u AND s.lexeme <= t.u)
                        UNION ALL
                        (SELECT s.lexeme, s.ndoc FROM search_lexemes s
                         WHERE $2 AND s.lexeme > t.u AND s.lexeme < t.u || chr(1114111) AND s.lexeme ^@ t.u
                         ORDER BY s.ndoc DESC, s.lexeme
                         LIMIT $5 - 1)) l
    WHERE t.u <> ''      AND cardinality($11::text[]) = 0
    UNION ALL
    SELECT c.lexeme COLLATE "C", NULL::integer FROM unnest($11::text[]) AS c (lexeme)),
since AS MATERIALIZED (SELECT $6::timestamptz AS t0),
walk AS MATERIALIZED (
    SELECT p.created_at, p.video_id, sum(p.rank ORDER BY p.lexeme) AS rank
    FROM lexemes l
    CROSS JOIN LATERAL (SELECT po.lexeme, po.created_at, po.video_id, po.rank FROM search_postings po
                        WHERE po.lexeme = l.lexeme
                          AND po.created_at <= coalesce($7::timestamptz, 'infinity')
                          AND po.created_at >= (SELECT t0 FROM since)
                        ORDER BY po.created_at DESC, po.video_id DESC
                        LIMIT $3) p
    GROUP BY p.created_at, p.video_id
    ORDER BY p.created_at DESC, p.video_id DESC
    LIMIT $3)
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       NULL::boolean AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, v.rank AS score, $6 AS window_from, $7 AS window_to
FROM (SELECT v.*, r.rank, r.created_at AS walk_at
      FROM (SELECT * FROM walk
            WHERE created_at >= $6 AND (rank, created_at, video_id) < ($8::real, $9, $10)
            ORDER BY rank DESC, created_at DESC, video_id DESC) r
      CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = r.video_id OFFSET 0) v
      WHERE
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
      ORDER BY r.rank DESC, r.created_at DESC, r.video_id DESC
      LIMIT $4) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.rank DESC, v.walk_at DESC, v.id DESC
LIMIT $4
;
PREPARE search_correct (text[]) AS
SELECT CASE WHEN bool_or(c.lexeme <> lower(iglive_unaccent(x.w))) THEN array_agg(coalesce(c.lexeme, x.w) ORDER BY x.i) ELSE '{}' END AS corrected
FROM unnest($1::text[]) WITH ORDINALITY AS x (w, i)
LEFT JOIN LATERAL (SELECT s.lexeme FROM search_lexemes s
                   WHERE length(x.w) >= 3 AND s.lexeme % lower(iglive_unaccent(x.w)) AND length(s.lexeme) <= 64
                   ORDER BY s.lexeme <-> lower(iglive_unaccent(x.w)), s.ndoc DESC, s.lexeme
                   LIMIT 1) c ON true
;
PREPARE search_several (text[], boolean) AS
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score, r.window_from, r.window_to
FROM (SELECT c.id, ts_rank(c.search_doc, iglive_search_query($1::text[], $2)) AS rank, c.created_at,
             min(c.created_at) OVER () AS window_from, max(c.created_at) OVER () AS window_to
      FROM (SELECT v.id, v.search_doc, v.created_at
            FROM videos v
            WHERE v.search_doc @@ iglive_search_query($1::text[], $2) AND 
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
            ORDER BY v.created_at DESC, v.id DESC
            LIMIT 200) c
      ORDER BY 2 DESC, 3 DESC, 1 DESC
      LIMIT 51) r
CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = r.id OFFSET 0) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY r.rank DESC, r.created_at DESC, r.id DESC
LIMIT 21
;
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
SELECT window_from AS c_from, window_to AS c_to, score AS c_score, created_at AS c_at, id AS c_id, lexemes AS c_lexemes
FROM (WITH lexemes AS MATERIALIZED (
    SELECT l.lexeme, l.ndoc
    FROM (SELECT lower(iglive_unaccent((:'common_words'::text[])[1])) COLLATE "C" AS u) t
    CROSS JOIN LATERAL ((SELECT s.lexeme, s.ndoc FROM search_lexemes s WHERE s.lexeme >= t.u AND s.lexeme <= t.u)
                        UNION ALL
                        (SELECT s.lexeme, s.ndoc FROM search_lexemes s
                         WHERE true AND s.lexeme > t.u AND s.lexeme < t.u || chr(1114111) AND s.lexeme ^@ t.u
                         ORDER BY s.ndoc DESC, s.lexeme
                         LIMIT 50 - 1)) l
    WHERE t.u <> ''),

since AS MATERIALIZED (
    SELECT coalesce((SELECT po.created_at FROM search_postings po
                     WHERE po.lexeme = (SELECT lexeme FROM lexemes ORDER BY ndoc DESC, lexeme LIMIT 1)
                     ORDER BY po.created_at DESC, po.video_id DESC
                     OFFSET (SELECT least(200, ceil((1.25 * 200 + 10) * max(ndoc) / nullif(sum(ndoc), 0)))::integer - 1 FROM lexemes)
                     LIMIT 1), '-infinity') AS t0),
estimated AS MATERIALIZED (
    SELECT p.created_at, p.video_id, sum(p.rank ORDER BY p.lexeme) AS rank
    FROM lexemes l
    CROSS JOIN LATERAL (SELECT po.lexeme, po.created_at, po.video_id, po.rank FROM search_postings po
                        WHERE po.lexeme = l.lexeme
                          AND po.created_at <= coalesce(NULL::timestamptz::timestamptz, 'infinity')
                          AND po.created_at >= (SELECT t0 FROM since)
                        ORDER BY po.created_at DESC, po.video_id DESC
                        LIMIT 200) p
    GROUP BY p.created_at, p.video_id
    ORDER BY p.created_at DESC, p.video_id DESC
    LIMIT 200),
exact AS MATERIALIZED (
    SELECT coalesce((SELECT po.created_at FROM search_postings po
                     WHERE po.lexeme = (SELECT lexeme FROM lexemes ORDER BY ndoc DESC, lexeme LIMIT 1)
                     ORDER BY po.created_at DESC, po.video_id DESC
                     OFFSET 200 - 1
                     LIMIT 1), '-infinity') AS t0),
enough AS MATERIALIZED (
    SELECT (SELECT count(*) FROM estimated) >= 200 OR (SELECT t0 FROM since) = '-infinity' AS ok),
walk AS MATERIALIZED (
    SELECT * FROM estimated WHERE (SELECT ok FROM enough)
    UNION ALL
    SELECT * FROM (
    SELECT p.created_at, p.video_id, sum(p.rank ORDER BY p.lexeme) AS rank
    FROM lexemes l
    CROSS JOIN LATERAL (SELECT po.lexeme, po.created_at, po.video_id, po.rank FROM search_postings po
                        WHERE po.lexeme = l.lexeme
                          AND po.created_at <= coalesce(NULL::timestamptz::timestamptz, 'infinity')
                          AND po.created_at >= (SELECT t0 FROM exact)
                        ORDER BY po.created_at DESC, po.video_id DESC
                        LIMIT 200) p
    GROUP BY p.created_at, p.video_id
    ORDER BY p.created_at DESC, p.video_id DESC
    LIMIT 200) w
    WHERE NOT (SELECT ok FROM enough))
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       NULL::boolean AS liked_by_me,
       v.created_at, v.expires_at, p.id AS author_id, p.username, p.display_name, p.avatar_url, v.rank AS score, (SELECT min(created_at) FROM walk) AS window_from, (SELECT max(created_at) FROM walk) AS window_to,
       (SELECT count(*) FROM walk) AS candidates,
       CASE WHEN true AND row_number() OVER (ORDER BY v.rank DESC, v.walk_at DESC, v.id DESC) = 21 - 1
            THEN (SELECT array_agg(lexeme ORDER BY lexeme) FROM lexemes) END AS lexemes
FROM (SELECT v.*, r.rank, r.created_at AS walk_at
      FROM (SELECT * FROM walk ORDER BY rank DESC, created_at DESC, video_id DESC) r
      CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = r.video_id OFFSET 0) v
      WHERE
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
      ORDER BY r.rank DESC, r.created_at DESC, r.video_id DESC
      LIMIT 21) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.rank DESC, v.walk_at DESC, v.id DESC
LIMIT 21) x
OFFSET 19 LIMIT 1 \gset
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
\echo '=== users search'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT p.id, p.username, p.display_name, p.avatar_url, p.bio, p.created_at,
       (SELECT count(*) FROM videos v WHERE v.user_id = p.id AND v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL) AS videos_count
FROM profiles p JOIN (SELECT p.id,
              (p.username = 'user12') AS exact,
              starts_with(p.username, 'user12') AS starts,
              ts_rank(p.search_doc, q.q) AS rank
       FROM (SELECT to_tsquery('simple', string_agg(
                        '''' || replace(replace(u, '\', '\\'), '''', '''''') || ''':*', ' & ' ORDER BY i)) AS q
             FROM (SELECT iglive_unaccent(w) AS u, i FROM unnest(ARRAY['user12']::text[]) WITH ORDINALITY AS x (w, i)) x
             WHERE u <> '') q
       JOIN profiles p ON p.search_doc @@ q.q
       WHERE p.suspended_at IS NULL AND p.id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
       ORDER BY exact DESC, starts DESC, rank DESC, p.username
       LIMIT 50) m ON m.id = p.id
ORDER BY m.exact DESC, m.starts DESC, m.rank DESC, p.username
LIMIT 20;
\echo '=== tag page, most used tag'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       NULL::boolean AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM (SELECT v.*, t.created_at AS tag_at, t.video_id AS tag_video_id
      FROM video_tags t
      CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
      WHERE t.tag = :'top_tag' AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
      ORDER BY t.created_at DESC, t.video_id DESC
      LIMIT 51) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.tag_at DESC, v.tag_video_id DESC
LIMIT 21;
\echo '=== tag page, next page'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       NULL::boolean AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM (SELECT v.*, t.created_at AS tag_at, t.video_id AS tag_video_id
      FROM video_tags t
      CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
      WHERE t.tag = :'top_tag' AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
  AND (t.created_at, t.video_id) < ((now() - interval '3 days'), 'ffffffff-ffff-4fff-bfff-ffffffffffff'::uuid)
      ORDER BY t.created_at DESC, t.video_id DESC
      LIMIT 51) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.tag_at DESC, v.tag_video_id DESC
LIMIT 21;
\echo '=== trending videos, first page'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       NULL::boolean AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, v.score
FROM (SELECT v.*, t.score, t.video_id AS rank_id
      FROM trending_videos t
      CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
      WHERE
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
      ORDER BY t.score DESC, t.video_id DESC
      LIMIT 51) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.score DESC, v.rank_id DESC
LIMIT 21;
\echo '=== trending videos, next page'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       NULL::boolean AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, v.score
FROM (SELECT v.*, t.score, t.video_id AS rank_id
      FROM trending_videos t
      CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
      WHERE
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
  AND (t.score, t.video_id) < (:'mid_score', 'ffffffff-ffff-4fff-bfff-ffffffffffff'::uuid)
      ORDER BY t.score DESC, t.video_id DESC
      LIMIT 51) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.score DESC, v.rank_id DESC
LIMIT 21;
\echo '=== trending tags'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT tag, videos_count FROM trending_tags ORDER BY videos_count DESC, tag LIMIT 10;
\echo '=== trending job: the steady state (1,000 new likes and 1,000 counted views folded; rolled back)'
BEGIN;
\set likes 1000
\set views 1000
\i bench/discovery/trending_activity.sql
CREATE TEMP TABLE last_run ON COMMIT DROP AS SELECT last_run_at FROM trending_state;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) WITH d AS (DELETE FROM trending_deltas RETURNING video_id, hour, units),
a AS (SELECT b.video_id, b.hour, sum(b.units) AS units FROM d b
      WHERE b.hour > (now() - interval '48 hours') - interval '1 hour' AND EXISTS (SELECT 1 FROM videos v WHERE v.id = b.video_id FOR KEY SHARE SKIP LOCKED)
      GROUP BY 1, 2),
h AS (INSERT INTO trending_hourly AS t (video_id, hour, units) SELECT video_id, hour, units FROM a
      ON CONFLICT (video_id, hour) DO UPDATE SET units = t.units + EXCLUDED.units)
INSERT INTO trending_scores AS s (video_id, score, last_hour)
SELECT b.video_id, sum(b.units * power(2::float8, extract(epoch FROM b.hour + interval '30 minutes' - (SELECT epoch FROM trending_state)) / 21600)), max(b.hour) FROM a b GROUP BY b.video_id
ON CONFLICT (video_id) DO UPDATE SET score = s.score + EXCLUDED.score, last_hour = greatest(s.last_hour, EXCLUDED.last_hour);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) WITH x AS (DELETE FROM trending_hourly t WHERE t.hour <= (now() - interval '48 hours') - interval '1 hour' RETURNING video_id, hour, units)
UPDATE trending_scores s SET score = s.score - e.score
FROM (SELECT b.video_id, sum(b.units * power(2::float8, extract(epoch FROM b.hour + interval '30 minutes' - (SELECT epoch FROM trending_state)) / 21600)) AS score FROM x b GROUP BY b.video_id) e
WHERE s.video_id = e.video_id;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) DELETE FROM trending_scores WHERE last_hour <= (now() - interval '48 hours') - interval '1 hour';
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) UPDATE trending_scores s SET score = s.score * power(2::float8, -extract(epoch FROM date_trunc('hour', now(), 'UTC') - st.epoch) / 21600)
FROM trending_state st WHERE (SELECT epoch FROM trending_state) < date_trunc('hour', now(), 'UTC') - 21600 * 64 * interval '1 second';
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) UPDATE trending_state SET epoch = date_trunc('hour', now(), 'UTC') WHERE epoch < date_trunc('hour', now(), 'UTC') - 21600 * 64 * interval '1 second';
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) DELETE FROM trending_videos;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) INSERT INTO trending_videos (video_id, score, computed_at)
SELECT s.video_id, s.score * power(2::float8, -extract(epoch FROM now() - (SELECT epoch FROM trending_state)) / 21600), now()
FROM trending_scores s
CROSS JOIN LATERAL (SELECT v.* FROM videos v WHERE v.id = s.video_id AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
                    OFFSET 0 FOR KEY SHARE SKIP LOCKED) v
WHERE s.score > 0
ORDER BY s.score DESC, s.video_id DESC
LIMIT 1000;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) UPDATE trending_state SET half_life_seconds = 21600, last_run_at = now();
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) WITH d AS (DELETE FROM trending_tag_dirty RETURNING hour),
e AS (SELECT DISTINCT date_trunc('hour', v.created_at, 'UTC') AS hour FROM videos v
      WHERE v.expires_at > (SELECT last_run_at FROM last_run) AND v.expires_at <= now() AND v.created_at > date_trunc('hour', now() - interval '24 hours', 'UTC')),
s AS (SELECT c.hour FROM trending_tag_hours_counted c
      WHERE c.hour <= date_trunc('hour', now() - interval '24 hours', 'UTC') OR c.hour >= date_trunc('hour', now(), 'UTC') OR c.computed_at > now() OR (SELECT last_run_at FROM last_run)::timestamptz IS NULL
         OR c.hour IN (SELECT hour FROM d) OR c.hour IN (SELECT hour FROM e)),
x AS (DELETE FROM trending_tag_hours_counted c USING s WHERE c.hour = s.hour)
DELETE FROM trending_tag_hours t USING s WHERE t.hour = s.hour;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) WITH r AS (SELECT g.hour FROM generate_series(date_trunc('hour', now() - interval '24 hours', 'UTC') + interval '1 hour', date_trunc('hour', now(), 'UTC') - interval '1 hour', interval '1 hour') g (hour)
           WHERE NOT EXISTS (SELECT 1 FROM trending_tag_hours_counted c WHERE c.hour = g.hour)),
m AS (INSERT INTO trending_tag_hours_counted (hour, computed_at) SELECT hour, now() FROM r)
INSERT INTO trending_tag_hours (hour, tag, videos)
SELECT r.hour, c.tag, c.n
FROM r CROSS JOIN LATERAL (
    SELECT t.tag, count(*) AS n FROM video_tags t
    CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = t.video_id OFFSET 0) v
    WHERE t.created_at >= r.hour AND t.created_at < r.hour + interval '1 hour' AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
    GROUP BY t.tag) c;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) DELETE FROM trending_tags;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) INSERT INTO trending_tags (tag, videos_count, computed_at)
SELECT e.tag, sum(e.n), now()
FROM (SELECT h.tag, h.videos AS n FROM trending_tag_hours h WHERE h.hour > date_trunc('hour', now() - interval '24 hours', 'UTC') AND h.hour < date_trunc('hour', now(), 'UTC')
      UNION ALL
      SELECT t.tag, 1 FROM video_tags t
      CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = t.video_id OFFSET 0) v
      WHERE ((t.created_at > now() - interval '24 hours' AND t.created_at < date_trunc('hour', now() - interval '24 hours', 'UTC') + interval '1 hour')
             OR (t.created_at >= date_trunc('hour', now(), 'UTC') AND t.created_at <= now())) AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)) e
GROUP BY e.tag
ORDER BY sum(e.n) DESC, e.tag
LIMIT 50;;
ROLLBACK;
