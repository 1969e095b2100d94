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
\startpipeline
DO $$BEGIN PERFORM set_config('plan_cache_mode', 'force_custom_plan', true); PERFORM set_config('jit', 'off', true); END$$;
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score, r.window_from, r.window_to
FROM (SELECT c.id, ts_rank(c.search_doc, iglive_search_query(:words::text[], :prefix::boolean)) AS rank, c.created_at,
             min(c.created_at) OVER () AS window_from, max(c.created_at) OVER () AS window_to
      FROM (SELECT v.id, v.search_doc, v.created_at
            FROM videos v
            WHERE v.search_doc @@ iglive_search_query(:words::text[], :prefix::boolean) AND 
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
            ORDER BY v.created_at DESC, v.id DESC
            LIMIT :cap) c
      ORDER BY 2 DESC, 3 DESC, 1 DESC
      LIMIT 51) r
CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = r.id OFFSET 0) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY r.rank DESC, r.created_at DESC, r.id DESC
LIMIT :take;
\endpipeline
\else
\startpipeline
DO $$BEGIN PERFORM set_config('plan_cache_mode', 'force_generic_plan', true); PERFORM set_config('jit', 'off', true); END$$;
WITH lexemes AS MATERIALIZED (
    SELECT l.lexeme, l.ndoc
    FROM (SELECT lower(iglive_unaccent((:words::text[])[1])) COLLATE "C" AS u) t
    CROSS JOIN LATERAL ((SELECT s.lexeme, s.ndoc FROM search_lexemes s WHERE s.lexeme >= t.u AND s.lexeme <= t.u)
                        UNION ALL
                        (SELECT s.lexeme, s.ndoc FROM search_lexemes s
                         WHERE :prefix::boolean AND s.lexeme > t.u AND s.lexeme < t.u || chr(1114111) AND s.lexeme ^@ t.u
                         ORDER BY s.ndoc DESC, s.lexeme
                         LIMIT :expansions - 1)) l
    WHERE t.u <> ''),

since AS MATERIALIZED (
    SELECT coalesce((SELECT po.created_at FROM search_postings po
                     WHERE po.lexeme = (SELECT lexeme FROM lexemes ORDER BY ndoc DESC, lexeme LIMIT 1)
                     ORDER BY po.created_at DESC, po.video_id DESC
                     OFFSET (SELECT least(:walk, ceil((1.25 * :walk + 10) * max(ndoc) / nullif(sum(ndoc), 0)))::integer - 1 FROM lexemes)
                     LIMIT 1), '-infinity') AS t0),
estimated AS MATERIALIZED (
    SELECT p.created_at, p.video_id, sum(p.rank ORDER BY p.lexeme) AS rank
    FROM lexemes l
    CROSS JOIN LATERAL (SELECT po.lexeme, po.created_at, po.video_id, po.rank FROM search_postings po
                        WHERE po.lexeme = l.lexeme
                          AND po.created_at <= coalesce(NULL::timestamptz::timestamptz, 'infinity')
                          AND po.created_at >= (SELECT t0 FROM since)
                        ORDER BY po.created_at DESC, po.video_id DESC
                        LIMIT :walk) p
    GROUP BY p.created_at, p.video_id
    ORDER BY p.created_at DESC, p.video_id DESC
    LIMIT :walk),
exact AS MATERIALIZED (
    SELECT coalesce((SELECT po.created_at FROM search_postings po
                     WHERE po.lexeme = (SELECT lexeme FROM lexemes ORDER BY ndoc DESC, lexeme LIMIT 1)
                     ORDER BY po.created_at DESC, po.video_id DESC
                     OFFSET :walk - 1
                     LIMIT 1), '-infinity') AS t0),
enough AS MATERIALIZED (
    SELECT (SELECT count(*) FROM estimated) >= :walk OR (SELECT t0 FROM since) = '-infinity' AS ok),
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
                        LIMIT :walk) p
    GROUP BY p.created_at, p.video_id
    ORDER BY p.created_at DESC, p.video_id DESC
    LIMIT :walk) w
    WHERE NOT (SELECT ok FROM enough))
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       NULL::boolean AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, v.rank AS score, (SELECT min(created_at) FROM walk) AS window_from, (SELECT max(created_at) FROM walk) AS window_to,
       (SELECT count(*) FROM walk) AS candidates,
       CASE WHEN :prefix::boolean AND row_number() OVER (ORDER BY v.rank DESC, v.walk_at DESC, v.id DESC) = :take - 1
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
      LIMIT :take) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.rank DESC, v.walk_at DESC, v.id DESC
