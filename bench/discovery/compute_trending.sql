-- One trending run with the job's statements (ComputeTrendingSql.Run), timed: bench/discovery/run.sh fills the
-- rankings with it before measuring (the job itself is off during the load runs).
\timing on
BEGIN;
DELETE FROM trending_videos;
INSERT INTO trending_videos (video_id, score, computed_at)
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
DELETE FROM trending_tags;
INSERT INTO trending_tags (tag, videos_count, computed_at)
SELECT t.tag, count(*), now()
FROM video_tags t JOIN videos v ON v.id = t.video_id
WHERE t.created_at > now() - interval '24 hours' AND t.created_at <= now() AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
GROUP BY t.tag
ORDER BY count(*) DESC, t.tag
LIMIT 50;;
COMMIT;
SELECT (SELECT count(*) FROM trending_videos) AS trending_videos, (SELECT count(*) FROM trending_tags) AS trending_tags;
