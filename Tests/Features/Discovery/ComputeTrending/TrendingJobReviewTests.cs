using System.Net;
using System.Text.Json;
using Dapper;
using IgLive.Service.Features.Discovery.ComputeTrending;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IgLive.Service.Tests.Features.Discovery.ComputeTrending;

/// <summary>The trending run under a concurrent delete, its staleness made visible, and a changed half-life.</summary>
[TestFixture]
public sealed class TrendingJobReviewTests : ServiceFixture
{
    private Task<TrendingRunResult> RunJobAsync() => App.Services.GetRequiredService<ComputeTrendingRunner>().RunAsync(CancellationToken.None);

    private ComputeTrendingRunner RunnerWith(double halfLifeHours, ILogger<ComputeTrendingRunner> log)
        => new(App.Services.GetRequiredService<NpgsqlDataSource>(), App.Clock,
            Options.Create(new DiscoveryOptions { TrendingHalfLifeHours = halfLifeHours }), log);

    private async Task LikeAsync(Guid video, int count, DateTimeOffset at)
    {
        for (var i = 0; i < count; i++)
        {
            var fan = await App.CreateUserAsync();
            await App.ExecAsync("INSERT INTO video_likes (video_id, user_id, created_at) VALUES (@video, @user, @at)", new { video, user = fan.Id, at });
        }
    }

    private async Task<List<Guid>> TrendingAsync() => await App.CreateClient().WalkAsync("/api/videos/trending?limit=50");

    [Test]
    public async Task A_video_deleted_while_the_run_works_is_left_out_and_the_run_commits()
    {
        var user = await App.CreateUserAsync();
        var doomed = await App.VideoAsync(user, "doomed");
        var kept = await App.VideoAsync(user, "kept");
        await LikeAsync(doomed, 2, App.Clock.GetUtcNow());
        await LikeAsync(kept, 1, App.Clock.GetUtcNow());

        // The delete is under way (its row lock held) while the run works: the run skips the video (FOR KEY SHARE SKIP
        // LOCKED) instead of waiting for the deleter, whose cascade would wait for the rows the run has written (a
        // deadlock with cleanup's batches, review finding), and commits before the delete does.
        await using var deleter = App.OpenConnection();
        await using var tx = await deleter.BeginTransactionAsync();
        await deleter.ExecuteAsync("DELETE FROM videos WHERE id = @doomed", new { doomed }, tx);
        var result = await RunJobAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await tx.CommitAsync();
        await using var watcher = App.OpenConnection();

        Assert.That(result.Videos, Is.GreaterThan(0));
        Assert.That(await TrendingAsync(), Does.Contain(kept).And.Not.Contain(doomed));
        Assert.That(await watcher.ExecuteScalarAsync<long>("SELECT count(*) FROM trending_deltas"), Is.Zero, "the queue was consumed");
        Assert.That(await watcher.ExecuteScalarAsync<long>("SELECT count(*) FROM trending_hourly WHERE video_id = @doomed", new { doomed }), Is.Zero);
    }