LIMIT :take;
\endpipeline
\endif
\if :fallback
SELECT c.corrected, (cardinality(c.corrected) > 0)::int AS changed FROM (SELECT CASE WHEN bool_or(c.lexeme <> lower(iglive_unaccent(x.w))) THEN array_agg(coalesce(c.lexeme, x.w) ORDER BY x.i) ELSE '{}' END AS corrected
FROM unnest(:words::text[]) WITH ORDINALITY AS x (w, i)
LEFT JOIN LATERAL (SELECT s.lexeme FROM search_lexemes s
                   WHERE length(x.w) >= 3 AND s.lexeme % lower(iglive_unaccent(x.w)) AND length(s.lexeme) <= 64
                   ORDER BY s.lexeme <-> lower(iglive_unaccent(x.w)), s.ndoc DESC, s.lexeme
                   LIMIT 1) c ON true) c \gset
\if :changed
\startpipeline
DO $$BEGIN PERFORM set_config('plan_cache_mode', 'force_generic_plan', true); PERFORM set_config('jit', 'off', true); END$$;
WITH lexemes AS MATERIALIZED (
    SELECT l.lexeme, l.ndoc
    FROM (SELECT lower(iglive_unaccent((:corrected::text[])[1])) COLLATE "C" AS u) t
    CROSS JOIN LATERAL ((SELECT s.lexeme, s.ndoc FROM search_lexemes s WHERE s.lexeme >= t.u AND s.lexeme <= t.u)
                        UNION ALL
                        (SELECT s.lexeme, s.ndoc FROM search_lexemes s
                         WHERE :prefix::boolean AND s.lexeme > t.u AND s.lexeme < t.u || chr(1114111) AND s.lexeme ^@ t.u
                         ORDER BY s.ndoc DESC, s.lexeme
                         LIMIT :expansions - 1)) l
    WHERE t.u <> ''),

since AS MATERIALIZED (
    SELECT coalesce((SELECT po.created_at FROM search_postings po
                     WHERE po.lexeme = (SELECT lexeme FROM lexemes ORDER BY ndoc DESC, lexeme LIMIT 1)
                     ORDER BY po.created_at DESC, po.video_id DESC
                     OFFSET (SELECT least(:walk, ceil((1.25 * :walk + 10) * max(ndoc) / nullif(sum(ndoc), 0)))::integer - 1 FROM lexemes)
                     LIMIT 1), '-infinity') AS t0),
estimated AS MATERIALIZED (
    SELECT p.created_at, p.video_id, sum(p.rank ORDER BY p.lexeme) AS rank
    FROM lexemes l
    CROSS JOIN LATERAL (SELECT po.lexeme, po.created_at, po.video_id, po.rank FROM search_postings po
                        WHERE po.lexeme = l.lexeme
                          AND po.created_at <= coalesce(NULL::timestamptz::timestamptz, 'infinity')
                          AND po.created_at >= (SELECT t0 FROM since)
                        ORDER BY po.created_at DESC, po.video_id DESC
                        LIMIT :walk) p
    GROUP BY p.created_at, p.video_id
    ORDER BY p.created_at DESC, p.video_id DESC
    LIMIT :walk),
exact AS MATERIALIZED (
    SELECT coalesce((SELECT po.created_at FROM search_postings po
                     WHERE po.lexeme = (SELECT lexeme FROM lexemes ORDER BY ndoc DESC, lexeme LIMIT 1)
                     ORDER BY po.created_at DESC, po.video_id DESC
                     OFFSET :walk - 1
                     LIMIT 1), '-infinity') AS t0),
enough AS MATERIALIZED (
    SELECT (SELECT count(*) FROM estimated) >= :walk OR (SELECT t0 FROM since) = '-infinity' AS ok),
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
                        LIMIT :walk) p
    GROUP BY p.created_at, p.video_id
    ORDER BY p.created_at DESC, p.video_id DESC
    LIMIT :walk) w
    WHERE NOT (SELECT ok FROM enough))
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       NULL::boolean AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, v.rank AS score, (SELECT min(created_at) FROM walk) AS window_from, (SELECT max(created_at) FROM walk) AS window_to,
       (SELECT count(*) FROM walk) AS candidates,
       CASE WHEN :prefix::boolean AND row_number() OVER (ORDER BY v.rank DESC, v.walk_at DESC, v.id DESC) = :take - 1
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
      LIMIT :take) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.rank DESC, v.walk_at DESC, v.id DESC
LIMIT :take;
\endpipeline
\endif
\endif
