using System.Net;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Videos.GetVideo;

[TestFixture]
public sealed class GetVideoTests : ServiceFixture
{
    private static readonly string[] Tags = ["cats", "dogs"];

    [Test]
    public async Task A_live_video_is_returned_with_its_author_and_counters()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author, title: "hello <b>world</b>", tags: Tags);

        var video = await (await App.CreateClient().GetAsync($"/api/videos/{id}")).JsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(video.GetProperty("id").GetGuid(), Is.EqualTo(id));
            Assert.That(video.GetProperty("title").GetString(), Is.EqualTo("hello <b>world</b>"));
            Assert.That(video.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(Tags));
            Assert.That(video.GetProperty("views_count").GetInt64(), Is.Zero);
            Assert.That(video.GetProperty("likes_count").GetInt64(), Is.Zero);
            Assert.That(video.GetProperty("comments_count").GetInt64(), Is.Zero);
            Assert.That(video.GetProperty("liked_by_me").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(video.GetProperty("author").GetProperty("id").GetGuid(), Is.EqualTo(author.Id));
            Assert.That(video.GetProperty("author").GetProperty("username").GetString(), Is.EqualTo(author.Username));
            Assert.That(video.GetProperty("expires_at").GetDateTimeOffset(), Is.GreaterThan(video.GetProperty("created_at").GetDateTimeOffset()));
        });
    }

    [TestCase("2026-01-02T03:04:05.123456+00:00", "2026-01-02T03:04:05.123456Z")]
    [TestCase("2026-06-30T23:59:59.000001+02:00", "2026-06-30T21:59:59.000001Z")]
    [TestCase("2026-12-31T00:00:00+00:00", "2026-12-31T00:00:00.000000Z")]
    public async Task Timestamps_are_written_in_utc_with_microseconds_and_a_z(string stored, string expected)
    {
        var author = await App.CreateUserAsync();
        var createdAt = DateTimeOffset.Parse(stored, System.Globalization.CultureInfo.InvariantCulture);
        var id = await App.SeedVideoAsync(author, createdAt: createdAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));

        var body = await (await App.CreateClient().GetAsync($"/api/videos/{id}")).Content.ReadAsStringAsync();

        Assert.That(body, Does.Contain($"\"created_at\":\"{expected}\""));
    }

    [Test]
    public async Task Liked_by_me_reflects_the_signed_in_caller()
    {
        var author = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        await fan.Client.PutAsync($"/api/videos/{id}/like", null);

        var asFan = await (await fan.Client.GetAsync($"/api/videos/{id}")).JsonAsync();
        var asAuthor = await (await author.Client.GetAsync($"/api/videos/{id}")).JsonAsync();

        Assert.That(asFan.GetProperty("liked_by_me").GetBoolean(), Is.True);
        Assert.That(asAuthor.GetProperty("liked_by_me").GetBoolean(), Is.False);
        Assert.That(asAuthor.GetProperty("likes_count").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public async Task An_expired_video_is_a_404_even_before_cleanup()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author, expiresAt: App.Clock.GetUtcNow().AddSeconds(-1));
        await (await App.CreateClient().GetAsync($"/api/videos/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await author.Client.GetAsync($"/api/videos/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_video_expires_when_the_clock_passes_expires_at()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author, expiresAt: App.Clock.GetUtcNow().AddMinutes(1));
        Assert.That((await App.CreateClient().GetAsync($"/api/videos/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await using (var conn = App.OpenConnection())
            await conn.ExecuteAsync("UPDATE videos SET expires_at = @t WHERE id = @id", new { t = App.Clock.GetUtcNow().AddSeconds(-1), id });
        await (await App.CreateClient().GetAsync($"/api/videos/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task An_unknown_video_is_a_404()
        => await (await App.CreateClient().GetAsync($"/api/videos/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);

    [TestCase("not-a-uuid")]
    [TestCase("123")]
    [TestCase("00000000-0000-0000-0000-00000000000g")]
    public async Task A_malformed_id_is_a_client_error_problem_not_a_500(string id)
    {
        var rsp = await App.CreateClient().GetAsync($"/api/videos/{id}");
        Assert.That(rsp.StatusCode, Is.AnyOf(HttpStatusCode.BadRequest, HttpStatusCode.NotFound));
        await rsp.AssertProblemAsync(rsp.StatusCode);
    }

    [Test]
    public async Task Get_never_changes_state()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        for (var i = 0; i < 3; i++)
        {
            await (await App.CreateClient().GetAsync($"/api/videos/{id}")).JsonAsync();
            await (await author.Client.GetAsync($"/api/videos/{id}")).JsonAsync();
        }
        await using var conn = App.OpenConnection();
        var row = await conn.QuerySingleAsync<(long Views, long Likes, long Comments)>(
            "SELECT views_count, likes_count, comments_count FROM videos WHERE id = @id", new { id });
        Assert.That(row, Is.EqualTo((0L, 0L, 0L)));
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM video_views WHERE video_id = @id", new { id }), Is.Zero);
    }
}
