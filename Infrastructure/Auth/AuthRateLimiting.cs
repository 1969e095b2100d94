using System.Security.Cryptography;
using System.Text;
using IgLive.Service.Infrastructure.RateLimiting;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>
/// Brute-force brakes for sign-up and login (docs/auth.md, "Rate limits"): per client address a fixed one-minute window
/// of every attempt (<see cref="PerAddressPolicy"/>, middleware, <c>Auth:RateLimit:PerAddressPerMinute</c>); per e-mail,
/// checked by the endpoints once the body is read, sign-up attempts (<see cref="AuthAttemptLimiter"/>) and FAILED
/// password sign-ins (<see cref="SignInFailureLimiter"/>: per e-mail and client address, and per e-mail over all
/// addresses). Counted in Redis when <c>Redis:ConnectionString</c> is set (one budget for all instances), else per
/// instance. Behind a reverse proxy the client address is the proxy's unless <c>Network:KnownProxies</c> is configured.
/// </summary>
public static class AuthRateLimiting
{
    public const string PerAddressPolicy = "auth-per-address";

    internal static void AddIgLiveAuthRateLimiting(this IServiceCollection services)
        => services.AddSingleton<AuthAttemptLimiter>().AddSingleton<SignInFailureLimiter>();

    // A hash, so Redis never holds the e-mail addresses people try.
    internal static string EmailKey(string email)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())))[..32];

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

/// <summary>Sign-up attempts per e-mail (case-insensitive), a fixed one-minute window per address.</summary>
public sealed class AuthAttemptLimiter(RateLimitStore store, IOptions<AuthOptions> options) : IDisposable
{
    private readonly KeyedRateLimiter limiter = new(store, "auth-signup-per-email", options.Value.RateLimit.PerEmailPerMinute, TimeSpan.FromMinutes(1));

    /// <summary>Null when the attempt may proceed; otherwise how long to wait.</summary>
    public ValueTask<TimeSpan?> TryAcquireAsync(string email, CancellationToken ct)
        => limiter.TryAcquireAsync(AuthRateLimiting.EmailKey(email), ct);

    public void Dispose() => limiter.Dispose();
}

/// <summary>
/// Failed password sign-ins per e-mail (case-insensitive), fixed one-minute windows. Only failures count, so signing in
/// is never refused because someone else TRIED: a wrong password (or an unknown e-mail) is counted after the check,
/// and the check is refused only once a budget is spent — then even the right password waits (else the 429 would tell
/// a guesser which guess was right). Two budgets: per e-mail and client address (<c>PerEmailPerMinute</c>), so an
/// attacker's failures from their addresses do not lock the owner out of theirs; and per e-mail over all addresses
/// (<c>FailedSignInsPerEmailPerMinute</c>, larger), the brake on guessing one account from many addresses.
/// </summary>
public sealed class SignInFailureLimiter(RateLimitStore store, IOptions<AuthOptions> options) : IDisposable
{
    private readonly FailureBudget perAddress = new(store, "auth-signin-failures-per-email-address", options.Value.RateLimit.PerEmailPerMinute, TimeSpan.FromMinutes(1));
    private readonly FailureBudget perEmail = new(store, "auth-signin-failures-per-email", options.Value.RateLimit.FailedSignInsPerEmailPerMinute, TimeSpan.FromMinutes(1));

    /// <summary>Null when a password sign-in for <paramref name="email"/> from this client may be checked; otherwise how long to wait.</summary>
    public async ValueTask<TimeSpan?> CheckAsync(HttpContext http, string email, CancellationToken ct)
    {
        var key = AuthRateLimiting.EmailKey(email);
        return await perAddress.CheckAsync(key + ":" + RateLimitPolicy.AddressKey(http), ct) ?? await perEmail.CheckAsync(key, ct);
    }

    /// <summary>The sign-in was refused for its credentials (unknown e-mail or wrong password): counts against both budgets.</summary>
    public async ValueTask FailedAsync(HttpContext http, string email, CancellationToken ct)
    {
        var key = AuthRateLimiting.EmailKey(email);
        await perAddress.CountAsync(key + ":" + RateLimitPolicy.AddressKey(http), ct);
        await perEmail.CountAsync(key, ct);
    }

    public void Dispose()
    {
        perAddress.Dispose();
        perEmail.Dispose();
    }
}
