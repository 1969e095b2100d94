using System.Net;
using System.Net.Http.Json;
using IgLive.Service.Infrastructure.RateLimiting;
using Microsoft.Extensions.Configuration;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>
/// X-Forwarded-For decides the client's address (here: its sign-up/login bucket) only when the TCP peer is a configured
/// proxy. Over Kestrel, where the test's peer address is 127.0.0.1.
/// </summary>
[TestFixture]
public sealed class ClientAddressTests
{
    private ServiceFactory trusting = null!;
    private ServiceFactory untrusting = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        trusting = await ServiceFactory.CreateOnKestrelAsync(new Dictionary<string, string?>
        {
            ["Auth:RateLimit:PerAddressPerMinute"] = "3",
            ["Network:KnownProxies"] = "10.1.2.3, 127.0.0.1",
        });
        untrusting = await ServiceFactory.CreateOnKestrelAsync(new Dictionary<string, string?>
        {
            ["Auth:RateLimit:PerAddressPerMinute"] = "3",
            ["Network:KnownNetworks"] = "10.0.0.0/8",
        });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await trusting.DisposeAsync();
        await untrusting.DisposeAsync();
    }

    private static async Task<HttpStatusCode> LogInAsync(ServiceFactory app, string forwardedFor)
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { email = $"{Guid.NewGuid():N}@example.test", password = "wrong-password-1" }),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return (await http.SendAsync(request)).StatusCode;
    }

    [Test]
    public async Task Behind_a_known_proxy_each_forwarded_client_has_its_own_budget()
    {
        for (var i = 0; i < 5; i++)
            Assert.That(await LogInAsync(trusting, $"198.51.100.{i + 1}"), Is.EqualTo(HttpStatusCode.Unauthorized), $"client {i}");
    }

    [Test]
    public async Task A_client_cannot_pick_its_address_by_prefixing_the_header()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add(await LogInAsync(trusting, $"203.0.113.{i + 1}, 192.0.2.77"));
        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task IPv6_clients_share_a_budget_per_64_prefix()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add(await LogInAsync(trusting, $"2001:db8:1:2::{i + 1:x}"));
        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }),
            "four addresses of one /64 are one client");
        Assert.That(await LogInAsync(trusting, "2001:db8:1:3::1"), Is.EqualTo(HttpStatusCode.Unauthorized), "the next /64 is another client");
        Assert.That(RateLimitPolicy.AddressBucket(IPAddress.Parse("::ffff:192.0.2.9")), Is.EqualTo("192.0.2.9"));
        Assert.That(RateLimitPolicy.AddressBucket(IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")), Is.EqualTo("2001:db8:1:2::/64"));
    }

    [Test]
    public async Task From_a_peer_that_is_not_a_known_proxy_the_header_is_ignored()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add(await LogInAsync(untrusting, $"198.51.100.{i + 1}"));
        Assert.That(statuses[3], Is.EqualTo(HttpStatusCode.TooManyRequests), "all four share the peer's bucket");
    }

    [Test]
    public void A_proxy_that_is_not_an_address_is_a_configuration_error()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=localhost",
            ["Network:KnownProxies"] = "ingress.local",
            ["Network:KnownNetworks"] = "10.0.0.0/33",
        }).Build();
        var problems = IgLive.Service.Infrastructure.Configuration.ConfigurationValidator.Validate(config);
        Assert.That(problems, Has.Some.Contains("Network__KnownProxies").And.Some.Contains("Network__KnownNetworks"));
    }
}
