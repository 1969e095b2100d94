using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>Response headers, the body cap outside uploads, and Kestrel's header and connection limits.</summary>
[TestFixture]
public sealed class HardeningTests
{
    private ServiceFactory app = null!;
    private ServiceFactory kestrel = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = await ServiceFactory.CreateAsync();
        kestrel = await ServiceFactory.CreateOnKestrelAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await app.DisposeAsync();
        await kestrel.DisposeAsync();
    }

    [TestCase("/")]
    [TestCase("/api/videos/feed")]
    [TestCase("/api/me")] // a 401 problem
    public async Task Every_response_says_nosniff_no_referrer_and_no_framing(string path)
    {
        var rsp = await app.CreateClient().GetAsync(path);
        Assert.Multiple(() =>
        {
            Assert.That(rsp.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
            Assert.That(rsp.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));
            Assert.That(rsp.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("frame-ancestors 'none'"));
            Assert.That(rsp.Headers.Contains("Strict-Transport-Security"), Is.False, "no HSTS over plain http");
        });
    }

    [Test]
    public async Task The_web_client_gets_a_content_security_policy_without_inline_script()
    {
        var rsp = await app.CreateClient().GetAsync("/");
        Assert.That(rsp.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        var csp = rsp.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Multiple(() =>
        {
            Assert.That(csp, Does.Contain("default-src 'self'"));
            Assert.That(csp, Does.Contain("script-src 'self';"));
            Assert.That(csp, Does.Contain("object-src 'none'"));
            Assert.That(csp, Does.Not.Contain("unsafe-inline"));
        });
    }

    [Test]
    public async Task Over_https_the_answer_carries_hsts()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        var rsp = await client.GetAsync("/api/videos/feed");
        Assert.That(rsp.Headers.GetValues("Strict-Transport-Security").Single(), Does.StartWith("max-age="));
    }

    private static string BigJson(int bytes) => "{\"text\":\"" + new string('a', bytes) + "\"}";

    [Test]
    public async Task A_json_body_over_64_KiB_is_a_413_before_anything_reads_it()
    {
        var user = await app.CreateUserAsync();
        var video = await app.SeedVideoAsync(user);
        var rsp = await user.Client.PostAsync($"/api/videos/{video}/comments",
            new StringContent(BigJson(70 * 1024), Encoding.UTF8, "application/json"));
        await rsp.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task A_chunked_json_body_over_64_KiB_is_a_413_over_kestrel()
    {
        using var http = new HttpClient { BaseAddress = kestrel.BaseAddress };
        var content = new StringContent(BigJson(200 * 1024), Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var rsp = await http.SendAsync(request);
        await rsp.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task Request_headers_over_16_KiB_are_a_431()
    {
        using var http = new HttpClient { BaseAddress = kestrel.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/videos/feed");
        request.Headers.Add("X-Padding", new string('p', 20 * 1024));
        var rsp = await http.SendAsync(request);
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.RequestHeaderFieldsTooLarge));
    }

    [Test]
    public async Task Connections_over_the_limit_are_closed_at_once()
    {
        await using var limited = await ServiceFactory.CreateOnKestrelAsync(new Dictionary<string, string?> { ["Server:MaxConnections"] = "2" });
        var port = limited.BaseAddress!.Port;
        using var first = new TcpClient();
        using var second = new TcpClient();
        await first.ConnectAsync(IPAddress.Loopback, port);
        await second.ConnectAsync(IPAddress.Loopback, port);
        // Both answered (and kept alive) before the third connects: a connection is counted when Kestrel dispatches it,
        // and two dispatched at once may be counted in either order.
        Assert.That(await GetOverAsync(first), Does.StartWith("HTTP/1.1 200"), "within the limit");
        Assert.That(await GetOverAsync(second), Does.StartWith("HTTP/1.1 200"), "within the limit");

        using var third = new TcpClient();
        await third.ConnectAsync(IPAddress.Loopback, port);
        string answer;
        try { answer = await GetOverAsync(third); }
        catch (IOException) { answer = ""; }
        Assert.That(answer, Is.Empty, "the connection over the limit is closed without an answer");
    }

    private static async Task<string> GetOverAsync(TcpClient client)
    {
        var stream = client.GetStream();
        await stream.WriteAsync("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
