using System.Net;
using System.Net.Http.Json;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Notifications.MarkRead;

[TestFixture]
public sealed class MarkReadTests : ServiceFixture
{
    [Test]
    public async Task Marks_the_given_ids_read_and_ignores_other_users_ids()
    {
        var owner = await App.CreateUserAsync();
        var other = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var v1 = await App.SeedVideoAsync(owner);
        var v2 = await App.SeedVideoAsync(owner);
        var v3 = await App.SeedVideoAsync(other);
        await fan.LikeAsync(v1);
        await fan.LikeAsync(v2);
        await fan.LikeAsync(v3);
        var mine = await owner.NotificationsAsync();
        var theirs = (await other.NotificationsAsync()).Single();

        var rsp = await owner.Client.PostAsJsonAsync("/api/notifications/read",
            new { ids = new[] { mine[0].GetProperty("id").GetGuid(), theirs.GetProperty("id").GetGuid() } });

        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await owner.UnreadAsync(), Is.EqualTo(1));
        Assert.That(await other.UnreadAsync(), Is.EqualTo(1));
        Assert.That((await owner.NotificationsAsync()).Select(n => n.GetProperty("read").GetBoolean()), Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public async Task All_marks_everything_read()
    {
        var owner = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        await fan.LikeAsync(await App.SeedVideoAsync(owner));
        await fan.LikeAsync(await App.SeedVideoAsync(owner));
        Assert.That(await owner.UnreadAsync(), Is.EqualTo(2));

        await owner.MarkAllReadAsync();

        Assert.That(await owner.UnreadAsync(), Is.EqualTo(0));
    }

    [TestCase("{}")]
    [TestCase("{\"ids\": [], \"all\": true}")]
    [TestCase("{\"ids\": []}")]
    [TestCase("{\"ids\": [\"not-a-uuid\"]}")]
    public async Task Neither_or_both_or_bad_ids_is_a_400(string body)
    {
        var user = await App.CreateUserAsync();
        var rsp = await user.Client.PostAsync("/api/notifications/read", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
