-- Deletions by path. An upload to ImageKit that failed ambiguously (timeout, connection reset, 5xx or an unreadable
-- answer after the body was sent) may have left a file whose fileId the service never learnt. The service chose the
-- file's path before uploading, so it queues that path instead: kind = 'path' and storage_key = the file path
-- (e.g. /iglive/<video id>.mp4). The drainer resolves such a row through ImageKit's list/search files API and
-- deletes what it finds; finding nothing completes the row. Existing rows, and every other enqueue, are by key
-- (kind = 'key': the store's own key, an ImageKit fileId or a local relative path). ImageKit paths start with '/',
-- fileIds never contain one, so the (provider, storage_key) unique index keeps holding both kinds apart.
-- A constant default: no table rewrite.
ALTER TABLE storage_deletions
    ADD COLUMN kind text NOT NULL DEFAULT 'key' CHECK (kind IN ('key', 'path'));
