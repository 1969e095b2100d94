using System.Threading.RateLimiting;
using IgLive.Service.Infrastructure.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Infrastructure.RateLimiting;

/// <summary>What a policy counts one request against: its bucket and the bucket's size.</summary>
/// <param name="Key">The bucket within the policy, e.g. <see cref="RateLimitPolicy.CallerKey"/>.</param>
/// <param name="Permits">Requests allowed per window; 0 means no limit.</param>
/// <param name="Window">A fixed window: the count starts again when it ends.</param>
public readonly record struct RateLimitRule(string Key, int Permits, TimeSpan Window);

/// <summary>
/// A named rate limit that an endpoint opts into with <c>RequireRateLimiting(Name)</c>. Every subclass in the
/// service's assembly is found and registered at start-up (as <c>ISectionOptions</c> are), so a limit's numbers live in
/// the area that owns it. Counted in Redis when it is configured (see <see cref="RateLimitStore"/>), else in memory; a
/// refusal is 429 problem+json with <c>Retry-After</c> and <see cref="Detail"/>.
/// </summary>
public abstract class RateLimitPolicy : IRateLimiterPolicy<string>
{
    /// <summary>The policy name endpoints refer to; also part of the Redis key.</summary>
    public abstract string Name { get; }

    /// <summary>The 429's <c>detail</c>.</summary>
    public abstract string Detail { get; }

    /// <summary>The bucket and size for this request (options are read per request, so tests and reloads apply).</summary>
    protected abstract RateLimitRule Rule(HttpContext http);

    // Null: the limiter's global handler (RateLimitingExtensions) writes every refusal, with this policy's Detail.
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var rule = Rule(httpContext);
        if (rule.Permits <= 0) return RateLimitPartition.GetNoLimiter(rule.Key); // 0 turns a limit off (benchmarks)
        var store = httpContext.RequestServices.GetRequiredService<RateLimitStore>();
        return RateLimitPartition.Get(rule.Key, key => RateLimitingExtensions.CreateLimiter(store, Name, key, rule.Permits, rule.Window));
    }

    /// <summary>
    /// The caller's bucket: the user id (the token's <c>sub</c>) when signed in, so users behind one address do not share
    /// a budget and one user cannot multiply it from many addresses; otherwise <see cref="AddressKey"/>.
    /// </summary>
    public static string CallerKey(HttpContext http) => http.User.UserId() is { } id ? "user:" + id.ToString("N") : AddressKey(http);

    /// <summary>
    /// The client address (after the trusted forwarded headers of <c>ClientAddress</c>); an IPv6 address by its /64, the
    /// block one host or home network is usually given, so one machine cannot multiply a per-address budget by
    /// picking addresses from its own prefix. IPv4-mapped IPv6 counts as the IPv4 address.
    /// </summary>
    public static string AddressKey(HttpContext http) => "addr:" + AddressBucket(http.Connection.RemoteIpAddress);

    /// <summary>What <see cref="AddressKey"/> counts by: the IPv4 address, or the IPv6 /64 (e.g. <c>2001:db8:1:2::/64</c>).</summary>
    public static string AddressBucket(System.Net.IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }

    /// <summary>Bound options of the request's services.</summary>
    protected static T Options<T>(HttpContext http) where T : class => http.RequestServices.GetRequiredService<IOptions<T>>().Value;
}

/// <summary>
/// A limit an endpoint checks itself, where the key is known only once the body is read (e.g. per e-mail address);
/// counted where the policies count (Redis or memory).
/// </summary>
public sealed class KeyedRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;
    private readonly TimeSpan window;

    public KeyedRateLimiter(RateLimitStore store, string name, int permits, TimeSpan window)
    {
        this.window = window;
        limiter = PartitionedRateLimiter.Create<string, string>(key =>
            RateLimitPartition.Get(key, k => RateLimitingExtensions.CreateLimiter(store, name, k, permits, window)));
    }

    /// <summary>Null when the attempt may proceed; otherwise how long to wait.</summary>
    public async ValueTask<TimeSpan?> TryAcquireAsync(string key, CancellationToken ct)
    {
        using var lease = await limiter.AcquireAsync(key, 1, ct);
        return lease.IsAcquired ? null : RateLimitingExtensions.RetryAfter(lease) ?? window;
    }

    public void Dispose() => limiter.Dispose();
}
