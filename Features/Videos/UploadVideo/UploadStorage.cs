using IgLive.Service.Features.Housekeeping.StorageDeletions;
using IgLive.Service.Features.Videos.Publishing;
using IgLive.Service.Infrastructure.ImageKit;
using IgLive.Service.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// The file part of an upload: recognised from its first bytes, then streamed to the configured store
/// (<c>Storage:Provider</c>); and the removal of what a request stored but did not turn into a row.
/// </summary>
public sealed partial class UploadStorage(
    LocalUploadStore localStore,
    ImageKitUploadStore imageKitStore,
    LocalFileStore local,
    StorageDeletionQueue deletions,
    IServiceProvider services,
    IOptions<StorageOptions> storage,
    ILogger<UploadStorage> log)
{
    public static Refusal TooLarge(long max) => new(413, $"The file is larger than the {max} bytes allowed.");

    /// <summary>Sniffs the first bytes, then streams the part to the store.</summary>
    public async Task<Outcome<StoredVideo>> StoreAsync(Guid id, Stream body, long max, CancellationToken ct)
    {
        var head = new byte[VideoSniffer.HeadLength];
        var n = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (n == 0) return Refusal.Invalid("file", "the file is empty");
        if (VideoSniffer.Sniff(head.AsSpan(0, n)) is not { } container)
            return new Refusal(415, "The file is not an MP4, MOV, WebM or Matroska video.");
        var stream = new ReplayingLimitedStream(head.AsMemory(0, n), body, max);
        return storage.Value.Provider == StorageProvider.ImageKit
            ? await imageKitStore.StoreAsync(id, container, stream, max, ct)
            : await localStore.StoreAsync(id, container, stream, max, ct);
    }

    /// <summary>
    /// Removes what a failed request stored. Local files go at once (queued if that fails); an ImageKit file is queued
    /// for the drainer, or deleted directly if even the queue is unreachable.
    /// </summary>
    public async Task DiscardAsync(Guid id, StoredVideo s)
    {
        var keys = new[] { s.Key, s.ThumbnailKey }.OfType<string>().ToArray();
        try
        {
            if (s.Provider == StorageProviders.Local)
            {
                var gone = await local.DeleteAsync(keys, CancellationToken.None);
                keys = keys.Except(gone).ToArray();
                if (keys.Length == 0)
                {
                    await DropPendingAsync(s);
                    return;
                }
            }
            await deletions.EnqueueFilesAsync(s.Provider, keys, id, DeletionReasons.UploadFailed, CancellationToken.None);
            Log.Queued(log, id, s.Provider);
        }
        catch (Exception e)
        {
            if (s.Provider == StorageProviders.ImageKit && services.GetService<ImageKitClient>() is { } imageKit)
            {
                try { await imageKit.DeleteFileAsync(s.Key, CancellationToken.None); return; }
                catch (Exception inner) { e = inner; }
            }
            Log.Orphaned(log, e, id, s.Provider, s.Provider == StorageProviders.ImageKit ? s.Key : null);
        }
    }

    /// <summary>
    /// The local files queued before the move are gone again: their by-path rows have nothing left to do. Best effort:
    /// if the database is unreachable (often why the insert failed), the rows find nothing when due and complete then.
    /// </summary>
    private async Task DropPendingAsync(StoredVideo s)
    {
        try
        {
            await deletions.CancelPathsAsync(s.Provider, s.PendingPaths ?? [], CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            Log.DropPendingFailed(log, e, s.Key);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Upload {VideoId} failed; its stored {Provider} file is queued for deletion")]
        public static partial void Queued(ILogger logger, Guid videoId, string provider);

        [LoggerMessage(LogLevel.Warning, "The by-path deletions queued for the removed local file {Key} could not be dropped; they complete when due")]
        public static partial void DropPendingFailed(ILogger logger, Exception e, string key);

        [LoggerMessage(LogLevel.Error, "Upload {VideoId} failed and its {Provider} file {File} could be neither queued nor deleted: orphaned")]
        public static partial void Orphaned(ILogger logger, Exception e, Guid videoId, string provider, string? file);
    }
}
