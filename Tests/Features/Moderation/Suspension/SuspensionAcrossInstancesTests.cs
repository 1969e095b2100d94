using System.Diagnostics;
using System.Net;
using IgLive.Service.Features.Moderation.Suspension;
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
        b = await ServiceFactory.CreateAsync(new Dictionary<string, string?> { ["Auth:KeysPath"] = a.StoragePath + "-keys" },
            connectionString: a.ConnectionString);
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
        var (user, author, moderator) = (await a.CreateUserAsync(), await a.CreateUserAsync(), await a.CreateModeratorAsync());
        var video = await a.SeedVideoAsync(author);
        var onB = b.CreateClient(user.AccessToken);
        Assert.That((await onB.PutAsync($"/api/videos/{video}/like", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK),
            "B now remembers the user as not suspended");

        var @case = await (await a.CreateUserAsync()).ReportedCaseAsync(moderator, "user", user.Id, "harassment");
        await moderator.ResolveAsync(@case, "suspend_author");
        Assert.That(await StatusOnBWithinAsync(onB, video, HttpStatusCode.Forbidden), Is.True, "the suspension reached B");

        Assert.That((await moderator.Client.DeleteAsync($"/api/moderation/suspensions/{user.Username}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await StatusOnBWithinAsync(onB, video, HttpStatusCode.OK), Is.True, "the lift reached B");
    }

    // Polls for well under SuspensionGate.CacheFor: only the announcement can make B change its answer this soon.
    private static async Task<bool> StatusOnBWithinAsync(HttpClient onB, Guid video, HttpStatusCode expected)
    {
        var limit = SuspensionGate.CacheFor / 2;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if ((await onB.PutAsync($"/api/videos/{video}/like", null)).StatusCode == expected) return true;
            await Task.Delay(50);
        }
        return false;
    }
}
