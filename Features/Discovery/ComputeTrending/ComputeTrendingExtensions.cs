using IgLive.Service.Infrastructure.Database;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;
using Quartz;

namespace IgLive.Service.Features.Discovery.ComputeTrending;

public static class ComputeTrendingExtensions
{
    /// <summary>
    /// Discovery's background part: the trending runner always; its Quartz job on the cleanup's clustered scheduler when
    /// that runs on this instance (<c>Cleanup:SchedulerEnabled</c>).
    /// </summary>
    public static WebApplicationBuilder AddIgLiveDiscovery(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DiscoveryOptions>().BindConfiguration("Discovery")
            .Validate(o => CronExpression.TryParse(o.TrendingCron, out _), "Discovery__TrendingCron is not a valid Quartz cron expression.")
            .Validate(o => o.TrendingHalfLifeHours > 0 && o.TrendingWindowHours > 0, "Discovery__TrendingHalfLifeHours and Discovery__TrendingWindowHours must be positive.")
            .Validate(o => o.TrendingSize is >= 1 and <= 100_000, "Discovery__TrendingSize must be between 1 and 100000.")
            .Validate(o => o.TrendingStaleSeconds > 0, "Discovery__TrendingStaleSeconds must be positive.")
            .Validate(o => o.SearchCandidates is >= 1 and <= 10_000, "Discovery__SearchCandidates must be between 1 and 10000.")
            .Validate(o => o.SearchPrefixExpansions is >= 1 and <= 1000, "Discovery__SearchPrefixExpansions must be between 1 and 1000.")
            .Validate(o => o.SearchCorrectionSeconds is >= 0 and <= 86_400, "Discovery__SearchCorrectionSeconds must be between 0 and 86400.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SearchVideos.SearchCorrections>();
        builder.Services.AddSingleton<ComputeTrendingRunner>();
        builder.Services.AddSingleton<TrendingStats>();
        builder.Services.AddHostedService(sp => new StatsGaugeRegistration<TrendingStats>(
            sp.GetRequiredService<TrendingStats>(), TrendingMetrics.Current, TrendingMetrics.EnsureCreated));
        builder.Services.AddHealthChecks().AddCheck<TrendingHealthCheck>("trending", tags: ["jobs"]);
        if (!builder.Configuration.GetValue("Cleanup:SchedulerEnabled", true)) return builder;
        builder.Services.AddScoped<ComputeTrendingJob>();
        builder.Services.AddHostedService<TrendingSchedulerService>();
        return builder;
    }
}

/// <summary>
/// Stores the trending job and its cron trigger in the clustered scheduler once the cleanup's service has started it
/// (that service also stops it). Misfires are dropped (DoNothing): the next firing recomputes everything.
/// </summary>
internal sealed partial class TrendingSchedulerService(
    ISchedulerFactory factory, MigrationState migrations, IOptions<DiscoveryOptions> options, ILogger<TrendingSchedulerService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await migrations.Completed.WaitAsync(stoppingToken);
            // The cleanup's service builds and starts the scheduler; asking the factory before that would race it
            // (both would build it), so wait until it is up, looking only at schedulers that already exist.
            IScheduler? s;
            while ((s = (await factory.GetAllSchedulers(stoppingToken)).FirstOrDefault(x => x.Status == SchedulerStatus.Running)) is null)
                await Task.Delay(TimeSpan.FromMilliseconds(250), stoppingToken);
            var cron = options.Value.TrendingCron;
            var job = JobBuilder.Create<ComputeTrendingJob>().WithIdentity(ComputeTrendingJob.Key).StoreDurably().Build();
            var trigger = TriggerBuilder.Create().WithIdentity(ComputeTrendingJob.TriggerKey).ForJob(ComputeTrendingJob.Key)
                .WithCronSchedule(cron, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
                .Build();
            var existing = await s.GetTrigger(ComputeTrendingJob.TriggerKey, stoppingToken) as ICronTrigger;
            if (existing is null || await s.GetJobDetail(ComputeTrendingJob.Key, stoppingToken) is null)
                await s.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, stoppingToken);
            else if (existing.CronExpressionString != cron)
                await s.RescheduleJob(ComputeTrendingJob.TriggerKey, trigger, stoppingToken);
            Log.Scheduled(log, cron);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (Exception e) when (e is SchedulerException or NpgsqlException)
        {
            Log.NotScheduled(log, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Trending job scheduled with cron '{Cron}' (UTC)")]
        public static partial void Scheduled(ILogger logger, string cron);

        [LoggerMessage(LogLevel.Error, "The trending job could not be scheduled; trending lists will not be refreshed by this instance")]
        public static partial void NotScheduled(ILogger logger, Exception exception);
    }
}
