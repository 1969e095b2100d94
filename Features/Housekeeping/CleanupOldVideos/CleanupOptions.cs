using IgLive.Service.Infrastructure.Configuration;
using Quartz;

namespace IgLive.Service.Features.Housekeeping.CleanupOldVideos;

/// <summary>Section <c>Cleanup</c>, the keys of the scheduled cleanup run.</summary>
public sealed class CleanupOptions : ISectionOptions
{
    public string Section => "Cleanup";
    public string Cron { get; set; } = "0 0/15 * * * ?";
    public int BatchSize { get; set; } = 500;
    /// <summary>Whether this instance runs the Quartz scheduler at all (tests and one-off commands turn it off).</summary>
    public bool SchedulerEnabled { get; set; } = true;

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (BatchSize is < 1 or > 10_000) yield return "Cleanup__BatchSize must be between 1 and 10000.";
        if (!CronExpression.TryParse(Cron, out _)) yield return $"Cleanup__Cron is not a valid Quartz cron expression: '{Cron}'.";
    }
}
