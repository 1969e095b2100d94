-- pgbench baseline for GET /api/tags/{tag}/videos?limit=20 (anonymous, first page): ListTagVideosSql.FirstAnonymous with
-- @Now = now(), @Viewer = NULL, @Take = 21 and a random tag of the 100 most used (bench_tags, queries.sql)
-- (BenchCopiesTests renders the constant and fails when this copy is stale).
\set k random(1, 100)
SELECT tag FROM bench_tags WHERE i = :k \gset
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       NULL::boolean AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
FROM (SELECT v.*, t.created_at AS tag_at, t.video_id AS tag_video_id
      FROM video_tags t
      CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
      WHERE t.tag = :tag AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
      ORDER BY t.created_at DESC, t.video_id DESC
      LIMIT 51) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.tag_at DESC, v.tag_video_id DESC
LIMIT 21;
