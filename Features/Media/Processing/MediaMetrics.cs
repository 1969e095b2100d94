using System.Diagnostics.Metrics;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Media.Processing;

/// <summary>The processing queue's instruments on the service's meter.</summary>
internal static class MediaMetrics
{
    public static readonly Counter<long> Processed = IgLiveTelemetry.Meter.CreateCounter<long>(
        "iglive.media.processed", "{video}", "Videos made ready by a processing job");
    public static readonly Counter<double> SecondsProcessed = IgLiveTelemetry.Meter.CreateCounter<double>(
        "iglive.media.processed_seconds", "s", "Seconds of video made ready (throughput: rate of this counter)");
    public static readonly Counter<long> Failed = IgLiveTelemetry.Meter.CreateCounter<long>(
        "iglive.media.failed", "{video}", "Videos that could not be processed");

    /// <summary>The stats the gauges read.</summary>
    public static readonly CurrentStats<MediaJobStats> Current = new();

    // Observable instruments are created once per process: callbacks read the cached snapshot, never the database.
    private static readonly ObservableGauge<long> Depth = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.media.jobs.depth", () => Current.Value?.Observe().Depth ?? 0, "{job}", "Processing jobs waiting or running");
    private static readonly ObservableGauge<long> Running = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.media.jobs.running", () => Current.Value?.Observe().Running ?? 0, "{job}", "Processing jobs claimed under a live lease");
    private static readonly ObservableGauge<long> Stuck = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.media.jobs.stuck", () => Current.Value?.Observe().Stuck ?? 0, "{job}", "Processing jobs queued longer than Media:StuckAfterMinutes");

    /// <summary>Touches the gauges so they exist before the first collection.</summary>
    public static void EnsureCreated() => GC.KeepAlive((Depth, Running, Stuck));
}

/// <summary>Depth, running and stuck counts of <c>media_jobs</c> (cached, see <see cref="CachedStats{TSnapshot}"/>).</summary>
public sealed class MediaJobStats(NpgsqlDataSource db, IOptions<MediaOptions> options)
    : CachedStats<MediaJobStats.Snapshot>(new Snapshot(0, 0, 0), TimeProvider.System) // real time: the age of the cache, not a rule's clock
{
    public sealed record Snapshot(long Depth, long Running, long Stuck);

    protected override async Task<Snapshot> ReadAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<Snapshot>(new CommandDefinition(MediaJobsSql.Stats,
            new { StuckAfter = options.Value.StuckAfterMinutes * 60 }, cancellationToken: ct));
    }
}
