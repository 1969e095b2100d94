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

    /// <summary>The stats of the most recently started host; one per process outside tests.</summary>
    public static volatile MediaJobStats? Current;

    // Observable instruments are created once per process: callbacks read the cached snapshot, never the database.
    private static readonly ObservableGauge<long> Depth = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.media.jobs.depth", () => Current?.Observe().Depth ?? 0, "{job}", "Processing jobs waiting or running");
    private static readonly ObservableGauge<long> Running = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.media.jobs.running", () => Current?.Observe().Running ?? 0, "{job}", "Processing jobs claimed under a live lease");
    private static readonly ObservableGauge<long> Stuck = IgLiveTelemetry.Meter.CreateObservableGauge(
        "iglive.media.jobs.stuck", () => Current?.Observe().Stuck ?? 0, "{job}", "Processing jobs queued longer than Media:StuckAfterMinutes");

    /// <summary>Touches the gauges so they exist before the first collection.</summary>
    public static void EnsureCreated() => GC.KeepAlive((Depth, Running, Stuck));
}

/// <summary>Depth, running and stuck counts of <c>media_jobs</c>, read at most every 30 s (a scrape must not become a query).</summary>
public sealed class MediaJobStats(NpgsqlDataSource db, IOptions<MediaOptions> options)
{
    public sealed record Snapshot(long Depth, long Running, long Stuck);

    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private Snapshot last = new(0, 0, 0);
    private long lastAt = long.MinValue;
    private int refreshing;

    /// <summary>The cached snapshot; starts a background refresh when it is older than 30 s.</summary>
    public Snapshot Observe()
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref lastAt) > (long)MaxAge.TotalMilliseconds && Interlocked.Exchange(ref refreshing, 1) == 0)
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
        var s = await conn.QuerySingleAsync<Snapshot>(new CommandDefinition(MediaJobsSql.Stats,
            new { StuckAfter = options.Value.StuckAfterMinutes * 60 }, cancellationToken: ct));
        Volatile.Write(ref last, s);
        Interlocked.Exchange(ref lastAt, Environment.TickCount64);
        return s;
    }
}
