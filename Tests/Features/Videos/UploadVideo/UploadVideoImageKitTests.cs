using System.Net;
using System.Net.Http.Json;
using Dapper;
using IgLive.Service.Features.Housekeeping.StorageDeletions;
using IgLive.Service.Infrastructure.ImageKit;
using IgLive.Service.Infrastructure.Problems;
using IgLive.Service.Tests.Fakes;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IgLive.Service.Tests.Features.Videos.UploadVideo;

/// <summary>Uploads streamed to ImageKit and registrations of direct ImageKit uploads, against the WireMock fake.</summary>
[TestFixture]
public sealed class UploadVideoImageKitTests
{
    private ImageKitFake imageKit = null!;
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        imageKit = new ImageKitFake();
        var settings = imageKit.Settings();
        settings["Storage:Provider"] = "ImageKit";
        settings["ImageKit:ApiTimeoutSeconds"] = "1";
        settings["ImageKit:ApiRetries"] = "1";
        settings["ImageKit:UploadTimeoutSeconds"] = "30"; // generous: the 2-core test machine is shared
        app = await ServiceFactory.CreateAsync(settings);
        await app.InstallInsertFailureAsync("db-failure");
        // Warm the API client up (handler, pipeline, connection, JIT) with a harmless 404: on the shared 2-core machine the
        // very first call could otherwise overrun the 1 s attempt timeout above and fail whichever test runs first. Under
        // heavy load the warm-up itself can overrun, so it gets a few tries.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Assert.That(await app.Services.GetRequiredService<ImageKitClient>().GetFileAsync("warmup000000000000000000", CancellationToken.None), Is.Null);
                break;
            }
            catch (UpstreamException) when (attempt < 5) { }
        }
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await app.DisposeAsync();
        imageKit.Dispose();
    }

    [SetUp]
    public void Reset()
    {
        imageKit.Fault = null;
        imageKit.FaultCount = null;
        imageKit.FaultWhen = null;
    }

    [Test]
    public async Task Streams_the_upload_to_imagekit_and_stores_its_file_id()
    {
        var user = await app.CreateUserAsync();
        var bytes = UploadHelpers.Fixture("tiny.mp4");

        var video = await (await user.Client.PostAsync("/api/videos", UploadHelpers.Form(bytes, tags: "ik"))).JsonAsync(HttpStatusCode.Created);

        var id = video.GetProperty("id").GetGuid();
        await using var conn = app.OpenConnection();
        var row = await conn.QuerySingleAsync<(string Provider, string Key, string Path)>(
            "SELECT storage_provider, storage_key, storage_path FROM videos WHERE id = @id", new { id });
        var stored = imageKit.Files[row.Key];
        var url = video.GetProperty("video_url").GetString();
        Assert.Multiple(() =>
        {
            Assert.That(row.Provider, Is.EqualTo("imagekit"));
            Assert.That(row.Path, Is.EqualTo($"/iglive-test/{id:N}.mp4"));
            Assert.That(stored.Content, Is.EqualTo(bytes), "ImageKit received exactly the uploaded bytes");
            Assert.That(url, Is.EqualTo(ImageKitFake.UrlEndpoint + row.Path));
            Assert.That(video.GetProperty("thumbnail_url").GetString(), Is.EqualTo(url + "/ik-thumbnail.jpg"));
            Assert.That(video.GetProperty("stream_url").GetString(), Is.EqualTo(url + "/ik-master.m3u8?tr=sr-240_360_480_720_1080"));
            Assert.That(video.GetProperty("content_type").GetString(), Is.EqualTo("video/mp4"));
            Assert.That(video.GetProperty("size_bytes").GetInt64(), Is.EqualTo(bytes.Length));
        });
        Assert.That(await QueuedAsync(app, row.Path), Is.Zero, "the path queued before the upload went with the row's insert");
    }

    [Test]
    public async Task Sniffs_before_sending_so_a_hostile_file_never_reaches_imagekit()
    {
        var user = await app.CreateUserAsync();
        var before = imageKit.Requests.Count;
        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form("<html>not a video</html>"u8.ToArray()));
        await rsp.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.That(imageKit.Requests.Count, Is.EqualTo(before));
    }

    private static IEnumerable<TestCaseData> UploadFaults()
    {
        // A 4xx means ImageKit refused the upload (nothing stored); a 5xx leaves it unknown: the path is queued.
        yield return new TestCaseData(FakeFault.Of(401), HttpStatusCode.BadGateway, false).SetArgDisplayNames("401 rejected key");
        yield return new TestCaseData(FakeFault.Of(429, ("X-RateLimit-Reset", "3000")), HttpStatusCode.ServiceUnavailable, false).SetArgDisplayNames("429");
        yield return new TestCaseData(FakeFault.Of(500), HttpStatusCode.ServiceUnavailable, true).SetArgDisplayNames("500");
    }

    [Test]
    public async Task A_hanging_imagekit_upload_is_503_after_the_upload_timeout_and_what_it_stored_is_found_by_path_and_deleted()
    {
        // ImageKit receives and stores the whole file, then never answers: the service cannot know the fileId.
        using var hanging = new ImageKitFake { Fault = FakeFault.Hanging() with { AfterHandling = true }, FaultCount = 1 };
        var settings = hanging.Settings();
        settings["Storage:Provider"] = "ImageKit";
        settings["ImageKit:UploadTimeoutSeconds"] = "3";
        await using var shortTimeout = await ServiceFactory.CreateAsync(settings);
        var user = await shortTimeout.CreateUserAsync();
        var upload = user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4")));

        // While ImageKit holds the upload, its path is already queued, due only after the upload timeout plus the search
        // delay: had the process been killed now, this row would outlive it.
        await using (var conn = shortTimeout.OpenConnection())
        {
            (string Reason, DateTime EnqueuedAt, DateTime NextAttemptAt)? inFlight = null;
            for (var i = 0; i < 40 && inFlight is null && !upload.IsCompleted; i++)
            {
                inFlight = await conn.QuerySingleOrDefaultAsync<(string, DateTime, DateTime)?>(
                    "SELECT reason, enqueued_at, next_attempt_at FROM storage_deletions WHERE kind = 'path'");
                if (inFlight is null) await Task.Delay(50); // bounded polling while the request runs
            }
            Assert.That(inFlight, Is.Not.Null, "queued before the upload finished");
            Assert.That(inFlight!.Value.Reason, Is.EqualTo("upload_unconfirmed"));
            Assert.That(inFlight.Value.NextAttemptAt - inFlight.Value.EnqueuedAt, Is.EqualTo(TimeSpan.FromSeconds(303)).Within(TimeSpan.FromSeconds(1)));
        }

        var rsp = await upload;
        await rsp.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.That(rsp.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(await shortTimeout.CountVideosAsync(user.Id), Is.Zero);

        var stored = hanging.Files.Values.Single();
        await AssertQueuedByPathAsync(shortTimeout, stored.FilePath);
        await DrainAfterTheSearchDelayAsync(shortTimeout);
        Assert.That(hanging.Files, Is.Empty, "the file ImageKit kept was found by its path and deleted");
        Assert.That(await QueuedAsync(shortTimeout, stored.FilePath), Is.Zero);
    }

    [TestCaseSource(nameof(UploadFaults))]
    public async Task Imagekit_failures_during_upload_map_to_502_or_503(FakeFault fault, HttpStatusCode expected, bool queuesPath)
    {
        var user = await app.CreateUserAsync();
        var pathsBefore = await QueuedPathsAsync(app);
        imageKit.Fault = fault;
        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4")));
        await rsp.AssertProblemAsync(expected);
        if (expected == HttpStatusCode.ServiceUnavailable) Assert.That(rsp.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        if (fault.Headers.ContainsKey("X-RateLimit-Reset")) Assert.That(rsp.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
        Assert.That((await QueuedPathsAsync(app)).Except(pathsBefore).Count(), Is.EqualTo(queuesPath ? 1 : 0), "deletion queued by path");
    }

    private static IEnumerable<TestCaseData> AmbiguousAnswers()
    {
        yield return new TestCaseData(FakeFault.Of(500) with { AfterHandling = true }).SetArgDisplayNames("500 after storing");
        yield return new TestCaseData(FakeFault.Of(200) with { AfterHandling = true }).SetArgDisplayNames("200 without fileId");
    }

    [TestCaseSource(nameof(AmbiguousAnswers))]
    public async Task An_upload_imagekit_stored_but_answered_badly_leaves_no_row_and_its_file_is_found_by_path_and_deleted(FakeFault fault)
    {
        var user = await app.CreateUserAsync();
        var before = imageKit.Files.Keys.ToHashSet();
        imageKit.FaultWhen = req => req.Path == UploadPath ? fault : null;

        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4")));

        Assert.That((int)rsp.StatusCode, Is.EqualTo(503).Or.EqualTo(502));
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
        var stored = imageKit.Files.Where(f => !before.Contains(f.Key)).Select(f => f.Value).Single();
        Assert.That(stored.FilePath, Does.Match("^/iglive-test/[0-9a-f]{32}\\.mp4$"), "the path the service chose");
        await AssertQueuedByPathAsync(app, stored.FilePath);

        await Deletions(app).DrainAsync(CancellationToken.None);
        Assert.That(imageKit.Files.ContainsKey(stored.FileId), Is.True, "not searched for before ImageKit:OrphanSearchDelaySeconds");

        await DrainAfterTheSearchDelayAsync(app);
        Assert.That(imageKit.Files.ContainsKey(stored.FileId), Is.False, "found by its path and deleted");
        Assert.That(await QueuedAsync(app, stored.FilePath), Is.Zero, "the deletion completed");
    }

    [Test]
    public async Task A_by_path_deletion_that_finds_nothing_completes_after_one_search()
    {
        var user = await app.CreateUserAsync();
        var pathsBefore = await QueuedPathsAsync(app);
        imageKit.FaultWhen = req => req.Path == UploadPath ? FakeFault.Of(502) : null; // nothing stored

        await (await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4")))).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);

        var path = (await QueuedPathsAsync(app)).Except(pathsBefore).Single();
        var searchesBefore = Searches(Path.GetFileName(path));
        await DrainAfterTheSearchDelayAsync(app);
        Assert.That(Searches(Path.GetFileName(path)), Is.EqualTo(searchesBefore + 1), "ImageKit was asked for that file name once");
        Assert.That(await QueuedAsync(app, path), Is.Zero, "0 found: the entry is done");
    }

    [Test]
    public async Task A_by_path_deletion_stays_queued_with_back_off_while_the_search_fails()
    {
        var user = await app.CreateUserAsync();
        var pathsBefore = await QueuedPathsAsync(app);
        imageKit.FaultWhen = req => req.Path == UploadPath ? FakeFault.Of(500) with { AfterHandling = true } : null;
        await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4")));
        var path = (await QueuedPathsAsync(app)).Except(pathsBefore).Single();
        imageKit.FaultWhen = req => req.Path == "/v1/files" ? FakeFault.Of(503) : null;

        await DrainAfterTheSearchDelayAsync(app);

        await using (var conn = app.OpenConnection())
        {
            var row = await conn.QuerySingleAsync<(int Attempts, string LastError)>(
                "SELECT attempts, last_error FROM storage_deletions WHERE storage_key = @path", new { path });
            Assert.That(row.Attempts, Is.EqualTo(1));
            Assert.That(row.LastError, Does.Contain("503"));
        }
        Assert.That(imageKit.Files.Values.Any(f => f.FilePath == path), Is.True);

        imageKit.FaultWhen = null;
        app.Clock.Advance(TimeSpan.FromHours(2)); // past the back-off
        await Deletions(app).DrainAsync(CancellationToken.None);
        Assert.That(imageKit.Files.Values.Any(f => f.FilePath == path), Is.False);
        Assert.That(await QueuedAsync(app, path), Is.Zero);
    }

    [Test]
    public async Task A_by_path_deletion_never_deletes_a_file_a_video_owns_and_a_queued_path_cannot_be_registered()
    {
        var user = await app.CreateUserAsync();
        var owned = await imageKit.UploadDirectAsync(user);
        await (await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = owned.FileId, title = "owned" })).JsonAsync(HttpStatusCode.Created);
        var queued = await imageKit.UploadDirectAsync(user);
        await using (var conn = app.OpenConnection())
        {
            // As an ambiguous upload would have queued them (both paths), due now.
            await conn.ExecuteAsync("""
                INSERT INTO storage_deletions (provider, storage_key, kind, reason, enqueued_at, next_attempt_at)
                SELECT 'imagekit', p, 'path', 'upload_ambiguous', @now, @now FROM unnest(@paths) AS p
                """, new { now = app.Clock.GetUtcNow(), paths = new[] { owned.FilePath, queued.FilePath } });
        }

        var again = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = queued.FileId, title = "being deleted" });
        await again.AssertProblemAsync(HttpStatusCode.Conflict);

        await Deletions(app).DrainAsync(CancellationToken.None);
        Assert.That(imageKit.Files.ContainsKey(owned.FileId), Is.True, "a live video's file is kept");
        Assert.That(imageKit.Files.ContainsKey(queued.FileId), Is.False);
        Assert.That(await QueuedAsync(app, owned.FilePath) + await QueuedAsync(app, queued.FilePath), Is.Zero, "both entries done");
    }

    private const string UploadPath = "/api/v1/files/upload";

    private static StorageDeletionQueue Deletions(ServiceFactory on) => on.Services.GetRequiredService<StorageDeletionQueue>();

    /// <summary>Drains the deletion queue once the by-path search delay (default 300 s) has passed on the service's clock.</summary>
    private static async Task DrainAfterTheSearchDelayAsync(ServiceFactory on)
    {
        on.Clock.Advance(TimeSpan.FromSeconds(301));
        await Deletions(on).DrainAsync(CancellationToken.None);
    }

    /// <summary>Search requests the fake received for <paramref name="fileName"/>.</summary>
    private int Searches(string fileName) => imageKit.LogEntries.Count(e => e.RequestMessage.Path == "/v1/files"
        && Uri.UnescapeDataString(e.RequestMessage.RawQuery ?? "").Contains($"name = \"{fileName}\"", StringComparison.Ordinal));

    private static async Task<string[]> QueuedPathsAsync(ServiceFactory on)
    {
        await using var conn = on.OpenConnection();
        return (await conn.QueryAsync<string>("SELECT storage_key FROM storage_deletions WHERE kind = 'path'")).ToArray();
    }

    private static async Task<long> QueuedAsync(ServiceFactory on, string key)
    {
        await using var conn = on.OpenConnection();
        return await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM storage_deletions WHERE storage_key = @key", new { key });
    }

    /// <summary>Exactly one deletion of <paramref name="path"/> is queued, by path, first due after the 300 s search delay.</summary>
    private static async Task AssertQueuedByPathAsync(ServiceFactory on, string path)
    {
        await using var conn = on.OpenConnection();
        var row = await conn.QuerySingleAsync<(string Provider, string Kind, string Reason, Guid? VideoId, DateTime NextAttemptAt)>(
            "SELECT provider, kind, reason, video_id, next_attempt_at FROM storage_deletions WHERE storage_key = @path", new { path });
        Assert.Multiple(() =>
        {
            Assert.That((row.Provider, row.Kind, row.Reason), Is.EqualTo(("imagekit", "path", "upload_ambiguous")));
            Assert.That(path, Does.Contain(row.VideoId!.Value.ToString("N")), "the video id the upload would have had");
            Assert.That(row.NextAttemptAt - on.Clock.GetUtcNow().UtcDateTime, Is.EqualTo(TimeSpan.FromSeconds(300)).Within(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task A_client_that_disconnects_mid_upload_leaves_nothing_in_imagekit_and_no_row()
    {
        var user = await app.CreateUserAsync();
        var before = imageKit.Files.Keys.ToHashSet();
        var stream = new ChunkedStream(UploadHelpers.FakeMp4(256 * 1024), failAfter: 128 * 1024);
        Assert.That(async () => await user.Client.PostAsync("/api/videos", UploadHelpers.Form(new StreamContent(stream))), Throws.InstanceOf<Exception>());
        // The forwarded multipart body was cut short, so ImageKit cannot have completed a file, now or later.
        Assert.That(imageKit.Files.Keys.Except(before), Is.Empty);
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
    }

    [Test]
    public async Task A_database_failure_after_the_upload_queues_the_imagekit_file_for_deletion()
    {
        var user = await app.CreateUserAsync();
        var before = imageKit.Files.Keys.ToHashSet();
        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4"), title: "db-failure"));
        await rsp.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        await AssertQueuedAsync(user, before);
    }

    [Test]
    public async Task Invalid_fields_after_the_uploaded_file_queue_it_for_deletion()
    {
        var user = await app.CreateUserAsync();
        var before = imageKit.Files.Keys.ToHashSet();
        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4"), title: " ", fieldsAfterFile: true));
        await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        await AssertQueuedAsync(user, before);
    }

    /// <summary>The one file ImageKit received during the user's failed upload is queued with reason upload_failed.</summary>
    private async Task AssertQueuedAsync(TestUser user, HashSet<string> filesBefore)
    {
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
        var received = imageKit.Files.Keys.Except(filesBefore).ToList();
        Assert.That(received, Has.Count.EqualTo(1), "the upload reached ImageKit");
        await using var conn = app.OpenConnection();
        var queued = await conn.QuerySingleOrDefaultAsync<(string Provider, string Reason)>(
            "SELECT provider, reason FROM storage_deletions WHERE storage_key = @key", new { key = received[0] });
        Assert.That(queued, Is.EqualTo(("imagekit", "upload_failed")));
    }

    // ---------------- JSON registration ----------------

    [Test]
    public async Task Registers_a_video_uploaded_directly_to_imagekit()
    {
        var user = await app.CreateUserAsync();
        var file = await imageKit.UploadDirectAsync(user);

        var rsp = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = file.FileId, title = "Direct", description = "d", tags = new[] { "One", "two" } });

        var video = await rsp.JsonAsync(HttpStatusCode.Created);
        Assert.Multiple(() =>
        {
            Assert.That(rsp.Headers.Location?.ToString(), Is.EqualTo($"/api/videos/{video.GetProperty("id").GetGuid()}"));
            Assert.That(video.GetProperty("video_url").GetString(), Is.EqualTo(file.Url));
            Assert.That(video.GetProperty("thumbnail_url").GetString(), Is.EqualTo(file.Url + "/ik-thumbnail.jpg"));
            Assert.That(video.GetProperty("size_bytes").GetInt64(), Is.EqualTo(file.Size));
            Assert.That(video.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "one", "two" }));
        });
        await using var conn = app.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT storage_key FROM videos WHERE user_id = @Id", new { user.Id }), Is.EqualTo(file.FileId));
    }

    [Test]
    public async Task Registering_the_same_file_twice_is_409()
    {
        var user = await app.CreateUserAsync();
        var file = await imageKit.UploadDirectAsync(user);
        await (await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = file.FileId, title = "once" })).JsonAsync(HttpStatusCode.Created);
        var again = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = file.FileId, title = "twice" });
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.That(await app.CountVideosAsync(user.Id), Is.EqualTo(1));
    }

    [Test]
    public async Task Registering_a_file_of_a_deleted_video_is_409_while_its_deletion_is_queued()
    {
        var user = await app.CreateUserAsync();
        var file = await imageKit.UploadDirectAsync(user);
        var video = await (await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = file.FileId, title = "once" })).JsonAsync(HttpStatusCode.Created);
        Assert.That((await user.Client.DeleteAsync($"/api/videos/{video.GetProperty("id").GetGuid()}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var again = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = file.FileId, title = "again" });
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
    }

    private static IEnumerable<TestCaseData> BadFiles()
    {
        yield return new TestCaseData(null, "video/mp4", "non-image").SetArgDisplayNames("unknown file id");
        yield return new TestCaseData("/iglive-test/photo.jpg", "image/jpeg", "image").SetArgDisplayNames("an image");
        yield return new TestCaseData("/iglive-test/song.mp3", "audio/mpeg", "non-image").SetArgDisplayNames("audio");
        yield return new TestCaseData("/elsewhere/clip.mp4", "video/mp4", "non-image").SetArgDisplayNames("outside the folder");
        yield return new TestCaseData("/iglive-test-other/clip.mp4", "video/mp4", "non-image").SetArgDisplayNames("a folder with the same prefix");
    }

    [TestCaseSource(nameof(BadFiles))]
    public async Task Refuses_files_that_are_missing_not_videos_or_outside_the_folder(string? path, string mime, string fileType)
    {
        var user = await app.CreateUserAsync();
        var id = path is null ? "nosuchfile00000000000000" : imageKit.AddFile(path, mime, fileType).FileId;
        var rsp = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = id, title = "t" });
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("imagekit_file_id"), Is.Not.Empty);
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
    }

    [TestCase("../../v1/files")]
    [TestCase("")]
    public async Task Refuses_malformed_file_ids_without_asking_imagekit(string id)
    {
        var user = await app.CreateUserAsync();
        var before = imageKit.Requests.Count;
        var rsp = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = id, title = "t" });
        Assert.That((await rsp.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("imagekit_file_id"), Is.Not.Empty);
        Assert.That(imageKit.Requests.Count, Is.EqualTo(before));
    }

    private static IEnumerable<TestCaseData> ApiFaults()
    {
        yield return new TestCaseData(FakeFault.Of(401), HttpStatusCode.BadGateway, null).SetArgDisplayNames("401");
        yield return new TestCaseData(FakeFault.Of(429, ("X-RateLimit-Reset", "30000")), HttpStatusCode.ServiceUnavailable, 30).SetArgDisplayNames("429");
        yield return new TestCaseData(FakeFault.Of(500), HttpStatusCode.ServiceUnavailable, null).SetArgDisplayNames("500");
        yield return new TestCaseData(FakeFault.Hanging(), HttpStatusCode.ServiceUnavailable, null).SetArgDisplayNames("hang");
    }

    [TestCaseSource(nameof(ApiFaults))]
    public async Task Imagekit_failures_during_registration_map_to_502_or_503(FakeFault fault, HttpStatusCode expected, int? retryAfter)
    {
        var user = await app.CreateUserAsync();
        var file = await imageKit.UploadDirectAsync(user);
        imageKit.Fault = fault;
        var rsp = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = file.FileId, title = "t" });
        await rsp.AssertProblemAsync(expected);
        if (retryAfter is { } s) Assert.That(rsp.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(s)));
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
    }

    [Test]
    public async Task Tags_must_be_a_json_array()
    {
        var user = await app.CreateUserAsync();
        var rsp = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = "abc", title = "t", tags = "a,b" });
        await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
