using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using IgLive.Service.Features.Events.Fanout;
using IgLive.Service.Tests.Features.Notifications;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IgLive.Service.Tests.Features.Events.Fanout;

/// <summary>Likes and comments are announced after their commit, batched per instance: a burst costs fewer NOTIFYs than writes.</summary>
[TestFixture]
public sealed class LiveAnnouncerTests : ServiceFixture
{
    private static async Task<(NpgsqlConnection Conn, ConcurrentQueue<string> Seen)> ListenAsync(ServiceFactory app)
    {
        var conn = app.OpenConnection();
        var seen = new ConcurrentQueue<string>();
        conn.Notification += (_, e) => seen.Enqueue(e.Payload);
        await using (var cmd = new NpgsqlCommand("LISTEN " + LiveEvents.Channel, conn)) await cmd.ExecuteNonQueryAsync();
        return (conn, seen);
    }

    private static async Task DrainAsync(NpgsqlConnection conn, TimeSpan quiet)
    {
        using var cts = new CancellationTokenSource(quiet);
        try { while (true) await conn.WaitAsync(cts.Token); } catch (OperationCanceledException) { }
    }

    private async Task<(TestUser Owner, Guid Video, List<TestUser> Fans)> VideoWithFansAsync(int count)
    {
        var owner = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        var fans = new List<TestUser>();
        for (var i = 0; i < count; i++) fans.Add(await App.CreateUserAsync());
        return (owner, video, fans);
    }

    [Test]
    public async Task A_burst_of_likes_is_announced_in_fewer_notifies_than_likes_and_notifies_the_owner()
    {
        var (owner, video, fans) = await VideoWithFansAsync(40);
        var (conn, seen) = await ListenAsync(App);
        await using var _ = conn;

        await Task.WhenAll(fans.Select(f => f.LikeAsync(video)));
        await DrainAsync(conn, TimeSpan.FromSeconds(2));

        var counters = seen.Count(p => p == LiveEvents.VideoCounters(video));
        TestContext.Out.WriteLine($"{counters} counter NOTIFYs for 40 likes");
        Assert.That(counters, Is.InRange(1, 39), "40 likes in a burst share NOTIFY statements");
        Assert.That(seen, Does.Contain(LiveEvents.UserNotifications(owner.Id)));
    }

    [Test]
    public async Task A_burst_of_comments_is_announced_in_fewer_counter_notifies_than_comments_and_each_comment_once()
    {
        var (owner, video, fans) = await VideoWithFansAsync(40);
        var (conn, seen) = await ListenAsync(App);
        await using var _ = conn;

        var posted = await Task.WhenAll(fans.Select(async f =>
            (await (await f.Client.PostAsJsonAsync($"/api/videos/{video}/comments", new { text = "burst" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid()));
        await DrainAsync(conn, TimeSpan.FromSeconds(2));

        var counters = seen.Count(p => p == LiveEvents.VideoCounters(video));
        TestContext.Out.WriteLine($"{counters} counter NOTIFYs for 40 comments");
        Assert.That(counters, Is.InRange(1, 39), "40 comments in a burst share NOTIFY statements");
        Assert.That(seen.Where(p => p.StartsWith("c:", StringComparison.Ordinal) && p.EndsWith(video.ToString("D"), StringComparison.Ordinal)),
            Is.EquivalentTo(posted.Select(id => LiveEvents.CommentAdded(id, video))), "every comment is announced, once");
        Assert.That(seen, Does.Contain(LiveEvents.UserNotifications(owner.Id)));
        await using var db = App.OpenConnection();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT comments_count FROM videos WHERE id = @video", new { video }), Is.EqualTo(40));
    }

    [Test]
    public async Task Queued_announcements_arrive_once_per_distinct_payload()
    {
        var announcer = App.Services.GetRequiredService<LiveAnnouncer>();
        var payloads = Enumerable.Range(0, 50).Select(_ => LiveEvents.VideoCounters(Guid.NewGuid())).ToList();
        var (conn, seen) = await ListenAsync(App);
        await using var _ = conn;

        foreach (var p in payloads.Concat(payloads)) announcer.Announce(p);
        await DrainAsync(conn, TimeSpan.FromSeconds(2));

        Assert.That(seen.Where(payloads.Contains), Is.EquivalentTo(payloads));
    }
}
