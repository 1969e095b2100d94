using IgLive.Service.Features.Housekeeping.StorageDeletions;
using IgLive.Service.Features.Videos.Publishing;
using IgLive.Service.Infrastructure.ImageKit;
using IgLive.Service.Infrastructure.Storage;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// Streams an upload on to ImageKit. The file's name, hence its path, is ours and fixed before a byte is sent (no
/// unique suffix, never overwriting): while the outcome is unknown, the path is what the file can be found by. It is
/// queued for deletion by path BEFORE the upload starts, due only once the upload must have ended (timeout) plus the
/// search delay, so the row outlives a process that dies mid-upload. The row goes in the statement that inserts the
/// video, or as soon as ImageKit's answer proves nothing was stored.
/// </summary>
public sealed partial class ImageKitUploadStore(IServiceProvider services, StorageDeletionQueue deletions, ILogger<ImageKitUploadStore> log)
{
    public async Task<Outcome<StoredVideo>> StoreAsync(Guid id, VideoContainer container, ReplayingLimitedStream stream, long max, CancellationToken ct)
    {
        var imageKit = services.GetRequiredService<ImageKitClient>();
        var o = imageKit.Options;
        var fileName = $"{id:N}.{container.Extension}";
        var path = ImageKitClient.FilePath(o.Folder, fileName);
        var pendingUntil = await deletions.EnqueuePathsAsync(StorageProviders.ImageKit, [path], id, DeletionReasons.UploadUnconfirmed,
            TimeSpan.FromSeconds(o.UploadTimeoutSeconds + o.OrphanSearchDelaySeconds), CancellationToken.None); // nothing sent if this fails
        ImageKitFile file;
        try
        {
            file = await imageKit.UploadAsync(stream, fileName, o.Folder, ct);
        }
        catch (Exception e)
        {
            // Nothing stored: the multipart body ImageKit was receiving was cut short (size limit, our client's body broke
            // off), or ImageKit refused it (4xx). Anything else (timeout, connection reset, 5xx, an unreadable answer, our
            // client leaving while ImageKit had the whole body) may have left a file whose fileId we never learnt: its
            // queued path is then searched for (and what is found deleted) after the search delay instead.
            var nothingStored = stream.LimitExceeded || stream.ReadFailed || e is UpstreamException { UpstreamStatus: < 500 };
            await SettlePathAsync(id, path, nothingStored ? null : TimeSpan.FromSeconds(o.OrphanSearchDelaySeconds));
            if (stream.LimitExceeded) return UploadStorage.TooLarge(max);
            // Our client's body broke off (gone, or bad framing), not ImageKit: report it as such, not as a 503.
            if (stream.ReadFailed && e is UpstreamException) throw new IOException("The request body could not be read while forwarding it to ImageKit.", e);
            throw;
        }
        return StoredVideo.InImageKit(file.FileId!, file.FilePath, file.Url!, container, stream.BytesRead,
            new VideoInfo(file.Duration, file.Width, file.Height), [path], pendingUntil);
    }

    /// <summary>
    /// After a failed upload: drops its queued path when nothing was stored (<paramref name="searchAfter"/> null), else
    /// has it searched for after <paramref name="searchAfter"/> (ImageKit may still be finishing the file). Best effort:
    /// if the database fails here, the row simply stays due at its original, later time.
    /// </summary>
    private async Task SettlePathAsync(Guid id, string path, TimeSpan? searchAfter)
    {
        try
        {
            if (searchAfter is { } after)
            {
                await deletions.SearchPathsLaterAsync(StorageProviders.ImageKit, [path], after, CancellationToken.None);
                Log.QueuedByPath(log, id, path);
            }
            else await deletions.CancelPathsAsync(StorageProviders.ImageKit, [path], CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.SettleFailed(log, e, id, path);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "Upload {VideoId} to ImageKit failed ambiguously; whatever ImageKit stored at {Path} is queued for deletion")]
        public static partial void QueuedByPath(ILogger logger, Guid videoId, string path);

        [LoggerMessage(LogLevel.Warning, "Upload {VideoId} to ImageKit failed and its queued path {Path} could not be updated; it stays queued and is searched for later")]
        public static partial void SettleFailed(ILogger logger, Exception e, Guid videoId, string path);
    }
}
