using System.Diagnostics;
using System.Net;
using Dapper;
using IgLive.Service.Features.Housekeeping.CleanupOldVideos;
using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Housekeeping.CleanupOldVideos;

/// <summary>What a cleanup run expires and deletes, in batches, from the admin route and from the <c>cleanup</c> command.</summary>
[TestFixture]
public sealed class CleanupOldVideosTests
{
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await ServiceFactory.CreateAsync(new Dictionary<string, string?> { ["Cleanup:BatchSize"] = "2" });

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    private static readonly string[] DependentTables = ["video_likes", "video_comments", "video_views"];

    [Test]
    public async Task Only_expired_videos_go_with_their_likes_comments_views_and_files()
    {
        var owner = await app.CreateUserAsync();
        var fan = await app.CreateUserAsync();
        var now = app.Clock.GetUtcNow();
        var expired = await app.SeedLocalVideoAsync(owner, now.AddMinutes(-1), withThumbnail: true);
        var expiresNow = await app.SeedLocalVideoAsync(owner, now, withThumbnail: false);
        var live = await app.SeedLocalVideoAsync(owner, now.AddDays(1), withThumbnail: true);
        await using (var conn = app.OpenConnection())
        {
            foreach (var v in new[] { expired.Id, live.Id })
            {
                await conn.ExecuteAsync("INSERT INTO video_likes (video_id, user_id) VALUES (@v, @u)", new { v, u = fan.Id });
                await conn.ExecuteAsync("INSERT INTO video_comments (id, video_id, user_id, text) VALUES (@id, @v, @u, 'hi')", new { id = Guid.NewGuid(), v, u = fan.Id });
                await conn.ExecuteAsync("INSERT INTO video_views (video_id, viewer_key, last_counted_at) VALUES (@v, 'k', now())", new { v });
            }
        }

        var result = await app.Runner().RunAsync(CancellationToken.None);

        Assert.That(result, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(result!.Expired, Is.EqualTo(2));
            Assert.That(result.FilesDeleted, Is.EqualTo(3), "two videos and one thumbnail");
            Assert.That(result.Failures, Is.Zero);
            Assert.That(result.QueueDepth, Is.Zero);
        });
        await using var db = app.OpenConnection();
        var videos = (await db.QueryAsync<Guid>("SELECT id FROM videos WHERE user_id = @id", new { id = owner.Id })).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(videos, Is.EqualTo(new[] { live.Id }));
            foreach (var table in DependentTables)
            {
                Assert.That(db.ExecuteScalar<int>($"SELECT count(*) FROM {table} WHERE video_id = @v", new { v = expired.Id }), Is.Zero, table);
                Assert.That(db.ExecuteScalar<int>($"SELECT count(*) FROM {table} WHERE video_id = @v", new { v = live.Id }), Is.EqualTo(1), table);
            }
            Assert.That(File.Exists(expired.File) || File.Exists(expired.Thumbnail!) || File.Exists(expiresNow.File), Is.False, "expired files deleted");
            Assert.That(File.Exists(live.File) && File.Exists(live.Thumbnail!), Is.True, "live files kept");
            Assert.That(db.ExecuteScalar<int>("SELECT count(*) FROM storage_deletions"), Is.Zero);
        });
    }

    [Test]
    public async Task Expires_everything_in_one_run_through_several_batches()
    {
        var owner = await app.CreateUserAsync();
        var videos = new List<SeededVideo>();
        for (var i = 0; i < 5; i++) videos.Add(await app.SeedLocalVideoAsync(owner, app.Clock.GetUtcNow().AddSeconds(-10 - i), withThumbnail: false));
        var batches = new List<Activity>();
        using var listener = ListenTo(batches);
        using var run = TestSource.StartActivity("test.run");

        var result = await app.Runner().RunAsync(CancellationToken.None);

        var mine = batches.Where(b => b.TraceId == run!.TraceId && b.OperationName == "cleanup.batch").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(result!.Expired, Is.EqualTo(5));
            Assert.That(mine.Select(b => b.GetTagItem("cleanup.expired")), Is.EqualTo(new object[] { 2, 2, 1 }), "BatchSize 2: batches of 2, 2, 1");
            Assert.That(videos.Any(v => File.Exists(v.File)), Is.False);
        });
        await using var db = app.OpenConnection();
        Assert.That(await db.ExecuteScalarAsync<int>("SELECT count(*) FROM videos WHERE user_id = @id", new { id = owner.Id }), Is.Zero);
    }

    [Test]
    public async Task Admin_cleanup_answers_the_counts_to_the_service_role_only()
    {
        var owner = await app.CreateUserAsync();
        var video = await app.SeedLocalVideoAsync(owner, app.Clock.GetUtcNow().AddMinutes(-1), withThumbnail: true);

        await (await owner.Client.PostAsync("/api/admin/cleanup", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await using var db = app.OpenConnection();
        Assert.That(await db.ExecuteScalarAsync<int>("SELECT count(*) FROM videos WHERE id = @id", new { id = video.Id }), Is.EqualTo(1), "a refused call changes nothing");

        var service = app.CreateClient(app.ServiceRoleToken());
        var body = await (await service.PostAsync("/api/admin/cleanup", null)).JsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("expired").GetInt32(), Is.EqualTo(1));
            Assert.That(body.GetProperty("files_deleted").GetInt32(), Is.EqualTo(2));
            Assert.That(body.GetProperty("failures").GetInt32(), Is.Zero);
            Assert.That(body.GetProperty("queue_depth").GetInt64(), Is.Zero);
            Assert.That(File.Exists(video.File), Is.False);
        });
        Assert.That(await db.ExecuteScalarAsync<int>("SELECT count(*) FROM videos WHERE id = @id", new { id = video.Id }), Is.Zero);
    }

    [Test]
    public async Task Admin_cleanup_is_a_409_while_another_run_holds_the_lock()
    {
        await using var other = app.OpenConnection();
        Assert.That(await other.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@k)", new { k = CleanupOldVideosSql.RunLockKey }), Is.True);
        try
        {
            var rsp = await app.CreateClient(app.ServiceRoleToken()).PostAsync("/api/admin/cleanup", null);
            await rsp.AssertProblemAsync(HttpStatusCode.Conflict);
        }
        finally { await other.ExecuteScalarAsync<bool>("SELECT pg_advisory_unlock(@k)", new { k = CleanupOldVideosSql.RunLockKey }); }
    }

    [Test]
    public async Task The_cleanup_command_runs_once_against_the_database_and_exits_0()
    {
        var owner = await app.CreateUserAsync();
        var video = await app.SeedLocalVideoAsync(owner, app.Clock.GetUtcNow().AddMinutes(-1), withThumbnail: true);
        var (code, stdout, stderr) = await ServiceProcess.RunAsync(app, "cleanup");

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("expired 1 videos, deleted 2 files, 0 failures"));
        Assert.That(File.Exists(video.File) || File.Exists(video.Thumbnail!), Is.False);
        await using var db = app.OpenConnection();
        Assert.That(await db.ExecuteScalarAsync<int>("SELECT count(*) FROM videos WHERE id = @id", new { id = video.Id }), Is.Zero);
    }

    private static readonly ActivitySource TestSource = new("IgLive.Service.Tests.Cleanup");

    private static ActivityListener ListenTo(List<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "IgLive.Service" or "IgLive.Service.Tests.Cleanup",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) stopped.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
