using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>How users are authenticated: tokens issued by this service, or by a Supabase project.</summary>
public enum AuthMode { Local, Supabase }

/// <summary>Section <c>Auth</c>.</summary>
public sealed class AuthOptions : ISectionOptions
{
    public string Section => "Auth";
    public AuthMode Mode { get; set; } = AuthMode.Local;
    /// <summary>Local-mode legacy HS256 secret (at least 32 bytes): verifies tokens from before ES256, keys the refresh chain; generated into the data folder when empty.</summary>
    public string? JwtSecret { get; set; }
    /// <summary>Public base URL of this service; local tokens carry <c>iss = {PublicBaseUrl}/auth/v1</c>.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:8080";
    /// <summary>Lifetime of local access tokens, in seconds (Supabase's default is one hour).</summary>
    public int AccessTokenSeconds { get; set; } = 3600;
    /// <summary>
    /// PBKDF2 (HMAC-SHA512, Identity's V3 format) iterations for local passwords. Identity's default; stored in each
    /// hash, so raising it later re-hashes passwords on their next successful login.
    /// </summary>
    public int PasswordHashIterations { get; set; } = 100_000;
    /// <summary>Brute-force limits of sign-up and login (per instance: each replica counts on its own).</summary>
    public AuthRateLimitOptions RateLimit { get; set; } = new();
    /// <summary>Local anon (publishable) API key, at least 32 characters; generated into <see cref="KeysPath"/> when empty.</summary>
    public string? AnonKey { get; set; }
    /// <summary>Local service-role (secret) API key, at least 32 characters; generated into <see cref="KeysPath"/> when empty.</summary>
    public string? ServiceRoleKey { get; set; }
    /// <summary>PEM of the P-256 key that signs local access tokens (ES256); generated into <see cref="KeysPath"/> when empty.</summary>
    public string? SigningKey { get; set; }
    /// <summary>PEM of the signing key before the last rotation: still verifies and is published in the JWKS.</summary>
    public string? PreviousSigningKey { get; set; }
    /// <summary>Folder of the generated keys and secrets (relative to the content root), written 0600.</summary>
    public string KeysPath { get; set; } = "data";
    /// <summary>Whether HS256 tokens signed with the <see cref="JwtSecret"/> (before ES256) still verify until they expire.</summary>
    public bool AcceptHs256 { get; set; } = true;
    public string LocalIssuer => PublicBaseUrl.TrimEnd('/') + "/auth/v1";
    public string KeysFolder(string contentRoot) => Path.GetFullPath(KeysPath, contentRoot);

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out _))
            yield return "Auth__PublicBaseUrl must be an absolute URL.";
        if (PasswordHashIterations is < 10_000 or > 10_000_000)
            yield return "Auth__PasswordHashIterations must be between 10000 and 10000000.";
        if (RateLimit.PerAddressPerMinute < 1 || RateLimit.PerEmailPerMinute < 1 || RateLimit.FailedSignInsPerEmailPerMinute < 1)
            yield return "Auth__RateLimit__PerAddressPerMinute, Auth__RateLimit__PerEmailPerMinute and Auth__RateLimit__FailedSignInsPerEmailPerMinute must be at least 1.";
        if (AnonKey is { Length: > 0 and < 32 }) yield return "Auth__AnonKey must be at least 32 characters.";
        if (ServiceRoleKey is { Length: > 0 and < 32 }) yield return "Auth__ServiceRoleKey must be at least 32 characters.";
        if (AnonKey is { Length: > 0 } anon && anon == ServiceRoleKey) yield return "Auth__AnonKey and Auth__ServiceRoleKey must differ.";
    }
}

/// <summary>Section <c>Auth:RateLimit</c>: fixed one-minute windows, in Redis when configured, else in each instance's memory.</summary>
public sealed class AuthRateLimitOptions
{
    /// <summary>Sign-up and login attempts per client address per minute.</summary>
    public int PerAddressPerMinute { get; set; } = 60;
    /// <summary>
    /// Per e-mail address per minute: sign-up attempts, and failed password sign-ins from one client address (a correct
    /// password is not counted).
    /// </summary>
    public int PerEmailPerMinute { get; set; } = 10;
    /// <summary>Failed password sign-ins per e-mail address per minute from all client addresses together.</summary>
    public int FailedSignInsPerEmailPerMinute { get; set; } = 100;
}
