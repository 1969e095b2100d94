-- Direct ImageKit uploads handed out by GET /api/auth/imagekit (V2: the service picks folder and file name and signs
-- them). Registration accepts only a file at a path issued to the caller; the cleanup deletes what was never
-- registered a day after it was issued, and drops the rows of those that became videos.
CREATE TABLE direct_uploads (
    file_path  text        PRIMARY KEY CHECK (char_length(file_path) <= 1024),
    user_id    uuid        NOT NULL,
    issued_at  timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);

-- The cleanup's scan for abandoned uploads.
CREATE INDEX direct_uploads_issued_idx ON direct_uploads (issued_at);
