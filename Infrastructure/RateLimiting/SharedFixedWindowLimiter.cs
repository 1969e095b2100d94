using System.Threading.RateLimiting;
using RedisRateLimiting;

namespace IgLive.Service.Infrastructure.RateLimiting;

/// <summary>
/// A fixed window counted in Redis (RedisRateLimiting's <see cref="RedisFixedWindowRateLimiter{TKey}"/>, one Lua
/// script per acquire, so every instance shares the budget) and, while Redis is unavailable, in this instance's memory
/// (<see cref="FixedWindowRateLimiter"/>). Never throws for a Redis failure and never waits on Redis longer than its
/// timeouts (see <see cref="RedisOptions.Connection"/>).
/// </summary>
internal sealed class SharedFixedWindowLimiter(RateLimitStore store, string key, int permits, TimeSpan window) : RateLimiter
{
    private static readonly RateLimitLease NotAttempted = new RefusedLease();
    private readonly FixedWindowRateLimiter memory = new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true,
    });
    private RedisFixedWindowRateLimiter<string>? redis;

    // Idle (and so removable by the partitioned limiter) only when neither counter is in the middle of something.
    public override TimeSpan? IdleDuration => redis is null || redis.IdleDuration is not null ? memory.IdleDuration : null;

    public override RateLimiterStatistics? GetStatistics() => memory.GetStatistics();

    // Redis cannot be asked synchronously: the rate-limiting middleware then calls AcquireAsync (as the package expects).
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
        => store.Current is null ? memory.AttemptAcquire(permitCount) : NotAttempted;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (store.Current is { } connection)
        {
            redis ??= new RedisFixedWindowRateLimiter<string>(key, new RedisFixedWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => connection, PermitLimit = permits, Window = window,
            });
            try
            {
                var lease = await redis.AcquireAsync(permitCount, cancellationToken);
                store.ReportSuccess();
                return lease;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                store.ReportFailure(e);
            }
        }
        return memory.AttemptAcquire(permitCount);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) memory.Dispose();
        base.Dispose(disposing);
    }

    private sealed class RefusedLease : RateLimitLease
    {
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
