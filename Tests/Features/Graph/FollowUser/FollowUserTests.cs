using System.Net;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Graph.FollowUser;

[TestFixture]
public sealed class FollowUserTests : ServiceFixture
{
    [Test]
    public async Task Follow_is_idempotent_and_shows_on_both_profiles_and_lists()
    {
        var fan = await App.CreateUserAsync();
        var star = await App.CreateUserAsync();

        var first = await (await fan.Client.PutAsync($"/api/users/{star.Username}/follow", null)).JsonAsync();
        var again = await (await fan.Client.PutAsync($"/api/users/{star.Username.ToUpperInvariant()}/follow", null)).JsonAsync();
        Assert.That((first.GetProperty("following").GetBoolean(), first.GetProperty("followers_count").GetInt64()), Is.EqualTo((true, 1L)));
        Assert.That((again.GetProperty("following").GetBoolean(), again.GetProperty("followers_count").GetInt64()), Is.EqualTo((true, 1L)));

        var seen = await (await fan.Client.GetAsync($"/api/users/{star.Username}")).JsonAsync();
        Assert.That(seen.GetProperty("followers_count").GetInt64(), Is.EqualTo(1));
        Assert.That(seen.GetProperty("followed_by_me").GetBoolean(), Is.True);
        Assert.That(seen.GetProperty("blocked_by_me").GetBoolean(), Is.False);
        var anonymous = await (await App.CreateClient().GetAsync($"/api/users/{star.Username}")).JsonAsync();
        Assert.That(anonymous.GetProperty("followed_by_me").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var me = await (await fan.Client.GetAsync("/api/me")).JsonAsync();
        Assert.That(me.GetProperty("following_count").GetInt64(), Is.EqualTo(1));

        var followers = await (await App.CreateClient().GetAsync($"/api/users/{star.Username}/followers")).JsonAsync();
        Assert.That(followers.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("username").GetString()), Is.EqualTo(new[] { fan.Username }));
        var following = await (await App.CreateClient().GetAsync($"/api/users/{fan.Username}/following")).JsonAsync();
        Assert.That(following.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("username").GetString()), Is.EqualTo(new[] { star.Username }));

        var unfollow = await (await fan.Client.DeleteAsync($"/api/users/{star.Username}/follow")).JsonAsync();
        var unfollowAgain = await (await fan.Client.DeleteAsync($"/api/users/{star.Username}/follow")).JsonAsync();
        Assert.That((unfollow.GetProperty("following").GetBoolean(), unfollow.GetProperty("followers_count").GetInt64()), Is.EqualTo((false, 0L)));
        Assert.That(unfollowAgain.GetProperty("followers_count").GetInt64(), Is.Zero);
        Assert.That(await CountsAsync(fan.Id), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Yourself_is_400_unknown_is_404_anonymous_is_401_and_a_block_either_way_is_403()
    {
        var a = await App.CreateUserAsync();
        var b = await App.CreateUserAsync();
        await (await a.Client.PutAsync($"/api/users/{a.Username}/follow", null)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await a.Client.PutAsync("/api/users/nobody_here_at_all/follow", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.That((await App.CreateClient().PutAsync($"/api/users/{b.Username}/follow", null)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        Assert.That((await b.Client.PutAsync($"/api/users/{a.Username}/block", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await (await a.Client.PutAsync($"/api/users/{b.Username}/follow", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await b.Client.PutAsync($"/api/users/{a.Username}/follow", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM user_follows WHERE @a IN (follower_id, followee_id)", new { a = a.Id }), Is.Zero);
    }

    [Test]
    public async Task A_follow_storm_keeps_both_counters_equal_to_the_rows()
    {
        var star = await App.CreateUserAsync();
        var fans = new List<TestUser>();
        for (var i = 0; i < 30; i++) fans.Add(await App.CreateUserAsync());

        // Every fan sends PUT, PUT, DELETE, PUT at once with everyone else, then a last word: PUT for even fans,
        // DELETE for odd ones.
        var storm = fans.Select(async (fan, i) =>
        {
            var url = $"/api/users/{star.Username}/follow";
            var burst = new[] { fan.Client.PutAsync(url, null), fan.Client.PutAsync(url, null), fan.Client.DeleteAsync(url), fan.Client.PutAsync(url, null) };
            foreach (var rsp in await Task.WhenAll(burst)) Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var last = i % 2 == 0 ? await fan.Client.PutAsync(url, null) : await fan.Client.DeleteAsync(url);
            Assert.That(last.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
        await Task.WhenAll(storm);

        await using var conn = App.OpenConnection();
        var rows = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM user_follows WHERE followee_id = @id", new { id = star.Id });
        Assert.That((await CountsAsync(star.Id)).Followers, Is.EqualTo(rows));
        foreach (var fan in fans)
        {
            var follows = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM user_follows WHERE follower_id = @id", new { id = fan.Id });
            Assert.That((await CountsAsync(fan.Id)).Following, Is.EqualTo(follows), fan.Username);
        }
        var following = (await conn.QueryAsync<Guid>("SELECT follower_id FROM user_follows WHERE followee_id = @id", new { id = star.Id })).ToHashSet();
        Assert.That(following, Is.EquivalentTo(fans.Where((_, i) => i % 2 == 0).Select(f => f.Id)), "each fan's last word wins");
        Assert.That(rows, Is.EqualTo(15));
    }

    [Test]
    public async Task Follower_lists_are_newest_first_across_pages_and_refuse_a_bad_cursor()
    {
        var star = await App.CreateUserAsync();
        var fans = new List<TestUser>();
        for (var i = 0; i < 7; i++)
        {
            var fan = await App.CreateUserAsync();
            fans.Add(fan);
            await (await fan.Client.PutAsync($"/api/users/{star.Username}/follow", null)).JsonAsync();
        }
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await App.CreateClient().GetAsync($"/api/users/{star.Username}/followers?limit=3" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("username").GetString()!));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);
        Assert.That(seen, Is.EqualTo(Enumerable.Reverse(fans).Select(f => f.Username)));
        await (await App.CreateClient().GetAsync($"/api/users/{star.Username}/followers?cursor=nope")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await App.CreateClient().GetAsync("/api/users/nobody_here_at_all/following")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<(long Followers, long Following)> CountsAsync(Guid id)
    {
        await using var conn = App.OpenConnection();
        return await conn.QuerySingleAsync<(long, long)>("SELECT followers_count, following_count FROM profiles WHERE id = @id", new { id });
    }
}
