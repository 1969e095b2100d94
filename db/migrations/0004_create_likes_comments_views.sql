-- One like per user per video; the primary key answers liked_by_me for a page of videos.
CREATE TABLE video_likes (
    video_id   uuid        NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    user_id    uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (video_id, user_id)
);

CREATE TABLE video_comments (
    id         uuid        PRIMARY KEY,
    video_id   uuid        NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    user_id    uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    text       text        NOT NULL CHECK (char_length(text) BETWEEN 1 AND 1000),
    created_at timestamptz NOT NULL DEFAULT now()
);
-- Comments of a video, newest first, keyset on (created_at, id).
CREATE INDEX video_comments_video_idx ON video_comments (video_id, created_at DESC, id DESC);
CREATE INDEX video_comments_user_idx ON video_comments (user_id);

-- The last counted view of a viewer (user id, else client address) per video: a view is counted only
-- when this row is created or is older than the de-duplication window.
CREATE TABLE video_views (
    video_id        uuid        NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    viewer_key      text        NOT NULL,
    last_counted_at timestamptz NOT NULL,
    PRIMARY KEY (video_id, viewer_key)
);
