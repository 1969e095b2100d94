using IgLive.Service.Features.Media.Processing;
using IgLive.Service.Features.Housekeeping.StorageDeletions;

namespace IgLive.Service.Features.Moderation.ResolveCase;

internal static class ResolveCaseSql
{
    // The case, locked until the resolution commits, so two moderators cannot both resolve it (moderation_cases_pkey).
    public const string Lock = "SELECT id, target_type, target_id, author_id, status FROM moderation_cases WHERE id = @Id FOR UPDATE";

    // Removes the video: removed_at hides it from every read at once (the visibility rule), and in the same statement
    // queues its stored file and local thumbnail for deletion (the storage-deletion queue's Enqueue) and cancels a
// processing job (MediaJobQueue.CancelSql); the row itself goes
    // at expiry as usual. Returns whether it was removed now (false when already removed or deleted). videos_pkey,
    // storage_deletions_object_key.
    public const string RemoveVideo = $"""
        WITH removed AS (
            UPDATE videos SET removed_at = @Now
            WHERE id = @TargetId AND removed_at IS NULL
            RETURNING id, storage_provider, storage_key, thumbnail_key),
        to_delete AS (
            SELECT r.storage_provider AS provider, k.key AS storage_key, 'key' AS kind, r.id AS video_id,
                   'moderator_removed' AS reason, @Now AS next_attempt_at
            FROM removed r CROSS JOIN LATERAL (VALUES (r.storage_key), (r.thumbnail_key)) AS k(key)
            WHERE k.key IS NOT NULL),
        queued AS (
            {StorageDeletionSql.Enqueue}
            RETURNING 1),
        cancelled AS ({MediaJobQueue.CancelSql})
        SELECT EXISTS (SELECT 1 FROM removed)
        """;

    // Deletes the comment and decrements its video's comments_count by the rows actually deleted, in one statement
    // (counters stay exact; the case keeps the text in its snapshot). video_comments_pkey, videos_pkey.
    public const string RemoveComment = """
        WITH d AS (DELETE FROM video_comments WHERE id = @TargetId RETURNING video_id),
             u AS (UPDATE videos SET comments_count = comments_count - (SELECT count(*) FROM d)
                   WHERE id IN (SELECT video_id FROM d))
        SELECT EXISTS (SELECT 1 FROM d)
        """;

    // Suspends the author unless already suspended; returns whether this call suspended them (profiles_pkey).
    public const string Suspend = """
        WITH s AS (UPDATE profiles SET suspended_at = @Now WHERE id = @AuthorId AND suspended_at IS NULL RETURNING 1)
        SELECT EXISTS (SELECT 1 FROM s)
        """;

    // Closes the case with its audit entry (moderation_cases_pkey).
    public const string Close = """
        UPDATE moderation_cases SET status = 'resolved', resolved_at = @Now, resolution_action_id = @ActionId WHERE id = @Id
        """;
}
