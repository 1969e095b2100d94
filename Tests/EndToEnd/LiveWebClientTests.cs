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
public sealed class LiveWebClientTests
{
    private const string Chromium = "/usr/bin/chromium";
    private ServiceFactory app = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        Assert.That(File.Exists(Chromium), Is.True, $"{Chromium} is required (apt-get install chromium; test.sh installs it)");
        app = await ServiceFactory.CreateOnKestrelAsync();
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
        if (app is not null) await app.DisposeAsync();
    }

    private async Task<(TestUser User, string Password)> SignUpAsync()
    {
        var username = "live" + Guid.NewGuid().ToString("N")[..10];
        const string password = "correct horse battery";
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var rsp = await http.PostAsJsonAsync("/api/auth/signup", new { email = $"{username}@example.test", password, username });
        var session = await rsp.JsonAsync(System.Net.HttpStatusCode.Created);
        var id = session.GetProperty("user").GetProperty("id").GetGuid();
        var token = session.GetProperty("access_token").GetString()!;
        return (new TestUser(id, username, $"{username}@example.test", token, app.CreateClient(token)), password);
    }

    private async Task<IPage> LogInAsync(string email, string password)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress!.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
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
        var video = await app.SeedVideoAsync(owner, title: "live counter clip");

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
