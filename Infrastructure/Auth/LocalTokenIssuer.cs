using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using IgLive.Service.Infrastructure.Secrets;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>An issued access token and when it stops being valid.</summary>
public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt, int ExpiresIn);

/// <summary>
/// Local mode's token issuer: HS256 JWTs of the same shape Supabase Auth issues (<c>iss</c>, <c>aud</c>
/// "authenticated", <c>sub</c>, <c>email</c>, <c>role</c>, <c>session_id</c>, <c>iat</c>, <c>exp</c>), so
/// clients and the verification path are the same in both modes.
/// </summary>
public sealed class LocalTokenIssuer(LocalSigningKey key, IOptions<AuthOptions> options, TimeProvider clock)
{
    public const string Audience = "authenticated";
    private static readonly JsonWebTokenHandler Handler = new();

    public IssuedToken Issue(Guid userId, string email, Guid sessionId, IReadOnlyDictionary<string, object>? userMetadata = null)
    {
        var now = clock.GetUtcNow();
        var lifetime = options.Value.AccessTokenSeconds;
        var expires = now.AddSeconds(lifetime);
        var claims = new Dictionary<string, object>
        {
            ["sub"] = userId.ToString(),
            ["email"] = email,
            ["role"] = "authenticated",
            ["session_id"] = sessionId.ToString(),
            ["aal"] = "aal1",
            ["is_anonymous"] = false,
            ["user_metadata"] = userMetadata ?? new Dictionary<string, object>(),
            ["app_metadata"] = new Dictionary<string, object> { ["provider"] = "email", ["providers"] = new[] { "email" } },
        };
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.LocalIssuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, expires, lifetime);
    }
}

/// <summary>
/// The local HS256 key: <c>Auth:JwtSecret</c> when set, else a random secret generated once and kept in the
/// data folder (so tokens survive restarts of <c>./run.sh</c>).
/// </summary>
public sealed class LocalSigningKey
{
    public SymmetricSecurityKey Key { get; }

    /// <summary>Key for deriving a refresh token's child from it (HKDF of the secret, so the secret itself signs only JWTs).</summary>
    public byte[] RefreshChainKey { get; }

    public LocalSigningKey(IOptions<AuthOptions> options, IHostEnvironment env)
    {
        var secret = options.Value.JwtSecret;
        if (string.IsNullOrEmpty(secret))
        {
            secret = SecretFile.ReadOrCreate(Path.Combine(env.ContentRootPath, "data", "jwt-secret"),
                () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
        }
        Key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)) { KeyId = null };
        RefreshChainKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, Key.Key, 32, info: "iglive local refresh-token chain"u8.ToArray());
    }
}
