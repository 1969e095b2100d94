using System.Net.Http.Json;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Playwright;

namespace IgLive.Service.Tests.EndToEnd;

/// <summary>
/// live.js in Chromium: a like made in a second browser context shows up in the first without a reload (the counter
/// on the card, the bell's unread count and a toast), through the real SSE stream.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LiveWebClientTests : BrowserFixture
{
    private async Task<(TestUser User, string Password)> SignUpAsync()
    {
        var username = "live" + Guid.NewGuid().ToString("N")[..10];
        const string password = "correct horse battery";
        using var http = new HttpClient { BaseAddress = App.BaseAddress };
        var rsp = await http.PostAsJsonAsync("/api/auth/signup", new { email = $"{username}@example.test", password, username });
        var session = await rsp.JsonAsync(System.Net.HttpStatusCode.Created);
        var id = session.GetProperty("user").GetProperty("id").GetGuid();
        var token = session.GetProperty("access_token").GetString()!;
        return (new TestUser(id, username, $"{username}@example.test", token, App.CreateClient(token)), password);
    }

    private async Task<IPage> LogInAsync(string email, string password)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/#/login");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("logout-button")).ToBeVisibleAsync();
        await page.GotoAsync("/#/feed");
        return page;
    }

    [Test]
    public async Task A_like_from_a_second_browser_shows_up_in_the_first_without_a_reload()
    {
        var (owner, ownerPassword) = await SignUpAsync();
        var (fan, fanPassword) = await SignUpAsync();
        var video = await App.SeedVideoAsync(owner, title: "live counter clip");

        var ownerPage = await LogInAsync(owner.Email, ownerPassword);
        var ownerCard = ownerPage.Locator($"[data-video-id='{video}']");
        await Assertions.Expect(ownerCard.GetByTestId("like-count")).ToHaveTextAsync("0");
        await Assertions.Expect(ownerPage.GetByTestId("bell-count")).ToHaveTextAsync("0");
        // The stream is open once the page has received its first unread_count (the bell's data-unread is set).
        await Assertions.Expect(ownerPage.Locator(".bell-root[data-unread='0']")).ToHaveCountAsync(1);

        var fanPage = await LogInAsync(fan.Email, fanPassword);
        await fanPage.Locator($"[data-video-id='{video}']").GetByTestId("like-button").ClickAsync();

        await Assertions.Expect(ownerCard.GetByTestId("like-count")).ToHaveTextAsync("1");
        await Assertions.Expect(ownerPage.GetByTestId("bell-count")).ToHaveTextAsync("1");
        await Assertions.Expect(ownerPage.GetByTestId("toast")).ToContainTextAsync($"@{fan.Username} liked");

        await ownerPage.GetByTestId("bell").ClickAsync();
        await Assertions.Expect(ownerPage.GetByTestId("bell-item")).ToContainTextAsync("live counter clip");
        await ownerPage.GetByTestId("bell-read-all").ClickAsync();
        await Assertions.Expect(ownerPage.GetByTestId("bell-count")).ToHaveTextAsync("0");
    }
}
