using System.Diagnostics.Metrics;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Discovery.ComputeTrending;

/// <summary>
/// The trending queue's instruments. The write paths queue deltas whether or not any instance runs the scheduler
/// (<c>Cleanup:SchedulerEnabled</c>): with none, the queue only grows and the rankings stop moving, so both show here.
/// </summary>
internal static class TrendingMetrics
{
    public static readonly CurrentStats<TrendingStats> Current = new();

    private static readonly ObservableGauge<long> Deltas = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.trending.deltas", () => Current.Value?.Observe().QueuedDeltas ?? 0, "{delta}",
        "Trending deltas queued for the next run (counted up to 1,000,000)");
    private static readonly ObservableGauge<double> LastRunAge = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.trending.last_run_age_seconds", () => Current.Value?.Observe().LastRunAgeSeconds ?? 0, "s",
        "Seconds since the last trending run committed (-1: never ran)");

    public static void EnsureCreated() => GC.KeepAlive((Deltas, LastRunAge));
}

/// <summary>Queued deltas and the age of the last run (cached, see <see cref="CachedStats{TSnapshot}"/>).</summary>
public sealed class TrendingStats(NpgsqlDataSource db, TimeProvider clock)
    : CachedStats<TrendingStats.Snapshot>(new Snapshot(0, -1), clock)
{
    public sealed record Snapshot(long QueuedDeltas, double LastRunAgeSeconds);

    private sealed record Row(long QueuedDeltas, DateTime? LastRunAt);

    protected override async Task<Snapshot> ReadAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleAsync<Row>(new CommandDefinition(ComputeTrendingSql.Stats, cancellationToken: ct));
        var age = row.LastRunAt is { } at ? Math.Max(0, (now - new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))).TotalSeconds) : -1;
        return new Snapshot(row.QueuedDeltas, age);
    }
}

/// <summary>
/// <c>/health/jobs</c> (not readiness: a stalled job is no reason to take an instance out of the load balancer):
/// degraded when the last trending run is older than <c>Discovery:TrendingStaleSeconds</c>, or when none ever ran
/// while deltas are queued — no instance runs the scheduler, or its runs fail.
/// </summary>
public sealed class TrendingHealthCheck(TrendingStats stats, IOptions<DiscoveryOptions> options) : IHealthCheck
{
    /// <summary>
    /// How old the counts a probe reports may be. The route is anonymous and the count reads up to 1M queued rows, so
    /// probes within this share one read; this instance's own runs invalidate it.
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var s = await stats.GetAsync(MaxAge, cancellationToken);
        var data = new Dictionary<string, object> { ["queued_deltas"] = s.QueuedDeltas, ["last_run_age_seconds"] = Math.Round(s.LastRunAgeSeconds) };
        var stale = options.Value.TrendingStaleSeconds;
        if (s.LastRunAgeSeconds > stale)
            return HealthCheckResult.Degraded($"the last trending run was {s.LastRunAgeSeconds:0} s ago (more than {stale:0} s); {s.QueuedDeltas} deltas queued", data: data);
        if (s.LastRunAgeSeconds < 0 && s.QueuedDeltas > 0)
            return HealthCheckResult.Degraded($"no trending run ever committed; {s.QueuedDeltas} deltas queued", data: data);
        return HealthCheckResult.Healthy($"last trending run {s.LastRunAgeSeconds:0} s ago; {s.QueuedDeltas} deltas queued", data);
    }
}
