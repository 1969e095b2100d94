-- A posted video. Counters are denormalised and only ever changed in the same statement that changes
-- the rows they count (likes, comments, views), so they cannot drift.
CREATE TABLE videos (
    id               uuid        PRIMARY KEY,
    user_id          uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    title            text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 150),
    description      text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
    tags             text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 10),
    -- 'local' (file under Storage:LocalPath) or 'imagekit' (ImageKit fileId).
    storage_provider text        NOT NULL CHECK (storage_provider IN ('local', 'imagekit')),
    storage_key      text        NOT NULL,
    -- Local relative path or ImageKit filePath; informational.
    storage_path     text        NULL,
    -- A second stored object owned by the video (a local thumbnail), deleted with it.
    thumbnail_key    text        NULL,
    video_url        text        NOT NULL,
    thumbnail_url    text        NULL,
    stream_url       text        NULL,
    content_type     text        NOT NULL,
    size_bytes       bigint      NOT NULL CHECK (size_bytes > 0),
    duration_seconds double precision NULL CHECK (duration_seconds >= 0),
    width            integer     NULL CHECK (width > 0),
    height           integer     NULL CHECK (height > 0),
    views_count      bigint      NOT NULL DEFAULT 0 CHECK (views_count >= 0),
    likes_count      bigint      NOT NULL DEFAULT 0 CHECK (likes_count >= 0),
    comments_count   bigint      NOT NULL DEFAULT 0 CHECK (comments_count >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL
);

-- One stored object is registered at most once (direct ImageKit uploads are registered by fileId).
CREATE UNIQUE INDEX videos_storage_key ON videos (storage_provider, storage_key);
-- Feed: newest first, keyset on (created_at, id).
CREATE INDEX videos_feed_idx ON videos (created_at DESC, id DESC);
-- Cleanup: the expired ones, oldest expiry first.
CREATE INDEX videos_expires_idx ON videos (expires_at);
-- A user's videos (profile videos_count, future "videos by user" pages).
CREATE INDEX videos_user_idx ON videos (user_id, created_at DESC);
-- Roadmap: search by tag (`tags @> ARRAY['x']`).
CREATE INDEX videos_tags_idx ON videos USING gin (tags);
