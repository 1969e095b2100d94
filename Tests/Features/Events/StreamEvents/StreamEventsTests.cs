using System.Net;
using System.Net.Http.Json;
using IgLive.Service.Tests.Features.Notifications;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Events.StreamEvents;

[TestFixture]
public sealed class StreamEventsTests : ServiceFixture
{
    private static async Task<string> TicketAsync(TestUser user)
    {
        var body = await (await user.Client.PostAsync("/api/events/ticket", null)).JsonAsync();
        Assert.That(body.GetProperty("expires_in").GetInt32(), Is.EqualTo(60));
        return body.GetProperty("ticket").GetString()!;
    }

    [Test]
    public async Task A_ticket_opens_the_callers_stream_once()
    {
        var user = await App.CreateUserAsync();
        var ticket = await TicketAsync(user);
        var anonymous = App.CreateClient();

        await using (var first = await SseReader.OpenAsync(anonymous, $"/api/events?ticket={ticket}"))
        {
            Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await first.NextAsync("unread_count")).Json.GetProperty("count").GetInt64(), Is.Zero);
        }
        await (await anonymous.GetAsync($"/api/events?ticket={ticket}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_ticket_older_than_a_minute_is_refused()
    {
        var user = await App.CreateUserAsync();
        var ticket = await TicketAsync(user);
        App.Clock.Advance(TimeSpan.FromSeconds(61));
        await (await App.CreateClient().GetAsync($"/api/events?ticket={ticket}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await App.CreateClient().GetAsync("/api/events?ticket=made-up")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [TestCase("/api/events")]
    [TestCase("/api/events?videos=not-an-id")]
    public async Task A_request_without_a_caller_or_valid_videos_is_a_400(string url)
        => await (await App.CreateClient().GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);

    [Test]
    public async Task More_than_fifty_videos_is_a_400()
    {
        var ids = string.Join(',', Enumerable.Range(0, 51).Select(_ => Guid.NewGuid()));
        await (await App.CreateClient().GetAsync($"/api/events?videos={ids}")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task A_sixth_stream_of_one_user_is_a_429_until_one_closes()
    {
        var user = await App.CreateUserAsync();
        var open = new List<SseReader>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var s = await SseReader.OpenAsync(App.CreateClient(user.AccessToken), "/api/events");
                open.Add(s);
                Assert.That(s.Status, Is.EqualTo(HttpStatusCode.OK));
                await s.NextAsync("unread_count");
            }
            await (await user.Client.GetAsync("/api/events")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
            var other = await App.CreateUserAsync();
            await using (var s = await SseReader.OpenAsync(other.Client, "/api/events"))
                Assert.That(s.Status, Is.EqualTo(HttpStatusCode.OK), "the cap is per user");

            await open[0].DisposeAsync();
            open.RemoveAt(0);
            var status = HttpStatusCode.TooManyRequests;
            await Poll.TryUntilAsync(async () => // the server notices the close asynchronously
            {
                await using var s = await SseReader.OpenAsync(App.CreateClient(user.AccessToken), "/api/events");
                status = s.Status;
                return status != HttpStatusCode.TooManyRequests;
            }, TimeSpan.FromSeconds(5));
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            foreach (var s in open) await s.DisposeAsync();
        }
    }

    [Test]
    public async Task A_like_storm_is_coalesced_and_the_last_event_has_the_final_count()
    {
        var owner = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        var fans = new List<TestUser>();
        for (var i = 0; i < 20; i++) fans.Add(await App.CreateUserAsync());
        await using var stream = await SseReader.OpenAsync(App.CreateClient(), $"/api/events?videos={video}");
        await stream.NextAsync("video");

        await Task.WhenAll(fans.Select(f => f.LikeAsync(video)));

        var events = 0;
        long last;
        do { last = (await stream.NextAsync("video")).Json.GetProperty("likes_count").GetInt64(); events++; } while (last < 20);
        Assert.That(last, Is.EqualTo(20));
        Assert.That(events, Is.LessThan(20), "20 concurrent likes are not 20 events");
    }

    [Test]
    public async Task Comments_of_a_blocked_user_are_not_streamed_to_the_blocker()
    {
        var owner = await App.CreateUserAsync();
        var watcher = await App.CreateUserAsync();
        var troll = await App.CreateUserAsync();
        var friend = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        await App.BlockAsync(watcher, troll);
        await using var stream = await SseReader.OpenAsync(watcher.Client, $"/api/events?videos={video}");
        await stream.NextAsync("video");

        await troll.Client.PostAsJsonAsync($"/api/videos/{video}/comments", new { text = "troll" });
        await friend.Client.PostAsJsonAsync($"/api/videos/{video}/comments", new { text = "friend" });

        Assert.That((await stream.NextAsync("comment")).Json.GetProperty("text").GetString(), Is.EqualTo("friend"));
    }

    [Test]
    public async Task An_unknown_or_expired_video_is_not_followed()
    {
        var owner = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var expired = await App.SeedVideoAsync(owner, expiresAt: App.Clock.GetUtcNow().AddMinutes(-1));
        var live = await App.SeedVideoAsync(owner);
        await using var stream = await SseReader.OpenAsync(App.CreateClient(), $"/api/events?videos={expired},{Guid.NewGuid()},{live}");

        Assert.That((await stream.NextAsync("video")).Json.GetProperty("id").GetGuid(), Is.EqualTo(live));
        Assert.That((await fan.Client.PutAsync($"/api/videos/{expired}/like", null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await fan.LikeAsync(live);
        Assert.That((await stream.NextAsync("video")).Json.GetProperty("id").GetGuid(), Is.EqualTo(live));
    }
}
