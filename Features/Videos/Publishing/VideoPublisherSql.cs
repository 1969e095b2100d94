using IgLive.Service.Features.Housekeeping.StorageDeletions;
using IgLive.Service.Features.Media.Processing;

namespace IgLive.Service.Features.Videos.Publishing;

internal static class VideoPublisherSql
{
    // Inserts the video and returns its author; videos_pkey and videos_storage_key (unique: a file is registered once).
    // In the same statement, takes back the by-path deletions queued before the file was stored (@PendingPaths: the
    // ImageKit path, or the local video and thumbnail keys) and inserts only if every one of them was still untouched:
    // otherwise the drainer may be deleting the file right now, so nothing is inserted and the upload is refused.
    // A video that needs processing (@Process) is inserted 'processing' with its media job, in the same statement.
    public const string Insert = $"""
        WITH pending AS (
            {StorageDeletionSql.TakeBackPaths}),
        v AS (
            INSERT INTO videos (id, user_id, title, description, tags, storage_provider, storage_key, storage_path,
                                thumbnail_key, video_url, thumbnail_url, stream_url, content_type, size_bytes,
                                duration_seconds, width, height, created_at, expires_at, status)
            SELECT @Id, @UserId, @Title, @Description, @Tags, @Provider, @Key, @Path,
                   @ThumbnailKey, @VideoUrl, @ThumbnailUrl, @StreamUrl, @ContentType, @SizeBytes,
                   @DurationSeconds, @Width, @Height, @Now, @ExpiresAt, CASE WHEN @Process THEN 'processing' ELSE 'ready' END
            WHERE (SELECT count(*) FROM pending) = cardinality(@PendingPaths::text[])
            RETURNING id, user_id),
        job AS (
            {MediaJobQueue.EnqueueSql} WHERE @Process)
        SELECT p.id, p.username, p.display_name, p.avatar_url FROM v JOIN profiles p ON p.id = v.user_id
        """;
}
