using System.Net;
using System.Net.Http.Json;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Notifications.ListNotifications;

[TestFixture]
public sealed class CommentNotificationsTests : ServiceFixture
{
    [Test]
    public async Task A_comment_notifies_the_owner_with_its_text_and_deleting_it_removes_the_notification()
    {
        var owner = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        var comment = await (await fan.Client.PostAsJsonAsync($"/api/videos/{video}/comments", new { text = "lovely light" }))
            .JsonAsync(HttpStatusCode.Created);

        var n = (await owner.NotificationsAsync()).Single();
        Assert.Multiple(() =>
        {
            Assert.That(n.GetProperty("kind").GetString(), Is.EqualTo("comment"));
            Assert.That(n.GetProperty("comment").GetProperty("text").GetString(), Is.EqualTo("lovely light"));
            Assert.That(n.GetProperty("comment").GetProperty("id").GetGuid(), Is.EqualTo(comment.GetProperty("id").GetGuid()));
            Assert.That(n.ActorNames(), Is.EqualTo(new[] { fan.Username }));
        });

        var del = await fan.Client.DeleteAsync($"/api/videos/{video}/comments/{comment.GetProperty("id").GetGuid()}");
        Assert.That(del.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await owner.NotificationsAsync(), Is.Empty);
    }

    [Test]
    public async Task Comments_do_not_collapse_and_your_own_comment_notifies_nobody()
    {
        var owner = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        await fan.Client.PostAsJsonAsync($"/api/videos/{video}/comments", new { text = "one" });
        await fan.Client.PostAsJsonAsync($"/api/videos/{video}/comments", new { text = "two" });
        await owner.Client.PostAsJsonAsync($"/api/videos/{video}/comments", new { text = "thanks" });

        var items = await owner.NotificationsAsync();
        Assert.That(items.Select(n => n.GetProperty("comment").GetProperty("text").GetString()), Is.EqualTo(new[] { "two", "one" }));
    }

    [Test]
    public async Task Pages_follow_each_other_without_gaps_or_repeats()
    {
        var owner = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(owner);
        for (var i = 0; i < 5; i++) await fan.Client.PostAsJsonAsync($"/api/videos/{video}/comments", new { text = $"c{i}" });

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await owner.Client.GetAsync("/api/notifications?limit=2" + (cursor is null ? "" : "&cursor=" + cursor))).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("comment").GetProperty("text").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);

        Assert.That(seen, Is.EqualTo(new[] { "c4", "c3", "c2", "c1", "c0" }));
    }

    [Test]
    public async Task A_bad_cursor_or_limit_is_a_400_and_anonymous_is_a_401()
    {
        var user = await App.CreateUserAsync();
        await (await user.Client.GetAsync("/api/notifications?cursor=nope")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.GetAsync("/api/notifications?limit=51")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That((await App.CreateClient().GetAsync("/api/notifications")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
