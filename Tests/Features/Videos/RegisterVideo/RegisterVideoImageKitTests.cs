using System.Net;
using System.Net.Http.Json;
using Dapper;
using IgLive.Service.Features.Housekeeping.StorageDeletions;
using IgLive.Service.Infrastructure.ImageKit;
using IgLive.Service.Infrastructure.Problems;
using IgLive.Service.Tests.Fakes;
using IgLive.Service.Tests.Features.Videos.UploadVideo;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IgLive.Service.Tests.Features.Videos.RegisterVideo;

/// <summary>The JSON registration of a video uploaded directly to ImageKit (<c>POST /api/videos</c> with a file id).</summary>
[TestFixture]
public sealed class RegisterVideoImageKitTests : ImageKitFixture
{


    [Test]
    public async Task Registers_a_video_uploaded_directly_to_imagekit()
    {
        var user = await App.CreateUserAsync();
        var file = await Fake.UploadDirectAsync(user);

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
        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT storage_key FROM videos WHERE user_id = @Id", new { user.Id }), Is.EqualTo(file.FileId));
    }

    [Test]
    public async Task Registering_the_same_file_twice_is_409()
    {
        var user = await App.CreateUserAsync();
        var file = await Fake.UploadDirectAsync(user);
        await (await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = file.FileId, title = "once" })).JsonAsync(HttpStatusCode.Created);
        var again = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = file.FileId, title = "twice" });
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.That(await App.CountVideosAsync(user.Id), Is.EqualTo(1));
    }

    [Test]
    public async Task Registering_a_file_of_a_deleted_video_is_409_while_its_deletion_is_queued()
    {
        var user = await App.CreateUserAsync();
        var file = await Fake.UploadDirectAsync(user);
        var video = await (await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = file.FileId, title = "once" })).JsonAsync(HttpStatusCode.Created);
        Assert.That((await user.Client.DeleteAsync($"/api/videos/{video.GetProperty("id").GetGuid()}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var again = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = file.FileId, title = "again" });
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.That(await App.CountVideosAsync(user.Id), Is.Zero);
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
        var user = await App.CreateUserAsync();
        var id = path is null ? "nosuchfile00000000000000" : Fake.AddFile(path, mime, fileType).FileId;
        var rsp = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = id, title = "t" });
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("imagekit_file_id"), Is.Not.Empty);
        Assert.That(await App.CountVideosAsync(user.Id), Is.Zero);
    }

    [TestCase("../../v1/files")]
    [TestCase("")]
    public async Task Refuses_malformed_file_ids_without_asking_imagekit(string id)
    {
        var user = await App.CreateUserAsync();
        var before = Fake.Requests.Count;
        var rsp = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = id, title = "t" });
        Assert.That((await rsp.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("imagekit_file_id"), Is.Not.Empty);
        Assert.That(Fake.Requests.Count, Is.EqualTo(before));
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
        var user = await App.CreateUserAsync();
        var file = await Fake.UploadDirectAsync(user);
        Fake.Fault = fault;
        var rsp = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = file.FileId, title = "t" });
        await rsp.AssertProblemAsync(expected);
        if (retryAfter is { } s) Assert.That(rsp.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(s)));
        Assert.That(await App.CountVideosAsync(user.Id), Is.Zero);
    }

    [Test]
    public async Task Tags_must_be_a_json_array()
    {
        var user = await App.CreateUserAsync();
        var rsp = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = "abc", title = "t", tags = "a,b" });
        await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
