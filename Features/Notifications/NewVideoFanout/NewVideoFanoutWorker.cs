using IgLive.Service.Infrastructure.Database;

namespace IgLive.Service.Features.Notifications.NewVideoFanout;

/// <summary>
/// Writes <c>new_video</c> notifications to a creator's followers in the background, so an upload costs one queue row
/// (written by a trigger when the video becomes ready, migration 0130) however many followers there are. Each batch
/// of <see cref="BatchSize"/> followers is one transaction that also records the position, so a killed worker's
/// successor resumes after the last committed batch; any instance may run it (SKIP LOCKED claims).
/// </summary>
public sealed partial class NewVideoFanoutWorker(NpgsqlDataSource db, TimeProvider clock, IConfiguration config, MigrationState migrations,
    ILogger<NewVideoFanoutWorker> log)
    : BackgroundService
{
    public const int BatchSize = 1000;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Tests drive RunOnceAsync themselves (Notifications:FanoutWorkerEnabled=false) so they can wait for a drained queue.
        if (!config.GetValue("Notifications:FanoutWorkerEnabled", true)) return;
        // Its queue table exists only once the migrations have run.
        try { await migrations.Completed.WaitAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }
        while (!stoppingToken.IsCancellationRequested)
        {
            bool worked;
            try { worked = await RunOnceAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception e)
            {
                Log.Failed(log, e);
                worked = false;
            }
            if (!worked)
            {
                try { await Task.Delay(Idle, stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    /// <summary>Runs one batch of the next due announcement; false when nothing was due.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var job = await conn.QuerySingleOrDefaultAsync<Job>(new CommandDefinition(NewVideoFanoutSql.Claim, new { Now = now }, tx, cancellationToken: ct));
        if (job is null) return false;
        if (!job.Announce)
        {
            await conn.ExecuteAsync(new CommandDefinition(NewVideoFanoutSql.Skip, new { job.VideoId, Now = now }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return true;
        }
        try
        {
            await conn.ExecuteAsync(new CommandDefinition(NewVideoFanoutSql.LockCreator, new { job.CreatorId }, tx, cancellationToken: ct));
            var r = await conn.QuerySingleAsync<(long Batch, long Notified)>(new CommandDefinition(NewVideoFanoutSql.Batch,
                new { job.VideoId, job.CreatorId, After = job.LastFollowerId, Take = BatchSize, Now = now }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            Log.Batch(log, job.VideoId, r.Batch, r.Notified);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await tx.RollbackAsync(CancellationToken.None);
            await using var retry = await db.OpenConnectionAsync(ct);
            await retry.ExecuteAsync(new CommandDefinition(NewVideoFanoutSql.Fail, new { job.VideoId, Now = now, Error = e.Message }, cancellationToken: ct));
            Log.BatchFailed(log, e, job.VideoId);
        }
        return true;
    }

    private sealed record Job(Guid VideoId, Guid CreatorId, Guid? LastFollowerId, bool Announce);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "new_video for {VideoId}: {Batch} followers in this batch, {Notified} notified")]
        public static partial void Batch(ILogger logger, Guid videoId, long batch, long notified);

        [LoggerMessage(2, LogLevel.Warning, "new_video batch for {VideoId} failed; retried later")]
        public static partial void BatchFailed(ILogger logger, Exception e, Guid videoId);

        [LoggerMessage(3, LogLevel.Error, "new_video worker failed")]
        public static partial void Failed(ILogger logger, Exception e);
    }
}
