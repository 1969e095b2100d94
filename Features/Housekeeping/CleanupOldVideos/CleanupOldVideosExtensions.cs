using IgLive.Service.Features.Housekeeping.StorageDeletions;
using IgLive.Service.Infrastructure.Database;
using Microsoft.Extensions.Options;
using Quartz;

namespace IgLive.Service.Features.Housekeeping.CleanupOldVideos;

public static class CleanupOldVideosExtensions
{
    /// <summary>Quartz scheduler name; the same on every node, which is what makes them one cluster.</summary>
    public const string SchedulerName = "iglive";

    /// <summary>
    /// The cleanup: the deletion queue and the runner always (admin endpoint, CLI); the clustered Quartz scheduler
    /// when <c>Cleanup:SchedulerEnabled</c>.
    /// </summary>
    public static WebApplicationBuilder AddIgLiveCleanup(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Cleanup").Get<CleanupOptions>() ?? new CleanupOptions();
        builder.Services.AddIgLiveStorageDeletions(
            builder.Configuration.GetSection("Cleanup").Get<StorageDeletionOptions>() ?? new StorageDeletionOptions());
        builder.Services.AddSingleton<CleanupOldVideosRunner>();
        if (!options.SchedulerEnabled) return builder;

        var connectionString = builder.Configuration.GetConnectionString("Postgres")!;
        builder.Services.AddScoped<CleanupOldVideosJob>();
        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o => o.InstanceName = SchedulerName);
            q.UseDefaultThreadPool(2); // one job; a second slot only so a misfire check never waits on it
            // Quartz runs on the container's TimeProvider (the system clock; tests that start a real scheduler register
            // the system clock too: firing times and cluster check-ins are wall-clock matters shared between nodes).
            q.UsePersistentStore(s =>
            {
                s.UsePostgres(connectionString);
                s.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(10);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(20);
                });
                s.UseSystemTextJsonSerializer();
                s.ConfigureStore(o =>
                {
                    o.TablePrefix = "qrtz_";
                    o.StoreJobDataAsStrings = true;
                });
            });
        });
        // Not Quartz's own hosted service: it would build the scheduler (which validates the qrtz_ tables) before
        // this process has applied the migrations that create them.
        builder.Services.AddHostedService<CleanupSchedulerService>();
        return builder;
    }
}

/// <summary>
/// Starts the Quartz scheduler once migrations are applied, after making the stored trigger match
/// <c>Cleanup:Cron</c>; shuts it down with the host, letting a running cleanup finish.
/// <para>
/// Misfire policy: FireAndProceed. After downtime (or a run longer than the interval) the missed slots are
/// collapsed into ONE run as soon as the scheduler is back, then the schedule resumes. DoNothing would also avoid
/// a burst, but with a long period (a daily cron) it would leave expired files in storage for up to a whole period
/// after every outage; a single catch-up run is cheap and bounded. The trigger is replaced only when its cron
/// changed: replacing it at every start would reset its fire times and silently drop the catch-up run.
/// </para>
/// </summary>
internal sealed partial class CleanupSchedulerService(
    ISchedulerFactory factory, MigrationState migrations, IOptions<CleanupOptions> options, ILogger<CleanupSchedulerService> log)
    : BackgroundService
{
    private IScheduler? scheduler;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await migrations.Completed.WaitAsync(stoppingToken);
            await StartSchedulerAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (Exception e) when (e is SchedulerException or Npgsql.NpgsqlException)
        {
            // The API keeps serving; cleanup still runs through the drainer, the endpoint and the CLI.
            Log.NotStarted(log, e);
        }
    }

    private async Task StartSchedulerAsync(CancellationToken stoppingToken)
    {
        var s = await factory.GetScheduler(stoppingToken);
        var cron = options.Value.Cron;
        var job = JobBuilder.Create<CleanupOldVideosJob>().WithIdentity(CleanupOldVideosJob.Key).StoreDurably().Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(CleanupOldVideosJob.TriggerKey)
            .ForJob(CleanupOldVideosJob.Key)
            .WithCronSchedule(cron, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();

        var existing = await s.GetTrigger(CleanupOldVideosJob.TriggerKey, stoppingToken) as ICronTrigger;
        if (existing is null || await s.GetJobDetail(CleanupOldVideosJob.Key, stoppingToken) is null)
        {
            await s.ScheduleJob(job, new[] { trigger }, new ScheduleJobOptions { Replace = true }, stoppingToken);
            Log.Scheduled(log, cron);
        }
        else if (existing.CronExpressionString != cron)
        {
            // Same trigger key: the stored trigger is replaced, never duplicated.
            await s.RescheduleJob(CleanupOldVideosJob.TriggerKey, trigger, stoppingToken);
            Log.Rescheduled(log, existing.CronExpressionString ?? "?", cron);
        }
        await s.Start(stoppingToken);
        scheduler = s;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (scheduler is { } s) await s.Shutdown(waitForJobsToComplete: true, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Cleanup scheduled with cron '{Cron}' (UTC)")]
        public static partial void Scheduled(ILogger logger, string cron);

        [LoggerMessage(LogLevel.Error, "The cleanup scheduler could not start; scheduled cleanups will not run on this instance")]
        public static partial void NotStarted(ILogger logger, Exception exception);

        [LoggerMessage(LogLevel.Information, "Cleanup cron changed from '{Old}' to '{New}'; trigger replaced")]
        public static partial void Rescheduled(ILogger logger, string old, string @new);
    }
}
