namespace IgLive.Service.Features.Videos.UploadVideo;

internal static class UploadVideoSql
{
    // Inserts the video and returns its author; videos_pkey and videos_storage_key (unique: a file is registered once).
    // In the same statement, removes the by-path deletions queued before the file was stored (@PendingPaths: the
    // ImageKit path, or the local video and thumbnail keys; storage_deletions_object_key), and inserts only if every
    // one of them was still untouched (due at @PendingNotBefore, as queued): a row the drainer has claimed (its lease
    // moved next_attempt_at) may be deleting the file right now, so then nothing is inserted and the upload is refused.
    public const string Insert = """
        WITH pending AS (
            DELETE FROM storage_deletions
            WHERE provider = @Provider AND storage_key = ANY(@PendingPaths::text[]) AND kind = 'path'
              AND next_attempt_at = @PendingNotBefore
            RETURNING 1),
        v AS (
            INSERT INTO videos (id, user_id, title, description, tags, storage_provider, storage_key, storage_path,
                                thumbnail_key, video_url, thumbnail_url, stream_url, content_type, size_bytes,
                                duration_seconds, width, height, created_at, expires_at)
            SELECT @Id, @UserId, @Title, @Description, @Tags, @Provider, @Key, @Path,
                   @ThumbnailKey, @VideoUrl, @ThumbnailUrl, @StreamUrl, @ContentType, @SizeBytes,
                   @DurationSeconds, @Width, @Height, @Now, @ExpiresAt
            WHERE (SELECT count(*) FROM pending) = cardinality(@PendingPaths::text[])
            RETURNING user_id)
        SELECT p.id, p.username, p.display_name, p.avatar_url FROM v JOIN profiles p ON p.id = v.user_id
        """;

    // Whether a stored object waits in the deletion queue, by its key or by its path (a by-path row deletes whatever
    // is found there); storage_deletions_object_key.
    public const string IsQueuedForDeletion =
        "SELECT EXISTS (SELECT 1 FROM storage_deletions WHERE provider = @Provider AND storage_key = ANY(@Keys))";

    // Queues stored objects of a failed upload for deletion; storage_deletions_object_key makes it idempotent.
    public const string EnqueueDeletion = """
        INSERT INTO storage_deletions (provider, storage_key, video_id, reason, enqueued_at, next_attempt_at)
        SELECT @Provider, key, @VideoId, 'upload_failed', @Now, @Now FROM unnest(@Keys::text[]) AS key
        ON CONFLICT (provider, storage_key) DO NOTHING
        """;

    // Queues, before a file is stored (an ImageKit upload starts, a local file is moved into place), the deletion of
    // whatever may end up at its paths (an ImageKit fileId is not known yet), first due at @NotBefore;
    // storage_deletions_object_key makes it idempotent.
    public const string EnqueuePathDeletion = """
        INSERT INTO storage_deletions (provider, storage_key, kind, video_id, reason, enqueued_at, next_attempt_at)
        SELECT @Provider, path, 'path', @VideoId, 'upload_unconfirmed', @Now, @NotBefore FROM unnest(@Paths::text[]) AS path
        ON CONFLICT (provider, storage_key) DO NOTHING
        """;

    // The upload failed without telling whether ImageKit kept the file: search for it from @NotBefore
    // (storage_deletions_object_key).
    public const string MarkPathAmbiguous = """
        UPDATE storage_deletions SET reason = 'upload_ambiguous', next_attempt_at = @NotBefore
        WHERE provider = @Provider AND storage_key = ANY(@Paths::text[]) AND kind = 'path'
        """;

    // Nothing is (any longer) stored at these paths: the upload failed in a way that proves it, or the request removed
    // its local files itself; nothing to search for (storage_deletions_object_key).
    public const string DropPathDeletion =
        "DELETE FROM storage_deletions WHERE provider = @Provider AND storage_key = ANY(@Paths::text[]) AND kind = 'path'";
}
