using Dapper;
using Microsoft.Playwright;

namespace IgLive.Service.Tests.EndToEnd;

/// <summary>
/// Reports and the moderation page of the web client in Debian's Chromium (Playwright) against the service on a real
/// port: a user reports a video from the feed, a moderator finds the case in the queue and removes the video.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ModerationWebClientTests : BrowserFixture
{
    [Test]
    public async Task A_reported_video_reaches_the_moderation_page_and_a_moderator_removes_it()
    {
        var author = await App.CreateUserAsync();
        var title = "reported clip " + Guid.NewGuid().ToString("N")[..6];
        var video = await App.SeedVideoAsync(author, title: title);

        // A user reports the video from the feed.
        var reporter = await SignUpAsync("rep");
        await reporter.GotoAsync("/#/feed");
        var card = reporter.Locator($"[data-testid=feed-item][data-video-id='{video}']");
        await card.GetByTestId("report-button").ClickAsync();
        await card.GetByTestId("report-reason").SelectOptionAsync("hate");
        await card.GetByTestId("report-note").FillAsync("slurs in the title");
        await card.GetByTestId("report-submit").ClickAsync();
        await Assertions.Expect(reporter.GetByTestId("toast")).ToContainTextAsync("moderator");
        await Assertions.Expect(card.GetByTestId("report-button")).ToHaveTextAsync("Reported");
        await Assertions.Expect(reporter.GetByTestId("nav-moderation")).ToBeHiddenAsync();

        // The moderation page refuses a non-moderator, then shows the case once they are one.
        var (moderator, username) = await SignUpWithNameAsync("mod");
        await moderator.GotoAsync("/#/moderation");
        await Assertions.Expect(moderator.GetByTestId("page-error")).ToBeVisibleAsync();
        await using (var conn = App.OpenConnection())
            await conn.ExecuteAsync("INSERT INTO moderators (user_id) SELECT id FROM profiles WHERE username = @username", new { username });
        await moderator.ReloadAsync();
        await Assertions.Expect(moderator.GetByTestId("nav-moderation")).ToBeVisibleAsync();
        var @case = moderator.Locator($"[data-testid=case-item][data-target-id='{video}']");
        await Assertions.Expect(@case.GetByTestId("case-target")).ToContainTextAsync(title);
        await Assertions.Expect(@case.GetByTestId("case-reports")).ToHaveTextAsync("1 report");
        await @case.GetByTestId("case-note").FillAsync("hate speech");
        await @case.GetByTestId("case-remove").ClickAsync();
        await Assertions.Expect(@case).ToHaveCountAsync(0);
        await Assertions.Expect(moderator.GetByTestId("action-item").First).ToContainTextAsync("Remove");

        await moderator.GetByTestId("cases-resolved").ClickAsync();
        await Assertions.Expect(moderator.Locator($"[data-testid=case-item][data-target-id='{video}']").GetByTestId("case-resolution"))
            .ToContainTextAsync("Remove by " + username);

        await using var db = App.OpenConnection();
        Assert.That(await db.ExecuteScalarAsync<bool>("SELECT removed_at IS NOT NULL FROM videos WHERE id = @video", new { video }), Is.True);
        Assert.That(await db.ExecuteScalarAsync<string>("SELECT note FROM reports WHERE target_id = @video", new { video }), Is.EqualTo("slurs in the title"));
    }

    private async Task<IPage> SignUpAsync(string prefix) => (await SignUpWithNameAsync(prefix)).Page;

    /// <summary>A fresh browser context with a new account signed up through the web client.</summary>
    private async Task<(IPage Page, string Username)> SignUpWithNameAsync(string prefix)
    {
        var page = await NewPageAsync();
        var username = prefix + Guid.NewGuid().ToString("N")[..10];
        await page.GotoAsync("/#/signup");
        await page.GetByTestId("signup-email").FillAsync($"{username}@example.test");
        await page.GetByTestId("signup-username").FillAsync(username);
        await page.GetByTestId("signup-password").FillAsync("correct horse battery");
        await page.GetByTestId("signup-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("logout-button")).ToBeVisibleAsync();
        return (page, username);
    }
}
