using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IgLive.Service.Infrastructure.RateLimiting;

/// <summary>
/// Where rate limits are counted: the Redis connection when <c>Redis:ConnectionString</c> is set and Redis answers,
/// otherwise each limiter's own memory. A failed Redis call switches to memory for a few seconds (one warning per
/// outage, not one per request), after which the next call tries Redis again; when Redis answers, one information line.
/// </summary>
public sealed partial class RateLimitStore(IOptions<RedisOptions> options, TimeProvider clock, ILogger<RateLimitStore> log)
    : IHostedService, IDisposable
{
    /// <summary>How long memory is used after a failed Redis call before Redis is tried again.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(3);

    private ConnectionMultiplexer? redis;
    private long retryAtTicks;
    private int inOutage;

    /// <summary>Whether the limits are meant to be shared (a Redis connection string is set).</summary>
    public bool IsShared => options.Value.IsConfigured;

    /// <summary>Prefix of the partition keys in Redis (<c>Redis:KeyPrefix</c>).</summary>
    public string KeyPrefix => options.Value.KeyPrefix;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!IsShared) return;
        var connection = options.Value.Connection();
        // With AbortOnConnectFail off this returns after the connect timeout even when Redis is down, and keeps retrying.
        redis = await ConnectionMultiplexer.ConnectAsync(connection);
        if (redis.IsConnected) Log.Shared(log, string.Join(", ", connection.EndPoints));
        else ReportFailure(null);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The Redis connection to count on now, or null: count in memory.</summary>
    public IConnectionMultiplexer? Current
    {
        get
        {
            if (redis is null) return null;
            if (clock.GetTimestamp() < Interlocked.Read(ref retryAtTicks)) return null;
            if (redis.IsConnected) return redis;
            ReportFailure(null);
            return null;
        }
    }

    /// <summary>A Redis call failed (or Redis is disconnected): memory for <see cref="RetryAfterFailure"/>.</summary>
    public void ReportFailure(Exception? error)
    {
        Interlocked.Exchange(ref retryAtTicks, clock.GetTimestamp() + (long)(RetryAfterFailure.TotalSeconds * clock.TimestampFrequency));
        if (Interlocked.Exchange(ref inOutage, 1) == 0)
            Log.Outage(log, error?.GetType().Name ?? "not connected", error?.Message ?? "no connection to Redis");
    }

    /// <summary>A Redis call succeeded.</summary>
    public void ReportSuccess()
    {
        if (Volatile.Read(ref inOutage) == 1 && Interlocked.Exchange(ref inOutage, 0) == 1) Log.Back(log);
    }

    public void Dispose() => redis?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Rate limits are shared by all instances through Redis at {Endpoints}")]
        public static partial void Shared(ILogger logger, string endpoints);

        [LoggerMessage(LogLevel.Warning, "Redis is unavailable ({Error}: {Message}): rate limits are counted per instance, in memory, until it answers again")]
        public static partial void Outage(ILogger logger, string error, string message);

        [LoggerMessage(LogLevel.Information, "Redis answers again: rate limits are shared by all instances")]
        public static partial void Back(ILogger logger);
    }
}
