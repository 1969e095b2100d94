using System.Net;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Graph.GetFollowingFeed;

[TestFixture]
public sealed class GetFollowingFeedTests : ServiceFixture
{
    [Test]
    public async Task Pages_hold_only_followed_videos_newest_first_without_repeats_while_new_ones_arrive()
    {
        var reader = await App.CreateUserAsync();
        var followed = new[] { await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateUserAsync() };
        var stranger = await App.CreateUserAsync();
        var before = new List<Guid>();
        // Videos from before the follow arrive by back-fill, later ones by fan-out.
        for (var i = 0; i < 4; i++) before.Add(await App.SeedVideoAsync(followed[i % 3]));
        foreach (var f in followed) await (await reader.Client.PutAsync($"/api/users/{f.Username}/follow", null)).JsonAsync();
        var expected = new List<Guid>(before);
        for (var i = 0; i < 9; i++)
        {
            expected.Add(await App.SeedVideoAsync(followed[i % 3]));
            await App.SeedVideoAsync(stranger);
        }
        expected.Reverse();

        var seen = new List<Guid>();
        var arrivedLate = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await reader.Client.GetAsync("/api/videos/following?limit=4" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
            pages++;
            arrivedLate.Add(await App.SeedVideoAsync(followed[pages % 3])); // newer than every cursor: never in a later page
        } while (cursor is not null && pages < 10);

        Assert.That(seen, Is.EqualTo(expected));
        Assert.That(pages, Is.EqualTo(4));
        var fresh = await (await reader.Client.GetAsync("/api/videos/following?limit=50")).JsonAsync();
        Assert.That(fresh.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()).Take(arrivedLate.Count),
            Is.EqualTo(Enumerable.Reverse(arrivedLate)), "a fresh first page starts with the late arrivals");
    }

    [Test]
    public async Task Unfollowed_blocked_expired_and_removed_videos_leave_the_feed_and_pages_stay_full()
    {
        var reader = await App.CreateUserAsync();
        var kept = await App.CreateUserAsync();
        var dropped = await App.CreateUserAsync();
        var blocked = await App.CreateUserAsync();
        foreach (var f in new[] { kept, dropped, blocked }) await (await reader.Client.PutAsync($"/api/users/{f.Username}/follow", null)).JsonAsync();
        var keptVideos = new List<Guid>();
        for (var i = 0; i < 3; i++) keptVideos.Add(await App.SeedVideoAsync(kept));
        for (var i = 0; i < 5; i++) { await App.SeedVideoAsync(dropped); await App.SeedVideoAsync(blocked); }
        await App.SeedVideoAsync(kept, expiresAt: App.Clock.GetUtcNow().AddMinutes(5));
        var removed = await App.SeedVideoAsync(kept);
        await using (var conn = App.OpenConnection())
            await conn.ExecuteAsync("UPDATE videos SET removed_at = now() WHERE id = @removed", new { removed });

        await (await reader.Client.DeleteAsync($"/api/users/{dropped.Username}/follow")).JsonAsync();
        Assert.That((await blocked.Client.PutAsync($"/api/users/{reader.Username}/block", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        App.Clock.Advance(TimeSpan.FromMinutes(10));

        var page = await (await reader.Client.GetAsync("/api/videos/following?limit=3")).JsonAsync();
        Assert.That(page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()), Is.EqualTo(Enumerable.Reverse(keptVideos)),
            "a full page of the only visible videos, hidden inbox rows skipped before the limit");
    }

    [Test]
    public async Task Videos_of_an_account_past_the_fan_out_limit_are_read_from_its_own_range_once_each()
    {
        var reader = await App.CreateUserAsync();
        var big = await App.CreateUserAsync();
        var small = await App.CreateUserAsync();
        await (await reader.Client.PutAsync($"/api/users/{big.Username}/follow", null)).JsonAsync();
        await (await reader.Client.PutAsync($"/api/users/{small.Username}/follow", null)).JsonAsync();
        var early = await App.SeedVideoAsync(big); // fanned out
        // The account is marked pulled as a follow past the limit would (FollowUserSql.PullFrom): later videos are not fanned out.
        await using (var conn = App.OpenConnection())
            await conn.ExecuteAsync("INSERT INTO feed_pull_authors (user_id, since) VALUES (@id, @since)", new { id = big.Id, since = App.Clock.GetUtcNow() });
        var late = new[] { await App.SeedVideoAsync(big), await App.SeedVideoAsync(small), await App.SeedVideoAsync(big) };
        await using (var conn = App.OpenConnection())
            Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM feed_inbox WHERE author_id = @id", new { id = big.Id }), Is.EqualTo(1),
                "only the video from before the mark was fanned out");

        var page = await (await reader.Client.GetAsync("/api/videos/following?limit=10")).JsonAsync();
        Assert.That(page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()),
            Is.EqualTo(new[] { late[2], late[1], late[0], early }));
        var second = await (await reader.Client.GetAsync("/api/videos/following?limit=2")).JsonAsync();
        var next = await (await reader.Client.GetAsync($"/api/videos/following?limit=2&cursor={second.GetProperty("next_cursor").GetString()}")).JsonAsync();
        Assert.That(next.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()), Is.EqualTo(new[] { late[0], early }));
    }

    [Test]
    public async Task The_following_feed_needs_a_token()
        => Assert.That((await App.CreateClient().GetAsync("/api/videos/following")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
}
