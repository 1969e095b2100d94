using Quartz;

namespace IgLive.Service.Features.Housekeeping.CleanupOldVideos;

/// <summary>
/// The scheduled cleanup (<c>Cleanup:Cron</c>). Clustered through the ADO job store: each firing runs on exactly one
/// node, and <see cref="DisallowConcurrentExecutionAttribute"/> is enforced cluster-wide, so a slow run is never
/// overlapped by the next firing. The run's own advisory lock additionally keeps it apart from the admin endpoint
/// and the CLI, which do not go through Quartz.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class CleanupOldVideosJob(CleanupOldVideosRunner runner, ILogger<CleanupOldVideosJob> log) : IJob
{
    public static readonly JobKey Key = new("cleanup-old-videos", "iglive");
    public static readonly TriggerKey TriggerKey = new("cleanup-old-videos-cron", "iglive");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        Log.Started(log, context.Scheduler.SchedulerInstanceId);
        try
        {
            await runner.RunAsync(cancellationToken);
        }
        finally
        {
            Log.Ended(log, context.Scheduler.SchedulerInstanceId);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Debug, "Cleanup job started on scheduler instance {InstanceId}")]
        public static partial void Started(ILogger logger, string instanceId);

        [LoggerMessage(LogLevel.Debug, "Cleanup job ended on scheduler instance {InstanceId}")]
        public static partial void Ended(ILogger logger, string instanceId);
    }
}
