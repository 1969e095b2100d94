-- The columns and the table that version 2's visibility rule reads ("visible": live, ready, not removed by a
-- moderator, author not suspended, no block between caller and author). Created together so every area can
-- write its queries against them; the features that set them add their own migrations.

-- Media processing: a local upload is 'processing' until its worker has made the thumbnail and HLS renditions.
-- Existing rows were served as uploaded, so they are 'ready'. A constant default: no table rewrite.
ALTER TABLE videos
    ADD COLUMN status text NOT NULL DEFAULT 'ready' CHECK (status IN ('processing', 'ready', 'failed')),
    ADD COLUMN failure_reason text NULL CHECK (char_length(failure_reason) <= 500),
    -- Set when a moderator removes the video: it disappears everywhere at once, its files are queued for deletion.
    ADD COLUMN removed_at timestamptz NULL;

-- Moderation: a suspended author keeps reading; every write is refused and their videos are hidden.
ALTER TABLE profiles ADD COLUMN suspended_at timestamptz NULL;

-- A block hides each user from the other (symmetric for visibility); the pair is stored once per direction.
CREATE TABLE user_blocks (
    blocker_id uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    blocked_id uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
-- The reverse direction of the visibility probe (blocked_id = caller).
CREATE INDEX user_blocks_blocked_idx ON user_blocks (blocked_id, blocker_id);
