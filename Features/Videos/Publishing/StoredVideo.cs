using IgLive.Service.Infrastructure.Storage;

namespace IgLive.Service.Features.Videos.Publishing;

/// <summary>
/// A file in a store, ready to become a video row. <see cref="PendingPaths"/>: the by-path deletions queued before the
/// file was stored (due at <see cref="PendingNotBefore"/>), taken back by the statement that inserts the row.
/// </summary>
public sealed record StoredVideo(string Provider, string Key, string? Path, string? ThumbnailKey, string VideoUrl,
    string? ThumbnailUrl, string? StreamUrl, VideoContainer Container, long SizeBytes, VideoInfo Info, string[]? PendingPaths = null,
    DateTimeOffset? PendingNotBefore = null)
{
    /// <summary>Published <c>processing</c> with a media job (a local upload), instead of <c>ready</c>.</summary>
    public bool NeedsProcessing { get; init; }

    private const string StreamSuffix = "/ik-master.m3u8?tr=sr-240_360_480_720_1080";

    /// <summary>A file ImageKit holds: played from its URL, thumbnail and HLS stream made by ImageKit on request.</summary>
    public static StoredVideo InImageKit(string fileId, string? path, string url, VideoContainer container, long sizeBytes, VideoInfo info,
        string[]? pendingPaths = null, DateTimeOffset? pendingNotBefore = null)
    {
        url = url.TrimEnd('/');
        return new StoredVideo(StorageProviders.ImageKit, fileId, path, null, url, url + "/ik-thumbnail.jpg", url + StreamSuffix,
            container, sizeBytes, info.Sane(), pendingPaths, pendingNotBefore);
    }
}
