using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Features.Media.Processing;

/// <summary>Settings of the media processing workers (section <c>Media</c>, e.g. <c>Media__Workers</c>).</summary>
public sealed class MediaOptions : ISectionOptions
{
    public string Section => "Media";

    /// <summary>Worker loops on this instance; 0 makes it an API-only node (jobs wait for an instance that has workers).</summary>
    public int Workers { get; set; } = 1;

    /// <summary>At most this many ffmpeg/ffprobe processes at once on this instance, whatever the number of workers.</summary>
    public int MaxFfmpegProcesses { get; set; } = 2;

    /// <summary>How long a claim lasts without renewal; a killed worker's job is taken again this long after its last renewal.</summary>
    public double LeaseSeconds { get; set; } = 60;

    /// <summary>How often an idle worker looks for due jobs (an upload on the same instance wakes it at once).</summary>
    public double PollSeconds { get; set; } = 2;

    /// <summary>Claims a job gets; the job that fails (or is killed) this many times makes its video <c>failed</c>.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Back-off after a failed attempt: this many seconds times 2^(attempts - 1).</summary>
    public double RetryBaseSeconds { get; set; } = 30;

    /// <summary>ffmpeg is stopped after TimeLimitBaseSeconds + TimeLimitPerSecond × the video's duration (wall clock).</summary>
    public double TimeLimitBaseSeconds { get; set; } = 60;

    /// <summary>See <see cref="TimeLimitBaseSeconds"/>.</summary>
    public double TimeLimitPerSecond { get; set; } = 10;

    /// <summary>x264 preset of the renditions (ultrafast … veryslow): speed against size.</summary>
    public string X264Preset { get; set; } = "veryfast";

    /// <summary>Target HLS segment length in seconds (2..6).</summary>
    public int SegmentSeconds { get; set; } = 4;

    /// <summary>A job waiting or running longer than this counts in the <c>iglive.media.jobs.stuck</c> gauge.</summary>
    public double StuckAfterMinutes { get; set; } = 30;

    /// <summary>The ffmpeg executable (a name looked up on PATH, or a path).</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>The ffprobe executable.</summary>
    public string FfprobePath { get; set; } = "ffprobe";

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (Workers is < 0 or > 64) yield return "Media__Workers must be 0..64";
        if (MaxFfmpegProcesses is < 1 or > 64) yield return "Media__MaxFfmpegProcesses must be 1..64";
        if (LeaseSeconds is < 1 or > 3600) yield return "Media__LeaseSeconds must be 1..3600";
        if (PollSeconds is <= 0 or > 300) yield return "Media__PollSeconds must be in (0, 300]";
        if (MaxAttempts is < 1 or > 100) yield return "Media__MaxAttempts must be 1..100";
        if (RetryBaseSeconds is < 0 or > 86400) yield return "Media__RetryBaseSeconds must be 0..86400";
        if (TimeLimitBaseSeconds <= 0 || TimeLimitPerSecond < 0) yield return "Media__TimeLimitBaseSeconds must be > 0 and TimeLimitPerSecond >= 0";
        if (SegmentSeconds is < 2 or > 6) yield return "Media__SegmentSeconds must be 2..6";
        if (X264Preset is not ("ultrafast" or "superfast" or "veryfast" or "faster" or "fast" or "medium" or "slow" or "slower" or "veryslow"))
            yield return "Media__X264Preset must be an x264 preset name";
    }
}
