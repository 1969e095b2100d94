namespace IgLive.Service.Features.Moderation.ResolveCase;

internal static class ResolveCaseSql
{
    // The case, locked until the resolution commits, so two moderators cannot both resolve it (moderation_cases_pkey).
    public const string Lock = "SELECT id, target_type, target_id, author_id, status FROM moderation_cases WHERE id = @Id FOR UPDATE";

    // Removes the video: removed_at hides it from every read at once (the visibility rule), and in the same statement
    // queues its stored file and local thumbnail for deletion; the row itself goes at expiry as usual. Returns whether
    // it was removed now (false when already removed, deleted or expired). videos_pkey, storage_deletions_object_key.
    // TODO(#12): enqueue through Features/Housekeeping/StorageDeletions once it is on main.
    public const string RemoveVideo = """
        WITH removed AS (
            UPDATE videos SET removed_at = @Now
            WHERE id = @TargetId AND removed_at IS NULL
            RETURNING id, storage_provider, storage_key, thumbnail_key),
        queued AS (
            INSERT INTO storage_deletions (provider, storage_key, video_id, reason, enqueued_at, next_attempt_at)
            SELECT r.storage_provider, k.key, r.id, 'moderator_removed', @Now, @Now
            FROM removed r CROSS JOIN LATERAL (VALUES (r.storage_key), (r.thumbnail_key)) AS k(key)
            WHERE k.key IS NOT NULL
            ON CONFLICT (provider, storage_key) DO NOTHING
            RETURNING 1)
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
