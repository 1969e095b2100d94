using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;

namespace IgLive.Service.Infrastructure.RateLimiting;

/// <summary>Endpoint metadata: the endpoint's own 429 body (e.g. GoTrue's error shape) instead of problem+json.</summary>
public interface IRateLimitRejectionWriter
{
    ValueTask WriteAsync(HttpContext http, TimeSpan retryAfter);
}

public static class RateLimitingExtensions
{
    /// <summary>Every <see cref="RateLimitPolicy"/> of the service.</summary>
    public static readonly IReadOnlyList<Type> PolicyTypes = typeof(RateLimitPolicy).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.IsSubclassOf(typeof(RateLimitPolicy)))
        .OrderBy(t => t.FullName, StringComparer.Ordinal).ToArray();

    /// <summary>ASP.NET Core's rate limiter with every policy, counted in Redis when configured, and 429 problem+json.</summary>
    public static IServiceCollection AddIgLiveRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<RateLimitStore>();
        services.AddHostedService(sp => sp.GetRequiredService<RateLimitStore>());
        var policies = PolicyTypes.Select(t => (RateLimitPolicy)Activator.CreateInstance(t)!).ToDictionary(p => p.Name);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (ctx, _) =>
            {
                var wait = RetryAfter(ctx.Lease) ?? TimeSpan.FromMinutes(1);
                var endpoint = ctx.HttpContext.GetEndpoint();
                if (endpoint?.Metadata.GetMetadata<IRateLimitRejectionWriter>() is { } writer) return writer.WriteAsync(ctx.HttpContext, wait);
                var name = endpoint?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
                var detail = name is not null && policies.TryGetValue(name, out var p) ? p.Detail : "Too many requests; retry later.";
                return WriteTooManyRequestsAsync(ctx.HttpContext, wait, detail);
            };
            foreach (var policy in policies.Values) o.AddPolicy(policy.Name, policy);
        });
        return services;
    }

    /// <summary>A fixed-window limiter for one bucket: shared through Redis when configured, else this instance's.</summary>
    public static RateLimiter CreateLimiter(RateLimitStore store, string policy, string key, int permits, TimeSpan window) => store.IsShared
        ? new SharedFixedWindowLimiter(store, $"{store.KeyPrefix}:{policy}:{key}", permits, window)
        : new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });

    /// <summary>
    /// The wait a refused lease names: a <see cref="TimeSpan"/> under .NET's metadata name from its own limiters; whole
    /// seconds, rounded down, under RedisRateLimiting's own name (<c>RATELIMIT_RETRYAFTER</c>) from the shared ones, so a
    /// second is added (a client retrying at once would be refused again).
    /// </summary>
    public static TimeSpan? RetryAfter(RateLimitLease lease)
    {
        if (lease.TryGetMetadata(MetadataName.RetryAfter.Name, out var value) && value is TimeSpan t) return t;
        if (lease.TryGetMetadata(RedisRateLimiting.RateLimitMetadataName.RetryAfter.Name, out value))
            return value switch
            {
                int seconds => TimeSpan.FromSeconds(seconds + 1),
                long seconds => TimeSpan.FromSeconds(seconds + 1),
                _ => null,
            };
        return null;
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
