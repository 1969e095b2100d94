using System.Net;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Notifications.Follow;

[TestFixture]
public sealed class FollowNotificationsTests : ServiceFixture
{
    private static async Task FollowAsync(TestUser follower, TestUser followee, bool follow = true)
    {
        var rsp = await follower.Client.SendAsync(new HttpRequestMessage(follow ? HttpMethod.Put : HttpMethod.Delete,
            $"/api/users/{followee.Username}/follow"));
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task New_followers_collapse_into_one_follow_notification_with_the_newest_first()
    {
        var star = await App.CreateUserAsync();
        var a = await App.CreateUserAsync();
        var b = await App.CreateUserAsync();

        await FollowAsync(a, star);
        await FollowAsync(b, star);
        await FollowAsync(a, star); // idempotent: not a second actor, not a new row

        var items = await star.NotificationsAsync();
        Assert.That(items, Has.Length.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(items[0].GetProperty("kind").GetString(), Is.EqualTo("follow"));
            Assert.That(items[0].GetProperty("actors_count").GetInt64(), Is.EqualTo(2));
            Assert.That(items[0].ActorNames(), Is.EqualTo(new[] { b.Username, a.Username }));
        });
        Assert.That(await star.UnreadAsync(), Is.EqualTo(1));
        Assert.That(await a.NotificationsAsync(), Is.Empty, "the follower is not notified of their own action");
    }

    [Test]
    public async Task An_unfollow_withdraws_that_follower_and_the_notification_when_none_is_left()
    {
        var star = await App.CreateUserAsync();
        var a = await App.CreateUserAsync();
        var b = await App.CreateUserAsync();
        await FollowAsync(a, star);
        await FollowAsync(b, star);

        await FollowAsync(a, star, follow: false);
        var items = await star.NotificationsAsync();
        Assert.That(items, Has.Length.EqualTo(1));
        Assert.That(items[0].ActorNames(), Is.EqualTo(new[] { b.Username }));

        await FollowAsync(b, star, follow: false);
        Assert.That(await star.NotificationsAsync(), Is.Empty);
        Assert.That(await star.UnreadAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_read_follow_notification_stays_history_after_an_unfollow()
    {
        var star = await App.CreateUserAsync();
        var a = await App.CreateUserAsync();
        await FollowAsync(a, star);
        await star.MarkAllReadAsync();

        await FollowAsync(a, star, follow: false);

        var items = await star.NotificationsAsync();
        Assert.That(items, Has.Length.EqualTo(1));
        Assert.That(items[0].GetProperty("read").GetBoolean(), Is.True);
    }

    [Test]
    public async Task A_followee_who_switched_follows_off_or_muted_the_follower_gets_nothing_yet_the_follow_counts()
    {
        var quiet = await App.CreateUserAsync();
        var muter = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var off = await quiet.Client.PatchAsync("/api/me/notification_settings", new StringContent(
            "{\"follow\":false}", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(off.IsSuccessStatusCode, Is.True, await off.Content.ReadAsStringAsync());
        var mute = await muter.Client.PutAsync($"/api/users/{fan.Username}/mute", null);
        Assert.That(mute.IsSuccessStatusCode, Is.True, await mute.Content.ReadAsStringAsync());

        await FollowAsync(fan, quiet);
        await FollowAsync(fan, muter);

        Assert.That(await quiet.NotificationsAsync(), Is.Empty);
        Assert.That(await muter.NotificationsAsync(), Is.Empty);
        var profile = await (await fan.Client.GetAsync($"/api/users/{quiet.Username}")).JsonAsync();
        Assert.That(profile.GetProperty("followers_count").GetInt64(), Is.EqualTo(1));
    }
}
