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
       (SELECT score FROM trending_videos ORDER BY score DESC LIMIT 1 OFFSET 500) AS mid_score \gset
\echo 'common: ' :common_words ' two words: ' :two_words ' prefix: ' :prefix_words ' typo: ' :typo_q ' no hit: ' :nohit_q ' tag: ' :top_tag
\echo '=== search, full text, most common word'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score
FROM (SELECT v.id, ts_rank(v.search_doc, q.q) AS rank, v.created_at
      FROM (SELECT to_tsquery('simple', string_agg(
            '''' || replace(replace(u, '\', '\\'), '''', '''''') || ''''
            || CASE WHEN i = cardinality(:'common_words'::text[]) AND true THEN ':*' ELSE '' END, ' & ' ORDER BY i)) AS q
 FROM (SELECT iglive_unaccent(w) AS u, i FROM unnest(:'common_words'::text[]) WITH ORDINALITY AS x (w, i)) x
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
\echo '=== search, full text, two words'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score
FROM (SELECT v.id, ts_rank(v.search_doc, q.q) AS rank, v.created_at
      FROM (SELECT to_tsquery('simple', string_agg(
            '''' || replace(replace(u, '\', '\\'), '''', '''''') || ''''
            || CASE WHEN i = cardinality(:'two_words'::text[]) AND true THEN ':*' ELSE '' END, ' & ' ORDER BY i)) AS q
 FROM (SELECT iglive_unaccent(w) AS u, i FROM unnest(:'two_words'::text[]) WITH ORDINALITY AS x (w, i)) x
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
\echo '=== search, full text, 4-letter prefix'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score
FROM (SELECT v.id, ts_rank(v.search_doc, q.q) AS rank, v.created_at
      FROM (SELECT to_tsquery('simple', string_agg(
            '''' || replace(replace(u, '\', '\\'), '''', '''''') || ''''
            || CASE WHEN i = cardinality(:'prefix_words'::text[]) AND true THEN ':*' ELSE '' END, ' & ' ORDER BY i)) AS q
 FROM (SELECT iglive_unaccent(w) AS u, i FROM unnest(:'prefix_words'::text[]) WITH ORDINALITY AS x (w, i)) x
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
\echo '=== search, full text, next page (common word)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score
FROM (SELECT v.id, ts_rank(v.search_doc, q.q) AS rank, v.created_at
      FROM (SELECT to_tsquery('simple', string_agg(
            '''' || replace(replace(u, '\', '\\'), '''', '''''') || ''''
            || CASE WHEN i = cardinality(:'common_words'::text[]) AND true THEN ':*' ELSE '' END, ' & ' ORDER BY i)) AS q
 FROM (SELECT iglive_unaccent(w) AS u, i FROM unnest(:'common_words'::text[]) WITH ORDINALITY AS x (w, i)) x
 WHERE u <> '') q
      JOIN videos v ON v.search_doc @@ q.q
      WHERE 
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
        AND (ts_rank(v.search_doc, q.q), v.created_at, v.id) < (0.05::real, now(), 'ffffffff-ffff-4fff-bfff-ffffffffffff'::uuid)
      ORDER BY 2 DESC, 3 DESC, 1 DESC
      LIMIT 51) r
CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = r.id OFFSET 0) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY r.rank DESC, r.created_at DESC, r.id DESC
LIMIT 21;
\echo '=== search, trigram fallback, typo'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score
FROM (SELECT v.id, word_similarity(iglive_unaccent(:'typo_q'), iglive_video_fuzzy_text(v.title, v.tags)) AS rank, v.created_at
      FROM videos v
      WHERE iglive_video_fuzzy_text(v.title, v.tags) %> iglive_unaccent(:'typo_q') AND
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
\echo '=== search, trigram fallback, no hit'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score
FROM (SELECT v.id, word_similarity(iglive_unaccent(:'nohit_q'), iglive_video_fuzzy_text(v.title, v.tags)) AS rank, v.created_at
      FROM videos v
      WHERE iglive_video_fuzzy_text(v.title, v.tags) %> iglive_unaccent(:'nohit_q') AND
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
\echo '=== search, signed-in viewer (block list InitPlan, liked_by_me)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN '00000000-0000-4000-9000-000000000001'::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = '00000000-0000-4000-9000-000000000001'::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, r.rank AS score
FROM (SELECT v.id, ts_rank(v.search_doc, q.q) AS rank, v.created_at
      FROM (SELECT to_tsquery('simple', string_agg(
            '''' || replace(replace(u, '\', '\\'), '''', '''''') || ''''
            || CASE WHEN i = cardinality(:'two_words'::text[]) AND true THEN ':*' ELSE '' END, ' & ' ORDER BY i)) AS q
 FROM (SELECT iglive_unaccent(w) AS u, i FROM unnest(:'two_words'::text[]) WITH ORDINALITY AS x (w, i)) x
 WHERE u <> '') q
      JOIN videos v ON v.search_doc @@ q.q
      WHERE 
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = '00000000-0000-4000-9000-000000000001'::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = '00000000-0000-4000-9000-000000000001'::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
      ORDER BY 2 DESC, 3 DESC, 1 DESC
      LIMIT 51) r
CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = r.id OFFSET 0) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY r.rank DESC, r.created_at DESC, r.id DESC
LIMIT 21;
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
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM (SELECT t.video_id, t.created_at FROM video_tags t WHERE t.tag = :'top_tag'
      ORDER BY t.created_at DESC, t.video_id DESC) t
CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
WHERE 
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
ORDER BY t.created_at DESC, t.video_id DESC
LIMIT 21;
\echo '=== tag page, next page'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM (SELECT t.video_id, t.created_at FROM video_tags t WHERE t.tag = :'top_tag'  AND (t.created_at, t.video_id) < (now() - interval '3 days', 'ffffffff-ffff-4fff-bfff-ffffffffffff'::uuid)
      ORDER BY t.created_at DESC, t.video_id DESC) t
CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
WHERE 
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
ORDER BY t.created_at DESC, t.video_id DESC
LIMIT 21;
\echo '=== trending videos, first page'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, t.score
FROM (SELECT video_id, score FROM trending_videos
      ORDER BY score DESC, video_id DESC) t
CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
WHERE 
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
ORDER BY t.score DESC, t.video_id DESC
LIMIT 21;
\echo '=== trending videos, next page'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, t.score
FROM (SELECT video_id, score FROM trending_videos  WHERE (score, video_id) < (:'mid_score', 'ffffffff-ffff-4fff-bfff-ffffffffffff'::uuid)
      ORDER BY score DESC, video_id DESC) t
CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
WHERE 
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
ORDER BY t.score DESC, t.video_id DESC
LIMIT 21;
\echo '=== trending tags'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT tag, videos_count FROM trending_tags ORDER BY videos_count DESC, tag LIMIT 10;
\echo '=== trending job (one run, rolled back)'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) INSERT INTO trending_videos (video_id, score, computed_at)
SELECT e.video_id, sum(e.weight * exp(-ln(2) * extract(epoch FROM now() - e.at) / 21600)), now()
FROM (SELECT video_id, 3.0 AS weight, created_at AS at FROM video_likes WHERE created_at > now() - interval '48 hours' AND created_at <= now()
      UNION ALL
      SELECT video_id, 5.0, created_at FROM video_comments WHERE created_at > now() - interval '48 hours' AND created_at <= now()
      UNION ALL
      SELECT video_id, 1.0, last_counted_at FROM video_views WHERE last_counted_at > now() - interval '48 hours' AND last_counted_at <= now()) e
JOIN videos v ON v.id = e.video_id
WHERE
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
GROUP BY e.video_id
ORDER BY 2 DESC, e.video_id DESC
LIMIT 1000;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) INSERT INTO trending_tags (tag, videos_count, computed_at)
SELECT t.tag, count(*), now()
FROM video_tags t JOIN videos v ON v.id = t.video_id
WHERE t.created_at > now() - interval '24 hours' AND t.created_at <= now() AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
GROUP BY t.tag
ORDER BY count(*) DESC, t.tag
LIMIT 50;
ROLLBACK;
