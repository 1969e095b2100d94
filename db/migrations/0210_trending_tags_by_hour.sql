-- Trending tags without re-aggregating the last 24 h of uploads on every run (2.5 s of a 3.7 s run on the 1M seed).
-- The window (now - 24 h, now] is cut at hour boundaries: the hours fully inside it are kept as per-(hour, tag) counts
-- of visible videos, computed once with the same rule as before and computed again only when something that rule reads
-- changed inside that hour ("dirty"); the two partial hours at the ends are counted live each run (together one hour of
-- uploads). What can change an hour's count, and what marks it:
--   a video's tag rows added or removed (upload, tags edited, video deleted) -> video_tags statement triggers below;
--   a video's status, removed_at, expires_at, created_at or author changed -> videos row trigger below (UPDATE OF those
--     columns only: the like and view counters' updates never fire it);
--   an author suspended or reinstated -> profiles row trigger below (UPDATE OF suspended_at);
--   a video expiring as time passes -> the job itself (videos whose expires_at passed since its last run,
--     videos_expires_idx).
-- The dirty queue is append-only, like trending_deltas (no row shared by two writers); a run consumes it before it
-- recounts, so a change committed meanwhile stays queued for the next run.
CREATE TABLE trending_tag_hours (
    hour   timestamptz NOT NULL,
    tag    text        NOT NULL,
    videos bigint      NOT NULL,
    PRIMARY KEY (hour, tag)
);

-- The hours trending_tag_hours holds counts for (an hour with no visible tagged video has no count rows).
CREATE TABLE trending_tag_hours_counted (
    hour        timestamptz PRIMARY KEY,
    computed_at timestamptz NOT NULL
);

CREATE TABLE trending_tag_dirty (
    hour timestamptz NOT NULL
);

CREATE FUNCTION iglive_trending_tags_dirty_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO trending_tag_dirty (hour) SELECT DISTINCT date_trunc('hour', n.created_at, 'UTC') FROM n;
  ELSE
    INSERT INTO trending_tag_dirty (hour) SELECT DISTINCT date_trunc('hour', o.created_at, 'UTC') FROM o;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER video_tags_trending_ins AFTER INSERT ON video_tags REFERENCING NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION iglive_trending_tags_dirty_rows();
CREATE TRIGGER video_tags_trending_del AFTER DELETE ON video_tags REFERENCING OLD TABLE AS o
    FOR EACH STATEMENT EXECUTE FUNCTION iglive_trending_tags_dirty_rows();

CREATE FUNCTION iglive_trending_tags_dirty_video() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO trending_tag_dirty (hour) VALUES (date_trunc('hour', OLD.created_at, 'UTC'));
  IF NEW.created_at <> OLD.created_at THEN
    INSERT INTO trending_tag_dirty (hour) VALUES (date_trunc('hour', NEW.created_at, 'UTC'));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER videos_trending_tags AFTER UPDATE OF status, removed_at, expires_at, created_at, user_id ON videos
    FOR EACH ROW
    WHEN ((OLD.status, OLD.removed_at, OLD.expires_at, OLD.created_at, OLD.user_id)
          IS DISTINCT FROM (NEW.status, NEW.removed_at, NEW.expires_at, NEW.created_at, NEW.user_id)
          AND (cardinality(OLD.tags) > 0 OR cardinality(NEW.tags) > 0))
    EXECUTE FUNCTION iglive_trending_tags_dirty_video();

-- Every hour the author has videos in (live videos only exist for a bounded time; hours outside the window are dropped
-- by the job).
CREATE FUNCTION iglive_trending_tags_dirty_author() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO trending_tag_dirty (hour)
  SELECT DISTINCT date_trunc('hour', v.created_at, 'UTC') FROM videos v WHERE v.user_id = NEW.id AND cardinality(v.tags) > 0;
  RETURN NULL;
END $$;
CREATE TRIGGER profiles_trending_tags AFTER UPDATE OF suspended_at ON profiles
    FOR EACH ROW WHEN (OLD.suspended_at IS DISTINCT FROM NEW.suspended_at)
    EXECUTE FUNCTION iglive_trending_tags_dirty_author();

-- What the scores were built with (a changed half-life rebuilds them: the job compares) and when a run last committed
-- (the trending gauges and /health/jobs). NULL half-life: built before this migration, with an unknown setting.
ALTER TABLE trending_state ADD COLUMN half_life_seconds double precision, ADD COLUMN last_run_at timestamptz;
