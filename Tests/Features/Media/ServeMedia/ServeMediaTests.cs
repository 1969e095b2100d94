using System.Net;
using System.Net.Http.Headers;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Media.ServeMedia;

[TestFixture]
public sealed class ServeMediaTests
{
    private ServiceFactory app = null!;
    private readonly byte[] video = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251)).ToArray();

    [OneTimeSetUp]
    public async Task Start()
    {
        app = await ServiceFactory.CreateAsync();
        Directory.CreateDirectory(Path.Combine(app.StoragePath, "videos", "ab"));
        await File.WriteAllBytesAsync(Path.Combine(app.StoragePath, "videos", "ab", "abcd.webm"), video);
        Directory.CreateDirectory(Path.Combine(app.StoragePath, ".incoming"));
        await File.WriteAllBytesAsync(Path.Combine(app.StoragePath, ".incoming", "abcd.part"), video);
        await File.WriteAllTextAsync(Path.Combine(app.StoragePath, "secret.txt"), "not media");
        await File.WriteAllBytesAsync(Path.Combine(app.StoragePath, "videos", "ab", "expired.webm"), video);
        await File.WriteAllBytesAsync(Path.Combine(app.StoragePath, "videos", "ab", "orphan.webm"), video);
        owner = await app.CreateUserAsync();
        await app.SeedVideoAsync(owner, storageKey: "videos/ab/abcd.webm");
        await app.SeedVideoAsync(owner, storageKey: "videos/ab/expired.webm", expiresAt: app.Clock.GetUtcNow().AddMinutes(-1));
    }

    private TestUser owner = null!;

    [TestCase("/media/videos/ab/expired.webm")]
    [TestCase("/media/videos/ab/orphan.webm")]
    public async Task Files_of_expired_or_unknown_videos_are_404_even_before_cleanup(string path)
    {
        Assert.That(File.Exists(Path.Combine(app.StoragePath, path["/media/".Length..])), Is.True);
        var rsp = await app.CreateClient().GetAsync(path);
        await rsp.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Files_of_a_removed_video_or_of_a_suspended_author_are_404_before_cleanup()
    {
        var suspended = await app.CreateUserAsync();
        foreach (var name in new[] { "removed.webm", "suspended.webm" })
            await File.WriteAllBytesAsync(Path.Combine(app.StoragePath, "videos", "ab", name), video);
        var removed = await app.SeedVideoAsync(owner, storageKey: "videos/ab/removed.webm");
        await app.SeedVideoAsync(suspended, storageKey: "videos/ab/suspended.webm");
        var client = app.CreateClient();
        foreach (var name in new[] { "removed.webm", "suspended.webm" })
            Assert.That((await client.GetAsync($"/media/videos/ab/{name}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), name);

        await using (var conn = app.OpenConnection())
        {
            await conn.ExecuteAsync("UPDATE videos SET removed_at = now() WHERE id = @removed", new { removed });
            await conn.ExecuteAsync("UPDATE profiles SET suspended_at = now() WHERE id = @id", new { id = suspended.Id });
        }

        foreach (var name in new[] { "removed.webm", "suspended.webm" })
            await (await client.GetAsync($"/media/videos/ab/{name}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task Serves_a_stored_file_with_its_content_type()
    {
        var rsp = await app.CreateClient().GetAsync("/media/videos/ab/abcd.webm");
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(rsp.Content.Headers.ContentType?.MediaType, Is.EqualTo("video/webm"));
        Assert.That(rsp.Headers.AcceptRanges, Does.Contain("bytes"));
        Assert.That(await rsp.Content.ReadAsByteArrayAsync(), Is.EqualTo(video));
    }

    [Test]
    public async Task Range_requests_get_206_with_content_range()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/media/videos/ab/abcd.webm");
        request.Headers.Range = new RangeHeaderValue(100, 199);
        var rsp = await app.CreateClient().SendAsync(request);
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That(rsp.Content.Headers.ContentRange?.ToString(), Is.EqualTo("bytes 100-199/10000"));
        Assert.That(await rsp.Content.ReadAsByteArrayAsync(), Is.EqualTo(video[100..200]));
    }

    [TestCase("/media/..%2f..%2fetc/passwd")]
    [TestCase("/media/videos/..%2f..%2f..%2fetc%2fpasswd")]
    [TestCase("/media/videos/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [TestCase("/media/%2fetc%2fpasswd")]
    [TestCase("/media/secret.txt")]
    [TestCase("/media/.incoming/abcd.part")]
    [TestCase("/media/videos/ab/missing.mp4")]
    public async Task Traversal_and_unknown_paths_are_404(string path)
    {
        var rsp = await app.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)));
        await rsp.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
