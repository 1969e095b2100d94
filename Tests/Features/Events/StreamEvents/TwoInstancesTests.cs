using Dapper;
using IgLive.Service.Features.Events.Fanout;
using IgLive.Service.Tests.Features.Notifications;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Events.StreamEvents;

/// <summary>Two service hosts on one database: what one announces, the other's streams receive (LISTEN/NOTIFY).</summary>
[TestFixture]
public sealed class TwoInstancesTests
{
    private ServiceFactory a = null!;
    private ServiceFactory b = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        a = await ServiceFactory.CreateAsync();
        // One deployment: the second instance shares the first one's signing keys, so a token issued by A is valid on B.
        b = await a.CreateSecondInstanceAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await b.DisposeAsync();
        await a.DisposeAsync();
    }

    [Test]
    public async Task A_like_through_host_A_reaches_a_video_subscriber_on_host_B()
    {
        var owner = await a.CreateUserAsync();
        var fan = await a.CreateUserAsync();
        var video = await a.SeedVideoAsync(owner);
        await using var stream = await SseReader.OpenAsync(b.CreateClient(), $"/api/events?videos={video}");
        Assert.That((await stream.NextAsync("video")).Json.GetProperty("likes_count").GetInt64(), Is.Zero, "the initial state");

        await fan.LikeAsync(video);

        var e = (await stream.NextAsync("video")).Json;
        Assert.That(e.GetProperty("id").GetGuid(), Is.EqualTo(video));
        Assert.That(e.GetProperty("likes_count").GetInt64(), Is.EqualTo(1));
        Assert.That(e.GetProperty("status").GetString(), Is.EqualTo("ready"));
    }

    [Test]
    public async Task A_notification_made_on_A_reaches_B_and_a_reconnect_to_A_replays_only_what_was_missed()
    {
        var owner = await a.CreateUserAsync();
        var fan = await a.CreateUserAsync();
        var v1 = await a.SeedVideoAsync(owner, title: "first");
        var v2 = await a.SeedVideoAsync(owner, title: "second");
        var v3 = await a.SeedVideoAsync(owner, title: "third");

        string lastId;
        Guid firstId;
        await using (var onB = await SseReader.OpenAsync(b.CreateClient(owner.AccessToken), "/api/events"))
        {
            Assert.That((await onB.NextAsync("unread_count")).Json.GetProperty("count").GetInt64(), Is.Zero);
            await fan.LikeAsync(v1);
            var n = await onB.NextAsync("notification");
            Assert.That(n.Id, Is.Not.Null.And.Not.Empty);
            Assert.That(n.Json.GetProperty("kind").GetString(), Is.EqualTo("like"));
            Assert.That(n.Json.GetProperty("video").GetProperty("id").GetGuid(), Is.EqualTo(v1));
            firstId = n.Json.GetProperty("id").GetGuid();
            Assert.That((await owner.NotificationsAsync()).Single().GetProperty("id").GetGuid(), Is.EqualTo(firstId));
            Assert.That((await onB.NextAsync("unread_count")).Json.GetProperty("count").GetInt64(), Is.EqualTo(1));
            lastId = n.Id!;
        }

        // While disconnected: two more notifications.
        await fan.LikeAsync(v2);
        await fan.LikeAsync(v3);

        await using var onA = await SseReader.OpenAsync(a.CreateClient(owner.AccessToken), "/api/events", lastEventId: lastId);
        var replayed = new List<SseEvent>();
        SseEvent? next;
        while ((next = await onA.NextAsync()) is not null && next.Event != "unread_count")
            if (next.Event == "notification") replayed.Add(next);

        Assert.That(replayed.Select(e => e.Json.GetProperty("video").GetProperty("title").GetString()), Is.EqualTo(new[] { "second", "third" }));
        Assert.That(replayed.Select(e => long.Parse(e.Id!)), Is.Ordered.And.All.GreaterThan(long.Parse(lastId)));
        Assert.That(next!.Json.GetProperty("count").GetInt64(), Is.EqualTo(3));
    }

    [Test]
    public async Task A_comment_and_a_read_reach_the_streams_of_the_other_host()
    {
        var owner = await a.CreateUserAsync();
        var fan = await a.CreateUserAsync();
        var video = await a.SeedVideoAsync(owner);
        await using var watcher = await SseReader.OpenAsync(b.CreateClient(), $"/api/events?videos={video}");
        await using var ownerStream = await SseReader.OpenAsync(b.CreateClient(owner.AccessToken), $"/api/events?videos={video}");
        await watcher.NextAsync("video");
        await ownerStream.NextAsync("unread_count");

        await fan.Client.PostAsync($"/api/videos/{video}/comments",
            new StringContent("{\"text\":\"hello from A\"}", System.Text.Encoding.UTF8, "application/json"));

        // The comment and the counter are read independently: they may arrive in either order.
        var events = await watcher.NextOfEachAsync("comment", "video");
        var (comment, counter) = (events["comment"], events["video"]);
        Assert.That(comment.Json.GetProperty("text").GetString(), Is.EqualTo("hello from A"));
        Assert.That(comment.Json.GetProperty("author").GetProperty("username").GetString(), Is.EqualTo(fan.Username));
        Assert.That(counter.Json.GetProperty("comments_count").GetInt64(), Is.EqualTo(1));
        Assert.That((await ownerStream.NextAsync("notification")).Json.GetProperty("kind").GetString(), Is.EqualTo("comment"));
        Assert.That((await ownerStream.NextAsync("unread_count", e => e.Json.GetProperty("count").GetInt64() == 1)).Json
            .GetProperty("count").GetInt64(), Is.EqualTo(1));

        await owner.MarkAllReadAsync();
        var read = await ownerStream.NextAsync("notification");
        Assert.That(read.Json.GetProperty("read").GetBoolean(), Is.True);
        Assert.That((await ownerStream.NextAsync("unread_count")).Json.GetProperty("count").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task After_the_listener_connection_is_killed_events_flow_again()
    {
        var owner = await a.CreateUserAsync();
        var fan = await a.CreateUserAsync();
        var video = await a.SeedVideoAsync(owner);
        await using var stream = await SseReader.OpenAsync(b.CreateClient(), $"/api/events?videos={video}");
        await stream.NextAsync("video");

        await using (var conn = a.OpenConnection())
            Assert.That(await conn.ExecuteScalarAsync<int>(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @Name AND datname = current_database()",
                new { Name = EventListener.ApplicationName }), Is.EqualTo(2), "one listener per host");
        await fan.LikeAsync(video);

        // Whether the NOTIFY arrived or was lost while the listener was down, the reconnect re-reads the state.
        var e = await stream.NextAsync("video", x => x.Json.GetProperty("likes_count").GetInt64() == 1, TimeSpan.FromSeconds(20));
        Assert.That(e.Json.GetProperty("id").GetGuid(), Is.EqualTo(video));
    }
}
