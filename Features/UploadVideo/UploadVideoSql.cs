namespace IgLive.Service.Features.UploadVideo;

internal static class UploadVideoSql
{
    // Inserts the video and returns its author; videos_pkey and videos_storage_key (unique: a file is registered once).
    public const string Insert = """
        WITH v AS (
            INSERT INTO videos (id, user_id, title, description, tags, storage_provider, storage_key, storage_path,
                                thumbnail_key, video_url, thumbnail_url, stream_url, content_type, size_bytes,
                                duration_seconds, width, height, created_at, expires_at)
            VALUES (@Id, @UserId, @Title, @Description, @Tags, @Provider, @Key, @Path,
                    @ThumbnailKey, @VideoUrl, @ThumbnailUrl, @StreamUrl, @ContentType, @SizeBytes,
                    @DurationSeconds, @Width, @Height, @Now, @ExpiresAt)
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

    // Queues the path of an upload that failed ambiguously (its fileId unknown): first searched for at @NotBefore;
    // storage_deletions_object_key makes it idempotent.
    public const string EnqueuePathDeletion = """
        INSERT INTO storage_deletions (provider, storage_key, kind, video_id, reason, enqueued_at, next_attempt_at)
        VALUES (@Provider, @Path, 'path', @VideoId, 'upload_ambiguous', @Now, @NotBefore)
        ON CONFLICT (provider, storage_key) DO NOTHING
        """;
}
