using System.Security.Cryptography;
using System.Text;
using IgLive.Service.Infrastructure.RateLimiting;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>
/// Brute-force brakes for sign-up and login: per client address a fixed one-minute window
/// (<see cref="PerAddressPolicy"/>, middleware, <c>Auth:RateLimit:PerAddressPerMinute</c>) and per e-mail
/// (<see cref="AuthAttemptLimiter"/>, checked by the endpoints once the body is read,
/// <c>Auth:RateLimit:PerEmailPerMinute</c>). Counted in Redis when <c>Redis:ConnectionString</c> is set (one budget for
/// all instances), else per instance. Behind a reverse proxy the client address is the proxy's unless
/// <c>Network:KnownProxies</c> is configured.
/// </summary>
public static class AuthRateLimiting
{
    public const string PerAddressPolicy = "auth-per-address";

    internal static void AddIgLiveAuthRateLimiting(this IServiceCollection services) => services.AddSingleton<AuthAttemptLimiter>();

    /// <summary>429 problem+json with <c>Retry-After</c> in whole seconds (at least 1).</summary>
    public static ValueTask WriteTooManyRequestsAsync(HttpContext http, TimeSpan retryAfter, string detail)
        => RateLimitingExtensions.WriteTooManyRequestsAsync(http, retryAfter, detail);

    public static string RetryAfterSeconds(TimeSpan wait) => RateLimitingExtensions.RetryAfterSeconds(wait);
}

/// <summary>Sign-up and login attempts per client address per minute.</summary>
public sealed class AuthPerAddressRateLimit : RateLimitPolicy
{
    public override string Name => AuthRateLimiting.PerAddressPolicy;
    public override string Detail => "Too many attempts from this address; retry later.";
    protected override RateLimitRule Rule(HttpContext http)
        => new(AddressKey(http), Options<AuthOptions>(http).RateLimit.PerAddressPerMinute, TimeSpan.FromMinutes(1));
}

/// <summary>Per-e-mail attempt counter (case-insensitive), a fixed one-minute window per address.</summary>
public sealed class AuthAttemptLimiter(RateLimitStore store, IOptions<AuthOptions> options) : IDisposable
{
    private readonly KeyedRateLimiter limiter = new(store, "auth-per-email", options.Value.RateLimit.PerEmailPerMinute, TimeSpan.FromMinutes(1));

    /// <summary>Null when the attempt may proceed; otherwise how long to wait.</summary>
    public ValueTask<TimeSpan?> TryAcquireAsync(string email, CancellationToken ct)
        => limiter.TryAcquireAsync(Key(email), ct);

    // A hash, so Redis never holds the e-mail addresses people try.
    private static string Key(string email)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())))[..32];

    public void Dispose() => limiter.Dispose();
}
