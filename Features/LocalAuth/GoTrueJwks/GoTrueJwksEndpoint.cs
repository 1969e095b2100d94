using IgLive.Service.Features.LocalAuth.GoTrue;

namespace IgLive.Service.Features.LocalAuth.GoTrueJwks;

/// <summary>The public keys that verify local access tokens.</summary>
public sealed record GoTrueJwksResponse
{
    /// <summary>ES256 public keys (<c>kty, crv, x, y, kid, alg, use, key_ops</c>): the current one, then the previous one during a rotation.</summary>
    public required IReadOnlyList<Dictionary<string, object>> Keys { get; init; }
}

/// <summary>
/// <c>GET /auth/v1/.well-known/jwks.json</c>, as GoTrue serves it (<c>Cache-Control: public, max-age=600</c>, no HS256
/// secret ever): any service verifies local tokens with it as it would a Supabase project's. No API key needed.
/// </summary>
public sealed class GoTrueJwksEndpoint(LocalSigningKeys keys) : GoTrueEndpoint
{
    protected override bool Open => true;

    public override void Configure()
    {
        Get("/auth/v1/.well-known/jwks.json");
        GoTrueRoute("Public signing keys (JWKS)");
        Description(b => b.Produces<GoTrueJwksResponse>(200));
    }

    protected override Task HandleGoTrueAsync(CancellationToken ct)
    {
        HttpContext.Response.Headers.CacheControl = "public, max-age=600";
        return Send.OkAsync(new GoTrueJwksResponse { Keys = keys.Published.Select(LocalSigningKeys.PublicJwk).ToArray() }, ct);
    }
}
