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

    /// <summary>The stats the gauges read.</summary>
    public static readonly CurrentStats<StorageDeletionStats> Current = new();

    // Observable instruments are created once per process: callbacks read the cached snapshot, never the database.
    private static readonly ObservableGauge<long> Depth = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.storage_deletions.depth", () => Current.Value?.Observe().Depth ?? 0, "{file}", "Files queued for deletion");
    private static readonly ObservableGauge<double> OldestAge = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.storage_deletions.oldest_age_seconds", () => Current.Value?.Observe().OldestAgeSeconds ?? 0, "s", "Age of the oldest queued deletion");
    private static readonly ObservableGauge<long> Stuck = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.storage_deletions.stuck", () => Current.Value?.Observe().Stuck ?? 0, "{file}", "Queued deletions that failed Cleanup:WarnAttempts times or more");

    /// <summary>Touches the gauges so they exist before the first collection.</summary>
    public static void EnsureCreated() => GC.KeepAlive((Depth, OldestAge, Stuck));
}

/// <summary>Depth, oldest age and stuck count of the deletion queue (cached, see <see cref="CachedStats{TSnapshot}"/>).</summary>
public sealed class StorageDeletionStats(NpgsqlDataSource db, TimeProvider clock, IOptions<StorageDeletionOptions> options)
    : CachedStats<StorageDeletionStats.Snapshot>(new Snapshot(0, 0, 0), clock)
{
    public sealed record Snapshot(long Depth, double OldestAgeSeconds, long Stuck);

    protected override async Task<Snapshot> ReadAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<Snapshot>(new CommandDefinition(StorageDeletionSql.Stats,
            new { Now = now, options.Value.WarnAttempts }, cancellationToken: ct));
    }
}
