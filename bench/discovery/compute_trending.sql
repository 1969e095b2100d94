-- One trending run with the job's statements (ComputeTrendingSql.Run: @Now = now(), @Since = now() - 48 h, half-life
-- 6 h, @Size = 1000, @Epoch = this hour), timed per statement. run.sh runs it (1) once after migration 0191 queued the
-- seed's window as deltas (the one-time fold), (2) after :likes new likes were inserted (the steady state: what one
-- run at the default 30 s period folds). The job itself is off during the load runs.
\timing on
BEGIN;
SELECT count(*) AS queued_deltas FROM trending_deltas;
WITH d AS (DELETE FROM trending_deltas RETURNING video_id, hour, units),
a AS (SELECT d.video_id, d.hour, sum(d.units) AS units FROM d
      WHERE d.hour > now() - interval '48 hours' - interval '1 hour' AND EXISTS (SELECT 1 FROM videos v WHERE v.id = d.video_id)
      GROUP BY 1, 2),
h AS (INSERT INTO trending_hourly AS t (video_id, hour, units) SELECT video_id, hour, units FROM a
      ON CONFLICT (video_id, hour) DO UPDATE SET units = t.units + EXCLUDED.units)
INSERT INTO trending_scores AS s (video_id, score, last_hour)
SELECT b.video_id, sum(b.units * power(2::float8, extract(epoch FROM b.hour + interval '30 minutes' - (SELECT epoch FROM trending_state)) / 21600)), max(b.hour)
FROM a b GROUP BY b.video_id
ON CONFLICT (video_id) DO UPDATE SET score = s.score + EXCLUDED.score, last_hour = greatest(s.last_hour, EXCLUDED.last_hour);
WITH x AS (DELETE FROM trending_hourly t WHERE t.hour <= now() - interval '48 hours' - interval '1 hour' RETURNING video_id, hour, units)
UPDATE trending_scores s SET score = s.score - e.score
FROM (SELECT b.video_id, sum(b.units * power(2::float8, extract(epoch FROM b.hour + interval '30 minutes' - (SELECT epoch FROM trending_state)) / 21600)) AS score
      FROM x b GROUP BY b.video_id) e
WHERE s.video_id = e.video_id;
DELETE FROM trending_scores WHERE last_hour <= now() - interval '48 hours' - interval '1 hour';
UPDATE trending_scores s SET score = s.score * power(2::float8, -extract(epoch FROM date_trunc('hour', now(), 'UTC') - st.epoch) / 21600)
FROM trending_state st WHERE (SELECT epoch FROM trending_state) < date_trunc('hour', now(), 'UTC') - 21600 * 64 * interval '1 second';
UPDATE trending_state SET epoch = date_trunc('hour', now(), 'UTC') WHERE epoch < date_trunc('hour', now(), 'UTC') - 21600 * 64 * interval '1 second';
DELETE FROM trending_videos;
INSERT INTO trending_videos (video_id, score, computed_at)
SELECT s.video_id, s.score * power(2::float8, -extract(epoch FROM now() - (SELECT epoch FROM trending_state)) / 21600), now()
FROM trending_scores s
CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = s.video_id OFFSET 0) v
WHERE s.score > 0 AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
ORDER BY s.score DESC, s.video_id DESC
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
LIMIT 50;
COMMIT;
SELECT (SELECT count(*) FROM trending_videos) AS trending_videos, (SELECT count(*) FROM trending_tags) AS trending_tags,
       (SELECT count(*) FROM trending_scores) AS scored_videos, (SELECT count(*) FROM trending_hourly) AS buckets;
