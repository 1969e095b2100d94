-- EXPLAIN (ANALYZE, BUFFERS) of the feed slices' SQL on the seeded data set (bench/feed/seed.sql), with the
-- statements copied from Features/*/…Sql.cs (@Param → literal). Writes nothing: modifications are rolled back.
-- Run: bench/feed/db.sh psql -f bench/feed/explain.sql
\pset pager off
SELECT t0 AS now FROM (SELECT max(created_at) AS t0 FROM videos) s \gset
-- viewer = user 4242; deep cursor = video 500000 (about halfway down the feed)
SELECT created_at AS cur_at, id AS cur_id FROM videos WHERE id = '00000000-0000-4000-8000-00000007a120' \gset
-- comment cursor = comment 100003 (video 4, about half of its 200 comments above it)
SELECT created_at AS ccur_at, id AS ccur_id FROM video_comments WHERE id = '00000000-0000-4000-a000-0000000186a3' \gset

\echo '### feed, anonymous, first page (GetFeedSql.FirstAnonymous, limit 20 → 21 rows)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       NULL::boolean AS liked_by_me, v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM (SELECT * FROM videos WHERE expires_at > :'now'
      ORDER BY created_at DESC, id DESC LIMIT 51) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.created_at DESC, v.id DESC
LIMIT 21;

\echo '### feed, authenticated, deep cursor (GetFeedSql.NextForViewer)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = '00000000-0000-4000-9000-000000001092') AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM (SELECT * FROM videos WHERE expires_at > :'now' AND (created_at, id) < (:'cur_at', :'cur_id')
      ORDER BY created_at DESC, id DESC LIMIT 51) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.created_at DESC, v.id DESC
LIMIT 21;

\echo '### video by id, authenticated (GetVideoSql.ForViewer)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = '00000000-0000-4000-9000-000000001092') AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM videos v JOIN profiles p ON p.id = v.user_id
WHERE v.id = '00000000-0000-4000-8000-000000000457' AND v.expires_at > :'now';

\echo '### like toggle (LikeVideoSql.LockVideo, then LikeVideoSql.Toggle, one batch = one transaction)'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT 1 FROM videos WHERE id = '00000000-0000-4000-8000-000000000457' AND expires_at > :'now' FOR NO KEY UPDATE;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
WITH v AS (SELECT id FROM videos WHERE id = '00000000-0000-4000-8000-000000000457' AND expires_at > :'now'),
     del AS (DELETE FROM video_likes WHERE video_id = (SELECT id FROM v) AND user_id = '00000000-0000-4000-9000-000000001092' RETURNING 1),
     ins AS (INSERT INTO video_likes (video_id, user_id, created_at)
             SELECT id, '00000000-0000-4000-9000-000000001092', :'now' FROM v WHERE NOT EXISTS (SELECT 1 FROM del)
             ON CONFLICT (video_id, user_id) DO NOTHING RETURNING 1)
UPDATE videos SET likes_count = likes_count + (SELECT count(*) FROM ins) - (SELECT count(*) FROM del)
WHERE id = (SELECT id FROM v)
RETURNING NOT EXISTS (SELECT 1 FROM del) AS liked, likes_count;
ROLLBACK;

\echo '### comment insert (AddCommentSql.Insert)'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
WITH v AS (UPDATE videos SET comments_count = comments_count + 1
           WHERE id = '00000000-0000-4000-8000-000000000457' AND expires_at > :'now' RETURNING id),
     c AS (INSERT INTO video_comments (id, video_id, user_id, text, created_at)
           SELECT gen_random_uuid(), id, '00000000-0000-4000-9000-000000001092', 'nice', :'now' FROM v
           RETURNING id, video_id, user_id, text, created_at)
SELECT c.id, c.video_id, c.text, c.created_at, p.id, p.username, p.display_name, p.avatar_url
FROM c JOIN profiles p ON p.id = c.user_id;
ROLLBACK;

\echo '### comment list, page after a cursor (ListCommentsSql.Next; the liveness check ListCommentsSql.Live runs only for an empty page)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT c.id, c.video_id, c.text, c.created_at, p.id, p.username, p.display_name, p.avatar_url
FROM (SELECT id, video_id, user_id, text, created_at FROM video_comments
      WHERE video_id = '00000000-0000-4000-8000-000000000004'
        AND (created_at, id) < (:'ccur_at', :'ccur_id')
      ORDER BY created_at DESC, id DESC LIMIT 51) c
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = c.user_id OFFSET 0) p
WHERE EXISTS (SELECT 1 FROM videos WHERE id = '00000000-0000-4000-8000-000000000004' AND expires_at > :'now')
ORDER BY c.created_at DESC, c.id DESC
LIMIT 21;

\echo '### feed, authenticated, deep cursor, GENERIC plan (what a prepared statement may switch to: Npgsql auto-prepares)'
\echo '### (measured earlier: with LIMIT $5 inside the derived table and a plain JOIN profiles this generic plan hash-joined all'
\echo '###  100k profiles and paid JIT: 10-20 ms; the shape below is what GetFeedSql sends)'
SET plan_cache_mode = force_generic_plan;
PREPARE feed_next(timestamptz, uuid, timestamptz, uuid, int) AS
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = $2) AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM (SELECT * FROM videos WHERE expires_at > $1 AND (created_at, id) < ($3, $4)
      ORDER BY created_at DESC, id DESC LIMIT 51) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.created_at DESC, v.id DESC
LIMIT $5;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE feed_next(:'now', '00000000-0000-4000-9000-000000001092', :'cur_at', :'cur_id', 21);
RESET plan_cache_mode;
