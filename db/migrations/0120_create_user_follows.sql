-- Following (issue #15). Counters are denormalised like likes_count: changed only in the statement that inserts or
-- deletes the user_follows rows they count, so they cannot drift.
ALTER TABLE profiles
    ADD COLUMN followers_count bigint NOT NULL DEFAULT 0 CHECK (followers_count >= 0),
    ADD COLUMN following_count bigint NOT NULL DEFAULT 0 CHECK (following_count >= 0);

CREATE TABLE user_follows (
    follower_id uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    followee_id uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- followed_by_me and the following feed's "still followed" probe.
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);
-- A user's followers, newest follow first (keyset on (created_at, follower_id)); also the fan-out of a new video.
CREATE INDEX user_follows_followers_idx ON user_follows (followee_id, created_at DESC, follower_id DESC);
-- Whom a user follows, newest follow first (keyset on (created_at, followee_id)).
CREATE INDEX user_follows_following_idx ON user_follows (follower_id, created_at DESC, followee_id DESC);

-- Muting only silences notifications (issue #16 reads this table); nothing else changes.
CREATE TABLE user_mutes (
    muter_id   uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    muted_id   uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (muter_id, muted_id),
    CHECK (muter_id <> muted_id)
);

-- videos_user_feed_idx (a profile's videos newest first, the following feed's pull side) is built by
-- 0122_build_videos_user_feed_idx.sql, concurrently: this script first built it here, in its transaction, which on a
-- large v1 database stalled every video write and every read of profiles for the build. Edited after it landed, which
-- is safe for every database: one that ran this script before keeps the index and 0122 finds it (IF NOT EXISTS); one
-- that runs it now gets the index from 0122 (docs/operations.md, "Migration 0120 and large v1 databases").

-- GET /api/me/blocks, newest block first (keyset on (created_at, blocked_id)).
CREATE INDEX user_blocks_recent_idx ON user_blocks (blocker_id, created_at DESC, blocked_id DESC);
