using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Social.AddComment;

[TestFixture]
public sealed class AddCommentTests : ServiceFixture
{
    private async Task<(long Counter, long Rows)> CountsAsync(Guid id)
    {
        await using var conn = App.OpenConnection();
        return await conn.QuerySingleAsync<(long, long)>(
            "SELECT comments_count, (SELECT count(*) FROM video_comments WHERE video_id = v.id) FROM videos v WHERE id = @id", new { id });
    }

    [TestCase("Nice video!")]
    [TestCase("<script>alert('x')</script> &amp; <b>bold</b>")]
    [TestCase("'; DROP TABLE video_comments; --")]
    [TestCase("Robert'); DELETE FROM videos WHERE ('1'='1")]
    [TestCase("emoji 🎬🔥👩‍👩‍👧 and ünïcödé 日本語")]
    [TestCase("line one\nline two\ttabbed")]
    public async Task Text_is_stored_and_returned_verbatim(string text)
    {
        var author = await App.CreateUserAsync();
        var commenter = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);

        var rsp = await commenter.Client.PostAsJsonAsync($"/api/videos/{id}/comments", new { text });
        var comment = await rsp.JsonAsync(HttpStatusCode.Created);

        var commentId = comment.GetProperty("id").GetGuid();
        Assert.Multiple(() =>
        {
            Assert.That(comment.GetProperty("text").GetString(), Is.EqualTo(text));
            Assert.That(comment.GetProperty("video_id").GetGuid(), Is.EqualTo(id));
            Assert.That(comment.GetProperty("author").GetProperty("id").GetGuid(), Is.EqualTo(commenter.Id));
            Assert.That(comment.GetProperty("author").GetProperty("username").GetString(), Is.EqualTo(commenter.Username));
            Assert.That(rsp.Headers.Location?.ToString(), Is.EqualTo($"/api/videos/{id}/comments/{commentId}"));
        });
        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT text FROM video_comments WHERE id = @commentId", new { commentId }), Is.EqualTo(text));
        Assert.That(await CountsAsync(id), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task Text_is_trimmed()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        var comment = await (await author.Client.PostAsJsonAsync($"/api/videos/{id}/comments", new { text = "  \n hi there \t " })).JsonAsync(HttpStatusCode.Created);
        Assert.That(comment.GetProperty("text").GetString(), Is.EqualTo("hi there"));
    }

    [Test]
    public async Task Exactly_1000_characters_pass_and_1001_are_refused()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);

        await (await author.Client.PostAsJsonAsync($"/api/videos/{id}/comments", new { text = new string('a', 1000) })).JsonAsync(HttpStatusCode.Created);
        // Characters are code points: 1000 emoji are 2000 UTF-16 units and still fit, as PostgreSQL counts them.
        var emoji = string.Concat(Enumerable.Repeat("🎬", 1000));
        await (await author.Client.PostAsJsonAsync($"/api/videos/{id}/comments", new { text = emoji })).JsonAsync(HttpStatusCode.Created);

        foreach (var tooLong in new[] { new string('a', 1001), emoji + "x" })
        {
            var problem = await (await author.Client.PostAsJsonAsync($"/api/videos/{id}/comments", new { text = tooLong })).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.That(problem.FieldErrors("text"), Is.Not.Empty);
        }
        Assert.That(await CountsAsync(id), Is.EqualTo((2L, 2L)));
    }

    [TestCase("""{"text": ""}""")]
    [TestCase("""{"text": "   \n\t  "}""")]
    [TestCase("""{"text": null}""")]
    [TestCase("""{}""")]
    [TestCase("""{"text": "nul \u0000 inside"}""")]
    [TestCase("""{"text": "lone \ud800 surrogate"}""")]
    public async Task Empty_whitespace_null_or_unstorable_text_is_a_400_on_text(string json)
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        var rsp = await author.Client.PostAsync($"/api/videos/{id}/comments", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("text"), Is.Not.Empty);
        Assert.That(await CountsAsync(id), Is.EqualTo((0L, 0L)));
    }

    [TestCase("""{"text": 42}""")]
    [TestCase("""not json""")]
    [TestCase("""["text"]""")]
    public async Task A_malformed_body_is_a_400(string json)
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        var rsp = await author.Client.PostAsync($"/api/videos/{id}/comments", new StringContent(json, Encoding.UTF8, "application/json"));
        await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task The_singular_route_of_the_prototype_is_an_alias()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        var comment = await (await author.Client.PostAsJsonAsync($"/api/videos/{id}/comment", new { text = "old client" })).JsonAsync(HttpStatusCode.Created);
        Assert.That(comment.GetProperty("text").GetString(), Is.EqualTo("old client"));
        Assert.That(await CountsAsync(id), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task Expired_and_unknown_videos_are_404_and_nothing_is_stored()
    {
        var author = await App.CreateUserAsync();
        var expired = await App.SeedVideoAsync(author, expiresAt: App.Clock.GetUtcNow().AddSeconds(-1));
        await (await author.Client.PostAsJsonAsync($"/api/videos/{expired}/comments", new { text = "late" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await author.Client.PostAsJsonAsync($"/api/videos/{Guid.NewGuid()}/comments", new { text = "nowhere" })).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.That(await CountsAsync(expired), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Commenting_needs_a_token()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        await (await App.CreateClient().PostAsJsonAsync($"/api/videos/{id}/comments", new { text = "anon" })).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Concurrent_comments_are_all_counted()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        // Four commenters, so the burst stays inside each one's comments-per-minute quota.
        var commenters = new[] { author, await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateUserAsync() };
        var rsps = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => commenters[i % 4].Client.PostAsJsonAsync($"/api/videos/{id}/comments", new { text = $"c{i}" })));
        Assert.That(rsps.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Created));
        Assert.That(await CountsAsync(id), Is.EqualTo((40L, 40L)));
    }
}
