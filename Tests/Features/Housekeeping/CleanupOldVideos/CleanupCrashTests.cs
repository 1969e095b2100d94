using System.Net;
using Dapper;
using IgLive.Service.Features.Housekeeping.CleanupOldVideos;
using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Tests.Infrastructure;
using IgLive.Service.Tests.Features.Videos.UploadVideo;

namespace IgLive.Service.Tests.Features.Housekeeping.CleanupOldVideos;

/// <summary>A process that dies mid-way (between expiry and file deletion, or in an upload) leaves nothing behind after the next run.</summary>
[TestFixture]
public sealed class CleanupCrashTests
{

    [Test]
    public async Task Files_of_videos_expired_by_a_process_that_died_are_deleted_by_the_next_instance()
    {
        var storage = Path.Combine(Path.GetTempPath(), "iglive-tests", Guid.NewGuid().ToString("N"));
        var shared = new Dictionary<string, string?> { ["Storage:LocalPath"] = storage, ["Cleanup:DrainerEnabled"] = "false" };
        SeededVideo[] videos;
        string connectionString;
        await using (var first = await ServiceFactory.CreateAsync(shared))
        {
            connectionString = first.ConnectionString;
            var owner = await first.CreateUserAsync();
            videos = [
                await first.SeedLocalVideoAsync(owner, first.Clock.GetUtcNow().AddMinutes(-1), withThumbnail: true),
                await first.SeedLocalVideoAsync(owner, first.Clock.GetUtcNow().AddMinutes(-2), withThumbnail: false),
            ];
            // Only the first half of a run: rows deleted and files queued; the process "dies" before deleting files.
            Assert.That(await first.Runner().ExpireAsync(CancellationToken.None), Is.EqualTo(2));
        }
        Assert.That(videos.All(v => File.Exists(v.File)), Is.True, "files outlived the dead process");

        shared["Cleanup:DrainerEnabled"] = "true";
        shared["Cleanup:DrainIntervalSeconds"] = "1";
        await using var second = await ServiceFactory.CreateAsync(shared, connectionString: connectionString);
        await using var db = second.OpenConnection();
        // The periodic drainer runs on its own: wait for it (bounded), then assert.
        await Poll.TryUntilAsync(async () => await db.ExecuteScalarAsync<int>("SELECT count(*) FROM storage_deletions") == 0, TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(db.ExecuteScalar<int>("SELECT count(*) FROM storage_deletions"), Is.Zero);
            Assert.That(videos.Any(v => File.Exists(v.File) || (v.Thumbnail is not null && File.Exists(v.Thumbnail))), Is.False);
        });
        try { Directory.Delete(storage, recursive: true); } catch (IOException) { }
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_local_upload_killed_between_moving_the_file_and_writing_its_row_leaves_nothing_after_cleanup()
    {
        // A real process, really killed after the move, before its row is committed: the insert statement (which also
        // queues the media job) waits on a lock this test holds on media_jobs.
        // Its own database and clock: the cleanup below runs an hour ahead, which the other tests must not see.
        await using var own = await ServiceFactory.CreateAsync();
        var port = ServiceProcess.FreePort();
        using var process = ServiceProcess.Start(own, null, new Dictionary<string, string>
        {
            ["Cleanup__SchedulerEnabled"] = "false",
            ["Cleanup__DrainerEnabled"] = "false",
            ["Media__Workers"] = "0",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        });
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(150) };
        await Poll.UntilAsync(async () => (await ServiceProcess.TryGetAsync(http, "/health/ready"))?.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "the process ready");
        await using var blocker = own.OpenConnection();
        await using var hold = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("LOCK TABLE media_jobs IN EXCLUSIVE MODE", transaction: hold);

        http.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.User(Guid.NewGuid(), DateTime.UtcNow));
        var videos = Path.Combine(own.StoragePath, "videos");
        string[] Stored() => Directory.Exists(videos) ? Directory.GetFiles(videos, "*.mp4", SearchOption.AllDirectories) : [];
        var before = Stored();
        var upload = http.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4")));
        await Poll.UntilAsync(() => Stored().Except(before).Any(), TimeSpan.FromSeconds(30), "the upload moved into place");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Assert.That(async () => await upload, Throws.InstanceOf<HttpRequestException>(), "the process died mid-request");
        // PostgreSQL notices a dead client only when it next talks to it, and the blocked statement would commit once the
        // lock is released: end the dead process's session as the server would on its next check, then release.
        await blocker.ExecuteAsync("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'
            """, transaction: hold);
        await hold.RollbackAsync();

        var leftover = Stored().Except(before).Single();
        await using var db = own.OpenConnection();
        var pending = (await db.QueryAsync<(string Key, DateTime Due)>(
            "SELECT storage_key, next_attempt_at FROM storage_deletions WHERE provider = 'local' AND kind = 'path'")).ToList();
        Assert.That(pending.Select(p => p.Key), Has.Some.EndsWith(Path.GetFileName(leftover)), "queued before the move");
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM videos WHERE storage_provider = 'local' AND storage_key = @k",
            new { k = Path.GetRelativePath(own.StoragePath, leftover) }), Is.Zero, "no row was written");

        // Due an hour (Storage:IncomingMaxAgeMinutes) after the move, never while an upload could still be running.
        var due = pending.Max(p => p.Due);
        if (own.Clock.GetUtcNow() <= due) own.Clock.Advance(due - own.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(1));
        var body = await (await own.CreateClient(own.ServiceRoleToken()).PostAsync("/api/admin/cleanup", null)).JsonAsync();

        Assert.That(body.GetProperty("failures").GetInt32(), Is.Zero);
        Assert.That(File.Exists(leftover), Is.False, "the moved file is deleted");
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM storage_deletions WHERE provider = 'local' AND kind = 'path'"), Is.Zero);
    }
}
