-- The feed with the visibility predicate, GENERIC plan (what Npgsql's auto-prepared statement runs), for a viewer with
-- 100 blocks (50 each way) and for an anonymous one. Run: bench/feed/db.sh psql -f bench/graph/explain_visibility.sql
BEGIN;
INSERT INTO user_blocks (blocker_id, blocked_id)
SELECT '00000000-0000-4000-9000-000000000007'::uuid, ('00000000-0000-4000-9000-' || lpad(to_hex(n), 12, '0'))::uuid
FROM generate_series(100, 149) n
UNION ALL
SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(n), 12, '0'))::uuid, '00000000-0000-4000-9000-000000000007'::uuid
FROM generate_series(200, 249) n;
ANALYZE user_blocks;
SET plan_cache_mode = force_generic_plan;
PREPARE feed(timestamptz, uuid, timestamptz, uuid, int) AS
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = $2) AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM (SELECT * FROM videos v
      WHERE v.expires_at > $1 AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id
       <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = $2
                     UNION ALL
                     SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = $2))
        AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
        AND (v.created_at, v.id) < ($3, $4)
      ORDER BY v.created_at DESC, v.id DESC
      LIMIT 51) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.created_at DESC, v.id DESC
LIMIT $5;
\echo '### viewer with 100 blocks, deep cursor (video 400000), generic plan'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
EXECUTE feed(now(), '00000000-0000-4000-9000-000000000007', now() - 400000 * interval '1.3 seconds', '00000000-0000-4000-8000-000000061a80', 21);
\echo '### anonymous (NULL viewer), same cursor, generic plan'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
EXECUTE feed(now(), NULL, now() - 400000 * interval '1.3 seconds', '00000000-0000-4000-8000-000000061a80', 21);
ROLLBACK;
