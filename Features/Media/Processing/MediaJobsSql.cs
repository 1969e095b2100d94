using IgLive.Service.Features.Housekeeping.StorageDeletions;

namespace IgLive.Service.Features.Media.Processing;

internal static class MediaJobsSql
{
    // Returns the claimed job with its video (or nothing): the due job waiting longest, leased for @LeaseSeconds on the
    // database clock under a fresh @Token; a video removed by a moderator is not processed (its job goes with the row).
    // media_jobs_due_idx; SKIP LOCKED so concurrent workers take different jobs instead of queueing behind one row
    // lock; videos_pkey for the join.
    public const string Claim = """
        WITH c AS (
            UPDATE media_jobs SET attempts = attempts + 1, lease_token = @Token, leased_by = @Worker,
                                  next_attempt_at = now() + make_interval(secs => @LeaseSeconds), last_claimed_at = now()
            WHERE video_id = (SELECT j.video_id FROM media_jobs j JOIN videos v ON v.id = j.video_id
                              WHERE j.next_attempt_at <= now() AND v.removed_at IS NULL
                              ORDER BY j.next_attempt_at LIMIT 1 FOR UPDATE OF j SKIP LOCKED)
            RETURNING video_id, attempts, last_error)
        SELECT c.video_id, c.attempts, c.last_error, v.user_id, v.storage_key, v.duration_seconds
        FROM c JOIN videos v ON v.id = c.video_id
        """;

    // Renews the lease; 0 rows when the claim is gone (video deleted or expired, or the lease lapsed and another
    // worker took the job) or the video was removed by a moderator meanwhile. media_jobs_pkey, videos_pkey.
    public const string Renew = """
        UPDATE media_jobs j SET next_attempt_at = now() + make_interval(secs => @LeaseSeconds)
        FROM videos v
        WHERE j.video_id = @VideoId AND j.lease_token = @Token AND v.id = j.video_id AND v.removed_at IS NULL
        """;

    // Returns the video's owner when it became ready: only while the claim holds, the video is live and still
    // processing, and the by-path deletion queued for the outputs before their move is untouched (a drainer that
    // claimed it moved its due time and may be deleting the folder). Locks both rows first; then, in the same statement,
    // removes the job and that queued deletion, so the outputs are owned by the row (thumbnail_key) from the moment they
    // are visible. (Not StorageDeletionSql.TakeBackPaths: that takes the row back unconditionally, and here the row
    // must stay queued whenever the video is not made ready.)
    // media_jobs_pkey, storage_deletions_object_key, videos_pkey.
    public const string Complete = """
        WITH j AS (SELECT video_id FROM media_jobs WHERE video_id = @VideoId AND lease_token = @Token FOR UPDATE),
        p AS (SELECT id FROM storage_deletions
              WHERE provider = 'local' AND storage_key = @OutputKey AND kind = 'path' AND next_attempt_at = @NotBefore
              FOR UPDATE),
        v AS (
            UPDATE videos SET status = 'ready', failure_reason = NULL, thumbnail_key = @OutputKey,
                              thumbnail_url = @ThumbnailUrl, stream_url = @StreamUrl,
                              duration_seconds = coalesce(@DurationSeconds, duration_seconds),
                              width = coalesce(@Width, width), height = coalesce(@Height, height)
            WHERE id = @VideoId AND status = 'processing' AND expires_at > @Now AND removed_at IS NULL
              AND EXISTS (SELECT 1 FROM j) AND EXISTS (SELECT 1 FROM p)
            RETURNING id, user_id),
        dj AS (DELETE FROM media_jobs WHERE video_id IN (SELECT id FROM v)),
        dp AS (DELETE FROM storage_deletions WHERE id IN (SELECT id FROM p) AND EXISTS (SELECT 1 FROM v))
        SELECT user_id FROM v
        """;

    // Returns the owner when the video became failed: removes the job, sets the reason and queues the source file for
    // deletion, in one statement (media_jobs_pkey, videos_pkey; storage_deletions_object_key makes it idempotent).
    public const string Fail = $"""
        WITH j AS (DELETE FROM media_jobs WHERE video_id = @VideoId AND lease_token = @Token RETURNING video_id),
        v AS (
            UPDATE videos SET status = 'failed', failure_reason = @Reason
            WHERE id IN (SELECT video_id FROM j) AND status = 'processing'
            RETURNING id, user_id, storage_provider, storage_key),
        to_delete AS (
            SELECT storage_provider AS provider, storage_key, 'key' AS kind, id AS video_id,
                   '{DeletionReasons.ProcessingFailed}' AS reason, @Now AS next_attempt_at
            FROM v),
        q AS (
            {StorageDeletionSql.Enqueue})
        SELECT user_id FROM v
        """;

    // Gives the claim back after a failed attempt: due again after exponential back-off; @Refund 1 hands back the
    // attempt too (the instance is shutting down, not the job failing). media_jobs_pkey.
    public const string Retry = """
        UPDATE media_jobs SET lease_token = NULL, last_error = @Error, attempts = greatest(attempts - @Refund, 0),
                              next_attempt_at = now() + make_interval(secs => @BaseSeconds * power(2, greatest(attempts - 1, 0)))
        WHERE video_id = @VideoId AND lease_token = @Token
        """;

    // Returns which of @Tokens are current claims: job folders named after any other token are leftovers of a worker
    // that died or lost its lease (sequential scan of a queue that is normally small; runs once a minute).
    public const string ActiveTokens = "SELECT lease_token FROM media_jobs WHERE lease_token = ANY(@Tokens)";

    // Returns the queue's depth, how many are claimed right now, and how many have waited longer than @StuckAfter
    // seconds (sequential scan of a small queue; at most every 30 s).
    public const string Stats = """
        SELECT count(*)::bigint AS depth,
               count(*) FILTER (WHERE lease_token IS NOT NULL AND next_attempt_at > now())::bigint AS running,
               count(*) FILTER (WHERE enqueued_at < now() - make_interval(secs => @StuckAfter))::bigint AS stuck
        FROM media_jobs
        """;
}
