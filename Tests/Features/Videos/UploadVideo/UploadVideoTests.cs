using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using IgLive.Service.Features.Housekeeping.StorageDeletions;
using IgLive.Service.Features.Videos.UploadVideo;
using IgLive.Service.Tests.Features.Media.Processing;
using Microsoft.Extensions.DependencyInjection;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Videos.UploadVideo;

/// <summary>Uploads to local storage, through HTTP, with real files on disk and real PostgreSQL rows.</summary>
[TestFixture]
public sealed class UploadVideoTests
{
    private const long MaxBytes = 1024 * 1024;
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var settings = MediaSamples.FastWorkers(drainer: false);
        settings["Upload:MaxBytes"] = MaxBytes.ToString();
        app = await ServiceFactory.CreateAsync(settings);
        await app.InstallInsertFailureAsync("db-failure");
    }

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task Uploads_an_mp4_reads_its_metadata_and_serves_it_from_media_once_processed()
    {
        var user = await app.CreateUserAsync();
        var bytes = UploadHelpers.Fixture("tiny.mp4");

        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(bytes, "  First clip ", "about <b>it</b>", "Cats, funny,cats"));

        var video = await rsp.JsonAsync(HttpStatusCode.Created);
        var id = video.GetProperty("id").GetGuid();
        Assert.Multiple(() =>
        {
            Assert.That(rsp.Headers.Location?.ToString(), Is.EqualTo($"/api/videos/{id}"));
            Assert.That(video.GetProperty("title").GetString(), Is.EqualTo("First clip"));
            Assert.That(video.GetProperty("description").GetString(), Is.EqualTo("about <b>it</b>"));
            Assert.That(video.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "cats", "funny" }));
            Assert.That(video.GetProperty("content_type").GetString(), Is.EqualTo("video/mp4"));
            Assert.That(video.GetProperty("size_bytes").GetInt64(), Is.EqualTo(bytes.Length));
            Assert.That(video.GetProperty("duration_seconds").GetDouble(), Is.EqualTo(2.0).Within(0.1));
            Assert.That(video.GetProperty("width").GetInt32(), Is.EqualTo(160));
            Assert.That(video.GetProperty("height").GetInt32(), Is.EqualTo(120));
            Assert.That(video.GetProperty("status").GetString(), Is.EqualTo("processing"), "no ffmpeg in the request");
            Assert.That(video.GetProperty("stream_url").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(video.GetProperty("thumbnail_url").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(video.GetProperty("author").GetProperty("username").GetString(), Is.EqualTo(user.Username));
            Assert.That(video.GetProperty("expires_at").GetDateTimeOffset() - video.GetProperty("created_at").GetDateTimeOffset(), Is.EqualTo(TimeSpan.FromDays(14)));
        });

        await using (var conn = app.OpenConnection())
        {
            var row = await conn.QuerySingleAsync<(string Provider, string Key, string ContentType)>(
                "SELECT storage_provider, storage_key, content_type FROM videos WHERE id = @id", new { id });
            Assert.That(row.Provider, Is.EqualTo("local"));
            Assert.That(row.Key, Is.EqualTo($"videos/{id.ToString("N")[..2]}/{id:N}.mp4"));
            Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM storage_deletions WHERE video_id = @id", new { id }), Is.Zero,
                "the deletions queued before the move went with the row's insert");
        }

        await (await app.CreateClient().GetAsync(video.GetProperty("video_url").GetString())).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.CreateClient().GetAsync($"/api/videos/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);

        var ready = await user.WaitUntilProcessedAsync(id);
        Assert.That(ready.GetProperty("status").GetString(), Is.EqualTo("ready"), ready.ToString());
        Assert.That(ready.GetProperty("stream_url").GetString(), Is.EqualTo($"/media/hls/{id}/master.m3u8"));
        var served = await app.CreateClient().GetAsync(ready.GetProperty("video_url").GetString());
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(served.Content.Headers.ContentType?.MediaType, Is.EqualTo("video/mp4"));
        Assert.That(await served.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes));
        var jpeg = await app.CreateClient().GetAsync(ready.GetProperty("thumbnail_url").GetString());
        Assert.That(jpeg.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
        Assert.That((await jpeg.Content.ReadAsByteArrayAsync())[..2], Is.EqualTo(new byte[] { 0xFF, 0xD8 }));
        Assert.That(await app.StrayFilesAsync(), Is.Empty);
    }

    [Test]
    public async Task A_video_shorter_than_the_thumbnail_seek_point_gets_its_first_frame()
    {
        var user = await app.CreateUserAsync();

        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("short.mp4"))); // 0.4 s
        var id = (await rsp.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var ready = await user.WaitUntilProcessedAsync(id);
        Assert.That(ready.GetProperty("status").GetString(), Is.EqualTo("ready"), ready.ToString());
        var jpeg = await app.CreateClient().GetAsync(ready.GetProperty("thumbnail_url").GetString());
        Assert.That((await jpeg.Content.ReadAsByteArrayAsync())[..2], Is.EqualTo(new byte[] { 0xFF, 0xD8 }));
    }

    [Test]
    public async Task An_unreadable_video_is_accepted_then_fails_processing_and_its_file_is_deleted()
    {
        var user = await app.CreateUserAsync();
        var bytes = UploadHelpers.FakeMp4(64 * 1024);
        Random.Shared.NextBytes(bytes.AsSpan(24)); // a valid ftyp box, then noise: ffmpeg cannot read it

        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(bytes));
        var id = (await rsp.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var failed = await user.WaitUntilProcessedAsync(id);
        Assert.That(failed.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(failed.GetProperty("failure_reason").GetString(), Is.Not.Empty);
        await app.Services.GetRequiredService<StorageDeletionQueue>().DrainAsync(CancellationToken.None);
        Assert.That(app.AllFiles().Where(f => f.Contains(id.ToString("N"))), Is.Empty, "the source went through the deletion queue");
    }

    [TestCase("tiny.webm", "video/webm", ".webm")]
    [TestCase("tiny.mov", "video/quicktime", ".mov")]
    public async Task Uploads_webm_and_mov_with_the_sniffed_content_type(string fixture, string contentType, string extension)
    {
        var user = await app.CreateUserAsync();
        var video = await (await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture(fixture)))).JsonAsync(HttpStatusCode.Created);
        Assert.Multiple(() =>
        {
            Assert.That(video.GetProperty("content_type").GetString(), Is.EqualTo(contentType));
            Assert.That(video.GetProperty("video_url").GetString(), Does.EndWith(extension));
            Assert.That(video.GetProperty("duration_seconds").GetDouble(), Is.EqualTo(2.0).Within(0.1));
            Assert.That(video.GetProperty("width").GetInt32(), Is.EqualTo(160));
            Assert.That(video.GetProperty("height").GetInt32(), Is.EqualTo(120));
        });
    }

    private static IEnumerable<TestCaseData> HostileFiles()
    {
        var elf = new byte[4096];
        new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0 }.CopyTo(elf, 0);
        yield return new TestCaseData(elf).SetArgDisplayNames("ELF executable named .mp4");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("<!doctype html><html><script>alert(1)</script></html>")).SetArgDisplayNames("HTML");
        var random = new byte[8192];
        new Random(42).NextBytes(random);
        yield return new TestCaseData(random).SetArgDisplayNames("random bytes");
        var heic = new byte[512];
        "\0\0\0\u0018ftypheic\0\0\0\0mif1heic"u8.ToArray().CopyTo(heic, 0);
        yield return new TestCaseData(heic).SetArgDisplayNames("HEIC photo (ftyp, image brand)");
    }

    [TestCaseSource(nameof(HostileFiles))]
    public async Task Refuses_bytes_that_are_not_a_video_container_with_415(byte[] bytes)
    {
        var user = await app.CreateUserAsync();
        var form = UploadHelpers.Form(new ByteArrayContent(bytes), fileName: "movie.mp4");
        var rsp = await user.Client.PostAsync("/api/videos", form);
        await rsp.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
        Assert.That(await app.StrayFilesAsync(), Is.Empty);
    }

    [Test]
    public async Task Refuses_an_empty_file_with_400()
    {
        var user = await app.CreateUserAsync();
        var problem = await (await user.Client.PostAsync("/api/videos", UploadHelpers.Form([]))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("file"), Is.Not.Empty);
    }

    [Test]
    public async Task Refuses_a_request_without_a_file_with_400()
    {
        var user = await app.CreateUserAsync();
        var problem = await (await user.Client.PostAsync("/api/videos", UploadHelpers.Form((HttpContent?)null))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("file"), Is.Not.Empty);
    }

    [Test]
    public async Task Invalid_fields_before_the_file_are_400_with_field_errors_and_store_nothing()
    {
        var user = await app.CreateUserAsync();
        var tags = string.Join(',', Enumerable.Range(0, 11).Select(i => $"t{i}"));
        var rsp = await user.Client.PostAsync("/api/videos",
            UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4"), title: new string('x', 151), description: new string('d', 2001), tags: tags));
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(problem.FieldErrors("title"), Is.Not.Empty);
            Assert.That(problem.FieldErrors("description"), Is.Not.Empty);
            Assert.That(problem.FieldErrors("tags"), Is.Not.Empty);
        });
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
        Assert.That(await app.StrayFilesAsync(), Is.Empty);
    }

    [TestCase("bad-tag")]
    [TestCase("ok,waaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaytoolong")]
    public async Task Malformed_tags_are_a_400(string tags)
    {
        var user = await app.CreateUserAsync();
        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4"), tags: tags));
        Assert.That((await rsp.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("tags"), Is.Not.Empty);
    }

    [Test]
    public async Task Unknown_fields_are_ignored_but_a_flood_of_parts_is_a_400()
    {
        var user = await app.CreateUserAsync();
        var few = UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4"));
        few.Add(new StringContent("ignored"), "unknown_field");
        await (await user.Client.PostAsync("/api/videos", few)).JsonAsync(HttpStatusCode.Created);

        var flood = new MultipartFormDataContent();
        for (var i = 0; i < 1000; i++) flood.Add(new StringContent("x"), $"f{i}");
        flood.Add(new ByteArrayContent(UploadHelpers.Fixture("tiny.mp4")), "file", "clip.mp4");
        var rsp = await user.Client.PostAsync("/api/videos", flood);
        Assert.That((await rsp.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("request"), Is.Not.Empty);
        Assert.That(await app.StrayFilesAsync(), Is.Empty);
    }

    [Test]
    public async Task Invalid_fields_after_the_file_remove_the_stored_file()
    {
        var user = await app.CreateUserAsync();
        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4"), title: "", fieldsAfterFile: true));
        Assert.That((await rsp.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("title"), Is.Not.Empty);
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
        Assert.That(await app.StrayFilesAsync(), Is.Empty);
    }

    [Test]
    public async Task Valid_fields_after_the_file_are_accepted()
    {
        var user = await app.CreateUserAsync();
        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4"), title: "late title", fieldsAfterFile: true));
        Assert.That((await rsp.JsonAsync(HttpStatusCode.Created)).GetProperty("title").GetString(), Is.EqualTo("late title"));
    }

    [Test]
    public async Task A_content_length_over_the_limit_is_413_before_reading()
    {
        var user = await app.CreateUserAsync();
        var form = UploadHelpers.Form(UploadHelpers.FakeMp4((int)MaxBytes + 100 * 1024));
        var rsp = await user.Client.PostAsync("/api/videos", form);
        Assert.That(rsp.RequestMessage!.Content!.Headers.ContentLength, Is.GreaterThan(MaxBytes));
        await rsp.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
        Assert.That(await app.StrayFilesAsync(), Is.Empty);
    }

    [Test]
    public async Task A_file_over_the_limit_in_a_body_that_passes_the_length_check_is_413_while_streaming()
    {
        // The body of unknown length (the in-memory test server may still compute one) stays under the Content-Length
        // pre-check (MaxBytes + form overhead), so only the byte count while streaming can refuse it. Real chunked
        // transfer over Kestrel is exercised by bench/upload/run.sh.
        var user = await app.CreateUserAsync();
        var form = UploadHelpers.Form(new StreamContent(new ChunkedStream(UploadHelpers.FakeMp4((int)MaxBytes + 1))));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/videos") { Content = form };
        var rsp = await user.Client.SendAsync(request);
        Assert.That(form.Headers.ContentLength ?? 0, Is.LessThan(MaxBytes + UploadVideoEndpoint.FormOverheadBytes));
        await rsp.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
        Assert.That(await app.StrayFilesAsync(), Is.Empty);
    }

    [Test]
    public async Task A_chunked_body_within_the_limit_is_accepted()
    {
        var user = await app.CreateUserAsync();
        var bytes = UploadHelpers.FakeMp4((int)MaxBytes);
        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(new StreamContent(new ChunkedStream(bytes))));
        var video = await rsp.JsonAsync(HttpStatusCode.Created);
        Assert.That(video.GetProperty("size_bytes").GetInt64(), Is.EqualTo(MaxBytes));
        Assert.That(video.GetProperty("duration_seconds").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), "unknown metadata is null, not a failure");
    }

    [Test]
    public async Task A_client_that_disconnects_mid_upload_leaves_no_file_and_no_row()
    {
        var user = await app.CreateUserAsync();
        var incoming = Path.Combine(app.StoragePath, ".incoming");
        var bytes = UploadHelpers.FakeMp4(512 * 1024);
        // Fail only once the server has provably started writing the file, so the cleanup path is what is tested.
        var stream = new ChunkedStream(bytes, failAfter: 256 * 1024, beforeFailing: () => Poll.UntilAsync(
            () => Directory.Exists(incoming) && Directory.EnumerateFiles(incoming).Any(), TimeSpan.FromSeconds(10), "the partial file to appear", Fast));

        Assert.That(async () => await user.Client.PostAsync("/api/videos", UploadHelpers.Form(new StreamContent(stream))), Throws.InstanceOf<Exception>());

        await Poll.UntilAsync(() => !Directory.EnumerateFiles(incoming).Any(), TimeSpan.FromSeconds(10), "the partial file to be removed", Fast);
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
        Assert.That(await app.StrayFilesAsync(), Is.Empty);
    }

    [Test]
    public async Task A_database_failure_after_the_file_is_stored_removes_the_file()
    {
        var user = await app.CreateUserAsync();
        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4"), title: "db-failure"));
        await rsp.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.That(rsp.Headers.RetryAfter, Is.Not.Null);
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
        Assert.That(await app.StrayFilesAsync(), Is.Empty);
        await using var conn = app.OpenConnection();
        // (Other uploads of this fixture may have queued their failed processing's source: only the upload's own reasons count.)
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM storage_deletions WHERE reason LIKE 'upload%'"), Is.Zero,
            "local files are removed at once, not queued");
    }

    [Test]
    public async Task An_upload_whose_queued_deletion_was_claimed_before_its_insert_is_refused_and_leaves_nothing()
    {
        // A request that outlives Storage:IncomingMaxAgeMinutes (a client dribbling the fields after the file) lets the
        // drainer claim the deletion queued before the move, i.e. move its next_attempt_at to a lease, and delete the
        // file. The insert must then refuse, not answer 201 for a video without a file. Here a trigger plays the
        // drainer's claim on every queued path row, so the insert always finds them touched.
        await using var own = await ServiceFactory.CreateAsync();
        await using (var conn = own.OpenConnection())
            await conn.ExecuteAsync("""
                CREATE FUNCTION claim_at_once() RETURNS trigger LANGUAGE plpgsql AS $f$
                BEGIN NEW.next_attempt_at := NEW.next_attempt_at + interval '1 minute'; RETURN NEW; END $f$;
                CREATE TRIGGER claim_at_once BEFORE INSERT ON storage_deletions FOR EACH ROW WHEN (NEW.kind = 'path')
                    EXECUTE FUNCTION claim_at_once();
                """);
        var user = await own.CreateUserAsync();

        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4")));

        await rsp.AssertProblemAsync(HttpStatusCode.RequestTimeout);
        Assert.That(await own.CountVideosAsync(user.Id), Is.Zero);
        Assert.That(await own.StrayFilesAsync(), Is.Empty);
        await using (var conn = own.OpenConnection())
            Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM storage_deletions"), Is.Zero, "the request removed its files and their rows");
    }

    [Test]
    public async Task Other_content_types_are_415()
    {
        var user = await app.CreateUserAsync();
        var rsp = await user.Client.PostAsync("/api/videos", new ByteArrayContent(UploadHelpers.Fixture("tiny.mp4")) { Headers = { ContentType = new MediaTypeHeaderValue("video/mp4") } });
        await rsp.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Test]
    public async Task Registering_an_imagekit_file_is_404_with_local_storage()
    {
        var user = await app.CreateUserAsync();
        var rsp = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = "abc", title = "t" });
        await rsp.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Anonymous_uploads_are_401()
    {
        var rsp = await app.CreateClient().PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4")));
        await rsp.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task The_openapi_document_describes_both_request_forms_and_the_field_order()
    {
        var doc = await (await app.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();
        var post = doc.GetProperty("paths").GetProperty("/api/videos").GetProperty("post");
        var content = post.GetProperty("requestBody").GetProperty("content");
        Assert.Multiple(() =>
        {
            Assert.That(content.TryGetProperty("multipart/form-data", out _), Is.True);
            Assert.That(content.TryGetProperty("application/json", out _), Is.True);
            Assert.That(post.GetProperty("description").GetString(), Does.Contain("before `file`"));
            foreach (var status in new[] { "201", "400", "413", "415" })
                Assert.That(post.GetProperty("responses").TryGetProperty(status, out _), Is.True, status);
        });
    }

    /// <summary>How often to look for what the server does on its own after the client has gone (it has no response to wait for).</summary>
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(20);
}
