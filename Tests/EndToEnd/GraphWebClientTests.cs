using Dapper;
using Microsoft.Playwright;

namespace IgLive.Service.Tests.EndToEnd;

/// <summary>
/// Profile pages, follow, the following feed and block in the web client, in Debian's Chromium against the service on
/// a real port.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class GraphWebClientTests : BrowserFixture
{
    [Test]
    public async Task A_profile_shows_its_videos_the_follow_button_fills_the_following_feed_and_block_hides_the_profile()
    {
        var author = await App.CreateUserAsync();
        var title = "profile clip " + Guid.NewGuid().ToString("N")[..6];
        var video = await App.SeedVideoAsync(author, title: title);
        var page = await NewPageAsync();
        var username = "fan" + Guid.NewGuid().ToString("N")[..10];
        await page.GotoAsync("/#/signup");
        await page.GetByTestId("signup-email").FillAsync($"{username}@example.test");
        await page.GetByTestId("signup-username").FillAsync(username);
        await page.GetByTestId("signup-password").FillAsync("correct horse battery");
        await page.GetByTestId("signup-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("logout-button")).ToBeVisibleAsync();

        await page.GotoAsync("/#/following");
        await Assertions.Expect(page.GetByTestId("following-feed-status")).ToContainTextAsync("follow people");

        await page.GotoAsync($"/#/u/{author.Username}");
        await Assertions.Expect(page.GetByTestId("profile-videos").Locator($"[data-video-id='{video}']")).ToContainTextAsync(title);
        await Assertions.Expect(page.GetByTestId("profile-followers-count")).ToHaveTextAsync("0");
        await page.GetByTestId("follow-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("follow-button")).ToHaveTextAsync("Following");
        await Assertions.Expect(page.GetByTestId("profile-followers-count")).ToHaveTextAsync("1");

        await page.GetByTestId("nav-following").ClickAsync();
        await Assertions.Expect(page.GetByTestId("following-feed").Locator($"[data-video-id='{video}']")).ToBeVisibleAsync();

        await page.GotoAsync($"/#/u/{author.Username}");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByTestId("block-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("toast")).ToContainTextAsync("blocked");
        await page.GotoAsync($"/#/u/{author.Username}");
        await Assertions.Expect(page.GetByTestId("page-error")).ToBeVisibleAsync();

        await using var db = App.OpenConnection();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM user_follows WHERE followee_id = @id", new { id = author.Id }), Is.Zero,
            "the block removed the follow");
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM user_blocks WHERE blocked_id = @id", new { id = author.Id }), Is.EqualTo(1));
    }
}
