using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>
/// Redis going away and coming back under two service hosts (its own redis-server, so the run's shared one stays up):
/// requests are still answered, limits fall back to each instance's memory with one warning, and are shared again once
/// Redis answers. Without Redis configured, each instance counts alone.
/// </summary>
[TestFixture]
public sealed class RedisOutageTests
{
    private const string Outage = "Redis is unavailable";
    private const string Back = "Redis answers again";
    private RedisServer redis = null!;
    private ServiceFactory a = null!;
    private ServiceFactory b = null!;
    private readonly LogCapture logsA = new();

    [OneTimeSetUp]
    public async Task Start()
    {
        redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Redis:ConnectionString"] = redis.ConnectionString,
            ["RateLimits:LikesPerMinute"] = "3",
        };
        a = await ServiceFactory.CreateAsync(settings, s => s.AddSingleton<ILoggerProvider>(logsA));
        b = await a.CreateSecondInstanceAsync(settings);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await b.DisposeAsync();
        await a.DisposeAsync();
        await redis.DisposeAsync();
    }

    private static int Count(LogCapture logs, string text) => logs.Text.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Likes by one user: <paramref name="onA"/> on host A, then <paramref name="onB"/> on host B.</summary>
    private async Task<HttpStatusCode[]> LikesAsync(TestUser user, Guid video, int onA, int onB)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < onA; i++) statuses.Add((await user.Client.PutAsync($"/api/videos/{video}/like", null)).StatusCode);
        var clientB = b.CreateClient(user.AccessToken);
        for (var i = 0; i < onB; i++) statuses.Add((await clientB.PutAsync($"/api/videos/{video}/like", null)).StatusCode);
        return [.. statuses];
    }

    [Test, NonParallelizable]
    public async Task Without_Redis_requests_are_answered_under_per_instance_limits_and_shared_limits_return_with_it()
    {
        var owner = await a.CreateUserAsync();
        var video = await a.SeedVideoAsync(owner);
        var ok = HttpStatusCode.OK;
        var tooMany = HttpStatusCode.TooManyRequests;
        Assert.That(await LikesAsync(await a.CreateUserAsync(), video, 2, 2), Is.EqualTo(new[] { ok, ok, ok, tooMany }), "shared while Redis is up");

        var before = logsA.Text.Length;
        await redis.StopAsync();
        var during = await LikesAsync(await a.CreateUserAsync(), video, 4, 4);
        var anonymous = await a.CreateClient().GetAsync("/api/videos/feed");

        Assert.Multiple(() =>
        {
            Assert.That(during, Is.EqualTo(new[] { ok, ok, ok, tooMany, ok, ok, ok, tooMany }), "each host counts its own 3, none fails");
            Assert.That(anonymous.StatusCode, Is.EqualTo(ok));
            Assert.That(Count(logsA, Outage), Is.EqualTo(1), "one warning for the outage, not one per request:\n" + logsA.Text);
            Assert.That(logsA.Text, Does.Contain("Warning IgLive.Service.Infrastructure.RateLimiting.RateLimitStore: " + Outage));
            Assert.That(logsA.Text[before..].Split('\n').Where(l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal)), Is.Empty);
        });

        await redis.RestartAsync();
        // The clients reconnect in the background (about a second); until then requests still count in memory. The hosts'
        // clocks move past the pause after a failure on every round.
        HttpStatusCode[] shared = [ok, ok, ok, tooMany];
        await Poll.UntilAsync(async () =>
        {
            a.Clock.Advance(TimeSpan.FromSeconds(5));
            b.Clock.Advance(TimeSpan.FromSeconds(5));
            return (await LikesAsync(await a.CreateUserAsync(), video, 2, 2)).SequenceEqual(shared);
        }, TimeSpan.FromSeconds(30), "both hosts count in Redis again");

        Assert.Multiple(() =>
        {
            Assert.That(Count(logsA, Back), Is.EqualTo(1), "one line when Redis is back");
            Assert.That(Count(logsA, Outage), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Without_a_Redis_setting_each_instance_counts_its_own_budget()
    {
        var settings = new Dictionary<string, string?> { ["RateLimits:LikesPerMinute"] = "3" };
        await using var one = await ServiceFactory.CreateAsync(settings);
        await using var two = await one.CreateSecondInstanceAsync(settings);
        var owner = await one.CreateUserAsync();
        var fan = await one.CreateUserAsync();
        var video = await one.SeedVideoAsync(owner);

        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { fan.Client, two.CreateClient(fan.AccessToken) })
            for (var i = 0; i < 4; i++) statuses.Add((await client.PutAsync($"/api/videos/{video}/like", null)).StatusCode);

        var ok = HttpStatusCode.OK;
        Assert.That(statuses, Is.EqualTo(new[] { ok, ok, ok, HttpStatusCode.TooManyRequests, ok, ok, ok, HttpStatusCode.TooManyRequests }));
    }
}
