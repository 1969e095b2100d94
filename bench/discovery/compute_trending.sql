-- One trending run with the job's statements (ComputeTrendingSql.Run and .Tags: @Now = now(), @Since = now() - 48 h,
-- half-life 6 h, @Size = 1000, @Epoch = this hour, the window's hours from now()), timed per statement; the run's
-- advisory lock and the half-life check (ComputeTrendingSql.State, Rebuild: only when the setting changed) are left out.
-- BenchCopiesTests fails when these copies are stale. run.sh runs it (1) once after migration 0191 queued the seed's
-- window as deltas (the one-time fold; the first run after 0210 also counts the 23 whole hours of tags once), (2) after
-- :likes new likes were inserted (the steady state: what one run at the default 30 s period folds). The job itself is
-- off during the load runs.
\timing on
BEGIN;
SET LOCAL jit = off; -- as ComputeTrendingSql.Lock
-- @LastRun: trending_state.last_run_at as the run read it before its own update (ComputeTrendingSql.State).
CREATE TEMP TABLE last_run ON COMMIT DROP AS SELECT last_run_at FROM trending_state;
SELECT count(*) AS queued_deltas FROM trending_deltas;
WITH d AS (DELETE FROM trending_deltas RETURNING video_id, hour, units),
a AS (SELECT b.video_id, b.hour, sum(b.units) AS units FROM d b
      WHERE b.hour > (now() - interval '48 hours') - interval '1 hour' AND EXISTS (SELECT 1 FROM videos v WHERE v.id = b.video_id FOR KEY SHARE SKIP LOCKED)
      GROUP BY 1, 2),
h AS (INSERT INTO trending_hourly AS t (video_id, hour, units) SELECT video_id, hour, units FROM a
      ON CONFLICT (video_id, hour) DO UPDATE SET units = t.units + EXCLUDED.units)
INSERT INTO trending_scores AS s (video_id, score, last_hour)
SELECT b.video_id, sum(b.units * power(2::float8, extract(epoch FROM b.hour + interval '30 minutes' - (SELECT epoch FROM trending_state)) / 21600)), max(b.hour) FROM a b GROUP BY b.video_id
ON CONFLICT (video_id) DO UPDATE SET score = s.score + EXCLUDED.score, last_hour = greatest(s.last_hour, EXCLUDED.last_hour);
WITH x AS (DELETE FROM trending_hourly t WHERE t.hour <= (now() - interval '48 hours') - interval '1 hour' RETURNING video_id, hour, units)
UPDATE trending_scores s SET score = s.score - e.score
FROM (SELECT b.video_id, sum(b.units * power(2::float8, extract(epoch FROM b.hour + interval '30 minutes' - (SELECT epoch FROM trending_state)) / 21600)) AS score FROM x b GROUP BY b.video_id) e
WHERE s.video_id = e.video_id;
DELETE FROM trending_scores WHERE last_hour <= (now() - interval '48 hours') - interval '1 hour';
UPDATE trending_scores s SET score = s.score * power(2::float8, -extract(epoch FROM date_trunc('hour', now(), 'UTC') - st.epoch) / 21600)
FROM trending_state st WHERE (SELECT epoch FROM trending_state) < date_trunc('hour', now(), 'UTC') - 21600 * 64 * interval '1 second';
UPDATE trending_state SET epoch = date_trunc('hour', now(), 'UTC') WHERE epoch < date_trunc('hour', now(), 'UTC') - 21600 * 64 * interval '1 second';
DELETE FROM trending_videos;
INSERT INTO trending_videos (video_id, score, computed_at)
SELECT s.video_id, s.score * power(2::float8, -extract(epoch FROM now() - (SELECT epoch FROM trending_state)) / 21600), now()
FROM trending_scores s
CROSS JOIN LATERAL (SELECT v.* FROM videos v WHERE v.id = s.video_id AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
                    OFFSET 0 FOR KEY SHARE SKIP LOCKED) v
WHERE s.score > 0
ORDER BY s.score DESC, s.video_id DESC
LIMIT 1000;
UPDATE trending_state SET half_life_seconds = 21600, last_run_at = now();
WITH d AS (DELETE FROM trending_tag_dirty RETURNING hour),
e AS (SELECT DISTINCT date_trunc('hour', v.created_at, 'UTC') AS hour FROM videos v
      WHERE v.expires_at > (SELECT last_run_at FROM last_run) AND v.expires_at <= now() AND v.created_at > date_trunc('hour', now() - interval '24 hours', 'UTC')),
s AS (SELECT c.hour FROM trending_tag_hours_counted c
      WHERE c.hour <= date_trunc('hour', now() - interval '24 hours', 'UTC') OR c.hour >= date_trunc('hour', now(), 'UTC') OR c.computed_at > now() OR (SELECT last_run_at FROM last_run)::timestamptz IS NULL
         OR c.hour IN (SELECT hour FROM d) OR c.hour IN (SELECT hour FROM e)),
x AS (DELETE FROM trending_tag_hours_counted c USING s WHERE c.hour = s.hour)
DELETE FROM trending_tag_hours t USING s WHERE t.hour = s.hour;
WITH r AS (SELECT g.hour FROM generate_series(date_trunc('hour', now() - interval '24 hours', 'UTC') + interval '1 hour', date_trunc('hour', now(), 'UTC') - interval '1 hour', interval '1 hour') g (hour)
           WHERE NOT EXISTS (SELECT 1 FROM trending_tag_hours_counted c WHERE c.hour = g.hour)),
m AS (INSERT INTO trending_tag_hours_counted (hour, computed_at) SELECT hour, now() FROM r)
INSERT INTO trending_tag_hours (hour, tag, videos)
SELECT r.hour, c.tag, c.n
FROM r CROSS JOIN LATERAL (
    SELECT t.tag, count(*) AS n FROM video_tags t
    CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = t.video_id OFFSET 0) v
    WHERE t.created_at >= r.hour AND t.created_at < r.hour + interval '1 hour' AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)
    GROUP BY t.tag) c;
DELETE FROM trending_tags;
INSERT INTO trending_tags (tag, videos_count, computed_at)
SELECT e.tag, sum(e.n), now()
FROM (SELECT h.tag, h.videos AS n FROM trending_tag_hours h WHERE h.hour > date_trunc('hour', now() - interval '24 hours', 'UTC') AND h.hour < date_trunc('hour', now(), 'UTC')
      UNION ALL
      SELECT t.tag, 1 FROM video_tags t
      CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = t.video_id OFFSET 0) v
      WHERE ((t.created_at > now() - interval '24 hours' AND t.created_at < date_trunc('hour', now() - interval '24 hours', 'UTC') + interval '1 hour')
             OR (t.created_at >= date_trunc('hour', now(), 'UTC') AND t.created_at <= now())) AND
v.expires_at > now() AND v.status = 'ready' AND v.removed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)) e
GROUP BY e.tag
ORDER BY sum(e.n) DESC, e.tag
LIMIT 50;
COMMIT;
SELECT (SELECT count(*) FROM trending_videos) AS trending_videos, (SELECT count(*) FROM trending_tags) AS trending_tags,
       (SELECT count(*) FROM trending_scores) AS scored_videos, (SELECT count(*) FROM trending_hourly) AS buckets,
       (SELECT count(*) FROM trending_tag_hours_counted) AS tag_hours_counted;
