-- A view counted again moves its unit to the hour of its new last_counted_at (0191's comment, and what the job counted
-- before it was incremental: each viewer once, at their last counted view). 0191 added the new hour without taking the
-- old one back, so one client viewing every 30 minutes counted 96 times in 48 hours. A delta for an hour already outside
-- the window is dropped by the job, as any other.
CREATE OR REPLACE FUNCTION iglive_trending_views() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO trending_deltas (video_id, hour, units)
    SELECT n.video_id, date_trunc('hour', n.last_counted_at, 'UTC'), count(*) FROM n GROUP BY 1, 2;
  ELSE
    INSERT INTO trending_deltas (video_id, hour, units)
    SELECT video_id, hour, sum(units) FROM (
        SELECT n.video_id, date_trunc('hour', n.last_counted_at, 'UTC') AS hour, 1.0 AS units
        FROM n JOIN o ON o.video_id = n.video_id AND o.viewer_key = n.viewer_key
        WHERE n.last_counted_at <> o.last_counted_at
        UNION ALL
        SELECT o.video_id, date_trunc('hour', o.last_counted_at, 'UTC'), -1.0
        FROM n JOIN o ON o.video_id = n.video_id AND o.viewer_key = n.viewer_key
        WHERE n.last_counted_at <> o.last_counted_at) m
    GROUP BY 1, 2 HAVING sum(units) <> 0;
  END IF;
  RETURN NULL;
END $$;
