using System.Net;
using System.Text.Json;
using IgLive.Service.Features.Discovery.ComputeTrending;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace IgLive.Service.Tests.Features.Discovery.ComputeTrending;

[TestFixture]
public sealed class ComputeTrendingTests : ServiceFixture
{
    private Task<TrendingRunResult> RunJobAsync() => App.Services.GetRequiredService<ComputeTrendingRunner>().RunAsync(CancellationToken.None);

    private async Task LikeAsync(Guid video, int count, DateTimeOffset? at = null)
    {
        for (var i = 0; i < count; i++)
        {
            var fan = await App.CreateUserAsync();
            if (at is null)
            {
                var rsp = await fan.Client.PutAsync($"/api/videos/{video}/like", null);
                Assert.That(rsp.IsSuccessStatusCode, await rsp.Content.ReadAsStringAsync());
            }
            else
            {
                await App.ExecAsync("INSERT INTO video_likes (video_id, user_id, created_at) VALUES (@video, @user, @at)", new { video, user = fan.Id, at });
            }
        }
    }

    private async Task<List<Guid>> TrendingAsync(HttpClient? client = null)
        => await (client ?? App.CreateClient()).WalkAsync("/api/videos/trending?limit=50");

    [Test]
    public async Task Trending_follows_likes_once_the_job_has_run()
    {
        var user = await App.CreateUserAsync();
        var a = await App.VideoAsync(user, "a");
        var b = await App.VideoAsync(user, "b");
        await LikeAsync(a, 3);
        await LikeAsync(b, 1);

        var before = await TrendingAsync();
        await RunJobAsync();
        var first = await TrendingAsync();
        await LikeAsync(b, 4);
        await RunJobAsync();
        var second = await TrendingAsync();

        Assert.That(before, Does.Not.Contain(a), "nothing is aggregated on request");
        Assert.That(first.Where(id => id == a || id == b), Is.EqualTo(new[] { a, b }));
        Assert.That(second.Where(id => id == a || id == b), Is.EqualTo(new[] { b, a }));
    }

    [Test]
    public async Task Older_likes_count_less_than_recent_ones()
    {
        var user = await App.CreateUserAsync();
        var old = await App.VideoAsync(user, "old favourite", createdAt: App.Clock.GetUtcNow().AddDays(-2));
        var fresh = await App.VideoAsync(user, "fresh");
        await LikeAsync(old, 4, App.Clock.GetUtcNow().AddHours(-20)); // 4 likes, each halved 3+ times
        await LikeAsync(fresh, 2);
        await LikeAsync(old, 3, App.Clock.GetUtcNow().AddDays(-3)); // outside the 48 h window

        await RunJobAsync();

        Assert.That((await TrendingAsync()).Where(id => id == old || id == fresh), Is.EqualTo(new[] { fresh, old }));
    }

    [Test]
    public async Task Expired_removed_and_blocked_videos_are_left_out()
    {
        var user = await App.CreateUserAsync();
        var blocker = await App.CreateUserAsync();
        var live = await App.VideoAsync(user, "live");
        var expiring = await App.VideoAsync(user, "expiring", expiresAt: App.Clock.GetUtcNow().AddMinutes(5));
        var expiredBeforeRun = await App.VideoAsync(user, "expired");
        await LikeAsync(live, 1);
        await LikeAsync(expiring, 5);
        await LikeAsync(expiredBeforeRun, 5);
        await App.ExecAsync("UPDATE videos SET expires_at = @at WHERE id = @expiredBeforeRun", new { at = App.Clock.GetUtcNow().AddSeconds(-1), expiredBeforeRun });

        await RunJobAsync();
        var ranked = await TrendingAsync();
        App.Clock.Advance(TimeSpan.FromMinutes(6)); // `expiring` expires after the run: reads drop it at once
        var later = await TrendingAsync();
        await App.BlockAsync(blocker, user);

        Assert.That(ranked, Does.Contain(live).And.Contain(expiring).And.Not.Contain(expiredBeforeRun));
        Assert.That(later, Does.Contain(live).And.Not.Contain(expiring));
        Assert.That(await TrendingAsync(blocker.Client), Does.Not.Contain(live));
    }

