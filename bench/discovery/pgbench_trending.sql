-- pgbench baseline for GET /api/videos/trending?limit=20 (anonymous, first page): TrendingVideosSql.FirstAnonymous with
-- @Now = now(), @Viewer = NULL, @Take = 21 (BenchCopiesTests renders the constant and fails when this copy is stale).
SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
       v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
       NULL::boolean AS liked_by_me,
       v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url, v.score
FROM (SELECT v.*, t.score, t.video_id AS rank_id
      FROM trending_videos t
      CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
      WHERE
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL AND v.user_id <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = NULL::uuid
               UNION ALL
               SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = NULL::uuid))
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
      ORDER BY t.score DESC, t.video_id DESC
      LIMIT 51) v
CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
ORDER BY v.score DESC, v.rank_id DESC
LIMIT 21;
