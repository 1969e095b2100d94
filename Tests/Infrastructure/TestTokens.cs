using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>
/// Access tokens minted in the tests, signed like the local issuer's legacy HS256 tokens (with
/// <see cref="ServiceFactory.JwtSecret"/>) unless other credentials are given. The one place tests build a JWT by hand.
/// </summary>
public static class TestTokens
{
    /// <summary>The local issuer's <c>iss</c> (the service's default public URL + <c>/auth/v1</c>).</summary>
    public const string Issuer = "http://localhost:8080/auth/v1";
    public const string Audience = "authenticated";

    /// <summary>HS256 with the tests' shared <see cref="ServiceFactory.JwtSecret"/>.</summary>
    public static SigningCredentials SharedSecret(string? keyId = null) =>
        new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ServiceFactory.JwtSecret)) { KeyId = keyId }, SecurityAlgorithms.HmacSha256);

    /// <summary>A token with exactly these claims and times (no defaults filled in), so a test can change one thing.</summary>
    public static string Sign(IDictionary<string, object> claims, DateTime now, SigningCredentials? credentials = null,
        string issuer = Issuer, string audience = Audience, DateTime? expires = null, DateTime? issuedAt = null,
        DateTime? notBefore = null, bool noExpiry = false)
        => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt ?? now,
            NotBefore = notBefore,
            Expires = noExpiry ? null : expires ?? now.AddHours(1),
            Claims = claims,
            SigningCredentials = credentials ?? SharedSecret(),
        });

    /// <summary>A signed-in user's token (<c>role: authenticated</c>, a session id), valid for an hour from <paramref name="now"/>.</summary>
    public static string User(Guid userId, DateTime now, string? email = null, SigningCredentials? credentials = null, DateTime? expires = null)
        => Sign(new Dictionary<string, object>
        {
            ["sub"] = userId.ToString(),
            ["email"] = email ?? $"{userId:N}@example.test",
            ["role"] = "authenticated",
            ["session_id"] = Guid.NewGuid().ToString(),
        }, now, credentials, expires: expires, notBefore: now);

    /// <summary>A token with <c>role: service_role</c> and no user, as the service-role key is.</summary>
    public static string ServiceRole(DateTime now) => Sign(new Dictionary<string, object> { ["role"] = "service_role" }, now, notBefore: now);

    /// <summary>A user token on <paramref name="app"/>'s (fake) clock.</summary>
    public static string UserToken(this ServiceFactory app, Guid userId, string? email = null)
        => User(userId, app.Clock.GetUtcNow().UtcDateTime, email);

    /// <summary>A service-role token on <paramref name="app"/>'s (fake) clock.</summary>
    public static string ServiceRoleToken(this ServiceFactory app) => ServiceRole(app.Clock.GetUtcNow().UtcDateTime);
}
