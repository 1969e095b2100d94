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

/// <summary>Multipart uploads streamed to ImageKit: the stored file id, the refusals, and what a failed upload leaves queued for deletion.</summary>
[TestFixture]
public sealed class UploadVideoImageKitTests : ImageKitFixture
{

    [Test]
    public async Task Streams_the_upload_to_imagekit_and_stores_its_file_id()
    {
        var user = await App.CreateUserAsync();
        var bytes = UploadHelpers.Fixture("tiny.mp4");

        var video = await (await user.Client.PostAsync("/api/videos", UploadHelpers.Form(bytes, tags: "ik"))).JsonAsync(HttpStatusCode.Created);

        var id = video.GetProperty("id").GetGuid();
        await using var conn = App.OpenConnection();
        var row = await conn.QuerySingleAsync<(string Provider, string Key, string Path)>(
            "SELECT storage_provider, storage_key, storage_path FROM videos WHERE id = @id", new { id });
        var stored = Fake.Files[row.Key];
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
        Assert.That(await QueuedAsync(App, row.Path), Is.Zero, "the path queued before the upload went with the row's insert");
    }

    [Test]
    public async Task Sniffs_before_sending_so_a_hostile_file_never_reaches_imagekit()
    {
        var user = await App.CreateUserAsync();
        var before = Fake.Requests.Count;
        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form("<html>not a video</html>"u8.ToArray()));
        await rsp.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.That(Fake.Requests.Count, Is.EqualTo(before));
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
            await Poll.TryUntilAsync(async () => (inFlight = await conn.QuerySingleOrDefaultAsync<(string, DateTime, DateTime)?>(
                    "SELECT reason, enqueued_at, next_attempt_at FROM storage_deletions WHERE kind = 'path'")) is not null,
                TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50), stop: () => upload.IsCompleted); // while the request runs
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
        var user = await App.CreateUserAsync();
        var pathsBefore = await QueuedPathsAsync(App);
        Fake.Fault = fault;
        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4")));
        await rsp.AssertProblemAsync(expected);
        if (expected == HttpStatusCode.ServiceUnavailable) Assert.That(rsp.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        if (fault.Headers.ContainsKey("X-RateLimit-Reset")) Assert.That(rsp.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(await App.CountVideosAsync(user.Id), Is.Zero);
        Assert.That((await QueuedPathsAsync(App)).Except(pathsBefore).Count(), Is.EqualTo(queuesPath ? 1 : 0), "deletion queued by path");
    }

    private static IEnumerable<TestCaseData> AmbiguousAnswers()
    {
        yield return new TestCaseData(FakeFault.Of(500) with { AfterHandling = true }).SetArgDisplayNames("500 after storing");
        yield return new TestCaseData(FakeFault.Of(200) with { AfterHandling = true }).SetArgDisplayNames("200 without fileId");
    }

    [TestCaseSource(nameof(AmbiguousAnswers))]
    public async Task An_upload_imagekit_stored_but_answered_badly_leaves_no_row_and_its_file_is_found_by_path_and_deleted(FakeFault fault)
    {
        var user = await App.CreateUserAsync();
        var before = Fake.Files.Keys.ToHashSet();
        Fake.FaultWhen = req => req.Path == UploadPath ? fault : null;

        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4")));

        Assert.That((int)rsp.StatusCode, Is.EqualTo(503).Or.EqualTo(502));
        Assert.That(await App.CountVideosAsync(user.Id), Is.Zero);
        var stored = Fake.Files.Where(f => !before.Contains(f.Key)).Select(f => f.Value).Single();
        Assert.That(stored.FilePath, Does.Match("^/iglive-test/[0-9a-f]{32}\\.mp4$"), "the path the service chose");
        await AssertQueuedByPathAsync(App, stored.FilePath);

        await Deletions(App).DrainAsync(CancellationToken.None);
        Assert.That(Fake.Files.ContainsKey(stored.FileId), Is.True, "not searched for before ImageKit:OrphanSearchDelaySeconds");

        await DrainAfterTheSearchDelayAsync(App);
        Assert.That(Fake.Files.ContainsKey(stored.FileId), Is.False, "found by its path and deleted");
        Assert.That(await QueuedAsync(App, stored.FilePath), Is.Zero, "the deletion completed");
    }

    [Test]
    public async Task A_client_that_disconnects_mid_upload_leaves_nothing_in_imagekit_and_no_row()
    {
        var user = await App.CreateUserAsync();
        var before = Fake.Files.Keys.ToHashSet();
        var stream = new ChunkedStream(UploadHelpers.FakeMp4(256 * 1024), failAfter: 128 * 1024);
        Assert.That(async () => await user.Client.PostAsync("/api/videos", UploadHelpers.Form(new StreamContent(stream))), Throws.InstanceOf<Exception>());
        // The forwarded multipart body was cut short, so ImageKit cannot have completed a file, now or later.
        Assert.That(Fake.Files.Keys.Except(before), Is.Empty);
        Assert.That(await App.CountVideosAsync(user.Id), Is.Zero);
    }

    [Test]
    public async Task A_database_failure_after_the_upload_queues_the_imagekit_file_for_deletion()
    {
        var user = await App.CreateUserAsync();
        var before = Fake.Files.Keys.ToHashSet();
        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4"), title: "db-failure"));
        await rsp.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        await AssertQueuedAsync(user, before);
    }

    [Test]
    public async Task Invalid_fields_after_the_uploaded_file_queue_it_for_deletion()
    {
        var user = await App.CreateUserAsync();
        var before = Fake.Files.Keys.ToHashSet();
        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4"), title: " ", fieldsAfterFile: true));
        await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        await AssertQueuedAsync(user, before);
    }

    /// <summary>The one file ImageKit received during the user's failed upload is queued with reason upload_failed.</summary>
    private async Task AssertQueuedAsync(TestUser user, HashSet<string> filesBefore)
    {
        Assert.That(await App.CountVideosAsync(user.Id), Is.Zero);
        var received = Fake.Files.Keys.Except(filesBefore).ToList();
        Assert.That(received, Has.Count.EqualTo(1), "the upload reached ImageKit");
        await using var conn = App.OpenConnection();
        var queued = await conn.QuerySingleOrDefaultAsync<(string Provider, string Reason)>(
            "SELECT provider, reason FROM storage_deletions WHERE storage_key = @key", new { key = received[0] });
        Assert.That(queued, Is.EqualTo(("imagekit", "upload_failed")));
    }
}
