using IgLive.Service.Features.Housekeeping.StorageDeletions;
using IgLive.Service.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Media.Processing;

/// <summary>A job claimed by a worker, with what the job needs of its video.</summary>
public sealed record ClaimedMediaJob(Guid VideoId, int Attempts, string? LastError, Guid UserId, string StorageKey, double? DurationSeconds)
{
    /// <summary>This claim's token: only it can renew, complete, fail or retry the job.</summary>
    public Guid Token { get; init; }
}

/// <summary>
/// The durable processing queue (<c>media_jobs</c>): jobs are inserted by the upload, in the statement that inserts
/// their video (<see cref="EnqueueSql"/>); workers claim them with <c>FOR UPDATE SKIP LOCKED</c> and a lease they
/// renew while working. A claim whose lease runs out (the worker died) is taken by the next worker, on any instance.
/// </summary>
public sealed class MediaJobQueue(NpgsqlDataSource db, TimeProvider clock, StorageDeletionQueue deletions, IOptions<MediaOptions> options) : IDisposable
{
    /// <summary>
    /// The SQL an upload composes into its insert statement: a CTE named <c>v</c> returning <c>id</c> of the new
    /// processing video gets its job, due at once, in the same statement.
    /// </summary>
    public const string EnqueueSql = "INSERT INTO media_jobs (video_id) SELECT id FROM v";

    /// <summary>
    /// The SQL a moderator's removal composes: the jobs of the videos in a CTE named <c>removed</c> (<c>id</c>) go, so a
    /// working worker's next renewal finds its claim lost and stops (its outputs stay queued by path for deletion).
    /// </summary>
    public const string CancelSql = "DELETE FROM media_jobs WHERE video_id IN (SELECT id FROM removed)";

    private readonly SemaphoreSlim wake = new(0, int.MaxValue);

    public void Dispose() => wake.Dispose();

    /// <summary>Wakes an idle worker of this instance (after an upload here queued a job).</summary>
    public void Nudge()
    {
        if (wake.CurrentCount == 0) wake.Release();
    }

    /// <summary>Waits until <see cref="Nudge"/> or <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct) => await wake.WaitAsync(timeout, ct);

    public async Task<ClaimedMediaJob?> ClaimAsync(string worker, CancellationToken ct)
    {
        var token = Guid.NewGuid();
        await using var conn = await db.OpenConnectionAsync(ct);
        var job = await conn.QuerySingleOrDefaultAsync<ClaimedMediaJob>(new CommandDefinition(MediaJobsSql.Claim,
            new { Token = token, Worker = worker, options.Value.LeaseSeconds }, cancellationToken: ct));
        return job is null ? null : job with { Token = token };
    }

    /// <summary>Extends the lease; false when the claim is gone (video deleted or expired, or taken by another worker).</summary>
    public async Task<bool> RenewAsync(ClaimedMediaJob job, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(MediaJobsSql.Renew,
            new { job.VideoId, job.Token, options.Value.LeaseSeconds }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Queues the deletion of the outputs folder by path, due after <paramref name="delay"/> (well after the job must have
    /// ended), before it is moved into place; returns that due time, which <see cref="CompleteAsync"/> checks.
    /// </summary>
    public Task<DateTimeOffset> QueueOutputsAsync(ClaimedMediaJob job, string outputKey, TimeSpan delay, CancellationToken ct)
        => deletions.EnqueuePathsAsync(StorageProviders.Local, [outputKey], job.VideoId, DeletionReasons.ProcessingUnconfirmed, delay, ct);

    /// <summary>Makes the video ready in one statement; false when the claim, the video or the queued outputs row is gone.</summary>
    public async Task<bool> CompleteAsync(ClaimedMediaJob job, ProcessedVideo done, DateTimeOffset queuedUntil)
    {
        await using var conn = await db.OpenConnectionAsync(CancellationToken.None);
        var owner = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(MediaJobsSql.Complete, new
        {
            job.VideoId, job.Token, done.OutputKey, NotBefore = queuedUntil, done.ThumbnailUrl, done.StreamUrl,
            done.DurationSeconds, done.Width, done.Height, Now = clock.GetUtcNow(),
        }));
        return owner is not null;
    }

    /// <summary>Forgets the queued deletion of outputs the worker removed itself.</summary>
    public Task DropQueuedOutputsAsync(string outputKey)
        => deletions.CancelPathsAsync(StorageProviders.Local, [outputKey], CancellationToken.None);

    /// <summary>Makes the video failed with <paramref name="reason"/> and queues its source for deletion; false when the claim is gone.</summary>
    public async Task<bool> FailAsync(ClaimedMediaJob job, string reason)
    {
        await using var conn = await db.OpenConnectionAsync(CancellationToken.None);
        return await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(MediaJobsSql.Fail,
            new { job.VideoId, job.Token, Reason = Truncate(reason), Now = clock.GetUtcNow() })) is not null;
    }

    /// <summary>Gives the claim back, due again after back-off; <paramref name="shutdown"/>: due at once, the attempt not counted.</summary>
    public async Task RetryAsync(ClaimedMediaJob job, string error, bool shutdown = false)
    {
        await using var conn = await db.OpenConnectionAsync(CancellationToken.None);
        await conn.ExecuteAsync(new CommandDefinition(MediaJobsSql.Retry, new
        {
            job.VideoId, job.Token, Error = Truncate(error), BaseSeconds = shutdown ? 0 : options.Value.RetryBaseSeconds, Refund = shutdown ? 1 : 0,
        }));
    }

    /// <summary>Which of <paramref name="tokens"/> are current claims.</summary>
    public async Task<HashSet<Guid>> ActiveTokensAsync(Guid[] tokens, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<Guid>(new CommandDefinition(MediaJobsSql.ActiveTokens, new { Tokens = tokens }, cancellationToken: ct))).ToHashSet();
    }

    private static string Truncate(string s) => s.Length <= 500 ? s : s[..500];
}
