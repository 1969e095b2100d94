-- The following feed (GET /api/videos/following) is fanned out on write, with big accounts pulled at read time
-- (docs/explain.md, "Following feed"): a page is one index range of the reader's inbox plus one range per followed
-- big account, whatever the number of accounts followed.

-- One row per (follower, video) for videos of ordinary accounts, written when the video is inserted (trigger below)
-- and back-filled when a follow starts. Rows of unfollowed or blocked authors are filtered at read time (the follow
-- probe) and disappear with their video (cascade).
CREATE TABLE feed_inbox (
    user_id    uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    -- the video's created_at: the feed's keyset, scanned backwards
    created_at timestamptz NOT NULL,
    video_id   uuid        NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    author_id  uuid        NOT NULL,
    PRIMARY KEY (user_id, created_at, video_id)
);
-- The cascade from a deleted video.
CREATE INDEX feed_inbox_video_idx ON feed_inbox (video_id);

-- Accounts whose videos are not fanned out (from `since` on): they reached the fan-out limit of followers. Once pulled,
-- always pulled, so a video is fanned out exactly when its author had no row here with since <= its created_at.
CREATE TABLE feed_pull_authors (
    user_id uuid        PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
    since   timestamptz NOT NULL
);

-- A trigger rather than SQL in each upload path (local upload, ImageKit registration, and any future one): every
-- inserted video reaches the followers' inboxes. Cost: one user_follows_followers_idx range, fewer than the fan-out
-- limit (FollowUserSql.PullFrom) rows.
CREATE FUNCTION feed_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO feed_inbox (user_id, created_at, video_id, author_id)
    SELECT f.follower_id, NEW.created_at, NEW.id, NEW.user_id
    FROM user_follows f
    WHERE f.followee_id = NEW.user_id
      AND NOT EXISTS (SELECT 1 FROM feed_pull_authors pa WHERE pa.user_id = NEW.user_id AND pa.since <= NEW.created_at)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER videos_feed_fan_out AFTER INSERT ON videos FOR EACH ROW EXECUTE FUNCTION feed_fan_out();
