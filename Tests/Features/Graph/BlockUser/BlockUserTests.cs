using System.Net;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Graph.BlockUser;

[TestFixture]
public sealed class BlockUserTests : ServiceFixture
{
    [Test]
    public async Task A_block_removes_follows_both_ways_with_their_counts_and_is_idempotent()
    {
        var a = await App.CreateUserAsync();
        var b = await App.CreateUserAsync();
        var other = await App.CreateUserAsync();
        await (await a.Client.PutAsync($"/api/users/{b.Username}/follow", null)).JsonAsync();
        await (await b.Client.PutAsync($"/api/users/{a.Username}/follow", null)).JsonAsync();
        await (await a.Client.PutAsync($"/api/users/{other.Username}/follow", null)).JsonAsync();

        Assert.That((await a.Client.PutAsync($"/api/users/{b.Username}/block", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await a.Client.PutAsync($"/api/users/{b.Username}/block", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM user_follows WHERE (follower_id, followee_id) IN ((@a, @b), (@b, @a))", new { a = a.Id, b = b.Id }), Is.Zero);
        var counts = (await conn.QueryAsync<(Guid Id, long Followers, long Following)>(
            "SELECT id, followers_count, following_count FROM profiles WHERE id = ANY(@ids)", new { ids = new[] { a.Id, b.Id, other.Id } }))
            .ToDictionary(x => x.Id);
        Assert.That((counts[a.Id].Followers, counts[a.Id].Following), Is.EqualTo((0L, 1L)), "a still follows the third user");
        Assert.That((counts[b.Id].Followers, counts[b.Id].Following), Is.EqualTo((0L, 0L)));
        Assert.That(counts[other.Id].Followers, Is.EqualTo(1));
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM user_blocks WHERE blocker_id = @a", new { a = a.Id }), Is.EqualTo(1));
    }

    [Test]
    public async Task The_blocker_lists_and_lifts_blocks_and_yourself_or_unknown_are_refused()
    {
        var me = await App.CreateUserAsync();
        var first = await App.CreateUserAsync();
        var second = await App.CreateUserAsync();
        await me.Client.PutAsync($"/api/users/{first.Username}/block", null);
        await me.Client.PutAsync($"/api/users/{second.Username}/block", null);
        await (await me.Client.PutAsync($"/api/users/{me.Username}/block", null)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await me.Client.PutAsync("/api/users/nobody_here_at_all/block", null)).AssertProblemAsync(HttpStatusCode.NotFound);

        var page = await (await me.Client.GetAsync("/api/me/blocks?limit=1")).JsonAsync();
        var top = page.GetProperty("items")[0];
        Assert.That(top.GetProperty("username").GetString(), Is.EqualTo(second.Username), "newest block first");
        Assert.That(top.GetProperty("blocked_by_me").GetBoolean(), Is.True);
        var rest = await (await me.Client.GetAsync($"/api/me/blocks?limit=1&cursor={page.GetProperty("next_cursor").GetString()}")).JsonAsync();
        Assert.That(rest.GetProperty("items")[0].GetProperty("username").GetString(), Is.EqualTo(first.Username));
        Assert.That(rest.GetProperty("next_cursor").ValueKind, Is.EqualTo(JsonValueKind.Null));

        Assert.That((await me.Client.DeleteAsync($"/api/users/{first.Username}/block")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await me.Client.DeleteAsync($"/api/users/{first.Username}/block")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var after = await (await me.Client.GetAsync("/api/me/blocks")).JsonAsync();
        Assert.That(after.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("username").GetString()), Is.EqualTo(new[] { second.Username }));
        Assert.That((await (await me.Client.GetAsync($"/api/users/{first.Username}")).JsonAsync()).GetProperty("blocked_by_me").GetBoolean(), Is.False,
            "unblocked: visible again");
        Assert.That((await App.CreateClient().GetAsync("/api/me/blocks")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
