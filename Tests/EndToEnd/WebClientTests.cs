using System.Diagnostics;
using Dapper;
using IgLive.Service.Tests.Features.Media.Processing;
using Microsoft.Playwright;

namespace IgLive.Service.Tests.EndToEnd;

/// <summary>
/// The web client at <c>/</c> in a real browser (Debian's Chromium driven by Playwright) against the service on a real
/// port and Testcontainers PostgreSQL: sign up, upload with a progress bar, like, comment, reload, all persisted.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class WebClientTests : BrowserFixture
{
    // Processing on, so the fresh upload becomes playable HLS during the test.
    protected override IDictionary<string, string?>? Settings => MediaSamples.FastWorkers(drainer: false);

    [Test]
    public async Task Sign_up_upload_like_comment_and_everything_persists_after_reload()
    {
        var page = await NewPageAsync();
        var username = "e2e" + Guid.NewGuid().ToString("N")[..10];

        await page.GotoAsync("/#/signup");
        await page.GetByTestId("signup-email").FillAsync($"{username}@example.test");
        await page.GetByTestId("signup-username").FillAsync(username);
        await page.GetByTestId("signup-password").FillAsync("correct horse battery");
        await page.GetByTestId("signup-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("logout-button")).ToBeVisibleAsync();

        // The server's validation errors appear next to the fields.
        await page.GetByTestId("nav-upload").ClickAsync();
        await page.GetByTestId("upload-title").FillAsync("My first clip");
        await page.GetByTestId("upload-tags").FillAsync("Bad Tag!");
        await page.GetByTestId("upload-file").SetInputFilesAsync(FixtureVideo());
        await page.GetByTestId("upload-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("error-tags")).Not.ToBeEmptyAsync();

        // The bar shows 100 only between the last byte sent and the answer, then the app leaves for the feed: a fast
        // server makes that too short to poll for, so record the highest value the bar ever showed.
        await page.EvaluateAsync("""
            () => {
              window.maxUploadProgress = 0;
              new MutationObserver(() => {
                const bar = document.querySelector('[data-testid="upload-progress"]');
                if (bar) window.maxUploadProgress = Math.max(window.maxUploadProgress, Number(bar.getAttribute("value")));
                if (document.querySelector('[data-testid="video-status"]')?.textContent === "processing…") window.sawProcessing = true;
              }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["value"] });
            }
            """);
        await page.GetByTestId("upload-tags").FillAsync("e2e,first");
        await page.GetByTestId("upload-submit").ClickAsync();

        // The owner's fresh upload is at the top of the feed while the worker processes it, then becomes playable HLS.
        var first = page.GetByTestId("feed-item").First;
        await Assertions.Expect(first.GetByTestId("video-title")).ToHaveTextAsync("My first clip");
        Assert.That(await page.EvaluateAsync<double>("() => window.maxUploadProgress"), Is.EqualTo(100), "upload progress reached 100");
        var videoId = Guid.Parse((await first.GetAttributeAsync("data-video-id"))!);
        Assert.That(await page.EvaluateAsync<bool>("() => window.sawProcessing === true"), Is.True, "the fresh upload showed processing…");
        await Assertions.Expect(first.GetByTestId("video-player")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        // HLS, by the browser's own player or hls.js, whichever this Chromium has; never the uploaded file.
        await Assertions.Expect(first.GetByTestId("video-player")).ToHaveAttributeAsync("data-stream", new System.Text.RegularExpressions.Regex("^(native|hls\\.js)$"));
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=video-player]').readyState >= 1", null, new() { Timeout = 30_000 });

        await first.GetByTestId("like-button").ClickAsync();
        await Assertions.Expect(first.GetByTestId("like-button")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(first.GetByTestId("like-count")).ToContainTextAsync("1");

        await first.GetByTestId("comments-toggle").ClickAsync();
        await first.GetByTestId("comment-input").FillAsync("Nice <b>clip</b> 🎬");
        await first.GetByTestId("comment-submit").ClickAsync();
        await Assertions.Expect(first.GetByTestId("comment-text").First).ToHaveTextAsync("Nice <b>clip</b> 🎬");
        await Assertions.Expect(first.GetByTestId("comments-toggle")).ToContainTextAsync("1");
        await Assertions.Expect(first.GetByTestId("comments-more")).ToBeHiddenAsync();
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath(), FullPage = false });

        await page.ReloadAsync();
        var again = page.Locator($"[data-testid=feed-item][data-video-id='{videoId}']");
        await Assertions.Expect(page.GetByTestId("logout-button")).ToBeVisibleAsync();
        await Assertions.Expect(again.GetByTestId("like-button")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(again.GetByTestId("like-count")).ToContainTextAsync("1");
        await again.GetByTestId("comments-toggle").ClickAsync();
        await Assertions.Expect(again.GetByTestId("comment-text").First).ToHaveTextAsync("Nice <b>clip</b> 🎬");

        await using var conn = App.OpenConnection();
        var row = await conn.QuerySingleAsync<(long Likes, long Comments, string Title)>(
            "SELECT likes_count, comments_count, title FROM videos WHERE id = @videoId", new { videoId });
        Assert.That(row, Is.EqualTo((1L, 1L, "My first clip")));
    }

    /// <summary>A real small MP4: made by ffmpeg when present, else the checked-in fixture.</summary>
    private static string FixtureVideo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}.mp4");
        try
        {
            using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg",
                ["-v", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=15", "-pix_fmt", "yuv420p", "-y", path])
            { RedirectStandardError = true })!;
            ffmpeg.WaitForExit(30_000);
            if (ffmpeg.ExitCode == 0 && File.Exists(path)) return path;
        }
        catch (System.ComponentModel.Win32Exception) { }
        return Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny.mp4");
    }

    /// <summary>The feed as the user sees it; docs/web-client-feed.png is a copy of one such run.</summary>
    private static string ScreenshotPath() => Path.Combine(TestContext.CurrentContext.WorkDirectory, "web-client-feed.png");
}
