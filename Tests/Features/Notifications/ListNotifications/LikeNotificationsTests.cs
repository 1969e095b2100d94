using System.Net.Http.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Notifications.ListNotifications;

[TestFixture]
public sealed class LikeNotificationsTests : ServiceFixture
{
    [Test]
    public async Task Likes_of_one_video_collapse_into_one_notification_with_the_newest_actors_first()
    {
        var owner = await App.CreateUserAsync();
        var fans = new List<TestUser>();
        for (var i = 0; i < 4; i++) fans.Add(await App.CreateUserAsync());
        var video = await App.SeedVideoAsync(owner, title: "sunset");
        foreach (var f in fans) await f.LikeAsync(video);

        var items = await owner.NotificationsAsync();
        Assert.That(items, Has.Length.EqualTo(1));
        var n = items[0];
        Assert.Multiple(() =>
        {
            Assert.That(n.GetProperty("kind").GetString(), Is.EqualTo("like"));
            Assert.That(n.GetProperty("actors_count").GetInt64(), Is.EqualTo(4));
            Assert.That(n.ActorNames(), Is.EqualTo(new[] { fans[3].Username, fans[2].Username, fans[1].Username }));
            Assert.That(n.GetProperty("video").GetProperty("id").GetGuid(), Is.EqualTo(video));
            Assert.That(n.GetProperty("video").GetProperty("title").GetString(), Is.EqualTo("sunset"));
            Assert.That(n.GetProperty("read").GetBoolean(), Is.False);
        });
        Assert.That(await owner.UnreadAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_new_like_moves_the_notification_to_the_top()
    {
        var owner = await App.CreateUserAsync();
        var a = await App.CreateUserAsync();
        var b = await App.CreateUserAsync();
        var first = await App.SeedVideoAsync(owner, title: "first");
        var second = await App.SeedVideoAsync(owner, title: "second");
        await a.LikeAsync(first);
        await a.LikeAsync(second);
        Assert.That((await owner.NotificationsAsync())[0].GetProperty("video").GetProperty("title").GetString(), Is.EqualTo("second"));

        await b.LikeAsync(first);

        var items = await owner.NotificationsAsync();
        Assert.That(items.Select(n => n.GetProperty("video").GetProperty("title").GetString()), Is.EqualTo(new[] { "first", "second" }));
        Assert.That(items[0].GetProperty("updated_at").GetDateTimeOffset(), Is.GreaterThan(items[0].GetProperty("created_at").GetDateTimeOffset()));
    }

    [Test]
    public async Task Once_read_the_next_like_starts_a_new_notification()
    {
        var owner = await App.CreateUserAsync();
        var a = await App.CreateUserAsync();
        var b = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        await a.LikeAsync(video);
        await owner.MarkAllReadAsync();
        Assert.That(await owner.UnreadAsync(), Is.EqualTo(0));

        await b.LikeAsync(video);

        var items = await owner.NotificationsAsync();
        Assert.That(items, Has.Length.EqualTo(2));
        Assert.That(items[0].GetProperty("read").GetBoolean(), Is.False);
        Assert.That(items[0].ActorNames(), Is.EqualTo(new[] { b.Username }));
        Assert.That(items[1].GetProperty("read").GetBoolean(), Is.True);
        Assert.That(await owner.UnreadAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task An_unlike_removes_that_actor_and_the_notification_when_none_is_left()
    {
        var owner = await App.CreateUserAsync();
        var a = await App.CreateUserAsync();
        var b = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        await a.LikeAsync(video);
        await b.LikeAsync(video);

        await b.LikeAsync(video, like: false);
        var items = await owner.NotificationsAsync();
        Assert.That(items, Has.Length.EqualTo(1));
        Assert.That(items[0].ActorNames(), Is.EqualTo(new[] { a.Username }));
        Assert.That(items[0].GetProperty("actors_count").GetInt64(), Is.EqualTo(1));

        await a.LikeAsync(video, like: false);
        Assert.That(await owner.NotificationsAsync(), Is.Empty);
        Assert.That(await owner.UnreadAsync(), Is.EqualTo(0));
        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM notifications WHERE user_id = @Id", new { owner.Id }), Is.Zero);
    }

    [Test]
    public async Task Toggling_a_like_writes_and_undoes_the_notification()
    {
        var owner = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);

        await fan.Client.PostAsync($"/api/videos/{video}/like", null);
        Assert.That((await owner.NotificationsAsync()).Single().ActorNames(), Is.EqualTo(new[] { fan.Username }));
        await fan.Client.PostAsync($"/api/videos/{video}/like", null);
        Assert.That(await owner.NotificationsAsync(), Is.Empty);
    }

    [Test]
    public async Task Liking_your_own_video_notifies_nobody()
    {
        var owner = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        await owner.LikeAsync(video);
        Assert.That(await owner.NotificationsAsync(), Is.Empty);
    }

    [Test]
    public async Task A_muted_user_s_like_notifies_nobody_and_an_unmute_lets_the_next_one_through()
    {
        var owner = await App.CreateUserAsync();
        var muted = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        Assert.That((await owner.Client.PutAsync($"/api/users/{muted.Username}/mute", null)).StatusCode,
            Is.EqualTo(System.Net.HttpStatusCode.NoContent));
        await muted.LikeAsync(video);
        Assert.That(await owner.NotificationsAsync(), Is.Empty);

        Assert.That((await owner.Client.DeleteAsync($"/api/users/{muted.Username}/mute")).StatusCode,
            Is.EqualTo(System.Net.HttpStatusCode.NoContent));
        await muted.Client.DeleteAsync($"/api/videos/{video}/like");
        await muted.LikeAsync(video);
        Assert.That((await owner.NotificationsAsync()).Single().ActorNames(), Is.EqualTo(new[] { muted.Username }));
    }

    [Test]
    public async Task A_like_across_a_block_notifies_nobody_and_a_later_block_hides_the_actor()
    {
        var owner = await App.CreateUserAsync();
        var blockedFan = await App.CreateUserAsync();
        var laterBlocked = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        await App.BlockAsync(blockedFan, owner); // blocks work both ways
        var refused = await blockedFan.Client.PutAsync($"/api/videos/{video}/like", null);
        Assert.That(refused.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Forbidden));
        Assert.That(await owner.NotificationsAsync(), Is.Empty);

        await laterBlocked.LikeAsync(video);
        Assert.That(await owner.UnreadAsync(), Is.EqualTo(1));
        await App.BlockAsync(owner, laterBlocked);
        Assert.That(await owner.NotificationsAsync(), Is.Empty);
        Assert.That(await owner.UnreadAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_kind_switched_off_is_not_written()
    {
        var owner = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        await owner.Client.PatchAsJsonAsync("/api/me/notification_settings", new { like = false });

        await fan.LikeAsync(video);
        await fan.Client.PostAsJsonAsync($"/api/videos/{video}/comments", new { text = "nice" });

        Assert.That((await owner.NotificationsAsync()).Select(n => n.GetProperty("kind").GetString()), Is.EqualTo(new[] { "comment" }));
    }

    [Test]
    public async Task Notifications_about_an_expired_video_are_hidden()
    {
        var owner = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner, expiresAt: App.Clock.GetUtcNow().AddMinutes(5));
        await fan.LikeAsync(video);
        Assert.That(await owner.UnreadAsync(), Is.EqualTo(1));

        App.Clock.Advance(TimeSpan.FromMinutes(6));

        Assert.That(await owner.NotificationsAsync(), Is.Empty);
        Assert.That(await owner.UnreadAsync(), Is.EqualTo(0));
    }
}
