-- pgbench baseline for the following feed: GetFollowingFeedSql.Next with the visibility fragments expanded, a random
-- viewer in ulo..uhi (-D ulo=21 -D uhi=2000 typical users; -D ulo=1999 -D uhi=1999 the one following 2,000), a
-- random cursor (video :n's position) and limit=20 (@Take = 21, as the wrk scripts ask). Run with -D t0='<seed time>'
-- (bench/graph/run.sh does). The shape before the pull-side floor (2026-12-02): pgbench_following_before.sql.
\set n random(1, 900000)
\set u random(:ulo, :uhi)
WITH push AS MATERIALIZED (
    SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type, v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count, v.created_at, v.expires_at, v.user_id
    FROM feed_inbox i
    CROSS JOIN LATERAL (SELECT * FROM videos v
                        WHERE v.id = i.video_id AND v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL
                          AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = ('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid
                                                      UNION ALL
                                                      SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = ('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid))
                          AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0) OFFSET 0) v
    WHERE i.user_id = ('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid
      AND EXISTS (SELECT 1 FROM user_follows f WHERE f.follower_id = ('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid AND f.followee_id = i.author_id OFFSET 0)
      AND (i.created_at, i.video_id) < ((:t0)::timestamptz - (:n)::int * interval '1.3 seconds', ('00000000-0000-4000-8000-' || lpad(to_hex((:n)::int), 12, '0'))::uuid)
    ORDER BY i.created_at DESC, i.video_id DESC
    LIMIT 21),
floor AS (SELECT created_at FROM push ORDER BY created_at DESC, id DESC OFFSET 21 - 1 LIMIT 1)
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = ('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid) AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM (
    (SELECT * FROM push)
    UNION ALL
    (SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type, v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count, v.created_at, v.expires_at, v.user_id
     FROM feed_pull_authors pa
     CROSS JOIN LATERAL (SELECT * FROM videos v
                         WHERE v.user_id = pa.user_id AND v.created_at >= pa.since
                           AND v.created_at >= COALESCE((SELECT created_at FROM floor), '-infinity'::timestamptz)
                           AND v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL
                           AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = ('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid
                                                      UNION ALL
                                                      SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = ('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid))
                           AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
                           AND (v.created_at, v.id) < ((:t0)::timestamptz - (:n)::int * interval '1.3 seconds', ('00000000-0000-4000-8000-' || lpad(to_hex((:n)::int), 12, '0'))::uuid)
                         ORDER BY v.created_at DESC, v.id DESC LIMIT 21) v
     WHERE EXISTS (SELECT 1 FROM user_follows f WHERE f.follower_id = ('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid AND f.followee_id = pa.user_id OFFSET 0)
       AND NOT EXISTS (SELECT 1 FROM feed_inbox i WHERE i.user_id = ('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid AND i.created_at = v.created_at
                                                 AND i.video_id = v.id OFFSET 0))
    ORDER BY created_at DESC, id DESC
    LIMIT 21) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.created_at DESC, v.id DESC
LIMIT 21;
