-- The following feed (GetFollowingFeedSql.Next), GENERIC plan as Npgsql's auto-prepared statement runs it, on
-- bench/graph/seed.sql: a typical user (user 777: ~90 ordinary follows, 10 pulled big accounts) and user 1999, who
-- follows 2,000 accounts; a cursor one day deep and one ten days deep. Then the follow statement (rolled back).
-- Run: bench/feed/db.sh psql -f bench/graph/explain_following.sql
SET plan_cache_mode = force_generic_plan;
PREPARE following(uuid, timestamptz, uuid, timestamptz, int) AS
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

SELECT following_count FROM profiles WHERE username IN ('user777', 'user1999');
\echo '### typical user (user777), cursor 1 day deep'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
EXECUTE following('00000000-0000-4000-9000-000000000309', now() - interval '1 day', '00000000-0000-4000-8000-00000000ffff', now(), 21);
\echo '### user1999 (follows 2,000), cursor 1 day deep'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
EXECUTE following('00000000-0000-4000-9000-0000000007cf', now() - interval '1 day', '00000000-0000-4000-8000-00000000ffff', now(), 21);
\echo '### user1999 (follows 2,000), cursor 10 days deep'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
EXECUTE following('00000000-0000-4000-9000-0000000007cf', now() - interval '10 days', '00000000-0000-4000-8000-00000000ffff', now(), 21);
RESET plan_cache_mode;
\echo '### follow (PairStatement.LockPair + FollowUserSql.Follow), user777 follows user55555, rolled back'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT 1 FROM profiles WHERE id = '00000000-0000-4000-9000-000000000309' OR lower(username) = lower('user55555') ORDER BY id FOR NO KEY UPDATE;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
WITH target AS (SELECT p.id, p.followers_count FROM profiles p WHERE lower(p.username) = lower('user55555')),
     blocked AS (SELECT EXISTS (SELECT 1 FROM target t WHERE t.id = ANY (ARRAY(
         SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = '00000000-0000-4000-9000-000000000309'::uuid
         UNION ALL SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = '00000000-0000-4000-9000-000000000309'::uuid))) AS b),
     ins AS (INSERT INTO user_follows (follower_id, followee_id, created_at)
             SELECT '00000000-0000-4000-9000-000000000309'::uuid, t.id, now() FROM target t, blocked
             WHERE t.id <> '00000000-0000-4000-9000-000000000309'::uuid AND NOT blocked.b
             ON CONFLICT DO NOTHING RETURNING followee_id),
     counted AS (UPDATE profiles p
                 SET followers_count = p.followers_count + CASE WHEN p.id = ins.followee_id THEN 1 ELSE 0 END,
                     following_count = p.following_count + CASE WHEN p.id = '00000000-0000-4000-9000-000000000309'::uuid THEN 1 ELSE 0 END
                 FROM ins WHERE p.id IN (ins.followee_id, '00000000-0000-4000-9000-000000000309'::uuid)
                 RETURNING p.id, p.followers_count),
     backfill AS (INSERT INTO feed_inbox (user_id, created_at, video_id, author_id)
                  SELECT '00000000-0000-4000-9000-000000000309'::uuid, v.created_at, v.id, v.user_id
                  FROM ins CROSS JOIN LATERAL (
                      SELECT v.created_at, v.id, v.user_id FROM videos v
                      WHERE v.user_id = ins.followee_id AND v.expires_at > now()
                        AND NOT EXISTS (SELECT 1 FROM feed_pull_authors pa WHERE pa.user_id = v.user_id AND pa.since <= v.created_at)
                      ORDER BY v.created_at DESC, v.id DESC LIMIT 100) v
                  ON CONFLICT DO NOTHING),
     pulled AS (INSERT INTO feed_pull_authors (user_id, since)
                SELECT c.id, now() FROM counted c JOIN ins ON ins.followee_id = c.id
                WHERE c.followers_count >= 5000
                ON CONFLICT DO NOTHING)
SELECT t.id = '00000000-0000-4000-9000-000000000309'::uuid AS self, blocked.b AS blocked,
       COALESCE((SELECT c.followers_count FROM counted c WHERE c.id = t.id), t.followers_count) AS followers_count
FROM target t, blocked;
ROLLBACK;
