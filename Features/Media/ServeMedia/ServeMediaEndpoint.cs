using IgLive.Service.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Media.ServeMedia;

/// <summary>
/// Stored videos and thumbnails with local storage, with HTTP range requests (players seek with them). Only the
/// <c>videos/</c> and <c>thumbnails/</c> trees are served; <see cref="LocalFileStore.Resolve"/> refuses any path that
/// would leave the store. With ImageKit storage, files are delivered by ImageKit and this route answers 404.
/// </summary>
public sealed class ServeMediaEndpoint(LocalFileStore store, IOptions<StorageOptions> storage, NpgsqlDataSource db, TimeProvider clock)
    : EndpointWithoutRequest
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp4"] = "video/mp4", [".mov"] = "video/quicktime", [".webm"] = "video/webm", [".mkv"] = "video/x-matroska",
        [".jpg"] = "image/jpeg",
    };

    public override void Configure()
    {
        Get("/media/{**path}");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "A stored file (local storage only)";
            s.Description = "Serves `video_url`/`thumbnail_url` paths of locally stored videos; supports `Range` (206). 404 for unknown paths and with ImageKit storage.";
        });
        Description(b => b.Produces(200, responseType: null, "video/mp4", "video/quicktime", "video/webm", "video/x-matroska", "image/jpeg")
            .Produces(206).ProducesProblemDetails(404).ProducesProblemDetails(416));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var key = Route<string>("path", isRequired: false) ?? "";
        var path = storage.Value.Provider == StorageProvider.Local
                   && (key.StartsWith("videos/", StringComparison.Ordinal) || key.StartsWith("thumbnails/", StringComparison.Ordinal))
            ? store.Resolve(key) : null;
        if (path is null || !ContentTypes.TryGetValue(Path.GetExtension(path), out var contentType) || !File.Exists(path)
            || !await IsLiveAsync(key, ct))
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(404, "No such file."));
            return;
        }
        // Short: an expired or deleted video's file must stop being served soon, caches included.
        HttpContext.Response.Headers.CacheControl = "public, max-age=60";
        await Send.ResultAsync(TypedResults.PhysicalFile(path, contentType, enableRangeProcessing: true));
    }

    /// <summary>Expiry is honoured at read time: a file is served only while a live video owns it.</summary>
    private async Task<bool> IsLiveAsync(string key, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(ServeMediaSql.IsLive, new { Key = key, Now = clock.GetUtcNow() }, cancellationToken: ct));
    }
}

internal static class ServeMediaSql
{
    // Whether a visible local video owns the key as its file or thumbnail (anonymous: live, ready, not removed, author
    // not suspended; a processing or failed video's file is not served, its owner sees status); videos_storage_key /
    // videos_thumbnail_key_idx, profiles_pkey.
    public const string IsLive = $"""
        SELECT EXISTS (SELECT 1 FROM videos v WHERE v.storage_provider = 'local' AND v.storage_key = @Key
                       AND {Visibility.VideoLive} AND {Visibility.ActiveAuthorProbe})
            OR EXISTS (SELECT 1 FROM videos v WHERE v.storage_provider = 'local' AND v.thumbnail_key = @Key
                       AND {Visibility.VideoLive} AND {Visibility.ActiveAuthorProbe})
        """;
}