    [Test]
    public async Task Jobs_health_is_degraded_while_deltas_wait_for_a_run_that_never_comes()
    {
        var user = await App.CreateUserAsync();
        var video = await App.VideoAsync(user, "waiting");
        await App.ExecAsync("UPDATE trending_state SET last_run_at = NULL");
        await LikeAsync(video, 1, App.Clock.GetUtcNow());
        App.Clock.Advance(TrendingHealthCheck.MaxAge + TimeSpan.FromSeconds(1)); // past counts an earlier probe cached

        var never = await App.CreateClient().GetAsync("/health/jobs");
        var neverBody = await never.Content.ReadAsStringAsync();
        await RunJobAsync();
        var fresh = await App.CreateClient().GetAsync("/health/jobs");
        App.Clock.Advance(TimeSpan.FromMinutes(10)); // no run for longer than Discovery:TrendingStaleSeconds (300)
        var stale = await App.CreateClient().GetAsync("/health/jobs");
        var staleBody = await stale.Content.ReadAsStringAsync();
        var stats = await App.Services.GetRequiredService<TrendingStats>().RefreshAsync(CancellationToken.None);

        Assert.That(never.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), neverBody);
        Assert.That(neverBody, Does.Contain("no trending run ever committed"));
        Assert.That(JsonDocument.Parse(neverBody).RootElement.GetProperty("checks").GetProperty("trending").GetProperty("data")
            .GetProperty("queued_deltas").GetInt64(), Is.GreaterThan(0));
        Assert.That(fresh.StatusCode, Is.EqualTo(HttpStatusCode.OK), await fresh.Content.ReadAsStringAsync());
        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), staleBody);
        Assert.That(staleBody, Does.Contain("the last trending run was 600 s ago"));
        Assert.That(stats.LastRunAgeSeconds, Is.EqualTo(600).Within(5));
        Assert.That((await App.CreateClient().GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "readiness ignores the job");
    }

    [Test]
    public async Task Jobs_health_probes_share_one_read_for_a_few_seconds_and_a_run_refreshes_it()
    {
        var user = await App.CreateUserAsync();
        var video = await App.VideoAsync(user, "probed");
        await RunJobAsync();
        var first = await QueuedDeltasAsync();
        await LikeAsync(video, 3, App.Clock.GetUtcNow());
        var cached = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => QueuedDeltasAsync()));
        App.Clock.Advance(TrendingHealthCheck.MaxAge + TimeSpan.FromSeconds(1));
        var later = await QueuedDeltasAsync();
        await RunJobAsync();
        var afterRun = await QueuedDeltasAsync();

        Assert.That(first, Is.Zero, "the run consumed the queue");
        Assert.That(cached, Is.All.EqualTo(first), "probes within MaxAge report the cached counts");
        Assert.That(later, Is.GreaterThan(0), "the likes' deltas, once the counts are older than MaxAge");
        Assert.That(afterRun, Is.Zero, "this instance's run invalidated the cache at once (the clock did not move)");
    }

    private async Task<long> QueuedDeltasAsync()
    {
        var body = await (await App.CreateClient().GetAsync("/health/jobs")).Content.ReadAsStringAsync();
        return JsonDocument.Parse(body).RootElement.GetProperty("checks").GetProperty("trending").GetProperty("data")
            .GetProperty("queued_deltas").GetInt64();
    }

    [Test]
    public async Task A_changed_half_life_rebuilds_the_scores_once_with_a_log_line()
    {
        var user = await App.CreateUserAsync();
        var old = await App.VideoAsync(user, "liked a lot, 20 h ago");
        var fresh = await App.VideoAsync(user, "liked once, now");
        await LikeAsync(old, 4, App.Clock.GetUtcNow().AddHours(-20));
        await LikeAsync(fresh, 1, App.Clock.GetUtcNow());
        var log = new ListLogger<ComputeTrendingRunner>();

        await RunnerWith(48, log).RunAsync(CancellationToken.None); // 4 * 2^(-20/48) = 3.0 > 1
        var slowDecay = (await TrendingAsync()).Where(id => id == old || id == fresh).ToList();
        var rebuilt = await RunnerWith(6, log).RunAsync(CancellationToken.None); // 4 * 2^(-20/6) = 0.4 < 1
        var fastDecay = (await TrendingAsync()).Where(id => id == old || id == fresh).ToList();
        var again = await RunnerWith(6, log).RunAsync(CancellationToken.None);
        await using var conn = App.OpenConnection();

        Assert.That(slowDecay, Is.EqualTo(new[] { old, fresh }));
        Assert.That(fastDecay, Is.EqualTo(new[] { fresh, old }), "the scores were built again with the new half-life");
        Assert.That((rebuilt.Rebuilt, again.Rebuilt), Is.EqualTo((true, false)));
        Assert.That(await conn.ExecuteScalarAsync<double>("SELECT half_life_seconds FROM trending_state"), Is.EqualTo(6 * 3600));
        Assert.That(log.Messages.Count(m => m.Contains("Trending scores rebuilt") && m.Contains("half-life of 48 h") && m.Contains("setting is 6 h")),
            Is.EqualTo(1));
    }

    /// <summary>Keeps every formatted message.</summary>
    private sealed class ListLogger<T> : ILogger<T>
    {
        public List<string> Messages { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages) Messages.Add(formatter(state, exception));
        }
    }
}
