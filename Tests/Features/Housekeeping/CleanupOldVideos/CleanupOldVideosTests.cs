using System.Diagnostics;
using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Dapper;
using IgLive.Service.Features.Housekeeping.CleanupOldVideos;
using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Tests.Fakes;
using IgLive.Service.Tests.Features.Videos.UploadVideo;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace IgLive.Service.Tests.Features.Housekeeping.CleanupOldVideos;

[TestFixture]
public sealed class CleanupOldVideosTests
{
    private ServiceFactory app = null!;
    /// <summary>A second service on a fake ImageKit (no client retries), whose clock the back-off tests move hours ahead.</summary>
    private ServiceFactory onImageKit = null!;
    private ImageKitFake imageKit = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var settings = new Dictionary<string, string?> { ["Cleanup:BatchSize"] = "2", ["Cleanup:DrainerEnabled"] = "false" };
        app = await ServiceFactory.CreateAsync(settings);
        imageKit = new ImageKitFake();
        foreach (var (k, v) in imageKit.Settings()) settings[k] = v;
        settings["ImageKit:ApiRetries"] = "0"; // every failed call reaches the queue, none is hidden by a client retry
        onImageKit = await ServiceFactory.CreateAsync(settings);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await app.DisposeAsync();
        await onImageKit.DisposeAsync();
        imageKit.Dispose();
    }

    private static readonly string[] DependentTables = ["video_likes", "video_comments", "video_views"];

    private CleanupOldVideosRunner Runner(ServiceFactory? on = null) => (on ?? app).Services.GetRequiredService<CleanupOldVideosRunner>();

    [Test]
    public async Task Only_expired_videos_go_with_their_likes_comments_views_and_files()
    {
        var owner = await app.CreateUserAsync();
        var fan = await app.CreateUserAsync();
        var now = app.Clock.GetUtcNow();
        var expired = await SeedLocalVideoAsync(app, owner, now.AddMinutes(-1), withThumbnail: true);
        var expiresNow = await SeedLocalVideoAsync(app, owner, now, withThumbnail: false);
        var live = await SeedLocalVideoAsync(app, owner, now.AddDays(1), withThumbnail: true);
        await using (var conn = app.OpenConnection())
        {
            foreach (var v in new[] { expired.Id, live.Id })
            {
                await conn.ExecuteAsync("INSERT INTO video_likes (video_id, user_id) VALUES (@v, @u)", new { v, u = fan.Id });
                await conn.ExecuteAsync("INSERT INTO video_comments (id, video_id, user_id, text) VALUES (@id, @v, @u, 'hi')", new { id = Guid.NewGuid(), v, u = fan.Id });
                await conn.ExecuteAsync("INSERT INTO video_views (video_id, viewer_key, last_counted_at) VALUES (@v, 'k', now())", new { v });
            }
        }

        var result = await Runner().RunAsync(CancellationToken.None);

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
        for (var i = 0; i < 5; i++) videos.Add(await SeedLocalVideoAsync(app, owner, app.Clock.GetUtcNow().AddSeconds(-10 - i), withThumbnail: false));
        var batches = new List<Activity>();
        using var listener = ListenTo(batches);
        using var run = TestSource.StartActivity("test.run");

        var result = await Runner().RunAsync(CancellationToken.None);

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
    public async Task An_ImageKit_failing_every_other_bulk_delete_loses_nothing_and_deletes_each_file_once()
    {
        var owner = await onImageKit.CreateUserAsync();
        var ids = Enumerable.Range(0, 230).Select(i => imageKit.AddFile($"/iglive-test/bulk-{Guid.NewGuid():N}.mp4").FileId).ToArray();
        await SeedImageKitVideosAsync(onImageKit, owner, ids, onImageKit.Clock.GetUtcNow().AddMinutes(-5));
        var bulkCalls = 0;
        imageKit.FaultWhen = req => req.Path == BulkDeletePath && Interlocked.Increment(ref bulkCalls) % 2 == 1 ? FakeFault.Of(500) : null;
        var failures = 0;
        try
        {
            for (var run = 0; run < 10 && ids.Any(imageKit.Files.ContainsKey); run++)
            {
                failures += (await Runner(onImageKit).RunAsync(CancellationToken.None))!.Failures;
                onImageKit.Clock.Advance(TimeSpan.FromHours(2)); // past the longest back-off (cap 1 h, +20% jitter)
            }
        }
        finally { imageKit.FaultWhen = null; }

        // Every id the service got a 200 (bulk) or 204 (single) for, once per successful request.
        var confirmed = imageKit.LogEntries
            .Where(e => e.ResponseMessage.StatusCode is 200 or 204 && e.RequestMessage.Method is "POST" or "DELETE"
                        && e.RequestMessage.Path.StartsWith("/v1/files/", StringComparison.Ordinal))
            .SelectMany(e => e.RequestMessage.Path == BulkDeletePath
                ? JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("fileIds").EnumerateArray().Select(x => x.GetString()!)
                : [e.RequestMessage.PathSegments[2]])
            .Where(ids.Contains).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.GreaterThanOrEqualTo(100), "ImageKit did fail whole chunks");
            Assert.That(ids.Where(imageKit.Files.ContainsKey), Is.Empty, "every file deleted");
            Assert.That(confirmed, Is.EquivalentTo(ids), "each file in exactly one successful delete request");
        });
        await using var db = onImageKit.OpenConnection();
        Assert.That(await db.ExecuteScalarAsync<int>("SELECT count(*) FROM storage_deletions WHERE storage_key = ANY(@ids)", new { ids }), Is.Zero);
    }

    [Test]
    public async Task A_file_ImageKit_keeps_failing_to_delete_stays_queued_with_its_attempts_and_error()
    {
        var owner = await onImageKit.CreateUserAsync();
        var id = imageKit.AddFile($"/iglive-test/stuck-{Guid.NewGuid():N}.mp4").FileId;
        await SeedImageKitVideosAsync(onImageKit, owner, [id], onImageKit.Clock.GetUtcNow().AddMinutes(-5));
        imageKit.FaultWhen = req => req.Path.EndsWith(id, StringComparison.Ordinal) ? FakeFault.Of(503) : null;
        try
        {
            for (var run = 0; run < 3; run++)
            {
                await Runner(onImageKit).RunAsync(CancellationToken.None);
                onImageKit.Clock.Advance(TimeSpan.FromHours(2));
            }
        }
        finally { imageKit.FaultWhen = null; }

        await using var db = onImageKit.OpenConnection();
        var row = await db.QuerySingleAsync<(int Attempts, string LastError, DateTime? LastAttemptAt, DateTime NextAttemptAt)>(
            "SELECT attempts, last_error, last_attempt_at, next_attempt_at FROM storage_deletions WHERE storage_key = @id", new { id });
        Assert.Multiple(() =>
        {
            Assert.That(row.Attempts, Is.EqualTo(3));
            Assert.That(row.LastError, Does.Contain("503").And.Not.Contain(ImageKitFake.PrivateKey));
            Assert.That(row.LastAttemptAt, Is.Not.Null);
            Assert.That(row.NextAttemptAt, Is.GreaterThan(row.LastAttemptAt!.Value), "retried later, with back-off");
            Assert.That(imageKit.Files.ContainsKey(id), Is.True);
        });

        await Runner(onImageKit).RunAsync(CancellationToken.None); // ImageKit recovered
        Assert.That(imageKit.Files.ContainsKey(id), Is.False);
        Assert.That(await db.ExecuteScalarAsync<int>("SELECT count(*) FROM storage_deletions WHERE storage_key = @id", new { id }), Is.Zero);
    }

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
                await SeedLocalVideoAsync(first, owner, first.Clock.GetUtcNow().AddMinutes(-1), withThumbnail: true),
                await SeedLocalVideoAsync(first, owner, first.Clock.GetUtcNow().AddMinutes(-2), withThumbnail: false),
            ];
            // Only the first half of a run: rows deleted and files queued; the process "dies" before deleting files.
            Assert.That(await Runner(first).ExpireAsync(CancellationToken.None), Is.EqualTo(2));
        }
        Assert.That(videos.All(v => File.Exists(v.File)), Is.True, "files outlived the dead process");

        shared["Cleanup:DrainerEnabled"] = "true";
        shared["Cleanup:DrainIntervalSeconds"] = "1";
        await using var second = await ServiceFactory.CreateAsync(shared, connectionString: connectionString);
        await using var db = second.OpenConnection();
        for (var i = 0; i < 100 && await db.ExecuteScalarAsync<int>("SELECT count(*) FROM storage_deletions") > 0; i++)
            await Task.Delay(100); // bounded polling: the periodic drainer runs on its own

        Assert.Multiple(() =>
        {
            Assert.That(db.ExecuteScalar<int>("SELECT count(*) FROM storage_deletions"), Is.Zero);
            Assert.That(videos.Any(v => File.Exists(v.File) || (v.Thumbnail is not null && File.Exists(v.Thumbnail))), Is.False);
        });
        try { Directory.Delete(storage, recursive: true); } catch (IOException) { }
    }

    [Test]
    public async Task Admin_cleanup_answers_the_counts_to_the_service_role_only()
    {
        var owner = await app.CreateUserAsync();
        var video = await SeedLocalVideoAsync(app, owner, app.Clock.GetUtcNow().AddMinutes(-1), withThumbnail: true);

        await (await owner.Client.PostAsync("/api/admin/cleanup", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await using var db = app.OpenConnection();
        Assert.That(await db.ExecuteScalarAsync<int>("SELECT count(*) FROM videos WHERE id = @id", new { id = video.Id }), Is.EqualTo(1), "a refused call changes nothing");

        var service = app.CreateClient(ServiceRoleToken());
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
    public async Task A_cleanup_run_removes_upload_part_files_abandoned_for_longer_than_the_max_age_only()
    {
        var abandoned = WritePart(app.StoragePath, TimeSpan.FromHours(2));
        var inFlight = WritePart(app.StoragePath, TimeSpan.FromMinutes(30)); // younger than the 60 min default
        var notAPart = WritePart(app.StoragePath, TimeSpan.FromHours(2), suffix: ".keep");

        var rsp = await app.CreateClient(ServiceRoleToken()).PostAsync("/api/admin/cleanup", null);

        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(abandoned), Is.False, "abandoned part file removed");
            Assert.That(File.Exists(inFlight), Is.True, "a part file written to within the max age is never touched");
            Assert.That(File.Exists(notAPart), Is.True, "only *.part files are swept");
        });
    }

    [Test]
    public async Task Starting_the_service_removes_part_files_a_killed_process_left_behind()
    {
        var storage = Path.Combine(Path.GetTempPath(), "iglive-tests", Guid.NewGuid().ToString("N"));
        var abandoned = WritePart(storage, TimeSpan.FromMinutes(11));
        var inFlight = WritePart(storage, TimeSpan.FromMinutes(1));
        try
        {
            await using var started = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
            {
                ["Storage:LocalPath"] = storage,
                ["Storage:IncomingMaxAgeMinutes"] = "10",
            });
            Assert.Multiple(() =>
            {
                Assert.That(File.Exists(abandoned), Is.False, "removed at start-up, before any cleanup run");
                Assert.That(File.Exists(inFlight), Is.True);
            });
        }
        finally { try { Directory.Delete(storage, recursive: true); } catch (IOException) { } }
    }

    /// <summary>A file in the local store's incoming folder, last written <paramref name="age"/> ago.</summary>
    private static string WritePart(string storageRoot, TimeSpan age, string suffix = ".part")
    {
        var path = Path.Combine(storageRoot, ".incoming", Guid.NewGuid().ToString("N") + suffix);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0, 0, 0, 0x18]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    [Test]
    public async Task Admin_cleanup_is_a_409_while_another_run_holds_the_lock()
    {
        await using var other = app.OpenConnection();
        Assert.That(await other.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@k)", new { k = CleanupOldVideosSql.RunLockKey }), Is.True);
        try
        {
            var rsp = await app.CreateClient(ServiceRoleToken()).PostAsync("/api/admin/cleanup", null);
            await rsp.AssertProblemAsync(HttpStatusCode.Conflict);
        }
        finally { await other.ExecuteScalarAsync<bool>("SELECT pg_advisory_unlock(@k)", new { k = CleanupOldVideosSql.RunLockKey }); }
    }

    [Test]
    public async Task The_cleanup_command_runs_once_against_the_database_and_exits_0()
    {
        var owner = await app.CreateUserAsync();
        var video = await SeedLocalVideoAsync(app, owner, app.Clock.GetUtcNow().AddMinutes(-1), withThumbnail: true);
        using var process = ServiceProcess.Start(app, "cleanup", new Dictionary<string, string>());
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.That(process.ExitCode, Is.Zero, await stderr);
        Assert.That(await stdout, Does.Contain("expired 1 videos, deleted 2 files, 0 failures"));
        Assert.That(File.Exists(video.File) || File.Exists(video.Thumbnail!), Is.False);
        await using var db = app.OpenConnection();
        Assert.That(await db.ExecuteScalarAsync<int>("SELECT count(*) FROM videos WHERE id = @id", new { id = video.Id }), Is.Zero);
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
        await WaitUntilAsync(async () => (await TryGetAsync(http, "/health/ready")) == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        await using var blocker = own.OpenConnection();
        await using var hold = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("LOCK TABLE media_jobs IN EXCLUSIVE MODE", transaction: hold);

        http.DefaultRequestHeaders.Authorization = new("Bearer", RealTimeUserToken(Guid.NewGuid()));
        var videos = Path.Combine(own.StoragePath, "videos");
        string[] Stored() => Directory.Exists(videos) ? Directory.GetFiles(videos, "*.mp4", SearchOption.AllDirectories) : [];
        var before = Stored();
        var upload = http.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4")));
        await WaitUntilAsync(() => Task.FromResult(Stored().Except(before).Any()), TimeSpan.FromSeconds(30));
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
        var body = await (await own.CreateClient(ServiceRoleToken(own)).PostAsync("/api/admin/cleanup", null)).JsonAsync();

        Assert.That(body.GetProperty("failures").GetInt32(), Is.Zero);
        Assert.That(File.Exists(leftover), Is.False, "the moved file is deleted");
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM storage_deletions WHERE provider = 'local' AND kind = 'path'"), Is.Zero);
    }

    private static async Task<HttpStatusCode?> TryGetAsync(HttpClient http, string path)
    {
        try { return (await http.GetAsync(path)).StatusCode; }
        catch (HttpRequestException) { return null; }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"condition not met within {limit}");
            await Task.Delay(100);
        }
    }

    /// <summary>A local user token on the real clock (the separate process does not share the fixture's fake clock).</summary>
    private static string RealTimeUserToken(Guid userId)
    {
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ServiceFactory.JwtSecret));
        var now = DateTime.UtcNow;
        var token = new JwtSecurityToken("http://localhost:8080/auth/v1", "authenticated",
            [new Claim("sub", userId.ToString()), new Claim("email", $"{userId:N}@example.test"), new Claim("role", "authenticated")],
            now, now.AddHours(1), new SigningCredentials(key, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

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

        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20) && JobRuns(logs).Count(r => r.End is not null) < 5)
        {
            await SeedVideoRowAsync(a, owner, StorageProviders.Local, $"videos/{Guid.NewGuid():N}.mp4", null, DateTimeOffset.UnixEpoch);
            await Task.Delay(300); // bounded polling of a real-time scheduler
        }

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

    private static async Task<bool> WaitForCronAsync(ServiceFactory on, string cron)
    {
        await using var db = on.OpenConnection();
        for (var i = 0; i < 100; i++)
        {
            if (await db.ExecuteScalarAsync<int>("SELECT count(*) FROM qrtz_cron_triggers WHERE cron_expression = @cron", new { cron }) == 1)
                return true;
            await Task.Delay(100); // bounded polling: the scheduler starts in the background
        }
        return false;
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

    private sealed record SeededVideo(Guid Id, string File, string? Thumbnail);

    private static async Task<SeededVideo> SeedLocalVideoAsync(ServiceFactory on, TestUser owner, DateTimeOffset expiresAt, bool withThumbnail)
    {
        var store = on.Services.GetRequiredService<LocalFileStore>();
        var key = $"videos/{Guid.NewGuid():N}.mp4";
        var thumb = withThumbnail ? $"thumbnails/{Guid.NewGuid():N}.jpg" : null;
        foreach (var k in thumb is null ? [key] : (string[])[key, thumb])
        {
            var path = store.Resolve(k)!;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p']);
        }
        var id = await SeedVideoRowAsync(on, owner, StorageProviders.Local, key, thumb, expiresAt);
        return new SeededVideo(id, store.Resolve(key)!, thumb is null ? null : store.Resolve(thumb));
    }

    private const string BulkDeletePath = "/v1/files/batch/deleteByFileIds";

    /// <summary>Set-based insert of one expired ImageKit video per file id.</summary>
    private static async Task SeedImageKitVideosAsync(ServiceFactory on, TestUser owner, string[] ids, DateTimeOffset expiresAt)
    {
        await using var conn = on.OpenConnection();
        await conn.ExecuteAsync("""
            INSERT INTO videos (id, user_id, title, storage_provider, storage_key, video_url, content_type, size_bytes, created_at, expires_at)
            SELECT gen_random_uuid(), @owner, 'to expire', 'imagekit', k, 'https://ik.example.test/v.mp4', 'video/mp4', 8, @created, @expiresAt
            FROM unnest(@ids) AS k
            """, new { owner = owner.Id, ids, created = expiresAt.AddDays(-14), expiresAt });
    }

    private static async Task<Guid> SeedVideoRowAsync(ServiceFactory on, TestUser owner, string provider, string key, string? thumbnailKey, DateTimeOffset expiresAt)
    {
        var id = Guid.NewGuid();
        await using var conn = on.OpenConnection();
        await conn.ExecuteAsync("""
            INSERT INTO videos (id, user_id, title, storage_provider, storage_key, thumbnail_key, video_url, content_type,
                                size_bytes, created_at, expires_at)
            VALUES (@id, @owner, 'to expire', @provider, @key, @thumbnailKey, 'https://example.test/v.mp4', 'video/mp4', 8, @created, @expiresAt)
            """, new { id, owner = owner.Id, provider, key, thumbnailKey, created = expiresAt.AddDays(-14), expiresAt });
        return id;
    }

    private string ServiceRoleToken(ServiceFactory? on = null)
    {
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ServiceFactory.JwtSecret));
        var now = (on ?? app).Clock.GetUtcNow().UtcDateTime;
        var token = new JwtSecurityToken("http://localhost:8080/auth/v1", "authenticated",
            [new Claim("role", CleanupOldVideosEndpoint.ServiceRole)], now, now.AddHours(1),
            new SigningCredentials(key, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

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
