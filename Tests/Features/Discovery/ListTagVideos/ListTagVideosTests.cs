using System.Net;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Discovery.ListTagVideos;

[TestFixture]
public sealed class ListTagVideosTests : ServiceFixture
{
    [Test]
    public async Task A_tags_visible_videos_come_newest_first_across_pages()
    {
        var user = await App.CreateUserAsync();
        var blockedAuthor = await App.CreateUserAsync();
        var viewer = await App.CreateUserAsync();
        var tag = DiscoveryData.Word();
        var t0 = App.Clock.GetUtcNow().AddHours(-1);
        var ids = new List<Guid>();
        for (var i = 0; i < 11; i++) ids.Add(await App.VideoAsync(user, $"clip {i}", tags: ["other", tag], createdAt: t0.AddSeconds(i)));
        var expired = await App.VideoAsync(user, "old", tags: [tag], createdAt: t0.AddDays(-15), expiresAt: t0);
        var removed = await App.VideoAsync(user, "removed", tags: [tag], createdAt: t0.AddSeconds(30));
        await App.ExecAsync("UPDATE videos SET removed_at = now() WHERE id = @removed", new { removed });
        var hidden = await App.VideoAsync(blockedAuthor, "blocked", tags: [tag], createdAt: t0.AddSeconds(31));
        await App.BlockAsync(blockedAuthor, viewer);
        var untagged = await App.VideoAsync(user, "untagged", tags: ["other"], createdAt: t0.AddSeconds(32));

        var walked = await viewer.Client.WalkAsync($"/api/tags/{tag.ToUpperInvariant()}/videos?limit=3");

        Assert.That(walked, Is.EqualTo(Enumerable.Reverse(ids).ToList()));
        Assert.That(walked, Does.Not.Contain(expired).And.Not.Contain(removed).And.Not.Contain(hidden).And.Not.Contain(untagged));
        Assert.That((await App.CreateClient().GetJsonAsync($"/api/tags/{tag}/videos?limit=50")).Ids(), Does.Contain(hidden), "anonymous callers see it");
    }

    [Test]
    public async Task Changing_a_videos_tags_moves_it_between_tag_pages()
    {
        var user = await App.CreateUserAsync();
        var (a, b) = (DiscoveryData.Word(), DiscoveryData.Word());
        var video = await App.VideoAsync(user, "retagged", tags: [a]);
        await App.ExecAsync("UPDATE videos SET tags = @tags WHERE id = @video", new { tags = new[] { b }, video });

        Assert.That((await App.CreateClient().GetJsonAsync($"/api/tags/{a}/videos")).Ids(), Is.Empty);
        Assert.That((await App.CreateClient().GetJsonAsync($"/api/tags/{b}/videos")).Ids(), Is.EqualTo(new[] { video }));
    }

    [TestCase("has-dash")]
    [TestCase("waytoolongtagwaytoolongtagwaytoolong")]
    [TestCase("caf%C3%A9")]
    [TestCase("%27%20OR%201%3D1")]
    public async Task A_tag_outside_the_pattern_is_a_400(string tag)
    {
        var problem = await (await App.CreateClient().GetAsync($"/api/tags/{tag}/videos")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("tag"), Is.Not.Empty);
    }

    [Test]
    public async Task A_malformed_cursor_is_a_400()
        => await (await App.CreateClient().GetAsync("/api/tags/abc/videos?cursor=nope")).AssertProblemAsync(HttpStatusCode.BadRequest);
}
