using System.Net;
using System.Net.Http.Json;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Moderation.Suspension;

/// <summary>Two service hosts on one database: a suspension made on one applies on the other at once, not after its cache.</summary>
[TestFixture]
public sealed class SuspensionAcrossInstancesTests
{
    private ServiceFactory a = null!;
    private ServiceFactory b = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        a = await ServiceFactory.CreateAsync();
        // B remembers a user's state for ten minutes: only the announcement can change its answer within the test.
        b = await a.CreateSecondInstanceAsync(new Dictionary<string, string?> { ["Moderation:SuspensionCacheSeconds"] = "600" });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await b.DisposeAsync();
        await a.DisposeAsync();
    }

    [Test]
    public async Task Suspending_and_lifting_on_host_A_applies_to_host_B_before_its_cache_expires()
    {
        var (user, moderator) = (await a.CreateUserAsync(), await a.CreateModeratorAsync());
        var onB = b.CreateClient(user.AccessToken);
        Assert.That(await WriteOnBAsync(onB), Is.EqualTo(HttpStatusCode.NoContent), "B now remembers the user as not suspended");

        var @case = await (await a.CreateUserAsync()).ReportedCaseAsync(moderator, "user", user.Id, "harassment");
        await moderator.ResolveAsync(@case, "suspend_author");
        Assert.That(await StatusOnBWithinAsync(onB, HttpStatusCode.Forbidden), Is.True, "the suspension reached B");

        Assert.That((await moderator.Client.DeleteAsync($"/api/moderation/suspensions/{user.Username}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await StatusOnBWithinAsync(onB, HttpStatusCode.NoContent), Is.True, "the lift reached B");
    }

    // A write without a quota (marking notifications read): 204, or 403 while suspended.
    private static async Task<HttpStatusCode> WriteOnBAsync(HttpClient onB)
        => (await onB.PostAsJsonAsync("/api/notifications/read", new { all = true })).StatusCode;

    private static Task<bool> StatusOnBWithinAsync(HttpClient onB, HttpStatusCode expected)
        => Poll.TryUntilAsync(async () => await WriteOnBAsync(onB) == expected, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
}
