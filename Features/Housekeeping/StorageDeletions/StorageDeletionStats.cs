using System.Diagnostics.Metrics;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Housekeeping.StorageDeletions;

/// <summary>The queue's instruments on the service's meter.</summary>
internal static class StorageDeletionMetrics
{
    public static readonly Counter<long> Deleted = IgLiveTelemetry.Meter.CreateCounter<long>(
        "iglive.cleanup.deleted", "{file}", "Stored files whose deletion the store confirmed");
    public static readonly Counter<long> Failed = IgLiveTelemetry.Meter.CreateCounter<long>(
        "iglive.cleanup.failed", "{file}", "File deletions the store failed or did not confirm (retried later)");

    /// <summary>The stats of the most recently started host; one per process outside tests.</summary>
    public static volatile StorageDeletionStats? Current;

    // Observable instruments are created once per process: callbacks read the cached snapshot, never the database.
    private static readonly ObservableGauge<long> Depth = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.storage_deletions.depth", () => Current?.Observe().Depth ?? 0, "{file}", "Files queued for deletion");
    private static readonly ObservableGauge<double> OldestAge = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.storage_deletions.oldest_age_seconds", () => Current?.Observe().OldestAgeSeconds ?? 0, "s", "Age of the oldest queued deletion");
    private static readonly ObservableGauge<long> Stuck = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.storage_deletions.stuck", () => Current?.Observe().Stuck ?? 0, "{file}", "Queued deletions that failed Cleanup:WarnAttempts times or more");

    /// <summary>Touches the gauges so they exist before the first collection.</summary>
    public static void EnsureCreated() => GC.KeepAlive((Depth, OldestAge, Stuck));
}

/// <summary>
/// Depth, oldest age and stuck count of the deletion queue, read from PostgreSQL at most every 30 s: gauges are
/// observed by exporters on their own schedule and must not turn each scrape into a query.
/// </summary>
public sealed class StorageDeletionStats(NpgsqlDataSource db, TimeProvider clock, IOptions<StorageDeletionOptions> options)
{
    public sealed record Snapshot(long Depth, double OldestAgeSeconds, long Stuck);

    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private Snapshot last = new(0, 0, 0);
    private long lastAtTicks = long.MinValue;
    private int refreshing;

    /// <summary>The cached snapshot; starts a background refresh when it is older than 30 s.</summary>
    public Snapshot Observe()
    {
        var now = clock.GetUtcNow().UtcTicks;
        if (now - Interlocked.Read(ref lastAtTicks) > MaxAge.Ticks && Interlocked.Exchange(ref refreshing, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                try { await RefreshAsync(CancellationToken.None); }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException) { } // keep the last value
                finally { Volatile.Write(ref refreshing, 0); }
            });
        }
        return Volatile.Read(ref last);
    }

    /// <summary>Reads the queue now and caches the result.</summary>
    public async Task<Snapshot> RefreshAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow();
        var s = await conn.QuerySingleAsync<Snapshot>(new CommandDefinition(StorageDeletionSql.Stats,
            new { Now = now, options.Value.WarnAttempts }, cancellationToken: ct));
        Volatile.Write(ref last, s);
        Interlocked.Exchange(ref lastAtTicks, now.UtcTicks);
        return s;
    }
}

/// <summary>Points the process-wide queue gauges at this host's stats.</summary>
internal sealed class StorageDeletionMetricsRegistration(StorageDeletionStats stats) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        StorageDeletionMetrics.Current = stats;
        StorageDeletionMetrics.EnsureCreated();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.CompareExchange(ref StorageDeletionMetrics.Current, null, stats);
        return Task.CompletedTask;
    }
}
