using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Social.ListComments;

[TestFixture]
public sealed class ListCommentsTests : ServiceFixture
{
    [Test]
    public async Task Comments_are_paged_newest_first_without_repeats_or_gaps()
    {
        var author = await App.CreateUserAsync();
        // Two commenters, so 23 comments stay inside each one's comments-per-minute quota.
        TestUser[] commenters = [await App.CreateUserAsync(), await App.CreateUserAsync()];
        var id = await App.SeedVideoAsync(author);
        var posted = new List<Guid>();
        for (var i = 0; i < 23; i++)
            posted.Add((await (await commenters[i % 2].Client.PostAsJsonAsync($"/api/videos/{id}/comments", new { text = $"comment {i}" }))
                .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());

        var seen = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"/api/videos/{id}/comments?limit=10" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await (await App.CreateClient().GetAsync(url)).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
            pages++;
            // A comment posted while paging is newer than the cursor: it never shows up in later pages.
            await commenters[1].Client.PostAsJsonAsync($"/api/videos/{id}/comments", new { text = "late arrival" });
        } while (cursor is not null && pages < 10);

        Assert.That(pages, Is.EqualTo(3));
        Assert.That(seen.Select(c => c.GetProperty("id").GetGuid()), Is.EqualTo(Enumerable.Reverse(posted)));
        Assert.That(seen[0].GetProperty("author").GetProperty("username").GetString(), Is.EqualTo(commenters[0].Username), "comment 22 is the first commenter's");
        Assert.That(seen[0].GetProperty("text").GetString(), Is.EqualTo("comment 22"));
    }

    [Test]
    public async Task A_video_without_comments_has_an_empty_last_page()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        var page = await (await App.CreateClient().GetAsync($"/api/videos/{id}/comments")).JsonAsync();
        Assert.That(page.GetProperty("items").GetArrayLength(), Is.Zero);
        Assert.That(page.GetProperty("next_cursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Comments_of_expired_or_unknown_videos_are_404()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author, expiresAt: App.Clock.GetUtcNow().AddMinutes(1));
        await author.Client.PostAsJsonAsync($"/api/videos/{id}/comments", new { text = "before expiry" });
        App.Clock.Advance(TimeSpan.FromMinutes(2));
        await (await App.CreateClient().GetAsync($"/api/videos/{id}/comments")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await App.CreateClient().GetAsync($"/api/videos/{Guid.NewGuid()}/comments")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [TestCase("cursor=garbage", "cursor")]
    [TestCase("cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cursor")]
    [TestCase("limit=0", "limit")]
    [TestCase("limit=x", "limit")]
    public async Task Bad_paging_parameters_are_400(string query, string field)
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        var problem = await (await App.CreateClient().GetAsync($"/api/videos/{id}/comments?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors(field), Is.Not.Empty);
    }
}
