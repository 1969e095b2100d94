using IgLive.Service.Features.Housekeeping.CleanupOldVideos;
using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IgLive.Service.Tests.Features.Housekeeping.CleanupOldVideos;

/// <summary>A seeded local video: its row id and the absolute paths of its files.</summary>
internal sealed record SeededVideo(Guid Id, string File, string? Thumbnail);

/// <summary>The cleanup fixtures' steps: the runner, and expiring videos with (or without) real files.</summary>
internal static class CleanupData
{
    public static CleanupOldVideosRunner Runner(this ServiceFactory on) => on.Services.GetRequiredService<CleanupOldVideosRunner>();

    /// <summary>A video row that expires at <paramref name="expiresAt"/> (created 14 days before), no file.</summary>
    public static Task<Guid> SeedExpiredAsync(this ServiceFactory on, TestUser owner, DateTimeOffset expiresAt, string provider, string key,
        string? thumbnailKey = null)
        => on.SeedVideoAsync(owner, expiresAt, expiresAt.AddDays(-14), "to expire", storageKey: key, provider: provider, thumbnailKey: thumbnailKey);

    /// <summary>A local video (and thumbnail) whose files really exist in the store, expiring at <paramref name="expiresAt"/>.</summary>
    public static async Task<SeededVideo> SeedLocalVideoAsync(this ServiceFactory on, TestUser owner, DateTimeOffset expiresAt, bool withThumbnail)
    {
        var store = on.Services.GetRequiredService<LocalFileStore>();
        var key = $"videos/{Guid.NewGuid():N}.mp4";
        var thumb = withThumbnail ? $"thumbnails/{Guid.NewGuid():N}.jpg" : null;
        foreach (var k in thumb is null ? [key] : (string[])[key, thumb])
        {
            var path = store.Resolve(k)!;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p']);
        }
        var id = await on.SeedExpiredAsync(owner, expiresAt, StorageProviders.Local, key, thumb);
        return new SeededVideo(id, store.Resolve(key)!, thumb is null ? null : store.Resolve(thumb));
    }
}
