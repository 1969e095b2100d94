using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>
/// Brute-force brakes for sign-up and login, from ASP.NET Core's rate limiter: per client address a fixed one-minute
/// window (<see cref="PerAddressPolicy"/>, middleware, <c>Auth:RateLimit:PerAddressPerMinute</c>) and per e-mail
/// (<see cref="AuthAttemptLimiter"/>, checked by the endpoints once the body is read,
/// <c>Auth:RateLimit:PerEmailPerMinute</c>). Counters live in memory: the limits are per instance. Behind a reverse
/// proxy the client address is the proxy's unless forwarded headers are configured.
/// </summary>
public static class AuthRateLimiting
{
    public const string PerAddressPolicy = "auth-per-address";

    internal static void AddIgLiveAuthRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<AuthAttemptLimiter>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (ctx, _) =>
            {
                var wait = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var ra) ? ra : TimeSpan.FromMinutes(1);
                if (ctx.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IRateLimitRejectionWriter>() is { } writer)
                    return writer.WriteAsync(ctx.HttpContext, wait);
                return WriteTooManyRequestsAsync(ctx.HttpContext, wait, "Too many attempts from this address; retry later.");
            };
            o.AddPolicy(PerAddressPolicy, http =>
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.RateLimit.PerAddressPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
    }

    /// <summary>429 problem+json with <c>Retry-After</c> in whole seconds (at least 1).</summary>
    public static async ValueTask WriteTooManyRequestsAsync(HttpContext http, TimeSpan retryAfter, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = 429, Title = "Too Many Requests", Detail = detail },
        });
    }

    public static string RetryAfterSeconds(TimeSpan wait)
        => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>Endpoint metadata: the endpoint's own 429 body (e.g. GoTrue's error shape) instead of problem+json.</summary>
public interface IRateLimitRejectionWriter
{
    ValueTask WriteAsync(HttpContext http, TimeSpan retryAfter);
}

/// <summary>Per-e-mail attempt counter (case-insensitive), a fixed one-minute window per address.</summary>
public sealed class AuthAttemptLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;

    public AuthAttemptLimiter(IOptions<AuthOptions> options)
    {
        var limit = options.Value.RateLimit.PerEmailPerMinute;
        limiter = PartitionedRateLimiter.Create<string, string>(email => RateLimitPartition.GetFixedWindowLimiter(email,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>Null when the attempt may proceed; otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(string email)
    {
        using var lease = limiter.AttemptAcquire(email.Trim().ToLowerInvariant());
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
    }

    public void Dispose() => limiter.Dispose();
}
