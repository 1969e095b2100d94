-- Durable queue of stored objects to delete. Rows are enqueued in the same transaction that deletes
-- the video (or by an upload whose row could not be written) and removed only once the store has
-- confirmed the deletion (or reported the object gone), so nothing is orphaned and nothing is lost.
CREATE TABLE storage_deletions (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider        text        NOT NULL CHECK (provider IN ('local', 'imagekit')),
    storage_key     text        NOT NULL,
    video_id        uuid        NULL,
    reason          text        NOT NULL,
    enqueued_at     timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_attempt_at timestamptz NULL,
    last_error      text        NULL
);
-- The same object is queued once, however many paths ask for its deletion.
CREATE UNIQUE INDEX storage_deletions_object_key ON storage_deletions (provider, storage_key);
-- The drainer takes the due items first.
CREATE INDEX storage_deletions_due_idx ON storage_deletions (next_attempt_at);
