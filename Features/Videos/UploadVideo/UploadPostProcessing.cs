using IgLive.Service.Features.Videos.Publishing;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>What the upload learns from a stored local file before its row is written.</summary>
public sealed record ProcessedMedia(VideoInfo Info, bool HasThumbnail);

/// <summary>
/// The one place the upload path reads the stored file back: duration and size from the container headers, and a
/// thumbnail made by ffmpeg. Runs inline, before the row exists (so an upload waits for ffmpeg); a background
/// processing job is meant to take this over (#13). ImageKit uploads need none of it: ImageKit reports the metadata
/// and serves the thumbnail.
/// </summary>
public sealed class UploadPostProcessing(ILogger<UploadPostProcessing> log)
{
    /// <param name="videoPath">The stored video, where it is served from.</param>
    /// <param name="container">Its sniffed container.</param>
    /// <param name="thumbnailPath">Where a thumbnail is written, if one can be made.</param>
    /// <param name="ct">Cancels ffmpeg.</param>
    public async Task<ProcessedMedia> ProcessAsync(string videoPath, VideoContainer container, string thumbnailPath, CancellationToken ct)
    {
        var info = VideoMetadata.Read(videoPath, container);
        var hasThumbnail = await Thumbnailer.TryCreateAsync(videoPath, thumbnailPath, log, ct);
        return new ProcessedMedia(info, hasThumbnail);
    }
}
