using System.Net.Http.Json;
using Dapper;
using IgLive.Service.Features.Notifications.NewVideoFanout;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IgLive.Service.Tests.Features.Notifications.NewVideoFanout;

/// <summary>new_video notifications, written by the background worker (driven here one batch at a time).</summary>
[TestFixture]
public sealed class NewVideoFanoutTests
{
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        // Tokens outlive the hour the collapsing test moves the clock by.
        app = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
        {
            ["Notifications:FanoutWorkerEnabled"] = "false",
            ["Auth:AccessTokenSeconds"] = "86400",
        });
    }

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    // The host owns (and disposes) the worker.
    private NewVideoFanoutWorker Worker => app.Services.GetRequiredService<NewVideoFanoutWorker>();

    private async Task DrainAsync()
    {
        for (var i = 0; i < 1000 && await Worker.RunOnceAsync(CancellationToken.None); i++) { }
    }

    private async Task FollowAsync(TestUser follower, TestUser creator)
    {
        await using var conn = app.OpenConnection();
        await conn.ExecuteAsync("INSERT INTO user_follows (follower_id, followee_id) VALUES (@a, @b)", new { a = follower.Id, b = creator.Id });
    }

    private async Task<Guid> SeedProcessingVideoAsync(TestUser owner, string title)
    {
        var id = await app.SeedVideoAsync(owner, title: title);
        await using var conn = app.OpenConnection();
        // As a local upload starts: processing, and not yet announced.
        await conn.ExecuteAsync("UPDATE videos SET status = 'processing' WHERE id = @id; DELETE FROM new_video_fanout WHERE video_id = @id", new { id });
        return id;
    }

    [Test]
    public async Task Followers_hear_of_an_upload_once_it_is_ready_and_an_hours_uploads_collapse()
    {
        var creator = await app.CreateUserAsync();
        var fan = await app.CreateUserAsync();
        var stranger = await app.CreateUserAsync();
        await FollowAsync(fan, creator);

        var first = await SeedProcessingVideoAsync(creator, "first upload");
        await DrainAsync();
        Assert.That(await fan.NotificationsAsync(), Is.Empty, "not while processing");

        await using (var conn = app.OpenConnection())
            await conn.ExecuteAsync("UPDATE videos SET status = 'ready' WHERE id = @first", new { first });
        await DrainAsync();
        var n = (await fan.NotificationsAsync()).Single();
        Assert.That(n.GetProperty("kind").GetString(), Is.EqualTo("new_video"));
        Assert.That(n.GetProperty("video").GetProperty("title").GetString(), Is.EqualTo("first upload"));
        Assert.That(n.ActorNames(), Is.EqualTo(new[] { creator.Username }));
        Assert.That(await stranger.NotificationsAsync(), Is.Empty);

        await fan.MarkAllReadAsync();
        await app.SeedVideoAsync(creator, title: "second upload");
        await DrainAsync();
        var collapsed = (await fan.NotificationsAsync()).Single();
        Assert.That(collapsed.GetProperty("video").GetProperty("title").GetString(), Is.EqualTo("second upload"));
        Assert.That(collapsed.GetProperty("read").GetBoolean(), Is.False, "unread again");

        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await app.SeedVideoAsync(creator, title: "next hour");
        await DrainAsync();
        Assert.That((await fan.NotificationsAsync()).Select(x => x.GetProperty("video").GetProperty("title").GetString()),
            Is.EqualTo(new[] { "next hour", "second upload" }));
    }

    [Test]
    public async Task Blocked_creators_and_switched_off_followers_are_left_out()
    {
        var creator = await app.CreateUserAsync();
        var blocker = await app.CreateUserAsync();
        var quiet = await app.CreateUserAsync();
        var fan = await app.CreateUserAsync();
        foreach (var f in new[] { blocker, quiet, fan }) await FollowAsync(f, creator);
        await app.BlockAsync(blocker, creator);
        await quiet.Client.PatchAsJsonAsync("/api/me/notification_settings", new { new_video = false });

        await app.SeedVideoAsync(creator);
        await DrainAsync();

        Assert.That(await blocker.NotificationsAsync(), Is.Empty);
        Assert.That(await quiet.NotificationsAsync(), Is.Empty);
        Assert.That(await fan.NotificationsAsync(), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task A_creator_with_thousands_of_followers_is_announced_in_batches_that_resume()
    {
        var creator = await app.CreateUserAsync();
        const int followers = 2 * NewVideoFanoutWorker.BatchSize + 500;
        await using (var conn = app.OpenConnection())
            await conn.ExecuteAsync("""
                WITH p AS (INSERT INTO profiles (id, username) SELECT gen_random_uuid(), 'f' || substr(md5(random()::text), 1, 20)
                           FROM generate_series(1, @followers) RETURNING id)
                INSERT INTO user_follows (follower_id, followee_id) SELECT id, @creator FROM p
                """, new { followers, creator = creator.Id });
        var video = await app.SeedVideoAsync(creator);

        Assert.That(await Worker.RunOnceAsync(CancellationToken.None), Is.True);
        await using (var conn = app.OpenConnection())
        {
            var (written, done) = await conn.QuerySingleAsync<(long, bool)>("""
                SELECT (SELECT count(*) FROM notifications WHERE video_id = @video AND kind = 'new_video'),
                       (SELECT done_at IS NOT NULL FROM new_video_fanout WHERE video_id = @video)
                """, new { video });
            Assert.That(written, Is.EqualTo(NewVideoFanoutWorker.BatchSize), "one batch per run");
            Assert.That(done, Is.False);
        }
        await DrainAsync();
        await using (var conn = app.OpenConnection())
        {
            Assert.That(await conn.ExecuteScalarAsync<long>(
                "SELECT count(DISTINCT user_id) FROM notifications WHERE video_id = @video AND kind = 'new_video'", new { video }),
                Is.EqualTo(followers));
            Assert.That(await conn.ExecuteScalarAsync<bool>("SELECT done_at IS NOT NULL FROM new_video_fanout WHERE video_id = @video", new { video }), Is.True);
        }
    }
}
