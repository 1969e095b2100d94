using System.Text.RegularExpressions;
using IgLive.Service.Infrastructure.Configuration;
using IgLive.Service.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Media.ServeHls;

/// <summary>
/// A processed video's HLS playlists, segments and thumbnail (local storage): <c>master.m3u8</c>, <c>360p/index.m3u8</c>,
/// <c>360p/seg_000.ts</c>, <c>thumbnail.jpg</c> … under the folder its row owns, with range requests. Only visible
/// videos are served (ready, live, not removed, author not suspended); anything else is 404, like an unknown name.
/// </summary>
public sealed partial class ServeHlsEndpoint(LocalFileStore store, IOptions<StorageOptions> storage, NpgsqlDataSource db, TimeProvider clock)
    : EndpointWithoutRequest
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".m3u8"] = "application/vnd.apple.mpegurl", [".ts"] = "video/mp2t", [".jpg"] = "image/jpeg",
    };

    public override void Configure()
    {
        Get("/media/hls/{id}/{**path}");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "HLS stream of a processed video (local storage only)";
            s.Description = "`master.m3u8` (the video's `stream_url`) lists one variant per rendition (`360p/index.m3u8`, `720p/index.m3u8`); segments are MPEG-TS. Supports `Range` (206). 404 unless the video is visible and ready.";
        });
        Description(b => b.Produces(200, responseType: null, "application/vnd.apple.mpegurl", "video/mp2t", "image/jpeg")
            .Produces(206).ProducesProblemDetails(404).ProducesProblemDetails(416));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var name = Route<string>("path", isRequired: false) ?? "";
        var file = storage.Value.Provider == StorageProvider.Local && Guid.TryParse(Route<string>("id", isRequired: false), out var id)
                   && OutputName().IsMatch(name) && ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType)
            ? await ResolveAsync(id, name, ct) : null;
        if (file is null || !File.Exists(file))
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(404, "No such file."));
            return;
        }
        // Short: a deleted or expired video must stop being served soon, caches included (as /media).
        HttpContext.Response.Headers.CacheControl = "public, max-age=60";
        await Send.ResultAsync(TypedResults.PhysicalFile(file, ContentTypes[Path.GetExtension(name)], enableRangeProcessing: true));
    }

    /// <summary>The file inside the outputs folder of a visible video, or null.</summary>
    private async Task<string?> ResolveAsync(Guid id, string name, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var folder = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(ServeHlsSql.OutputFolder,
            new { Id = id, Now = clock.GetUtcNow() }, cancellationToken: ct));
        return folder is not null && LocalFileStore.IsFolderKey(folder) ? store.Resolve(folder + name) : null;
    }

    // A rendition folder and a plain file name: nothing else (no dots in folders, no "..", no absolute paths).
    [GeneratedRegex(@"^(?:[0-9]{3,4}p/)?[a-z0-9_]{1,40}\.(?:m3u8|ts|jpg)$")]
    private static partial Regex OutputName();
}

internal static class ServeHlsSql
{
    // The outputs folder of a visible local video (anonymous: no block to check); videos_pkey, profiles_pkey.
    public const string OutputFolder = $"""
        SELECT v.thumbnail_key FROM videos v JOIN profiles p ON p.id = v.user_id
        WHERE v.id = @Id AND v.storage_provider = 'local' AND {Visibility.VideoLive} AND {Visibility.ActiveAuthor}
        """;
}
