using System.Net;
using System.Net.Http.Json;
using IgLive.Service.Tests.Features.Moderation;
using IgLive.Service.Tests.Features.Notifications;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Events.Fanout;

/// <summary>
/// Every writer that announces after its commit (through LiveAnnouncer, not pg_notify in its statement) still reaches
/// the streams: comments and their deletion, follows, shares, moderation notices, views, reads.
/// </summary>
[TestFixture]
public sealed class AfterCommitAnnouncementsTests : ServiceFixture
{
    [Test]
    public async Task A_comment_and_its_deletion_reach_the_video_stream_and_the_owners_stream()
    {
        var owner = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        await using var watcher = await SseReader.OpenAsync(App.CreateClient(), $"/api/events?videos={video}");
        await using var ownerStream = await SseReader.OpenAsync(owner.Client, "/api/events");
        await watcher.NextAsync("video");
        await ownerStream.NextAsync("unread_count");

        var posted = await (await fan.Client.PostAsJsonAsync($"/api/videos/{video}/comments", new { text = "after commit" }))
            .JsonAsync(HttpStatusCode.Created);
        var events = await watcher.NextOfEachAsync("comment", "video");
        Assert.That(events["comment"].Json.GetProperty("text").GetString(), Is.EqualTo("after commit"));
        Assert.That(events["video"].Json.GetProperty("comments_count").GetInt64(), Is.EqualTo(1));
        Assert.That((await ownerStream.NextAsync("notification")).Json.GetProperty("kind").GetString(), Is.EqualTo("comment"));
        await ownerStream.NextAsync("unread_count", e => e.Json.GetProperty("count").GetInt64() == 1);

        var deleted = await fan.Client.DeleteAsync($"/api/videos/{video}/comments/{posted.GetProperty("id").GetGuid()}");

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await watcher.NextAsync("video", e => e.Json.GetProperty("comments_count").GetInt64() == 0)).Json
            .GetProperty("id").GetGuid(), Is.EqualTo(video));
        await ownerStream.NextAsync("unread_count", e => e.Json.GetProperty("count").GetInt64() == 0);
        Assert.That(await owner.UnreadAsync(), Is.Zero, "the comment's notification went with it");
    }

    [Test]
    public async Task A_follow_reaches_the_followees_stream_and_an_unfollow_withdraws_it()
    {
        var followee = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        await using var stream = await SseReader.OpenAsync(followee.Client, "/api/events");
        await stream.NextAsync("unread_count");

        Assert.That((await fan.Client.PutAsync($"/api/users/{followee.Username}/follow", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var n = await stream.NextAsync("notification");
        Assert.That(n.Json.GetProperty("kind").GetString(), Is.EqualTo("follow"));
        Assert.That(n.Json.ActorNames(), Is.EqualTo(new[] { fan.Username }));
        await stream.NextAsync("unread_count", e => e.Json.GetProperty("count").GetInt64() == 1);

        Assert.That((await fan.Client.DeleteAsync($"/api/users/{followee.Username}/follow")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await stream.NextAsync("unread_count", e => e.Json.GetProperty("count").GetInt64() == 0);
        Assert.That(await followee.NotificationsAsync(), Is.Empty);
    }

    [Test]
    public async Task A_share_reaches_each_recipients_stream()
    {
        var author = await App.CreateUserAsync();
        var sharer = await App.CreateUserAsync();
        var friend = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(author, title: "worth sharing");
        await using var stream = await SseReader.OpenAsync(friend.Client, "/api/events");
        await stream.NextAsync("unread_count");

        await (await sharer.Client.PostAsJsonAsync($"/api/videos/{video}/shares", new { usernames = new[] { friend.Username } }))
            .JsonAsync(HttpStatusCode.Created);

        var n = (await stream.NextAsync("notification")).Json;
        Assert.That(n.GetProperty("kind").GetString(), Is.EqualTo("share"));
        Assert.That(n.GetProperty("video").GetProperty("title").GetString(), Is.EqualTo("worth sharing"));
    }

    [Test]
    public async Task A_moderators_removal_reaches_the_authors_stream()
    {
        var (author, reporter, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var video = await App.SeedVideoAsync(author);
        var @case = await reporter.ReportedCaseAsync(moderator, "video", video);
        await using var stream = await SseReader.OpenAsync(author.Client, "/api/events");
        await stream.NextAsync("unread_count");

        await moderator.ResolveAsync(@case, "remove");

        var n = (await stream.NextAsync("notification")).Json;
        Assert.That(n.GetProperty("kind").GetString(), Is.EqualTo("moderation"));
        Assert.That(n.GetProperty("message").GetString(), Does.Contain("removed your video"));
    }

    [Test]
    public async Task A_counted_view_reaches_the_video_stream_and_a_repeated_one_changes_nothing()
    {
        var owner = await App.CreateUserAsync();
        var viewer = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        await using var stream = await SseReader.OpenAsync(App.CreateClient(), $"/api/events?videos={video}");
        Assert.That((await stream.NextAsync("video")).Json.GetProperty("views_count").GetInt64(), Is.Zero);

        Assert.That((await viewer.Client.PostAsync($"/api/videos/{video}/views", null)).StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((await stream.NextAsync("video")).Json.GetProperty("views_count").GetInt64(), Is.EqualTo(1));
        Assert.That((await viewer.Client.PostAsync($"/api/videos/{video}/views", null)).StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        Assert.That(await NextWithinAsync(stream, TimeSpan.FromSeconds(1)), Is.Null, "an uncounted view is not announced");
    }

    private static async Task<SseEvent?> NextWithinAsync(SseReader stream, TimeSpan wait)
    {
        try { return await stream.NextAsync(wait); }
        catch (OperationCanceledException) { return null; }
    }
}
