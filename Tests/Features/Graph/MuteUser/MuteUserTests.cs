using System.Net;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Graph.MuteUser;

[TestFixture]
public sealed class MuteUserTests : ServiceFixture
{
    [Test]
    public async Task Mute_writes_one_row_idempotently_and_changes_nothing_else()
    {
        var me = await App.CreateUserAsync();
        var noisy = await App.CreateUserAsync();
        await (await me.Client.PutAsync($"/api/users/{noisy.Username}/follow", null)).JsonAsync();
        var video = await App.SeedVideoAsync(noisy);

        Assert.That((await me.Client.PutAsync($"/api/users/{noisy.Username}/mute", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await me.Client.PutAsync($"/api/users/{noisy.Username}/mute", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await using (var conn = App.OpenConnection())
            Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM user_mutes WHERE muter_id = @me AND muted_id = @noisy",
                new { me = me.Id, noisy = noisy.Id }), Is.EqualTo(1));

        var profile = await (await me.Client.GetAsync($"/api/users/{noisy.Username}")).JsonAsync();
        Assert.That(profile.GetProperty("followed_by_me").GetBoolean(), Is.True, "muting keeps the follow");
        Assert.That((await me.Client.GetAsync($"/api/videos/{video}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var feed = await (await me.Client.GetAsync("/api/videos/following")).JsonAsync();
        Assert.That(feed.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()), Does.Contain(video));

        Assert.That((await me.Client.DeleteAsync($"/api/users/{noisy.Username}/mute")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await me.Client.DeleteAsync($"/api/users/{noisy.Username}/mute")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await using (var conn = App.OpenConnection())
            Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM user_mutes WHERE muter_id = @me", new { me = me.Id }), Is.Zero);
        await (await me.Client.PutAsync($"/api/users/{me.Username}/mute", null)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await me.Client.PutAsync("/api/users/nobody_here_at_all/mute", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
