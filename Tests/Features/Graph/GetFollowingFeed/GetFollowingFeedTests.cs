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
    public async Task A_pulled_account_merges_in_order_with_a_full_inbox_across_pages_and_new_uploads()
    {
        // The inbox fills every page, so the pull range of the big account stops at the page's last inbox row (the
        // floor): its videos older than that must still come, on the later pages, each once.
        var reader = await App.CreateUserAsync();
        var big = await App.CreateUserAsync();
        var small = await App.CreateUserAsync();
        foreach (var f in new[] { big, small }) await (await reader.Client.PutAsync($"/api/users/{f.Username}/follow", null)).JsonAsync();
        await MarkPulledAsync(big);
        var expected = new List<Guid>();
        for (var i = 0; i < 14; i++) expected.Add(await App.SeedVideoAsync(i % 4 == 1 || i == 13 ? big : small));
        expected.Reverse();

        var (seen, pages, late) = await WalkAsync(reader, limit: 3, during: () => App.SeedVideoAsync(big));

        Assert.That(seen, Is.EqualTo(expected));
        Assert.That(pages, Is.EqualTo(5));
        var fresh = await IdsAsync(reader, "/api/videos/following?limit=50");
        Assert.That(fresh.Take(late.Count), Is.EqualTo(Enumerable.Reverse(late)), "the pulled account's late uploads head a fresh first page");
        Assert.That(fresh.Skip(late.Count), Is.EqualTo(expected));
    }

    [Test]
    public async Task Hidden_pulled_accounts_leave_the_feed_and_pages_stay_full()
    {
        var reader = await App.CreateUserAsync();
        var small = await App.CreateUserAsync();
        var suspended = await App.CreateUserAsync();
        var blocked = await App.CreateUserAsync();
        var kept = await App.CreateUserAsync();
        foreach (var f in new[] { small, suspended, blocked, kept }) await (await reader.Client.PutAsync($"/api/users/{f.Username}/follow", null)).JsonAsync();
        foreach (var f in new[] { suspended, blocked, kept }) await MarkPulledAsync(f);
        var expected = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            expected.Add(await App.SeedVideoAsync(small));
            await App.SeedVideoAsync(suspended);
            await App.SeedVideoAsync(blocked);
            if (i % 2 == 0) expected.Add(await App.SeedVideoAsync(kept));
        }
        expected.Reverse();
        await using (var conn = App.OpenConnection())
            await conn.ExecuteAsync("UPDATE profiles SET suspended_at = now() WHERE id = @id", new { id = suspended.Id });
        Assert.That((await reader.Client.PutAsync($"/api/users/{blocked.Username}/block", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var (seen, _, _) = await WalkAsync(reader, limit: 4);
        Assert.That(seen, Is.EqualTo(expected), "only the small and the kept pulled account, every page full until the last");
        Assert.That(await IdsAsync(reader, "/api/videos/following?limit=4"), Is.EqualTo(expected.Take(4)));
    }

    private async Task MarkPulledAsync(TestUser account)
    {
        // As a follow past FollowUserSql.PullFrom would: this account's later videos are not fanned out.
        await using var conn = App.OpenConnection();
        await conn.ExecuteAsync("INSERT INTO feed_pull_authors (user_id, since) VALUES (@id, @since)", new { id = account.Id, since = App.Clock.GetUtcNow() });
    }

    private static async Task<List<Guid>> IdsAsync(TestUser reader, string url)
        => (await (await reader.Client.GetAsync(url)).JsonAsync()).GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()).ToList();

    /// <summary>Reads every page in order (each one full but the last), calling <paramref name="during"/> after each.</summary>
    private static async Task<(List<Guid> Seen, int Pages, List<Guid> Late)> WalkAsync(TestUser reader, int limit, Func<Task<Guid>>? during = null)
    {
        var seen = new List<Guid>();
        var late = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await reader.Client.GetAsync($"/api/videos/following?limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            var items = page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()).ToList();
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
            if (cursor is not null) Assert.That(items, Has.Count.EqualTo(limit), $"page {pages + 1} is full");
            seen.AddRange(items);
            pages++;
            if (during is not null) late.Add(await during());
        } while (cursor is not null && pages < 20);
        return (seen, pages, late);
    }

    [Test]
    public async Task The_following_feed_needs_a_token()
        => Assert.That((await App.CreateClient().GetAsync("/api/videos/following")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
}
