using Quartz;

namespace IgLive.Service.Features.Discovery.ComputeTrending;

/// <summary>
/// The scheduled trending run (<c>Discovery:TrendingCron</c>) on the clustered Quartz scheduler the cleanup set up:
/// each firing runs on one node, never overlapping itself (<see cref="DisallowConcurrentExecutionAttribute"/> is
/// cluster-wide); the run's transaction lock also keeps it apart from direct calls.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ComputeTrendingJob(ComputeTrendingRunner runner) : IJob
{
    public static readonly JobKey Key = new("compute-trending", "iglive");
    public static readonly TriggerKey TriggerKey = new("compute-trending-cron", "iglive");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        => await runner.RunAsync(cancellationToken);
}
