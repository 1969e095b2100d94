using System.Diagnostics;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Discovery.ComputeTrending;

/// <summary>What one trending run wrote.</summary>
public sealed record TrendingRunResult(long Videos, long Tags, TimeSpan Duration);

/// <summary>Recomputes the trending videos and tags (the job's work; tests call it directly).</summary>
public sealed partial class ComputeTrendingRunner(
    NpgsqlDataSource db, TimeProvider clock, IOptions<DiscoveryOptions> options, ILogger<ComputeTrendingRunner> log)
{
    public async Task<TrendingRunResult> RunAsync(CancellationToken ct)
    {
        using var activity = IgLiveTelemetry.Source.StartActivity("trending.run");
        var started = Stopwatch.GetTimestamp();
        var o = options.Value;
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(ComputeTrendingSql.Lock, new { LockKey = ComputeTrendingSql.RunLockKey }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(ComputeTrendingSql.Run, new
        {
            Now = now, Since = now.AddHours(-o.TrendingWindowHours), HalfLifeSeconds = o.TrendingHalfLifeHours * 3600, Size = o.TrendingSize,
            Epoch = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero),
        }, tx, commandTimeout: 300, cancellationToken: ct));
        var (videos, tags) = await conn.QuerySingleAsync<(long, long)>(new CommandDefinition(ComputeTrendingSql.Counts, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        var result = new TrendingRunResult(videos, tags, Stopwatch.GetElapsedTime(started));
        activity?.SetTag("iglive.trending.videos", videos);
        Log.Computed(log, videos, tags, result.Duration.TotalMilliseconds);
        return result;
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Debug, "Trending computed: {Videos} videos, {Tags} tags in {Milliseconds} ms")]
        public static partial void Computed(ILogger logger, long videos, long tags, double milliseconds);
    }
}