    [Test]
    public async Task Trending_tags_count_visible_videos_of_the_last_24_hours()
    {
        var user = await App.CreateUserAsync();
        var (hot, warm, old) = (DiscoveryData.Word(), DiscoveryData.Word(), DiscoveryData.Word());
        var now = App.Clock.GetUtcNow();
        for (var i = 0; i < 3; i++) await App.VideoAsync(user, "hot", tags: [hot, warm]);
        await App.VideoAsync(user, "warm", tags: [warm]);
        for (var i = 0; i < 9; i++) await App.VideoAsync(user, "old", tags: [old], createdAt: now.AddHours(-30));
        var removed = await App.VideoAsync(user, "removed", tags: [hot]);
        await App.ExecAsync("UPDATE videos SET removed_at = now() WHERE id = @removed", new { removed });

        await RunJobAsync();
        var tags = (await App.CreateClient().GetJsonAsync("/api/tags/trending?limit=50")).GetProperty("items").EnumerateArray()
            .ToDictionary(t => t.GetProperty("tag").GetString()!, t => t.GetProperty("videos_count").GetInt64());

        Assert.That(tags[warm], Is.EqualTo(4));
        Assert.That(tags[hot], Is.EqualTo(3));
        Assert.That(tags, Does.Not.ContainKey(old));
        var top = await App.CreateClient().GetJsonAsync("/api/tags/trending?limit=1");
        Assert.That(top.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
        await (await App.CreateClient().GetAsync("/api/tags/trending?limit=51")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Each_run_folds_only_new_events_drops_buckets_that_leave_the_window_and_subtracts_unlikes()
    {
        var user = await App.CreateUserAsync();
        var fading = await App.VideoAsync(user, "fading", createdAt: App.Clock.GetUtcNow().AddDays(-3));
        var liked = await App.VideoAsync(user, "liked");
        await LikeAsync(fading, 5, App.Clock.GetUtcNow().AddHours(-46.5));
        var fan = await App.CreateUserAsync();
        Assert.That((await fan.Client.PutAsync($"/api/videos/{liked}/like", null)).IsSuccessStatusCode);

        await RunJobAsync();
        var first = await TrendingAsync();
        await using (var conn = App.OpenConnection())
            Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<long>(conn, "SELECT count(*) FROM trending_deltas"), Is.Zero, "the queue is consumed");
        App.Clock.Advance(TimeSpan.FromHours(3)); // the 46.5 h old likes are now outside the 48 h window
        await RunJobAsync();
        var second = await TrendingAsync();
        // (Behind the API: the fan's token has expired on the moved clock; the write paths' triggers see any delete.)
        await App.ExecAsync("DELETE FROM video_likes WHERE video_id = @liked AND user_id = @fan", new { liked, fan = fan.Id });
        await RunJobAsync();
        var third = await TrendingAsync();

        Assert.That(first.Where(id => id == fading || id == liked), Is.EqualTo(new[] { liked, fading }));
        Assert.That(second, Does.Contain(liked).And.Not.Contain(fading));
        Assert.That(third, Does.Not.Contain(liked), "the unlike took its like back out");
    }

    [Test]
    public async Task Trending_pages_do_not_repeat_or_skip()
    {
        var user = await App.CreateUserAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            var v = await App.VideoAsync(user, $"v{i}");
            await LikeAsync(v, 1 + i % 3, App.Clock.GetUtcNow());
            ids.Add(v);
        }
        await RunJobAsync();

        var whole = await App.CreateClient().WalkAsync("/api/videos/trending?limit=50");
        var paged = await App.CreateClient().WalkAsync("/api/videos/trending?limit=2");

        Assert.That(paged, Is.EqualTo(whole));
        Assert.That(paged, Is.SupersetOf(ids));
    }
}

/// <summary>The job on the real clustered scheduler (system clock, as Quartz needs), fired by its cron.</summary>
[TestFixture]
public sealed class ComputeTrendingScheduleTests
{
    [Test]
    public async Task The_scheduled_job_refreshes_trending_by_itself()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cleanup:SchedulerEnabled"] = "true",
            ["Cleanup:DrainerEnabled"] = "false",
            ["Discovery:TrendingCron"] = "0/1 * * * * ?",
            ["Logging:LogLevel:IgLive.Service.Features.Discovery"] = "Debug",
        };
        await using var app = await ServiceFactory.CreateAsync(settings, s => s.AddSingleton(TimeProvider.System));
        var user = await app.CreateUserAsync();
        var fan = await app.CreateUserAsync();
        var video = await app.VideoAsync(user, "scheduled", createdAt: DateTimeOffset.UtcNow);
        (await fan.Client.PutAsync($"/api/videos/{video}/like", null)).EnsureSuccessStatusCode();

        var seen = await Poll.TryUntilAsync(async () => (await app.CreateClient().GetJsonAsync("/api/videos/trending")).Ids().Contains(video),
            TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200)); // a real-time scheduler
        Assert.That(seen, Is.True, "the cron-fired job ranked the liked video within 20 s");

        // A one-second cron keeps a run in flight; let the last one finish before the host stops the scheduler.
        var scheduler = (await app.Services.GetRequiredService<ISchedulerFactory>().GetAllSchedulers()).Single();
        await scheduler.PauseTrigger(ComputeTrendingJob.TriggerKey);
        await using var db = app.OpenConnection();
        await Poll.TryUntilAsync(async () => await Dapper.SqlMapper.ExecuteScalarAsync<long>(db,
            "SELECT count(*) FROM qrtz_fired_triggers WHERE job_name = 'compute-trending'") == 0, TimeSpan.FromSeconds(10));
    }
}
