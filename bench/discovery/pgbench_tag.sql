-- pgbench baseline for GET /api/tags/{tag}/videos?limit=20 (anonymous, first page): a copy of ListTagVideosSql.First,
-- a random tag of the 100 most used (bench_tags, queries.sql).
\set k random(1, 100)
SELECT tag FROM bench_tags WHERE i = :k \gset
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       CASE WHEN NULL::uuid::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = NULL::uuid) END AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM (SELECT t.video_id, t.created_at FROM video_tags t WHERE t.tag = :tag
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
