using IgLive.Service.Features.Housekeeping.StorageDeletions;

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
    // statement, queues their file and local thumbnail for deletion. Uses videos_expires_idx, then the primary key
    // (`id = ANY(ARRAY(subquery))` keeps the pick an InitPlan: `id IN (subquery)` becomes a hash join over a scan of
    // videos per batch). SKIP LOCKED lets two runners (or an owner's delete) take disjoint rows without waiting.
    public const string ExpireBatch = $"""
        WITH gone AS (
            DELETE FROM videos
            WHERE id = ANY(ARRAY(SELECT id FROM videos WHERE expires_at <= @Now ORDER BY expires_at LIMIT @Batch FOR UPDATE SKIP LOCKED))
            RETURNING id, storage_provider, storage_key, thumbnail_key),
        to_delete AS (
            SELECT storage_provider AS provider, storage_key, 'key' AS kind, id AS video_id, 'expired' AS reason, @Now AS next_attempt_at
            FROM gone
            UNION ALL
            SELECT 'local', thumbnail_key, 'key', id, 'expired', @Now FROM gone WHERE thumbnail_key IS NOT NULL),
        queued AS (
            {StorageDeletionSql.Enqueue}
            RETURNING 1)
        SELECT (SELECT count(*) FROM gone)::int AS expired, (SELECT count(*) FROM queued)::int AS queued;
        """;

    // Direct uploads issued before @Cutoff: every such row goes; the files of those no video owns are queued for
    // deletion by path (the drainer searches ImageKit for them). direct_uploads_issued_idx, videos' storage path.
    public const string AbandonDirectUploads = """
        WITH old AS (
            DELETE FROM direct_uploads d WHERE d.issued_at < @Cutoff
            RETURNING d.file_path,
                      EXISTS (SELECT 1 FROM videos v WHERE v.storage_provider = 'imagekit' AND v.storage_path = d.file_path) AS owned),
        to_delete AS (
            SELECT 'imagekit' AS provider, file_path AS storage_key, 'path' AS kind, NULL::uuid AS video_id,
                   @Reason AS reason, @Now::timestamptz AS next_attempt_at
            FROM old WHERE NOT owned)
        """ + StorageDeletionSql.Enqueue;
}
