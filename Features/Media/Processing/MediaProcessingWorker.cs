using IgLive.Service.Infrastructure.Database;
using IgLive.Service.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Media.Processing;

/// <summary>
/// <c>Media:Workers</c> loops on this instance, each claiming one job at a time and renewing its lease every third of
/// <c>Media:LeaseSeconds</c> while the job runs. A renewal that finds no claim (the video was deleted or expired, or
/// the lease lapsed and another worker took over) stops the job; so does shutdown, which hands the job back at once.
/// One more loop removes job folders left by workers that died. Polls with real time: intervals, not business time.
/// </summary>
internal sealed partial class MediaProcessingWorker(
    MediaJobQueue queue, ProcessVideoJob processor, FfmpegRunner ffmpeg, LocalFileStore store, MigrationState migrations,
    IOptions<MediaOptions> options, ILogger<MediaProcessingWorker> log) : BackgroundService
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await migrations.Completed.WaitAsync(stoppingToken);
            if (!await ffmpeg.IsAvailableAsync(stoppingToken))
            {
                // Jobs stay queued for instances that have it: nothing is failed for a missing tool.
                Log.NoFfmpeg(log, options.Value.FfmpegPath, options.Value.FfprobePath);
                return;
            }
            var name = $"{Environment.MachineName}:{Environment.ProcessId}";
            var loops = Enumerable.Range(1, options.Value.Workers).Select(i => LoopAsync($"{name}/{i}", stoppingToken)).ToList();
            loops.Add(SweepLoopAsync(stoppingToken));
            Log.Started(log, options.Value.Workers, options.Value.MaxFfmpegProcesses);
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task LoopAsync(string worker, CancellationToken stop)
    {
        var idle = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (await queue.ClaimAsync(worker, stop) is not { } job)
                {
                    await queue.WaitAsync(idle, stop);
                    continue;
                }
                await RunUnderLeaseAsync(job, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                Log.DatabaseUnavailable(log, e.Message);
                await Task.Delay(idle, stop);
            }
            catch (Exception e)
            {
                // An unhandled exception would stop the host; the claim lapses and another attempt follows.
                Log.Unexpected(log, e);
                await Task.Delay(idle, stop);
            }
        }
    }

    private async Task RunUnderLeaseAsync(ClaimedMediaJob job, CancellationToken stop)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var lost = false;
        var renewal = RenewAsync(job, () => lost = true, cts);
        try
        {
            await processor.RunAsync(job, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            if (lost) Log.ClaimLost(log, job.VideoId);
            else await queue.RetryAsync(job, "the instance shut down while processing", shutdown: true);
        }
        finally
        {
            await cts.CancelAsync();
            try { await renewal; } catch (OperationCanceledException) { }
        }
    }

    private async Task RenewAsync(ClaimedMediaJob job, Action onLost, CancellationTokenSource cts)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.LeaseSeconds / 3));
        while (await timer.WaitForNextTickAsync(cts.Token))
        {
            try
            {
                if (await queue.RenewAsync(job, cts.Token)) continue;
                onLost();
                await cts.CancelAsync();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                Log.RenewFailed(log, job.VideoId, e.Message); // try again next tick; if the lease lapses, completion is refused
            }
        }
    }

    /// <summary>Every minute: removes job folders whose claim is no longer current (their worker died or lost its lease).</summary>
    private async Task SweepLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(SweepInterval);
        while (await timer.WaitForNextTickAsync(stop))
        {
            try { await SweepAsync(stop); }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException) { Log.SweepFailed(log, e.Message); }
        }
    }

    internal async Task SweepAsync(CancellationToken ct)
    {
        var root = Path.Combine(store.Root, ProcessVideoJob.ProcessingFolder);
        if (!Directory.Exists(root)) return;
        var cutoff = DateTime.UtcNow - TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        var folders = new DirectoryInfo(root).EnumerateDirectories()
            .Select(d => (Dir: d, Token: Guid.TryParseExact(Path.GetExtension(d.Name).TrimStart('.'), "N", out var t) ? t : Guid.Empty))
            .Where(f => f.Dir.CreationTimeUtc < cutoff).ToList();
        if (folders.Count == 0) return;
        var active = await queue.ActiveTokensAsync(folders.Select(f => f.Token).ToArray(), ct);
        foreach (var (dir, token) in folders.Where(f => !active.Contains(f.Token)))
        {
            ProcessVideoJob.DeleteQuietly(dir.FullName);
            Log.Swept(log, dir.Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Media processing started: {Workers} worker(s), at most {MaxProcesses} ffmpeg processes")]
        public static partial void Started(ILogger logger, int workers, int maxProcesses);

        [LoggerMessage(LogLevel.Error, "Media workers not started: '{Ffmpeg}' or '{Ffprobe}' cannot be run on this instance; jobs wait for one that can")]
        public static partial void NoFfmpeg(ILogger logger, string ffmpeg, string ffprobe);

        [LoggerMessage(LogLevel.Information, "Processing of video {VideoId} stopped: its claim is gone (video deleted or expired, or lease taken over)")]
        public static partial void ClaimLost(ILogger logger, Guid videoId);

        [LoggerMessage(LogLevel.Warning, "Media queue unavailable, retrying: {Reason}")]
        public static partial void DatabaseUnavailable(ILogger logger, string reason);

        [LoggerMessage(LogLevel.Warning, "Renewing the lease of video {VideoId}'s job failed: {Reason}")]
        public static partial void RenewFailed(ILogger logger, Guid videoId, string reason);

        [LoggerMessage(LogLevel.Error, "Media worker failed unexpectedly; the job's claim lapses and it is retried")]
        public static partial void Unexpected(ILogger logger, Exception e);

        [LoggerMessage(LogLevel.Information, "Removed the job folder {Folder} left by a worker that died or lost its lease")]
        public static partial void Swept(ILogger logger, string folder);

        [LoggerMessage(LogLevel.Warning, "Sweeping job folders failed, retrying in a minute: {Reason}")]
        public static partial void SweepFailed(ILogger logger, string reason);
    }
}
