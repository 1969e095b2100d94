-- Incremental trending (the job used to re-aggregate every like, comment and view of the 48 h window on each run:
-- 171 s on the benchmark seed against a 30 s period). Write paths now leave weighted deltas per (video, hour) in an
-- append-only queue (statement triggers: one insert per statement, no row shared by two writers); each run folds only
-- the queue into hourly buckets and into a per-video score kept relative to a fixed epoch, so ranking needs no
-- re-decay: score = sum(units * 2^((bucket middle - epoch) / half-life)), and at any time t every score shrinks by the
-- same factor 2^((epoch - t) / half-life). Buckets that leave the window are subtracted. Weights: like 3, comment 5,
-- counted view 1; an unlike or deleted comment subtracts (not when its video is being deleted: the rows go with it).
CREATE TABLE trending_deltas (
    video_id uuid             NOT NULL,
    hour     timestamptz      NOT NULL,
    units    double precision NOT NULL
);

CREATE TABLE trending_hourly (
    video_id uuid             NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    hour     timestamptz      NOT NULL,
    units    double precision NOT NULL,
    PRIMARY KEY (video_id, hour)
);
CREATE INDEX trending_hourly_hour_idx ON trending_hourly (hour);

CREATE TABLE trending_scores (
    video_id  uuid             PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
    score     double precision NOT NULL,
    last_hour timestamptz      NOT NULL
);
CREATE INDEX trending_scores_rank_idx ON trending_scores (score DESC, video_id DESC);
CREATE INDEX trending_scores_last_idx ON trending_scores (last_hour);

-- One row: the epoch scores are relative to (moved forward by the job long before 2^x could overflow).
CREATE TABLE trending_state (
    id    boolean     PRIMARY KEY DEFAULT true CHECK (id),
    epoch timestamptz NOT NULL
);
INSERT INTO trending_state (epoch) VALUES (date_trunc('hour', now(), 'UTC'));

-- TG_ARGV[0]: the event's weight. Likes and comments: created_at; views: last_counted_at (a view counted again moves it).
CREATE FUNCTION iglive_trending_likes_comments() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE w double precision := TG_ARGV[0]::double precision;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO trending_deltas (video_id, hour, units)
    SELECT n.video_id, date_trunc('hour', n.created_at, 'UTC'), w * count(*) FROM n GROUP BY 1, 2;
  ELSE
    INSERT INTO trending_deltas (video_id, hour, units)
    SELECT o.video_id, date_trunc('hour', o.created_at, 'UTC'), -w * count(*) FROM o
    WHERE EXISTS (SELECT 1 FROM videos v WHERE v.id = o.video_id) GROUP BY 1, 2;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION iglive_trending_views() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO trending_deltas (video_id, hour, units)
    SELECT n.video_id, date_trunc('hour', n.last_counted_at, 'UTC'), count(*) FROM n GROUP BY 1, 2;
  ELSE
    INSERT INTO trending_deltas (video_id, hour, units)
    SELECT n.video_id, date_trunc('hour', n.last_counted_at, 'UTC'), count(*)
    FROM n JOIN o ON o.video_id = n.video_id AND o.viewer_key = n.viewer_key
    WHERE n.last_counted_at <> o.last_counted_at GROUP BY 1, 2;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER video_likes_trending_ins AFTER INSERT ON video_likes REFERENCING NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION iglive_trending_likes_comments('3');
CREATE TRIGGER video_likes_trending_del AFTER DELETE ON video_likes REFERENCING OLD TABLE AS o
    FOR EACH STATEMENT EXECUTE FUNCTION iglive_trending_likes_comments('3');
CREATE TRIGGER video_comments_trending_ins AFTER INSERT ON video_comments REFERENCING NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION iglive_trending_likes_comments('5');
CREATE TRIGGER video_comments_trending_del AFTER DELETE ON video_comments REFERENCING OLD TABLE AS o
    FOR EACH STATEMENT EXECUTE FUNCTION iglive_trending_likes_comments('5');
CREATE TRIGGER video_views_trending_ins AFTER INSERT ON video_views REFERENCING NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION iglive_trending_views();
CREATE TRIGGER video_views_trending_upd AFTER UPDATE ON video_views REFERENCING OLD TABLE AS o NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION iglive_trending_views();

-- The events already in the window become the first deltas (the first run folds them).
INSERT INTO trending_deltas (video_id, hour, units)
SELECT video_id, hour, sum(units) FROM (
    SELECT video_id, date_trunc('hour', created_at, 'UTC') AS hour, 3.0 AS units FROM video_likes WHERE created_at > now() - interval '49 hours'
    UNION ALL
    SELECT video_id, date_trunc('hour', created_at, 'UTC'), 5.0 FROM video_comments WHERE created_at > now() - interval '49 hours'
    UNION ALL
    SELECT video_id, date_trunc('hour', last_counted_at, 'UTC'), 1.0 FROM video_views WHERE last_counted_at > now() - interval '49 hours') e
GROUP BY 1, 2;
