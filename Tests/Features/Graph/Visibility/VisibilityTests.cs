using System.Net;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Graph.Visibility;

/// <summary>The rest of the shared visibility rule (blocks are walked in BlockedPairReadPathsTests): removed, not ready, suspended author.</summary>
[TestFixture]
public sealed class VisibilityTests : ServiceFixture
{
    [Test]
    public async Task A_removed_video_disappears_from_the_feed_its_page_its_comments_and_likes()
    {
        var author = await App.CreateUserAsync();
        var viewer = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(author);
        Assert.That(await InFeedAsync(viewer, video), Is.True);

        await SqlAsync("UPDATE videos SET removed_at = now() WHERE id = @video", new { video });

        Assert.That(await InFeedAsync(viewer, video), Is.False);
        await (await viewer.Client.GetAsync($"/api/videos/{video}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await author.Client.GetAsync($"/api/videos/{video}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.Client.GetAsync($"/api/videos/{video}/comments")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.Client.PutAsync($"/api/videos/{video}/like", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_processing_or_failed_video_is_seen_only_by_its_owner_and_never_in_the_feed()
    {
        var author = await App.CreateUserAsync();
        var viewer = await App.CreateUserAsync();
        var processing = await App.SeedVideoAsync(author);
        var failed = await App.SeedVideoAsync(author);
        await SqlAsync("UPDATE videos SET status = 'processing' WHERE id = @processing; UPDATE videos SET status = 'failed', failure_reason = 'x' WHERE id = @failed",
            new { processing, failed });

        foreach (var video in new[] { processing, failed })
        {
            Assert.That((await (await author.Client.GetAsync($"/api/videos/{video}")).JsonAsync()).GetProperty("id").GetGuid(), Is.EqualTo(video));
            await (await viewer.Client.GetAsync($"/api/videos/{video}")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await App.CreateClient().GetAsync($"/api/videos/{video}")).AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.That(await InFeedAsync(author, video), Is.False);
            Assert.That(await InFeedAsync(viewer, video), Is.False);
        }
        var profile = await (await viewer.Client.GetAsync($"/api/users/{author.Username}")).JsonAsync();
        Assert.That(profile.GetProperty("videos_count").GetInt64(), Is.Zero, "counts honour visibility");
    }

    [Test]
    public async Task A_suspended_authors_videos_are_hidden_but_their_profile_is_not()
    {
        var author = await App.CreateUserAsync();
        var viewer = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(author);
        // A full page of newer videos by others would not hide the bug of filtering after the page is chosen.
        await SqlAsync("UPDATE profiles SET suspended_at = now() WHERE id = @id", new { id = author.Id });

        Assert.That(await InFeedAsync(viewer, video), Is.False);
        Assert.That(await InFeedAsync(null, video), Is.False);
        await (await viewer.Client.GetAsync($"/api/videos/{video}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.Client.PostAsync($"/api/videos/{video}/views", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.Client.GetAsync($"/api/users/{author.Username}")).JsonAsync();

        await SqlAsync("UPDATE profiles SET suspended_at = NULL WHERE id = @id", new { id = author.Id });
        Assert.That(await InFeedAsync(viewer, video), Is.True, "lifting the suspension shows the videos again");
    }

    [Test]
    public async Task Hidden_videos_never_make_a_feed_page_short()
    {
        var hidden = await App.CreateUserAsync();
        var shown = await App.CreateUserAsync();
        var start = App.Clock.GetUtcNow().AddDays(1); // newer than every other fixture video in this database
        var visible = new List<Guid>();
        for (var i = 0; i < 5; i++) visible.Add(await App.SeedVideoAsync(shown, createdAt: start.AddSeconds(i * 10)));
        for (var i = 0; i < 60; i++) await App.SeedVideoAsync(hidden, createdAt: start.AddSeconds(50 + i)); // the 60 newest
        await SqlAsync("UPDATE profiles SET suspended_at = now() WHERE id = @id", new { id = hidden.Id });

        var page = await (await App.CreateClient().GetAsync("/api/videos/feed?limit=5")).JsonAsync();
        Assert.That(page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()),
            Is.EqualTo(Enumerable.Reverse(visible)), "the page skips the hidden rows instead of coming back short or empty");
    }

    private async Task<bool> InFeedAsync(TestUser? viewer, Guid video)
    {
        var client = viewer?.Client ?? App.CreateClient();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync("/api/videos/feed?limit=50" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            if (page.GetProperty("items").EnumerateArray().Any(v => v.GetProperty("id").GetGuid() == video)) return true;
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);
        return false;
    }

    private async Task SqlAsync(string sql, object args)
    {
        await using var conn = App.OpenConnection();
        await conn.ExecuteAsync(sql, args);
    }
}
