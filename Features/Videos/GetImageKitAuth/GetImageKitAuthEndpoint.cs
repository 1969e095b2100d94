using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IgLive.Service.Infrastructure.ImageKit;
using IgLive.Service.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Videos.GetImageKitAuth;

/// <summary>Parameters for one client-side upload to ImageKit (then registered with <c>POST /api/videos</c> as JSON).</summary>
public sealed record GetImageKitAuthResponse
{
    /// <summary>A fresh UUID; ImageKit accepts each token once.</summary>
    public required string Token { get; init; }
    /// <summary>Unix time in seconds when the signature stops being accepted (30 minutes from now).</summary>
    public required long Expire { get; init; }
    /// <summary>HMAC-SHA1 of <c>token + expire</c> with the private key, lower-case hex.</summary>
    public required string Signature { get; init; }
    public required string PublicKey { get; init; }
    public required string UrlEndpoint { get; init; }
    /// <summary>Upload into this folder: files elsewhere are refused at registration.</summary>
    public required string Folder { get; init; }
}

public sealed class GetImageKitAuthEndpoint(IOptions<StorageOptions> storage, IOptions<ImageKitOptions> imageKit, TimeProvider clock)
    : EndpointWithoutRequest<GetImageKitAuthResponse>
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30); // ImageKit requires less than one hour

    public override void Configure()
    {
        Get("/api/auth/imagekit");
        Summary(s =>
        {
            s.Summary = "Client-side ImageKit upload parameters";
            s.Description = "A one-time token, its expiry and signature for uploading straight to ImageKit. 404 when videos are not stored in ImageKit.";
        });
        Description(b => b.ProducesProblemDetails(401).ProducesProblemDetails(404));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var o = imageKit.Value;
        if (storage.Value.Provider != StorageProvider.ImageKit || !o.IsConfigured)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(404, "This server does not store videos in ImageKit."));
            return;
        }
        var token = Guid.NewGuid().ToString();
        var expire = clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
#pragma warning disable CA5350 // ImageKit's upload protocol defines the signature as HMAC-SHA1; it is not our choice
        var signature = Convert.ToHexStringLower(HMACSHA1.HashData(
            Encoding.UTF8.GetBytes(o.PrivateKey!), Encoding.UTF8.GetBytes(token + expire.ToString(CultureInfo.InvariantCulture))));
#pragma warning restore CA5350
        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.OkAsync(new GetImageKitAuthResponse
        {
            Token = token, Expire = expire, Signature = signature, PublicKey = o.PublicKey!, UrlEndpoint = o.UrlEndpoint ?? "", Folder = o.Folder,
        }, ct);
    }
}
