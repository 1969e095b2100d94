using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IgLive.Service.Features.LocalAuth.Store;

/// <summary>An issued access token and when it stops being valid.</summary>
public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt, int ExpiresIn);

/// <summary>
/// Local mode's access tokens: ES256 JWTs under the current key's <c>kid</c> (published in the JWKS), with the claims
/// Supabase Auth puts in its own (<c>iss</c>, <c>aud</c> "authenticated", <c>sub</c>, <c>email</c>, <c>phone</c>,
/// <c>role</c>, <c>aal</c>, <c>amr</c>, <c>session_id</c>, <c>is_anonymous</c>, <c>app_metadata</c>, <c>user_metadata</c>,
/// <c>iat</c>, <c>exp</c>), so clients and any verifier treat both modes alike.
/// </summary>
public sealed class LocalTokenIssuer(LocalSigningKeys keys, IOptions<AuthOptions> options, TimeProvider clock)
{
    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>
    /// A token for the user's session; <c>userMetadata</c> is the user's <c>user_metadata</c> JSON (empty when null),
    /// <c>signedInAt</c> when the session's password sign-in happened (the <c>amr</c> timestamp; now when null).
    /// </summary>
    public IssuedToken Issue(Guid userId, string email, Guid sessionId, string? userMetadata = null, DateTimeOffset? signedInAt = null)
    {
        var now = clock.GetUtcNow();
        var lifetime = options.Value.AccessTokenSeconds;
        var expires = now.AddSeconds(lifetime);
        var claims = new Dictionary<string, object>
        {
            ["sub"] = userId.ToString(),
            ["email"] = email,
            ["phone"] = "",
            ["role"] = "authenticated",
            ["session_id"] = sessionId.ToString(),
            ["aal"] = "aal1",
            ["amr"] = new[] { new Dictionary<string, object> { ["method"] = "password", ["timestamp"] = (signedInAt ?? now).ToUnixTimeSeconds() } },
            ["is_anonymous"] = false,
            ["user_metadata"] = string.IsNullOrEmpty(userMetadata) ? EmptyObject : JsonDocument.Parse(userMetadata).RootElement.Clone(),
            ["app_metadata"] = new Dictionary<string, object> { ["provider"] = "email", ["providers"] = new[] { "email" } },
        };
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.LocalIssuer,
            Audience = AuthExtensions.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(keys.Current, SecurityAlgorithms.EcdsaSha256),
        });
        return new IssuedToken(token, expires, lifetime);
    }
}
