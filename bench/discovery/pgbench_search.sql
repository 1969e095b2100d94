-- pgbench baseline for GET /api/videos/search (anonymous, first page), as the endpoint runs it: one word,
-- SearchVideosSql.FullTextFirst (candidate cap 200, 50 prefix expansions, walk 250: the defaults of Discovery:*; no
-- plan_cache_mode: plan-stable, the service runs it auto-prepared, generic after five); several words,
-- SearchSeveralWordsSql.First in a transaction with custom plans; then, where the endpoint runs the typo fallback
-- (fallback = 1), SearchVideosSql.Correct and FullTextFirst again with the corrected words. Parameters: @Words, @Prefix
-- from bench_queries, @Now = now(), @Viewer = NULL, @Take = 21. Generated from the constants by
-- bench/discovery/copy_search_sql.sh.
\set k random(1, 150)
SELECT words, prefix, fallback, (cardinality(words) > 1)::int AS several FROM bench_queries WHERE i = :k \gset
\if :several
BEGIN;
SET LOCAL plan_cache_mode = force_custom_plan;
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
            LIMIT 200) c
      ORDER BY 2 DESC, 3 DESC, 1 DESC
      LIMIT 51) r
CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = r.id OFFSET 0) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY r.rank DESC, r.created_at DESC, r.id DESC
LIMIT 21
;
COMMIT;
\else
WITH q AS MATERIALIZED (SELECT iglive_search_query(:words::text[], :prefix::boolean) AS tsq),
terms AS MATERIALIZED (
    SELECT x.i, lower(iglive_unaccent(x.w)) COLLATE "C" AS u, x.i = cardinality(:words::text[]) AND :prefix::boolean AS prefix
    FROM unnest(:words::text[]) WITH ORDINALITY AS x (w, i)
    WHERE iglive_unaccent(x.w) <> ''),
lexemes AS MATERIALIZED (
    SELECT t.i, l.lexeme, l.ndoc
    FROM terms t
    CROSS JOIN LATERAL ((SELECT s.lexeme, s.ndoc FROM search_lexemes s WHERE s.lexeme >= t.u AND s.lexeme <= t.u)
                        UNION ALL
                        (SELECT s.lexeme, s.ndoc FROM search_lexemes s
                         WHERE t.prefix AND s.lexeme > t.u AND s.lexeme < t.u || chr(1114111) AND s.lexeme ^@ t.u
                         ORDER BY s.ndoc DESC, s.lexeme
                         LIMIT 50 - 1)) l),
driver AS MATERIALIZED (
    SELECT l.lexeme, l.ndoc FROM lexemes l
    WHERE l.i = (SELECT i FROM lexemes GROUP BY i ORDER BY sum(ndoc), i LIMIT 1)
      AND (SELECT count(DISTINCT i) FROM lexemes) = (SELECT count(*) FROM terms)),
since AS MATERIALIZED (
    SELECT coalesce((SELECT po.created_at FROM search_postings po
                     WHERE po.lexeme = (SELECT lexeme FROM driver ORDER BY ndoc DESC, lexeme LIMIT 1)
                       AND po.created_at <= coalesce(NULL::timestamptz::timestamptz, 'infinity')
                     ORDER BY po.created_at DESC, po.video_id DESC
                     OFFSET 250 - 1 LIMIT 1), '-infinity') AS t0)
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score, r.window_from, r.window_to
FROM (SELECT c.id, ts_rank(c.search_doc, (SELECT tsq FROM q)) AS rank, c.created_at,
             min(c.created_at) OVER () AS window_from, max(c.created_at) OVER () AS window_to
      FROM (SELECT v.id, v.search_doc, v.created_at
            FROM (SELECT DISTINCT p.created_at, p.video_id
                  FROM driver d
                  CROSS JOIN LATERAL (SELECT po.created_at, po.video_id FROM search_postings po
                                      WHERE po.lexeme = d.lexeme
                                        AND po.created_at <= coalesce(NULL::timestamptz::timestamptz, 'infinity')
                                        AND po.created_at >= (SELECT t0 FROM since)
                                      ORDER BY po.created_at DESC, po.video_id DESC
                                      LIMIT 250) p
                  ORDER BY 1 DESC, 2 DESC
                  LIMIT 250) w
            CROSS JOIN LATERAL (SELECT v.id, v.search_doc, v.created_at
                                FROM videos v
                                WHERE v.id = w.video_id AND v.search_doc @@ (SELECT tsq FROM q) AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
                                OFFSET 0) v
            ORDER BY w.created_at DESC, w.video_id DESC
            LIMIT 200) c
      ORDER BY 2 DESC, 3 DESC, 1 DESC
      LIMIT 51) r
CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = r.id OFFSET 0) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY r.rank DESC, r.created_at DESC, r.id DESC
LIMIT 21
;
\endif
\if :fallback
SELECT (SELECT coalesce(array_agg(coalesce(c.lexeme, x.w) ORDER BY x.i), '{}')
FROM unnest(:words::text[]) WITH ORDINALITY AS x (w, i)
LEFT JOIN LATERAL (SELECT s.lexeme FROM search_lexemes s
                   WHERE length(x.w) >= 3 AND s.lexeme % lower(iglive_unaccent(x.w)) AND length(s.lexeme) <= 64
                   ORDER BY s.lexeme <-> lower(iglive_unaccent(x.w)), s.ndoc DESC, s.lexeme
                   LIMIT 1) c ON true) AS corrected \gset
WITH q AS MATERIALIZED (SELECT iglive_search_query(:corrected::text[], :prefix::boolean) AS tsq),
terms AS MATERIALIZED (
    SELECT x.i, lower(iglive_unaccent(x.w)) COLLATE "C" AS u, x.i = cardinality(:corrected::text[]) AND :prefix::boolean AS prefix
    FROM unnest(:corrected::text[]) WITH ORDINALITY AS x (w, i)
    WHERE iglive_unaccent(x.w) <> ''),
lexemes AS MATERIALIZED (
    SELECT t.i, l.lexeme, l.ndoc
    FROM terms t
    CROSS JOIN LATERAL ((SELECT s.lexeme, s.ndoc FROM search_lexemes s WHERE s.lexeme >= t.u AND s.lexeme <= t.u)
                        UNION ALL
                        (SELECT s.lexeme, s.ndoc FROM search_lexemes s
                         WHERE t.prefix AND s.lexeme > t.u AND s.lexeme < t.u || chr(1114111) AND s.lexeme ^@ t.u
                         ORDER BY s.ndoc DESC, s.lexeme
                         LIMIT 50 - 1)) l),
driver AS MATERIALIZED (
    SELECT l.lexeme, l.ndoc FROM lexemes l
    WHERE l.i = (SELECT i FROM lexemes GROUP BY i ORDER BY sum(ndoc), i LIMIT 1)
      AND (SELECT count(DISTINCT i) FROM lexemes) = (SELECT count(*) FROM terms)),
since AS MATERIALIZED (
    SELECT coalesce((SELECT po.created_at FROM search_postings po
                     WHERE po.lexeme = (SELECT lexeme FROM driver ORDER BY ndoc DESC, lexeme LIMIT 1)
                       AND po.created_at <= coalesce(NULL::timestamptz::timestamptz, 'infinity')
                     ORDER BY po.created_at DESC, po.video_id DESC
                     OFFSET 250 - 1 LIMIT 1), '-infinity') AS t0)
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score, r.window_from, r.window_to
FROM (SELECT c.id, ts_rank(c.search_doc, (SELECT tsq FROM q)) AS rank, c.created_at,
             min(c.created_at) OVER () AS window_from, max(c.created_at) OVER () AS window_to
      FROM (SELECT v.id, v.search_doc, v.created_at
            FROM (SELECT DISTINCT p.created_at, p.video_id
                  FROM driver d
                  CROSS JOIN LATERAL (SELECT po.created_at, po.video_id FROM search_postings po
                                      WHERE po.lexeme = d.lexeme
                                        AND po.created_at <= coalesce(NULL::timestamptz::timestamptz, 'infinity')
                                        AND po.created_at >= (SELECT t0 FROM since)
                                      ORDER BY po.created_at DESC, po.video_id DESC
                                      LIMIT 250) p
                  ORDER BY 1 DESC, 2 DESC
                  LIMIT 250) w
            CROSS JOIN LATERAL (SELECT v.id, v.search_doc, v.created_at
                                FROM videos v
                                WHERE v.id = w.video_id AND v.search_doc @@ (SELECT tsq FROM q) AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
                                OFFSET 0) v
            ORDER BY w.created_at DESC, w.video_id DESC
            LIMIT 200) c
      ORDER BY 2 DESC, 3 DESC, 1 DESC
      LIMIT 51) r
CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = r.id OFFSET 0) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY r.rank DESC, r.created_at DESC, r.id DESC
LIMIT 21
;
\endif
