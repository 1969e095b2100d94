using Dapper;
using IgLive.Service.Features.Housekeeping.CleanupOldVideos;
using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Tests.Infrastructure;
using IgLive.Service.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IgLive.Service.Tests.Features.Housekeeping.CleanupOldVideos;

/// <summary>The Quartz schedule of the cleanup: its stored trigger, and one run at a time across clustered instances.</summary>
[TestFixture]
public sealed class CleanupSchedulerTests
{

    [Test]
    public async Task Changing_the_cron_replaces_the_stored_trigger_at_the_next_start()
    {
        string cs;
        await using (var first = await ServiceFactory.CreateAsync(SchedulerSettings("0 0/15 * * * ?")))
        {
            cs = first.ConnectionString;
            Assert.That(await WaitForCronAsync(first, "0 0/15 * * * ?"), Is.True, "first start stores its trigger");
        }
        await using var second = await ServiceFactory.CreateAsync(SchedulerSettings("0 0/5 * * * ?"), connectionString: cs);

        Assert.That(await WaitForCronAsync(second, "0 0/5 * * * ?"), Is.True, "second start replaces it");
        await using var db = second.OpenConnection();
        // The cleanup's own trigger (other jobs, e.g. trending, share the scheduler).
        var crons = (await db.QueryAsync<string>("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'cleanup-old-videos-cron'")).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(crons, Has.Length.EqualTo(1).And.Contains("0 0/5 * * * ?"));
            Assert.That(db.ExecuteScalar<int>("SELECT count(*) FROM qrtz_triggers WHERE job_name = 'cleanup-old-videos'"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Two_clustered_schedulers_never_run_the_job_at_the_same_time()
    {
        var logs = new TimedLogCapture();
        var settings = SchedulerSettings("0/1 * * * * ?");
        settings["Logging:LogLevel:IgLive.Service.Features.Housekeeping.CleanupOldVideos"] = "Debug";
        // A slow store makes every run with work last ~0.8 s while the trigger fires every second.
        void Slow(IServiceCollection s)
        {
            s.AddSingleton<ILoggerProvider>(logs);
            s.AddSingleton(TimeProvider.System); // a real scheduler needs real time (its videos expired in 1970)
            s.AddKeyedSingleton<IFileStore>(StorageProviders.Local, new SlowFileStore(TimeSpan.FromMilliseconds(800)));
        }
        await using var a = await ServiceFactory.CreateAsync(settings, Slow);
        await using var b = await ServiceFactory.CreateAsync(settings, Slow, a.ConnectionString);
        var owner = await a.CreateUserAsync();

        // A real-time scheduler: keep giving it work, 300 ms apart, until it has run five times (20 s at most).
        await Poll.TryUntilAsync(async () =>
        {
            if (JobRuns(logs).Count(r => r.End is not null) >= 5) return true;
            await a.SeedVideoAsync(owner, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(-14), "to expire");
            return false;
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(300));

        var runs = JobRuns(logs).Where(r => r.End is not null).OrderBy(r => r.Start).ToArray();
        Assert.That(runs, Has.Length.GreaterThanOrEqualTo(5), "the job ran repeatedly");
        for (var i = 1; i < runs.Length; i++)
            Assert.That(runs[i].Start, Is.GreaterThanOrEqualTo(runs[i - 1].End!.Value), $"run {i} overlaps run {i - 1}");
        Assert.That(logs.Entries.Count(e => e.EventName == "Skipped"), Is.Zero, "no run ever found the lock taken by another");
        await TestContext.Progress.WriteLineAsync($"cluster test: {runs.Length} runs on {runs.Select(r => r.Instance).Distinct().Count()} instance(s)");
    }

    private static IEnumerable<(string Instance, long Start, long? End)> JobRuns(TimedLogCapture logs)
    {
        var entries = logs.Entries.Where(e => e.Category.EndsWith(nameof(CleanupOldVideosJob), StringComparison.Ordinal)).ToArray();
        var open = new Dictionary<string, long>();
        foreach (var e in entries)
        {
            var instance = e.Message[(e.Message.LastIndexOf(' ') + 1)..];
            if (e.EventName == "Started") open[instance] = e.Timestamp;
            else if (e.EventName == "Ended" && open.Remove(instance, out var start)) yield return (instance, start, e.Timestamp);
        }
        foreach (var (instance, start) in open) yield return (instance, start, null);
    }

    private static Dictionary<string, string?> SchedulerSettings(string cron) => new()
    {
        ["Cleanup:SchedulerEnabled"] = "true",
        ["Cleanup:DrainerEnabled"] = "false",
        ["Cleanup:Cron"] = cron,
    };

    private static Task<bool> WaitForCronAsync(ServiceFactory on, string cron) => Poll.TryUntilAsync(async () => // the scheduler starts in the background
    {
        await using var db = on.OpenConnection();
        return await db.ExecuteScalarAsync<int>("SELECT count(*) FROM qrtz_cron_triggers WHERE cron_expression = @cron", new { cron }) == 1;
    }, TimeSpan.FromSeconds(10));

    /// <summary>A "local" store whose deletes take a while (and always succeed), to make job runs last.</summary>
    private sealed class SlowFileStore(TimeSpan delay) : IFileStore
    {
        public string Provider => StorageProviders.Local;
        public int MaxDeleteBatch => 500;

        public async Task<IReadOnlyCollection<string>> DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
        {
            await Task.Delay(delay, ct);
            return keys;
        }

        public Task<IReadOnlyCollection<string>> FindByPathAsync(string path, CancellationToken ct) => Task.FromResult<IReadOnlyCollection<string>>([path]);
    }
}
