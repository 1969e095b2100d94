using System.Net;
using System.Net.Http.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Social.DeleteComment;

[TestFixture]
public sealed class DeleteCommentTests : ServiceFixture
{
    private static async Task<Guid> CommentAsync(TestUser user, Guid videoId, string text = "hello")
        => (await (await user.Client.PostAsJsonAsync($"/api/videos/{videoId}/comments", new { text })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

    private async Task<(long Counter, long Rows)> CountsAsync(Guid id)
    {
        await using var conn = App.OpenConnection();
        return await conn.QuerySingleAsync<(long, long)>(
            "SELECT comments_count, (SELECT count(*) FROM video_comments WHERE video_id = v.id) FROM videos v WHERE id = @id", new { id });
    }

    [Test]
    public async Task The_author_of_the_comment_may_delete_it()
    {
        var owner = await App.CreateUserAsync();
        var commenter = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        var comment = await CommentAsync(commenter, video);
        await CommentAsync(commenter, video, "stays");

        var rsp = await commenter.Client.DeleteAsync($"/api/videos/{video}/comments/{comment}");

        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await CountsAsync(video), Is.EqualTo((1L, 1L)));
        await (await commenter.Client.DeleteAsync($"/api/videos/{video}/comments/{comment}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.That(await CountsAsync(video), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task The_owner_of_the_video_may_delete_any_comment_on_it()
    {
        var owner = await App.CreateUserAsync();
        var commenter = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        var comment = await CommentAsync(commenter, video);

        Assert.That((await owner.Client.DeleteAsync($"/api/videos/{video}/comments/{comment}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await CountsAsync(video), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Anyone_else_gets_a_403_and_the_comment_stays()
    {
        var owner = await App.CreateUserAsync();
        var commenter = await App.CreateUserAsync();
        var stranger = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        var comment = await CommentAsync(commenter, video);

        await (await stranger.Client.DeleteAsync($"/api/videos/{video}/comments/{comment}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await App.CreateClient().DeleteAsync($"/api/videos/{video}/comments/{comment}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(await CountsAsync(video), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task Unknown_comments_comments_of_another_video_and_expired_videos_are_404()
    {
        var owner = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        var otherVideo = await App.SeedVideoAsync(owner);
        var comment = await CommentAsync(owner, video);
        var expiring = await App.SeedVideoAsync(owner, expiresAt: App.Clock.GetUtcNow().AddMinutes(1));
        var onExpiring = await CommentAsync(owner, expiring);
        await using (var conn = App.OpenConnection())
            await conn.ExecuteAsync("UPDATE videos SET expires_at = @t WHERE id = @expiring", new { t = App.Clock.GetUtcNow().AddSeconds(-1), expiring });

        await (await owner.Client.DeleteAsync($"/api/videos/{video}/comments/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.Client.DeleteAsync($"/api/videos/{otherVideo}/comments/{comment}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.Client.DeleteAsync($"/api/videos/{expiring}/comments/{onExpiring}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var malformed = await owner.Client.DeleteAsync($"/api/videos/{video}/comments/not-a-uuid");
        Assert.That(malformed.StatusCode, Is.AnyOf(HttpStatusCode.BadRequest, HttpStatusCode.NotFound));
        await malformed.AssertProblemAsync(malformed.StatusCode);

        Assert.That(await CountsAsync(video), Is.EqualTo((1L, 1L)));
        Assert.That(await CountsAsync(expiring), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task Concurrent_deletes_of_one_comment_decrement_once()
    {
        var owner = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        var comment = await CommentAsync(owner, video);
        await CommentAsync(owner, video, "keep");

        var rsps = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => owner.Client.DeleteAsync($"/api/videos/{video}/comments/{comment}")));

        Assert.That(rsps.Count(r => r.StatusCode == HttpStatusCode.NoContent), Is.EqualTo(1));
        Assert.That(rsps.Count(r => r.StatusCode == HttpStatusCode.NotFound), Is.EqualTo(11));
        Assert.That(await CountsAsync(video), Is.EqualTo((1L, 1L)));
    }
}
