-- pgbench baseline for GET /api/videos/search (anonymous, first page): SearchVideosSql.FullTextFirst (candidate cap 200,
-- the default Discovery:SearchCandidates), then, where the endpoint runs the typo fallback (fallback = 1), SearchVideosSql.Correct and FullTextFirst again with the corrected words,
-- with the endpoint's parameters (@Words, @Prefix, @Fuzzy from bench_queries, @Now = now(), @Viewer = NULL, @Take = 21).
-- The service runs these with plan_cache_mode = force_custom_plan; run.sh gives pgbench the same (PGOPTIONS).
\set k random(1, 150)
SELECT words, prefix, coalesce(fuzzy, q) AS fuzzy, fallback FROM bench_queries WHERE i = :k \gset
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
LIMIT 21;
\if :fallback
SELECT (SELECT coalesce(array_agg(coalesce(c.word, x.w) ORDER BY x.i), '{}')
        FROM unnest(:words::text[]) WITH ORDINALITY AS x (w, i)
        LEFT JOIN LATERAL (SELECT s.word FROM search_words s
                           WHERE length(x.w) >= 3 AND s.word % iglive_unaccent(x.w)
                           ORDER BY s.word <-> iglive_unaccent(x.w), s.word
                           LIMIT 1) c ON true) AS corrected \gset
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score, r.window_from, r.window_to
FROM (SELECT c.id, ts_rank(c.search_doc, iglive_search_query(:corrected::text[], :prefix::boolean)) AS rank, c.created_at,
             min(c.created_at) OVER () AS window_from, max(c.created_at) OVER () AS window_to
      FROM (SELECT v.id, v.search_doc, v.created_at
            FROM videos v
            WHERE v.search_doc @@ iglive_search_query(:corrected::text[], :prefix::boolean) AND
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
LIMIT 21;
\endif
