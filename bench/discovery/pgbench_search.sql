-- pgbench baseline for GET /api/videos/search (anonymous, first page): full-text, then the trigram fallback when nothing matched
-- A copy of SearchVideosSql.FullTextFirst and FuzzyFirst with the endpoint's parameters (@Words, @Prefix, @Fuzzy from the query, @Now = now(), @Viewer = NULL, @Take = 21); a random query of bench_queries (queries.sql)
-- per transaction, and the trigram fallback only where the endpoint runs it (fallback = 1).
\set k random(1, 150)
SELECT words, prefix, coalesce(fuzzy, q) AS fuzzy, fallback FROM bench_queries WHERE i = :k \gset
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score
FROM (SELECT v.id, ts_rank(v.search_doc, q.q) AS rank, v.created_at
      FROM (SELECT to_tsquery('simple', string_agg(
            '''' || replace(replace(u, '\', '\\'), '''', '''''') || ''''
            || CASE WHEN i = cardinality(:words::text[]) AND :prefix::boolean THEN ':*' ELSE '' END, ' & ' ORDER BY i)) AS q
 FROM (SELECT iglive_unaccent(w) AS u, i FROM unnest(:words::text[]) WITH ORDINALITY AS x (w, i)) x
 WHERE u <> '') q
      JOIN videos v ON v.search_doc @@ q.q
      WHERE 
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
      ORDER BY 2 DESC, 3 DESC, 1 DESC
      LIMIT 51) r
CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = r.id OFFSET 0) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY r.rank DESC, r.created_at DESC, r.id DESC
LIMIT 21;
\if :fallback
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score
FROM (SELECT v.id, word_similarity(iglive_unaccent(:fuzzy), iglive_video_fuzzy_text(v.title, v.tags)) AS rank, v.created_at
      FROM videos v
      WHERE iglive_video_fuzzy_text(v.title, v.tags) %> iglive_unaccent(:fuzzy) AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
      ORDER BY 2 DESC, 3 DESC, 1 DESC
      LIMIT 51) r
CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = r.id OFFSET 0) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY r.rank DESC, r.created_at DESC, r.id DESC
LIMIT 21;
\endif
