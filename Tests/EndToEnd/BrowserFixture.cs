using IgLive.Service.Tests.Infrastructure;
using Microsoft.Playwright;

namespace IgLive.Service.Tests.EndToEnd;

/// <summary>
/// Base of the browser tests: the service on a real Kestrel port (its own database) and Debian's Chromium driven by
/// Playwright (Playwright cannot download its own browsers here; test.sh installs chromium). Started once per fixture.
/// </summary>
public abstract class BrowserFixture
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>The fixture's service; <see cref="ServiceFactory.BaseAddress"/> is where the browser goes.</summary>
    protected ServiceFactory App { get; private set; } = null!;
    protected IBrowser Browser { get; private set; } = null!;
    private IPlaywright playwright = null!;

    /// <summary>Settings of the fixture's service (null: the test defaults).</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        Assert.That(File.Exists(Chromium), Is.True, $"{Chromium} is required (apt-get install chromium; test.sh installs it)");
        Assertions.SetDefaultExpectTimeout(20_000); // the 5 s default is too short on a loaded 2-core machine
        App = await ServiceFactory.CreateOnKestrelAsync(Settings);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
        });
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
    }

    /// <summary>A page in a fresh browser context (its own storage, so its own session) on the service.</summary>
    protected async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = App.BaseAddress!.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }
}
