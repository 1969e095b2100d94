using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IgLive.Service.Infrastructure.ImageKit;
using IgLive.Service.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Videos.GetImageKitAuth;

/// <summary>
/// Parameters for one client-side upload to ImageKit's V2 upload API, then registered with <c>POST /api/videos</c> as
/// JSON. Send them unchanged as form fields next to <c>file</c>: the token signs every one of them, so ImageKit refuses
/// an upload that changes the name or folder or asks to overwrite.
/// </summary>
public sealed record GetImageKitAuthResponse
{
    /// <summary>Where to POST the multipart upload (ImageKit's V2 upload endpoint).</summary>
    public required string UploadUrl { get; init; }
    /// <summary>The V2 upload token: an HS256 JWT over the fields below; ImageKit accepts it once, before <c>expire</c>.</summary>
    public required string Token { get; init; }
    /// <summary>Unix time in seconds when the token stops being accepted (30 minutes from now).</summary>
    public required long Expire { get; init; }
    /// <summary>Form field <c>fileName</c>: chosen by the service, unique.</summary>
    public required string FileName { get; init; }
    /// <summary>Form field <c>folder</c>: the caller's own folder.</summary>
    public required string Folder { get; init; }
    /// <summary>Form field <c>useUniqueFileName</c>: always <c>"false"</c> (the name is unique already).</summary>
    public required string UseUniqueFileName { get; init; }
    /// <summary>Form field <c>overwriteFile</c>: always <c>"false"</c>.</summary>
    public required string OverwriteFile { get; init; }
    public required string PublicKey { get; init; }
    public required string UrlEndpoint { get; init; }
}

/// <summary>Query of <c>GET /api/auth/imagekit</c>.</summary>
public sealed record GetImageKitAuthRequest
{
    /// <summary>File extension of the video to upload: <c>mp4</c> (default), <c>mov</c>, <c>webm</c> or <c>mkv</c>.</summary>
    [QueryParam] public string? Extension { get; init; }
}

public sealed class GetImageKitAuthValidator : Validator<GetImageKitAuthRequest>
{
    public GetImageKitAuthValidator() => RuleFor(r => r.Extension).Must(e => e is null or "mp4" or "mov" or "webm" or "mkv")
        .WithMessage("extension must be mp4, mov, webm or mkv");
}

public sealed class GetImageKitAuthEndpoint(IOptions<StorageOptions> storage, IOptions<ImageKitOptions> imageKit, NpgsqlDataSource db, TimeProvider clock)
    : Endpoint<GetImageKitAuthRequest, GetImageKitAuthResponse>
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30); // ImageKit requires less than one hour

    public override void Configure()
    {
        Get("/api/auth/imagekit");
        Summary(s =>
        {
            s.Summary = "Client-side ImageKit upload parameters (V2 upload API)";
            s.Description = "A one-time signed upload of one file into the caller's folder under a name the service chose. "
                            + "Registration (`POST /api/videos`, JSON) accepts only a file uploaded this way by the same user. "
                            + "An upload never registered is deleted by the cleanup a day later. 404 when videos are not stored in ImageKit.";
        });
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(404));
    }

    public override async Task HandleAsync(GetImageKitAuthRequest r, CancellationToken ct)
    {
        var o = imageKit.Value;
        if (storage.Value.Provider != StorageProvider.ImageKit || !o.IsConfigured)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(404, "This server does not store videos in ImageKit."));
            return;
        }
        var userId = User.RequiredUserId();
        var now = clock.GetUtcNow();
        var expires = now.Add(Lifetime);
        var folder = $"{o.Folder.TrimEnd('/')}/u/{userId:N}";
        var fileName = $"{Guid.NewGuid():N}.{r.Extension ?? "mp4"}";
        var fields = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["fileName"] = fileName, ["folder"] = folder, ["useUniqueFileName"] = "false", ["overwriteFile"] = "false",
            ["iat"] = now.ToUnixTimeSeconds(), ["exp"] = expires.ToUnixTimeSeconds(),
        };
        await using (var conn = await db.OpenConnectionAsync(ct))
            await conn.ExecuteAsync(new CommandDefinition(GetImageKitAuthSql.Issue,
                new { FilePath = $"{folder}/{fileName}", UserId = userId, Now = now, Expires = expires }, cancellationToken: ct));

        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.OkAsync(new GetImageKitAuthResponse
        {
            UploadUrl = o.UploadBaseUrl.TrimEnd('/') + "/api/v2/files/upload",
            Token = SignV2(fields, o.PublicKey!, o.PrivateKey!),
            Expire = expires.ToUnixTimeSeconds(),
            FileName = fileName, Folder = folder, UseUniqueFileName = "false", OverwriteFile = "false",
            PublicKey = o.PublicKey!, UrlEndpoint = o.UrlEndpoint ?? "",
        }, ct);
    }

    /// <summary>ImageKit's V2 upload token: HS256 JWT, <c>kid</c> = public key, payload = the upload's fields + iat/exp.</summary>
    internal static string SignV2(IReadOnlyDictionary<string, object> payload, string publicKey, string privateKey)
    {
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = publicKey }));
        var body = B64(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(privateKey), Encoding.ASCII.GetBytes($"{header}.{body}"));
        return $"{header}.{body}.{B64(signature)}";
    }
}

internal static class GetImageKitAuthSql
{
    // Records the issued path for registration and the cleanup; direct_uploads_pkey (a fresh random name never collides).
    public const string Issue = """
        INSERT INTO direct_uploads (file_path, user_id, issued_at, expires_at) VALUES (@FilePath, @UserId, @Now, @Expires)
        """;
}
