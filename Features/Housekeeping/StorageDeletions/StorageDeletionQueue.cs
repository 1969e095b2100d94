using IgLive.Service.Infrastructure.Storage;

namespace IgLive.Service.Features.Housekeeping.StorageDeletions;

/// <summary>
/// The durable storage-deletion queue (<c>storage_deletions</c>): the only way a stored file is deleted once a
/// request is over. A row is removed only after its store confirmed the object gone, so a crash anywhere leaves
/// the file queued, never orphaned. How to use it:
/// <list type="bullet">
/// <item>A file whose key you know and no row owns any more: <see cref="EnqueueFilesAsync"/> (due now).</item>
/// <item>A row that owns files is deleted: enqueue in the same statement, composing <see cref="StorageDeletionSql.Enqueue"/>
/// (it reads a CTE <c>to_delete</c>), as <c>DeleteVideoSql</c> and <c>CleanupOldVideosSql.ExpireBatch</c> do.</item>
/// <item>A file about to be stored before its row exists: <see cref="EnqueuePathsAsync"/> first; the statement that
/// inserts the row takes the rows back (<see cref="StorageDeletionSql.TakeBackPaths"/>); <see cref="CancelPathsAsync"/>
/// when nothing was stored, <see cref="SearchPathsLaterAsync"/> when the store may still hold it.</item>
/// <item><see cref="DrainAsync"/> deletes what is due (drainer, cleanup run); a file found by path is never deleted
/// while a video row owns it.</item>
/// </list>
/// </summary>
public sealed class StorageDeletionQueue(NpgsqlDataSource db, TimeProvider clock, StorageDeletionDrain drain)
{
    /// <summary>Queues stored objects by key, due at once; an object already queued stays queued once.</summary>
    public Task EnqueueFilesAsync(string provider, IReadOnlyCollection<string> keys, Guid? videoId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return EnqueueAsync(provider, StorageKeyKinds.Key, [.. keys], videoId, reason, now, now, ct);
    }

    /// <summary>
    /// Queues whatever may end up at <paramref name="paths"/>, due after <paramref name="dueIn"/>; returns that due time,
    /// which the insert of the owning row passes to <see cref="StorageDeletionSql.TakeBackPaths"/>.
    /// </summary>
    public async Task<DateTimeOffset> EnqueuePathsAsync(string provider, string[] paths, Guid videoId, string reason, TimeSpan dueIn, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var notBefore = now + dueIn;
        notBefore = notBefore.AddTicks(-(notBefore.UtcTicks % 10)); // PostgreSQL's microseconds: compared for equality later
        await EnqueueAsync(provider, StorageKeyKinds.Path, paths, videoId, reason, now, notBefore, ct);
        return notBefore;
    }

    private async Task EnqueueAsync(string provider, string kind, string[] keys, Guid? videoId, string reason,
        DateTimeOffset now, DateTimeOffset notBefore, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(StorageDeletionSql.EnqueueMany, new
        {
            Provider = provider, Keys = keys, Kind = kind, VideoId = videoId, Reason = reason, Now = now, NotBefore = notBefore,
        }, cancellationToken: ct));
    }

    /// <summary>Drops the by-path rows of <paramref name="paths"/>: nothing is (any longer) stored there.</summary>
    public async Task CancelPathsAsync(string provider, string[] paths, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(StorageDeletionSql.CancelPaths, new { Provider = provider, Paths = paths }, cancellationToken: ct));
    }

    /// <summary>The store may still be finishing a file at <paramref name="paths"/>: search for it after <paramref name="after"/>.</summary>
    public async Task SearchPathsLaterAsync(string provider, string[] paths, TimeSpan after, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(StorageDeletionSql.SearchPathsLater,
            new { Provider = provider, Paths = paths, NotBefore = clock.GetUtcNow() + after }, cancellationToken: ct));
    }

    /// <summary>Whether any of <paramref name="keys"/> (keys or paths) waits in the queue.</summary>
    public async Task<bool> IsQueuedAsync(string provider, string[] keys, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(StorageDeletionSql.IsQueued,
            new { Provider = provider, Keys = keys }, cancellationToken: ct));
    }

    /// <summary>Deletes every due item from its store (see <see cref="StorageDeletionDrain"/>).</summary>
    public Task<DrainResult> DrainAsync(CancellationToken ct) => drain.DrainAsync(ct);
}

/// <summary>Why a file was queued (<c>storage_deletions.reason</c>).</summary>
public static class DeletionReasons
{
    /// <summary>The video expired (<c>CleanupOldVideosSql.ExpireBatch</c>).</summary>
    public const string Expired = "expired";
    /// <summary>Its owner deleted the video (<c>DeleteVideoSql</c>).</summary>
    public const string VideoDeleted = "video_deleted";
    /// <summary>The upload stored the file but ended without a row.</summary>
    public const string UploadFailed = "upload_failed";
    /// <summary>Queued by path before the file was stored; taken back by the row's insert.</summary>
    public const string UploadUnconfirmed = "upload_unconfirmed";
    /// <summary>The store's answer to the upload was lost: the path is searched for later.</summary>
    public const string UploadAmbiguous = "upload_ambiguous";
    /// <summary>A processing job's outputs, queued by path before their move; taken back when the video becomes ready.</summary>
    public const string ProcessingUnconfirmed = "processing_unconfirmed";
    /// <summary>The source of a video whose processing failed (<c>MediaJobsSql.Fail</c>).</summary>
    public const string ProcessingFailed = "processing_failed";
    /// <summary>A direct ImageKit upload issued a day ago or more was never registered as a video.</summary>
    public const string DirectUploadAbandoned = "direct_upload_abandoned";
    /// <summary>A registration refused the directly uploaded file (too large, not a video).</summary>
    public const string DirectUploadRefused = "direct_upload_refused";
}
