using IgLive.Service.Features.Housekeeping.StorageDeletions;
using IgLive.Service.Features.Videos.Publishing;
using IgLive.Service.Infrastructure.Storage;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// Stores an upload on local disk: written under a name nothing serves, then moved into place in one step, so a
/// reader never sees half a file. A process killed mid-write leaves the part file behind for
/// <see cref="LocalFileStore.SweepIncoming"/>; one killed after the move leaves a queued by-path deletion. No ffmpeg
/// here: the stored video is published <c>processing</c> with a job, and a media worker makes its thumbnail and HLS
/// renditions (<c>Features/Media/Processing</c>).
/// </summary>
public sealed class LocalUploadStore(LocalFileStore local, StorageDeletionQueue deletions)
{
    public async Task<Outcome<StoredVideo>> StoreAsync(Guid id, VideoContainer container, ReplayingLimitedStream stream, long max, CancellationToken ct)
    {
        var hex = id.ToString("N");
        var key = $"videos/{hex[..2]}/{hex}.{container.Extension}";
        var final = local.Resolve(key)!;
        Directory.CreateDirectory(local.IncomingPath);
        var temp = Path.Combine(local.IncomingPath, hex + LocalFileStore.PartSuffix);
        var done = false;
        try
        {
            await using (var file = new FileStream(temp, new FileStreamOptions
                         { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 }))
            {
                // Unbuffered: the received bytes go to the disk in gather writes, without a copy (docs/benchmarks.md, "Upload").
                await stream.CopyToFileAsync(file.SafeFileHandle, ct);
            }
            // Duration and frame size from the container headers (no decoding); the worker's ffprobe refines them.
            var info = VideoMetadata.Read(temp, container);
            // From the move on, the video sits where it is served from, before its row exists: queue its deletion first,
            // due once the upload must long be over, so a process killed before the insert leaves no file behind. The
            // insert takes the row back in its own statement.
            var pendingUntil = await deletions.EnqueuePathsAsync(StorageProviders.Local, [key], id,
                DeletionReasons.UploadUnconfirmed, local.IncomingMaxAge, CancellationToken.None);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            File.Move(temp, final);
            done = true;
            return new StoredVideo(StorageProviders.Local, key, key, null, "/media/" + key, null, null, container, stream.BytesRead,
                info.Sane(), [key], pendingUntil) { NeedsProcessing = true };
        }
        catch (UploadTooLargeException)
        {
            return UploadStorage.TooLarge(max);
        }
        catch (IOException e) when (!stream.ReadFailed)
        {
            // The disk, not the request: a 500 with the cause logged, never mistaken for a malformed body.
            throw new InvalidOperationException("Writing the upload to local storage failed.", e);
        }
        finally
        {
            if (!done)
            {
                DeleteQuietly(temp);
                DeleteQuietly(final);
            }
        }
    }

    private static void DeleteQuietly(string path)
    {
        try { File.Delete(path); }
        catch (DirectoryNotFoundException) { } // never created
    }
}
