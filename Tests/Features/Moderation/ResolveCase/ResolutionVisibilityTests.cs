using System.Net;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Moderation.ResolveCase;

/// <summary>What readers see after a resolution: removed videos and suspended authors' videos are gone everywhere at once.</summary>
[TestFixture]
public sealed class ResolutionVisibilityTests : ServiceFixture
{
    [Test]
    public async Task A_removed_video_disappears_from_the_feed_and_by_id_for_everyone_its_owner_included()
    {
        var (author, reporter, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var video = await App.SeedVideoAsync(author);
        var kept = await App.SeedVideoAsync(author);
        Assert.That(await InFeedAsync(reporter, video), Is.True);

        await moderator.ResolveAsync(await reporter.ReportedCaseAsync(moderator, "video", video), "remove");

        foreach (var reader in new[] { reporter.Client, author.Client, App.CreateClient(null) })
        {
            await (await reader.GetAsync($"/api/videos/{video}")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await reader.GetAsync($"/api/videos/{video}/comments")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await reader.GetAsync($"/api/videos/{kept}")).JsonAsync();
        }
        Assert.That(await InFeedAsync(reporter, video), Is.False);
        Assert.That(await InFeedAsync(reporter, kept), Is.True);
    }

    [Test]
    public async Task A_suspended_authors_videos_are_hidden_until_the_suspension_is_lifted()
    {
        var (author, reporter, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var video = await App.SeedVideoAsync(author);

        await moderator.ResolveAsync(await reporter.ReportedCaseAsync(moderator, "user", author.Id), "suspend_author");

        Assert.That(await InFeedAsync(reporter, video), Is.False);
        await (await reporter.Client.GetAsync($"/api/videos/{video}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await App.CreateClient(null).GetAsync($"/api/videos/{video}")).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.That((await moderator.Client.DeleteAsync($"/api/moderation/suspensions/{author.Username}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await InFeedAsync(reporter, video), Is.True);
        await (await reporter.Client.GetAsync($"/api/videos/{video}")).JsonAsync();
    }

    /// <summary>Whether the video is on any page of the caller's feed.</summary>
    private static async Task<bool> InFeedAsync(TestUser reader, Guid video)
    {
        string? cursor = null;
        do
        {
            var page = await (await reader.Client.GetAsync("/api/videos/feed?limit=50" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            if (page.GetProperty("items").EnumerateArray().Any(v => v.GetProperty("id").GetGuid() == video)) return true;
            cursor = page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);
        return false;
    }
}
