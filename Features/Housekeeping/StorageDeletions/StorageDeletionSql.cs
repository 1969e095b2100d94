namespace IgLive.Service.Features.Housekeeping.StorageDeletions;

/// <summary>
/// Every statement on <c>storage_deletions</c>. <see cref="Enqueue"/> and <see cref="TakeBackPaths"/> are fragments that
/// statements elsewhere compose (as const interpolation) to stay atomic with the row they delete or insert.
/// </summary>
public static class StorageDeletionSql
{
    // The one INSERT into the queue. Reads a CTE the composing statement defines:
    // to_delete (provider, storage_key, kind, video_id, reason, next_attempt_at); enqueued at @Now. An object already
    // queued stays queued once (storage_deletions_object_key). Append RETURNING when the caller counts rows.
    public const string Enqueue = """
        INSERT INTO storage_deletions (provider, storage_key, kind, video_id, reason, enqueued_at, next_attempt_at)
        SELECT provider, storage_key, kind, video_id, reason, @Now, next_attempt_at FROM to_delete
        ON CONFLICT (provider, storage_key) DO NOTHING
        """;

    // Fragment: takes back the by-path rows queued before a file was stored (@Provider, @PendingPaths), but only those
    // still untouched (due at @PendingNotBefore, as queued): a row the drainer claimed (its lease moved
    // next_attempt_at) may be deleting the file right now. Returns one row per row taken (storage_deletions_object_key).
    public const string TakeBackPaths = """
        DELETE FROM storage_deletions
        WHERE provider = @Provider AND storage_key = ANY(@PendingPaths::text[]) AND kind = 'path'
          AND next_attempt_at = @PendingNotBefore
        RETURNING 1
        """;

    // Queues @Keys (kind @Kind: store keys, or paths to search), first due at @NotBefore.
    public const string EnqueueMany = $"""
        WITH to_delete AS (
            SELECT @Provider AS provider, key AS storage_key, @Kind AS kind, @VideoId AS video_id, @Reason AS reason,
                   @NotBefore AS next_attempt_at
            FROM unnest(@Keys::text[]) AS key)
        {Enqueue}
        """;

    // The upload failed without telling whether the store kept the file: search its path from @NotBefore
    // (storage_deletions_object_key).
    public const string SearchPathsLater = """
        UPDATE storage_deletions SET reason = 'upload_ambiguous', next_attempt_at = @NotBefore
        WHERE provider = @Provider AND storage_key = ANY(@Paths::text[]) AND kind = 'path'
        """;

    // Nothing is (any longer) stored at these paths: nothing to search for (storage_deletions_object_key).
    public const string CancelPaths =
        "DELETE FROM storage_deletions WHERE provider = @Provider AND storage_key = ANY(@Paths::text[]) AND kind = 'path'";

    // Whether an object waits in the queue, by its key or by its path (a by-path row deletes whatever is found
    // there); storage_deletions_object_key.
    public const string IsQueued =
        "SELECT EXISTS (SELECT 1 FROM storage_deletions WHERE provider = @Provider AND storage_key = ANY(@Keys))";

    // Returns the claimed items (id, storage_key, kind, attempts): up to @Limit due items of one provider, leased until
    // @LeaseUntil so no other drainer takes them meanwhile (storage_deletions_due_idx, then the primary key through an
    // ARRAY InitPlan; SKIP LOCKED so concurrent drainers pass over each other's rows). A crashed drainer's lease runs out.
    public const string Claim = """
        UPDATE storage_deletions SET next_attempt_at = @LeaseUntil
        WHERE id = ANY(ARRAY(SELECT id FROM storage_deletions
                             WHERE next_attempt_at <= @Now AND provider = @Provider
                             ORDER BY next_attempt_at LIMIT @Limit FOR UPDATE SKIP LOCKED))
        RETURNING id, storage_key, kind, attempts;
        """;

    // Returns which of @Keys a video row owns as its file or thumbnail (videos_storage_key, videos_thumbnail_key_idx):
    // files found by path are never deleted from under a video, only the ones nothing references.
    public const string OwnedKeys = """
        SELECT storage_key FROM videos WHERE storage_provider = @Provider AND storage_key = ANY(@Keys)
        UNION ALL
        SELECT thumbnail_key FROM videos WHERE storage_provider = @Provider AND thumbnail_key = ANY(@Keys)
        """;

    // Returns the failed items that have now failed @WarnAttempts times or more: removes the rows of the objects the
    // store confirmed gone and reschedules the rest with exponential back-off and ±20% jitter (primary key). One
    // statement per chunk, so the queue never shows a half-recorded outcome.
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
