using System.Net;
using System.Net.Http.Json;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Notifications.ShareVideo;

[TestFixture]
public sealed class ShareVideoTests : ServiceFixture
{
    [Test]
    public async Task Each_recipient_gets_a_share_and_unknown_blocked_and_self_are_skipped()
    {
        var author = await App.CreateUserAsync();
        var sharer = await App.CreateUserAsync();
        var friend = await App.CreateUserAsync();
        var blocker = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(author, title: "share me");
        await App.BlockAsync(blocker, sharer);

        var body = await (await sharer.Client.PostAsJsonAsync($"/api/videos/{video}/shares",
            new { usernames = new[] { friend.Username.ToUpperInvariant(), "nobody_here", sharer.Username, blocker.Username } }))
            .JsonAsync(HttpStatusCode.Created);

        Assert.That(body.GetProperty("shared_with").EnumerateArray().Select(x => x.GetString()), Is.EqualTo(new[] { friend.Username }));
        Assert.That(body.GetProperty("skipped").EnumerateArray().Select(x => x.GetString()),
            Is.EquivalentTo(new[] { "nobody_here", sharer.Username, blocker.Username }));
        var n = (await friend.NotificationsAsync()).Single();
        Assert.That(n.GetProperty("kind").GetString(), Is.EqualTo("share"));
        Assert.That(n.GetProperty("video").GetProperty("title").GetString(), Is.EqualTo("share me"));
        Assert.That(n.ActorNames(), Is.EqualTo(new[] { sharer.Username }));
        Assert.That(await blocker.NotificationsAsync(), Is.Empty);
    }

    [Test]
    public async Task Shares_of_one_video_collapse_and_a_repeated_share_counts_once()
    {
        var author = await App.CreateUserAsync();
        var a = await App.CreateUserAsync();
        var b = await App.CreateUserAsync();
        var friend = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(author);
        foreach (var s in new[] { a, b, a })
            await (await s.Client.PostAsJsonAsync($"/api/videos/{video}/shares", new { usernames = new[] { friend.Username, friend.Username } }))
                .JsonAsync(HttpStatusCode.Created);

        var n = (await friend.NotificationsAsync()).Single();
        Assert.That(n.GetProperty("actors_count").GetInt64(), Is.EqualTo(2));
        Assert.That(n.ActorNames(), Is.EqualTo(new[] { a.Username, b.Username }));
    }

    [Test]
    public async Task A_switched_off_share_is_reported_shared_but_not_written()
    {
        var author = await App.CreateUserAsync();
        var friend = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(author);
        await friend.Client.PatchAsJsonAsync("/api/me/notification_settings", new { share = false });

        var body = await (await author.Client.PostAsJsonAsync($"/api/videos/{video}/shares", new { usernames = new[] { friend.Username } }))
            .JsonAsync(HttpStatusCode.Created);

        Assert.That(body.GetProperty("shared_with").GetArrayLength(), Is.EqualTo(1));
        Assert.That(await friend.NotificationsAsync(), Is.Empty);
    }

    [Test]
    public async Task Unknown_or_expired_videos_are_404_and_bad_lists_are_400()
    {
        var author = await App.CreateUserAsync();
        var expired = await App.SeedVideoAsync(author, expiresAt: App.Clock.GetUtcNow().AddMinutes(-1));
        var live = await App.SeedVideoAsync(author);
        await (await author.Client.PostAsJsonAsync($"/api/videos/{expired}/shares", new { usernames = new[] { "someone" } }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await author.Client.PostAsJsonAsync($"/api/videos/{Guid.NewGuid()}/shares", new { usernames = new[] { "someone" } }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await author.Client.PostAsJsonAsync($"/api/videos/{live}/shares", new { usernames = Array.Empty<string>() }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await author.Client.PostAsJsonAsync($"/api/videos/{live}/shares", new { usernames = Enumerable.Range(0, 11).Select(i => $"u{i}") }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
