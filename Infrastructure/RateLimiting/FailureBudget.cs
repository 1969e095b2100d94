using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace IgLive.Service.Infrastructure.RateLimiting;

/// <summary>
/// A fixed-window budget of outcomes the caller reports (e.g. failed sign-ins), per key: <see cref="CheckAsync"/>
/// before the attempt (refused once <c>permits</c> outcomes were counted in the current window), <see cref="CountAsync"/>
/// after an attempt that failed. Unlike a rate limit, an attempt that succeeds costs nothing. Counted in Redis when it is
/// configured and answers (the window starts at the key's first count and ends with its expiry, on every instance
/// alike), else in this instance's memory (<see cref="FixedWindowRateLimiter"/>); a Redis failure falls back to memory
/// as the rate limits do (<see cref="RateLimitStore"/>). Check and count are two steps: attempts already in flight when
/// the budget runs out are still checked, so concurrent attempts can exceed it by at most as many as run at once.
/// </summary>
public sealed class FailureBudget : IDisposable
{
    // Returns -1 while the budget has room, else the milliseconds left in the window.
    private const string CheckScript = """
        local n = tonumber(redis.call('get', KEYS[1]) or '0')
        if n < tonumber(ARGV[1]) then return -1 end
        return redis.call('pttl', KEYS[1])
        """;

    // Counts one outcome; the first count of a window starts it (a key without expiry is given one).
    private const string CountScript = """
        local n = redis.call('incr', KEYS[1])
        if redis.call('pttl', KEYS[1]) < 0 then redis.call('pexpire', KEYS[1], ARGV[1]) end
        return n
        """;

    private readonly RateLimitStore store;
    private readonly string prefix;
    private readonly int permits;
    private readonly TimeSpan window;
    private readonly PartitionedRateLimiter<string> memory;

    public FailureBudget(RateLimitStore store, string name, int permits, TimeSpan window)
    {
        this.store = store;
        this.permits = permits;
        this.window = window;
        prefix = $"rl:fb:{{{store.KeyPrefix}:{name}:";
        memory = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>Null when the budget of <paramref name="key"/> has room; otherwise how long until its window ends.</summary>
    public async ValueTask<TimeSpan?> CheckAsync(string key, CancellationToken ct)
    {
        if (store.Current is { } redis)
        {
            try
            {
                var left = (long)await redis.GetDatabase().ScriptEvaluateAsync(CheckScript, [RedisKey(key)], [permits]);
                store.ReportSuccess();
                return left < 0 ? null : TimeSpan.FromMilliseconds(Math.Max(left, 1));
            }
            catch (Exception e) when (e is not OperationCanceledException) { store.ReportFailure(e); }
        }
        ct.ThrowIfCancellationRequested();
        using var lease = memory.AttemptAcquire(key, 0); // 0 permits: asks whether any is left, takes none
        return lease.IsAcquired ? null : RateLimitingExtensions.RetryAfter(lease) ?? window;
    }

    /// <summary>Counts one outcome against <paramref name="key"/> (the attempt has already been made).</summary>
    public async ValueTask CountAsync(string key, CancellationToken ct)
    {
        if (store.Current is { } redis)
        {
            try
            {
                await redis.GetDatabase().ScriptEvaluateAsync(CountScript, [RedisKey(key)], [(long)window.TotalMilliseconds]);
                store.ReportSuccess();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException) { store.ReportFailure(e); }
        }
        ct.ThrowIfCancellationRequested();
        using var _ = memory.AttemptAcquire(key, 1); // refused once spent: the count is already at the budget
    }

    // One hash slot per key ({…}), as RedisRateLimiting's keys.
    private RedisKey RedisKey(string key) => prefix + key + "}";

    public void Dispose() => memory.Dispose();
}
