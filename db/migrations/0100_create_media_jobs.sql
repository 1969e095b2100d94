-- Media processing queue: one row per local upload still to be made into a thumbnail and HLS renditions. The upload
-- inserts it in the statement that inserts its 'processing' video; the worker deletes it in the statement that makes
-- the video 'ready' or 'failed'. Deleting the video deletes its job (cascade), which is how a running worker learns
-- that it must stop: its next lease renewal finds no row.
CREATE TABLE media_jobs (
    video_id        uuid        PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
    -- Claims so far, counted when claimed: a worker killed mid-job has used its attempt.
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- Due time while waiting (first at once, then back-off after a failure); lease expiry while claimed. Compared with
    -- the database's clock, the one clock every instance shares.
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- The current claim; a worker whose lease lapsed and was re-claimed can no longer renew or complete it.
    lease_token     uuid        NULL,
    -- Host and worker of the current or last claim, for operators.
    leased_by       text        NULL,
    last_error      text        NULL CHECK (char_length(last_error) <= 500),
    enqueued_at     timestamptz NOT NULL DEFAULT now(),
    last_claimed_at timestamptz NULL
);
-- Workers claim the due jobs, oldest due first.
CREATE INDEX media_jobs_due_idx ON media_jobs (next_attempt_at);

-- For a processed local video, thumbnail_key holds the folder of its outputs (a key ending in '/', e.g.
-- 'hls/<id hex>.<claim>/' with master.m3u8, 360p/, 720p/ and thumbnail.jpg), deleted as one object with the video
-- by every statement that already queues thumbnail_key.
COMMENT ON COLUMN videos.thumbnail_key IS
    'Second stored object owned by the video: a local thumbnail file, or the folder (key ending in /) of its processed outputs';
