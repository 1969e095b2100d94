using System.Diagnostics;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Discovery.ComputeTrending;

/// <summary>What one trending run wrote.</summary>
public sealed record TrendingRunResult(long Videos, long Tags, TimeSpan Duration, bool Rebuilt = false);

/// <summary>Recomputes the trending videos and tags (the job's work; tests call it directly).</summary>
public sealed partial class ComputeTrendingRunner(
    NpgsqlDataSource db, TimeProvider clock, IOptions<DiscoveryOptions> options, ILogger<ComputeTrendingRunner> log, TrendingStats? stats = null)
{
    private sealed record StoredState(double? HalfLifeSeconds, DateTime? LastRunAt);

    public async Task<TrendingRunResult> RunAsync(CancellationToken ct)
    {
        using var activity = IgLiveTelemetry.Source.StartActivity("trending.run");
        var started = Stopwatch.GetTimestamp();
        var o = options.Value;
        var now = clock.GetUtcNow();
        var args = new
        {
            Now = now, Since = now.AddHours(-o.TrendingWindowHours), HalfLifeSeconds = o.TrendingHalfLifeHours * 3600, Size = o.TrendingSize,
            Epoch = Hour(now), CurrentHour = Hour(now), WindowStartHour = Hour(now.AddHours(-24)),
        };
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(ComputeTrendingSql.Lock, new { LockKey = ComputeTrendingSql.RunLockKey }, tx, cancellationToken: ct));
        var state = await conn.QuerySingleAsync<StoredState>(new CommandDefinition(ComputeTrendingSql.State, transaction: tx, cancellationToken: ct));
        // Scores are sums of weights 2^(t / half-life): built with another half-life they rank by the wrong decay until
        // every bucket has left the window, so they are built again from the hourly buckets (once per change).
        var rebuild = state.HalfLifeSeconds != args.HalfLifeSeconds;
        if (rebuild)
        {
            await conn.ExecuteAsync(new CommandDefinition(ComputeTrendingSql.Rebuild, args, tx, commandTimeout: 300, cancellationToken: ct));
            Log.Rebuilt(log, state.HalfLifeSeconds / 3600, o.TrendingHalfLifeHours);
        }
        await conn.ExecuteAsync(new CommandDefinition(ComputeTrendingSql.Run, args, tx, commandTimeout: 300, cancellationToken: ct));
        var lastRun = state.LastRunAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        await conn.ExecuteAsync(new CommandDefinition(ComputeTrendingSql.Tags,
            new { args.Now, args.CurrentHour, args.WindowStartHour, LastRun = lastRun }, tx, commandTimeout: 300, cancellationToken: ct));
        var (videos, tags) = await conn.QuerySingleAsync<(long, long)>(new CommandDefinition(ComputeTrendingSql.Counts, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        stats?.Invalidate(); // /health/jobs reads the run just committed
        var result = new TrendingRunResult(videos, tags, Stopwatch.GetElapsedTime(started), rebuild);
        activity?.SetTag("iglive.trending.videos", videos);
        Log.Computed(log, videos, tags, result.Duration.TotalMilliseconds);
        return result;
    }

    private static DateTimeOffset Hour(DateTimeOffset at) => new(at.UtcDateTime.Date.AddHours(at.UtcDateTime.Hour), TimeSpan.Zero);

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Debug, "Trending computed: {Videos} videos, {Tags} tags in {Milliseconds} ms")]
        public static partial void Computed(ILogger logger, long videos, long tags, double milliseconds);

        [LoggerMessage(LogLevel.Information, "Trending scores rebuilt from the hourly buckets: built with a half-life of {OldHours} h (empty: unknown), the setting is {NewHours} h")]
        public static partial void Rebuilt(ILogger logger, double? oldHours, double newHours);
    }
}
