-- The following feed before and after the pull-side floor (GetFollowingFeedSql.Next), GENERIC plans as Npgsql's
-- auto-prepared statements run them, on bench/graph/seed.sql: a typical user (user 777: ~90 ordinary follows, 10 pulled
-- big accounts) and user 1999 (follows 2,000), cursors 1 and 10 days deep and one 13.9 days deep (the inbox's end: the
-- push side runs short, so the pull side has no floor). limit=20 (@Take = 21).
-- Run: bench/feed/db.sh psql -f bench/graph/explain_following_floor.sql
SET plan_cache_mode = force_generic_plan;
PREPARE before(uuid, timestamptz, uuid, timestamptz, int) AS
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = $1) AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM (
    (SELECT v.* FROM feed_inbox i
     CROSS JOIN LATERAL (SELECT * FROM videos v
                         WHERE v.id = i.video_id AND v.expires_at > $4 AND v.status = 'ready' AND v.removed_at IS NULL
                           AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = $1
                                                       UNION ALL
                                                       SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = $1))
                           AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0) OFFSET 0) v
     WHERE i.user_id = $1
       AND EXISTS (SELECT 1 FROM user_follows f WHERE f.follower_id = $1 AND f.followee_id = i.author_id OFFSET 0)
       AND (i.created_at, i.video_id) < ($2, $3)
     ORDER BY i.created_at DESC, i.video_id DESC LIMIT 51)
    UNION ALL
    (SELECT v.* FROM feed_pull_authors pa
     CROSS JOIN LATERAL (SELECT * FROM videos v
                         WHERE v.user_id = pa.user_id AND v.created_at >= pa.since
                           AND v.expires_at > $4 AND v.status = 'ready' AND v.removed_at IS NULL
                           AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = $1
                                                       UNION ALL
                                                       SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = $1))
                           AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
                           AND (v.created_at, v.id) < ($2, $3)
                         ORDER BY v.created_at DESC, v.id DESC LIMIT 51) v
     WHERE EXISTS (SELECT 1 FROM user_follows f WHERE f.follower_id = $1 AND f.followee_id = pa.user_id OFFSET 0)
       AND NOT EXISTS (SELECT 1 FROM feed_inbox i WHERE i.user_id = $1 AND i.created_at = v.created_at
                                                 AND i.video_id = v.id OFFSET 0))
    ORDER BY created_at DESC, id DESC
    LIMIT 51) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.created_at DESC, v.id DESC
LIMIT $5;
PREPARE after(uuid, timestamptz, uuid, timestamptz, int) AS
WITH push AS MATERIALIZED (
    SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type, v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count, v.created_at, v.expires_at, v.user_id
    FROM feed_inbox i
    CROSS JOIN LATERAL (SELECT * FROM videos v
                        WHERE v.id = i.video_id AND v.expires_at > $4 AND v.status = 'ready' AND v.removed_at IS NULL
                          AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = $1
                                                      UNION ALL
                                                      SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = $1))
                          AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0) OFFSET 0) v
    WHERE i.user_id = $1
      AND EXISTS (SELECT 1 FROM user_follows f WHERE f.follower_id = $1 AND f.followee_id = i.author_id OFFSET 0)
      AND (i.created_at, i.video_id) < ($2, $3)
    ORDER BY i.created_at DESC, i.video_id DESC
    LIMIT $5),
floor AS (SELECT created_at FROM push ORDER BY created_at DESC, id DESC OFFSET $5 - 1 LIMIT 1)
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = $1) AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM (
    (SELECT * FROM push)
    UNION ALL
    (SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type, v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count, v.created_at, v.expires_at, v.user_id
     FROM feed_pull_authors pa
     CROSS JOIN LATERAL (SELECT * FROM videos v
                         WHERE v.user_id = pa.user_id AND v.created_at >= pa.since
                           AND v.created_at >= COALESCE((SELECT created_at FROM floor), '-infinity'::timestamptz)
                           AND v.expires_at > $4 AND v.status = 'ready' AND v.removed_at IS NULL
                           AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = $1
                                                      UNION ALL
                                                      SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = $1))
                           AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
                           AND (v.created_at, v.id) < ($2, $3)
                         ORDER BY v.created_at DESC, v.id DESC LIMIT $5) v
     WHERE EXISTS (SELECT 1 FROM user_follows f WHERE f.follower_id = $1 AND f.followee_id = pa.user_id OFFSET 0)
       AND NOT EXISTS (SELECT 1 FROM feed_inbox i WHERE i.user_id = $1 AND i.created_at = v.created_at
                                                 AND i.video_id = v.id OFFSET 0))
    ORDER BY created_at DESC, id DESC
    LIMIT $5) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.created_at DESC, v.id DESC
LIMIT $5;
\echo '### before: typical user (user777), cursor 1 day deep'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
EXECUTE before('00000000-0000-4000-9000-000000000309', now() - interval '1 day', '00000000-0000-4000-8000-00000000ffff', now(), 21);
\echo '### before: user1999 (follows 2,000), cursor 1 day deep'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
EXECUTE before('00000000-0000-4000-9000-0000000007cf', now() - interval '1 day', '00000000-0000-4000-8000-00000000ffff', now(), 21);
\echo '### before: typical user (user777), cursor 10 days deep'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
EXECUTE before('00000000-0000-4000-9000-000000000309', now() - interval '10 days', '00000000-0000-4000-8000-00000000ffff', now(), 21);
\echo '### before: typical user (user777), cursor 13.9 days deep (end of the inbox)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
EXECUTE before('00000000-0000-4000-9000-000000000309', now() - interval '13.9 days', '00000000-0000-4000-8000-00000000ffff', now(), 21);
\echo '### after: typical user (user777), cursor 1 day deep'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
EXECUTE after('00000000-0000-4000-9000-000000000309', now() - interval '1 day', '00000000-0000-4000-8000-00000000ffff', now(), 21);
\echo '### after: user1999 (follows 2,000), cursor 1 day deep'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
EXECUTE after('00000000-0000-4000-9000-0000000007cf', now() - interval '1 day', '00000000-0000-4000-8000-00000000ffff', now(), 21);
\echo '### after: typical user (user777), cursor 10 days deep'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
EXECUTE after('00000000-0000-4000-9000-000000000309', now() - interval '10 days', '00000000-0000-4000-8000-00000000ffff', now(), 21);
\echo '### after: typical user (user777), cursor 13.9 days deep (end of the inbox)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
EXECUTE after('00000000-0000-4000-9000-000000000309', now() - interval '13.9 days', '00000000-0000-4000-8000-00000000ffff', now(), 21);
RESET plan_cache_mode;
