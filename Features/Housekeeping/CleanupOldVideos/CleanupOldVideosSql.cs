namespace IgLive.Service.Features.Housekeeping.CleanupOldVideos;

internal static class CleanupOldVideosSql
{
    /// <summary>"cleanup" in ASCII: the session advisory lock held by one cleanup run across all instances.</summary>
    public const long RunLockKey = 0x636c65616e7570;

    // Returns true when this session took the run lock (no index; advisory lock).
    public const string TryLock = "SELECT pg_try_advisory_lock(@Key)";

    // Releases the run lock of this session (no index; advisory lock).
    public const string Unlock = "SELECT pg_advisory_unlock(@Key)";

    // Returns (expired, queued): deletes up to @Batch expired videos (likes/comments/views cascade) and, in the same
    // statement, queues their file and local thumbnail for deletion. Uses videos_expires_idx, then the primary key:
    // `id = ANY(ARRAY(subquery))` makes the pick an InitPlan, where `id IN (subquery)` planned a hash join over a
    // sequential scan of videos per batch (quadratic over a big backlog). SKIP LOCKED lets two runners (or a
    // concurrent owner delete) take disjoint rows instead of waiting on each other.
    public const string ExpireBatch = """
        WITH gone AS (
            DELETE FROM videos
            WHERE id = ANY(ARRAY(SELECT id FROM videos WHERE expires_at <= @Now ORDER BY expires_at LIMIT @Batch FOR UPDATE SKIP LOCKED))
            RETURNING id, storage_provider, storage_key, thumbnail_key),
        queued AS (
            INSERT INTO storage_deletions (provider, storage_key, video_id, reason, enqueued_at, next_attempt_at)
            SELECT storage_provider, storage_key, id, 'expired', @Now, @Now FROM gone
            UNION ALL
            SELECT 'local', thumbnail_key, id, 'expired', @Now, @Now FROM gone WHERE thumbnail_key IS NOT NULL
            ON CONFLICT (provider, storage_key) DO NOTHING
            RETURNING 1)
        SELECT (SELECT count(*) FROM gone)::int AS expired, (SELECT count(*) FROM queued)::int AS queued;
        """;

    // Returns the claimed items (id, storage_key, kind, attempts): up to @Limit due items of one provider, leased until
    // @LeaseUntil so no other drainer takes them meanwhile (storage_deletions_due_idx, then the primary key via the
    // same ARRAY InitPlan as ExpireBatch; SKIP LOCKED so concurrent drainers pass over each other's rows instead of
    // blocking). A crashed drainer's lease simply runs out.
    public const string Claim = """
        UPDATE storage_deletions SET next_attempt_at = @LeaseUntil
        WHERE id = ANY(ARRAY(SELECT id FROM storage_deletions
                             WHERE next_attempt_at <= @Now AND provider = @Provider
                             ORDER BY next_attempt_at LIMIT @Limit FOR UPDATE SKIP LOCKED))
        RETURNING id, storage_key, kind, attempts;
        """;

    // Returns which of @Keys a video row owns as its file or thumbnail (videos_storage_key, videos_thumbnail_key_idx):
    // files found by path are never deleted from under a live video (a direct upload registered at that path, a local
    // upload whose row was written), only the ones nothing references.
    public const string OwnedKeys = """
        SELECT storage_key FROM videos WHERE storage_provider = @Provider AND storage_key = ANY(@Keys)
        UNION ALL
        SELECT thumbnail_key FROM videos WHERE storage_provider = @Provider AND thumbnail_key = ANY(@Keys)
        """;

    // Returns the failed items that have now failed @WarnAttempts times or more: removes the queue rows of the
    // objects the store confirmed gone and reschedules the rest with exponential back-off and ±20% jitter
    // (primary key). One statement per chunk, so the queue never shows a half-recorded outcome.
    public const string Record = """
        WITH done AS (
            DELETE FROM storage_deletions WHERE id = ANY(@Done)),
        failed AS (
            UPDATE storage_deletions
            SET attempts = attempts + 1,
                last_attempt_at = @Now,
                last_error = @Error,
                next_attempt_at = @Now + make_interval(secs => greatest(@MinDelaySeconds,
                    least(power(2, least(attempts + 1, 30)) * @BaseSeconds, @CapSeconds) * (0.8 + random() * 0.4)))
            WHERE id = ANY(@Failed)
            RETURNING storage_key, attempts)
        SELECT storage_key, attempts FROM failed WHERE attempts >= @WarnAttempts;
        """;

    // Returns the queue's depth, the age of its oldest item and how many have failed @WarnAttempts times or more
    // (sequential scan of a queue that is normally small; runs at most every 30 s).
    public const string Stats = """
        SELECT count(*)::bigint AS depth,
               coalesce(extract(epoch FROM @Now - min(enqueued_at)), 0)::double precision AS oldest_age_seconds,
               count(*) FILTER (WHERE attempts >= @WarnAttempts)::bigint AS stuck
        FROM storage_deletions;
        """;
}
