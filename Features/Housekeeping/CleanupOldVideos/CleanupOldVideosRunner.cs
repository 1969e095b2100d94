using System.Diagnostics;
using System.Diagnostics.Metrics;
using IgLive.Service.Features.Housekeeping.StorageDeletions;
using IgLive.Service.Infrastructure.Database;
using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Housekeeping.CleanupOldVideos;

/// <summary>What one cleanup run did.</summary>
public sealed record CleanupRunResult(int Expired, int FilesDeleted, int Failures, long QueueDepth, TimeSpan Duration, int IncomingSwept = 0);

/// <summary>
/// One cleanup run: sweep the local store's abandoned upload part files, expire videos in batches, then drain the
/// deletion queue (<see cref="StorageDeletionQueue"/>). Nothing is lost or orphaned when the process dies at any
/// point: a video row is deleted in the same statement that queues its file and thumbnail, and the queue keeps an
/// item until its store confirmed the delete. Runs (scheduled job, admin endpoint, CLI) are serialised across
/// instances by a PostgreSQL session advisory lock.
/// </summary>
public sealed partial class CleanupOldVideosRunner(
    NpgsqlDataSource db,
    TimeProvider clock,
    IOptions<CleanupOptions> options,
    StorageDeletionQueue deletions,
    StorageDeletionStats stats,
    LocalFileStore local,
    ILogger<CleanupOldVideosRunner> log)
{
    private static readonly Counter<long> Expired = IgLiveTelemetry.Meter.CreateCounter<long>(
        "iglive.cleanup.expired", "{video}", "Videos deleted because they expired");

    /// <summary>Runs the cleanup once (the CLI's <c>cleanup</c> command); returns the process exit code.</summary>
    public static async Task<int> RunOnceAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<CleanupOldVideosRunner>().RunAsync(ct);
        if (result is null)
        {
            await Console.Error.WriteLineAsync("cleanup: another instance is running a cleanup; nothing done");
            return 3;
        }
        Console.WriteLine($"cleanup: expired {result.Expired} videos, deleted {result.FilesDeleted} files, " +
                          $"{result.Failures} failures, {result.QueueDepth} still queued, {result.IncomingSwept} abandoned upload parts removed, " +
                          $"{result.Duration.TotalSeconds:0.###} s");
        return result.Failures > 0 ? 1 : 0;
    }

    /// <summary>Direct uploads issued a day ago and never registered: their files join the deletion queue (drained next).</summary>
    private async Task AbandonDirectUploadsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(CleanupOldVideosSql.AbandonDirectUploads,
            new { Cutoff = now - TimeSpan.FromDays(1), Now = now, Reason = DeletionReasons.DirectUploadAbandoned }, cancellationToken: ct));
    }

    /// <summary>
    /// Expires and drains under the cluster-wide run lock; null when another run (any instance) holds it.
    /// </summary>
    public async Task<CleanupRunResult?> RunAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        // The lock belongs to this connection's session: held for the whole run, released in finally, and released
        // by PostgreSQL if the process dies (the session ends with it).
        await using var lockConn = await db.OpenConnectionAsync(ct);
        var key = new { Key = CleanupOldVideosSql.RunLockKey };
        if (!await lockConn.ExecuteScalarAsync<bool>(new CommandDefinition(CleanupOldVideosSql.TryLock, key, cancellationToken: ct)))
        {
            Log.Skipped(log);
            return null;
        }
        try
        {
            using var span = IgLiveTelemetry.Source.StartActivity("cleanup.run");
            var swept = local.SweepIncoming();
            var expired = await ExpireAsync(ct);
            await AbandonDirectUploadsAsync(ct);
            var expiredAt = Stopwatch.GetElapsedTime(started);
            var drained = await deletions.DrainAsync(ct);
            var depth = (await stats.RefreshAsync(ct)).Depth;
            var result = new CleanupRunResult(expired, drained.Deleted, drained.Failed, depth, Stopwatch.GetElapsedTime(started), swept);
            span?.SetTag("cleanup.expired", expired).SetTag("cleanup.files_deleted", drained.Deleted)
                .SetTag("cleanup.failures", drained.Failed).SetTag("cleanup.queue_depth", depth).SetTag("cleanup.incoming_swept", swept);
            Log.Finished(log, expired, drained.Deleted, drained.Failed, depth, swept, (long)result.Duration.TotalMilliseconds,
                (long)expiredAt.TotalMilliseconds);
            return result;
        }
        finally
        {
            await lockConn.ReleaseSessionLockAsync(db, CleanupOldVideosSql.Unlock, CleanupOldVideosSql.RunLockKey);
        }
    }

    /// <summary>Deletes every video expired by now, in batches of <c>Cleanup:BatchSize</c>, each one statement.</summary>
    public async Task<int> ExpireAsync(CancellationToken ct)
    {
        var batch = options.Value.BatchSize;
        var now = clock.GetUtcNow(); // fixed for the run: videos expiring during it wait for the next run
        var total = 0;
        await using var conn = await db.OpenConnectionAsync(ct);
        while (true)
        {
            using var span = IgLiveTelemetry.Source.StartActivity("cleanup.batch");
            var (expired, queued) = await conn.QuerySingleAsync<(int, int)>(new CommandDefinition(
                CleanupOldVideosSql.ExpireBatch, new { Now = now, Batch = batch }, cancellationToken: ct));
            span?.SetTag("cleanup.expired", expired).SetTag("cleanup.queued", queued);
            if (expired == 0) break;
            total += expired;
            Expired.Add(expired);
            if (expired < batch) break;
        }
        return total;
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Cleanup run: expired {Expired} videos, deleted {FilesDeleted} files, {Failures} failures, {QueueDepth} queued, {IncomingSwept} abandoned upload parts removed, in {DurationMs} ms (expiry {ExpiryMs} ms)")]
        public static partial void Finished(ILogger logger, int expired, int filesDeleted, int failures, long queueDepth, int incomingSwept, long durationMs, long expiryMs);

        [LoggerMessage(LogLevel.Information, "Cleanup run skipped: another run holds the cluster-wide cleanup lock")]
        public static partial void Skipped(ILogger logger);
    }
}
