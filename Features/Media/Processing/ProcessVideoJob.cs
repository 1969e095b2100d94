using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Media.Processing;

/// <summary>What a finished job makes the video point at.</summary>
public sealed record ProcessedVideo(string OutputKey, string ThumbnailUrl, string StreamUrl, double? DurationSeconds, int Width, int Height);

/// <summary>
/// One claimed job: probe the source (ffprobe), make the thumbnail and the HLS renditions in a job folder nothing
/// serves (<c>.processing/&lt;id&gt;.&lt;claim&gt;/</c>), move the folder into place (<c>hls/&lt;id&gt;.&lt;claim&gt;/</c>, unique per
/// claim, so a dead worker's leftovers never collide with a live one's) and make the row ready in one statement.
/// A source ffprobe cannot read fails the video at once; other failures are retried until <c>Media:MaxAttempts</c>.
/// The token of <see cref="RunAsync"/> is cancelled when the claim is lost (video deleted or expired) or the host stops: then
/// nothing is left behind and the worker decides what the queue is told.
/// </summary>
public sealed partial class ProcessVideoJob(
    LocalFileStore store, FfmpegRunner ffmpeg, MediaJobQueue queue, IVideoStatusNotifier notifier,
    IOptions<MediaOptions> options, ILogger<ProcessVideoJob> log)
{
    public const string UndecodableReason = "The file could not be decoded as a video.";
    private static readonly TimeSpan ProbeLimit = TimeSpan.FromSeconds(60);

    public async Task RunAsync(ClaimedMediaJob job, CancellationToken ct)
    {
        var o = options.Value;
        if (job.Attempts > o.MaxAttempts)
        {
            // The last allowed attempt never reported back (its worker was killed): a file that kills workers stops here.
            await FailAsync(job, $"Processing failed {o.MaxAttempts} times.", job.LastError ?? "the worker stopped before finishing");
            return;
        }
        using var span = IgLiveTelemetry.Source.StartActivity("media.process");
        span?.SetTag("video.id", job.VideoId).SetTag("media.attempt", job.Attempts);
        var name = $"{job.VideoId:N}.{job.Token:N}";
        var work = Path.Combine(store.Root, ProcessingFolder, name);
        var outputKey = $"hls/{name}/";
        var final = Path.TrimEndingDirectorySeparator(store.Resolve(outputKey)!);
        var moved = false;
        var completed = false;
        try
        {
            if (store.Resolve(job.StorageKey) is not { } source || !File.Exists(source))
            {
                await FailAsync(job, "The uploaded file is missing.", "source file not found");
                return;
            }
            var probed = await ffmpeg.ProbeAsync(MediaProbe.Arguments(source), ProbeLimit, ct);
            if ((probed.Succeeded ? MediaProbe.Parse(probed.Output) : null) is not { } probe)
            {
                await FailAsync(job, UndecodableReason, "ffprobe: " + probed.Errors.Trim());
                return;
            }
            var limit = TimeSpan.FromSeconds(o.TimeLimitBaseSeconds + o.TimeLimitPerSecond * (probe.DurationSeconds ?? job.DurationSeconds ?? 600));
            Directory.CreateDirectory(work);
            await ThumbnailAsync(source, Path.Combine(work, HlsLadder.Thumbnail), ct);
            var renditions = HlsLadder.For(probe);
            var hls = await ffmpeg.FfmpegAsync(HlsLadder.Arguments(source, work, probe, renditions, o.X264Preset, o.SegmentSeconds), limit, ct);
            if (!hls.Succeeded || !File.Exists(Path.Combine(work, HlsLadder.MasterPlaylist)))
                throw new MediaProcessingException("ffmpeg (HLS): " + (hls.ExitCode is null ? hls.Errors : $"exit {hls.ExitCode}: {hls.Errors.Trim()}"));

            // From the move on, the outputs sit where they are served from before the row points at them: their deletion
            // is queued first, due long after this job must be over, and the completing statement removes it.
            var queuedUntil = await queue.QueueOutputsAsync(job, outputKey, store.IncomingMaxAge + limit, ct);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            Directory.Move(work, final);
            moved = true;
            var streamBase = $"/media/hls/{job.VideoId}/";
            completed = await queue.CompleteAsync(job, new ProcessedVideo(outputKey, streamBase + HlsLadder.Thumbnail,
                streamBase + HlsLadder.MasterPlaylist, probe.DurationSeconds, probe.Width, probe.Height), queuedUntil);
            if (completed)
            {
                MediaMetrics.Processed.Add(1);
                if (probe.DurationSeconds is { } seconds) MediaMetrics.SecondsProcessed.Add(seconds);
                Log.Ready(log, job.VideoId, string.Join(",", renditions.Select(r => r.Name)), probe.DurationSeconds ?? 0, job.Attempts);
                await NotifyAsync(job, VideoStatuses.Ready);
            }
            else Log.Discarded(log, job.VideoId);
        }
        catch (Exception e) when (e is MediaProcessingException or IOException or UnauthorizedAccessException && !ct.IsCancellationRequested)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            if (job.Attempts >= o.MaxAttempts) await FailAsync(job, $"Processing failed {o.MaxAttempts} times.", e.Message);
            else
            {
                Log.WillRetry(log, job.VideoId, job.Attempts, e.Message);
                await queue.RetryAsync(job, e.Message);
            }
        }
        finally
        {
            DeleteQuietly(work);
            if (moved && !completed)
            {
                DeleteQuietly(final);
                try { await queue.DropQueuedOutputsAsync(outputKey); }
                catch (Exception e) when (e is NpgsqlException or TimeoutException) { Log.DropFailed(log, job.VideoId, e.Message); }
            }
        }
    }

    /// <summary>The folder under the store's root where jobs write (nothing serves it).</summary>
    public const string ProcessingFolder = ".processing";

    /// <summary>A frame at 1 s, or the first frame of a shorter video (ffmpeg then exits 0 without writing one).</summary>
    private async Task ThumbnailAsync(string source, string jpeg, CancellationToken ct)
    {
        foreach (var seek in new[] { "1", "0" })
        {
            var run = await ffmpeg.FfmpegAsync(HlsLadder.ThumbnailArguments(source, jpeg, seek), ProbeLimit, ct);
            if (!run.Succeeded) throw new MediaProcessingException("ffmpeg (thumbnail): " + run.Errors.Trim());
            if (new FileInfo(jpeg) is { Exists: true, Length: > 0 }) return;
        }
        throw new MediaProcessingException("ffmpeg (thumbnail): no frame could be read");
    }

    private async Task FailAsync(ClaimedMediaJob job, string reason, string detail)
    {
        if (!await queue.FailAsync(job, reason)) return; // the video went meanwhile
        MediaMetrics.Failed.Add(1);
        Log.Failed(log, job.VideoId, job.Attempts, reason, detail);
        await NotifyAsync(job, VideoStatuses.Failed);
    }

    private async Task NotifyAsync(ClaimedMediaJob job, string status)
    {
        try { await notifier.VideoStatusChangedAsync(job.VideoId, job.UserId, status, CancellationToken.None); }
        catch (Exception e) when (e is not OutOfMemoryException) { Log.NotifyFailed(log, e, job.VideoId); } // the row is the truth
    }

    internal static void DeleteQuietly(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // swept later
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Video {VideoId} processed ({Renditions}, {DurationSeconds} s) on attempt {Attempt}: ready")]
        public static partial void Ready(ILogger logger, Guid videoId, string renditions, double durationSeconds, int attempt);

        [LoggerMessage(LogLevel.Information, "Video {VideoId} was deleted, expired or taken over while processing; its outputs were discarded")]
        public static partial void Discarded(ILogger logger, Guid videoId);

        [LoggerMessage(LogLevel.Warning, "Processing video {VideoId} failed on attempt {Attempt}, will retry: {Error}")]
        public static partial void WillRetry(ILogger logger, Guid videoId, int attempt, string error);

        [LoggerMessage(LogLevel.Warning, "Video {VideoId} failed after {Attempts} attempt(s): {Reason} ({Detail})")]
        public static partial void Failed(ILogger logger, Guid videoId, int attempts, string reason, string detail);

        [LoggerMessage(LogLevel.Warning, "The queued deletion of video {VideoId}'s discarded outputs could not be dropped; it completes when due: {Reason}")]
        public static partial void DropFailed(ILogger logger, Guid videoId, string reason);

        [LoggerMessage(LogLevel.Warning, "Announcing the status change of video {VideoId} failed")]
        public static partial void NotifyFailed(ILogger logger, Exception e, Guid videoId);
    }
}

/// <summary>A processing step failed in a way another attempt may not repeat (ffmpeg exit, time limit).</summary>
public sealed class MediaProcessingException(string message) : Exception(message);
