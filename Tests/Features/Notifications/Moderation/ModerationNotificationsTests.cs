using IgLive.Service.Tests.Features.Moderation;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Notifications.Moderation;

[TestFixture]
public sealed class ModerationNotificationsTests : ServiceFixture
{
    [Test]
    public async Task A_removal_tells_the_author_and_a_dismissal_tells_nobody()
    {
        var (author, reporter, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var kept = await App.SeedVideoAsync(author, title: "kept");
        var removed = await App.SeedVideoAsync(author, title: "removed one");
        await moderator.ResolveAsync(await reporter.ReportedCaseAsync(moderator, "video", kept), "dismiss");
        await moderator.ResolveAsync(await reporter.ReportedCaseAsync(moderator, "video", removed), "remove");

        var n = (await author.NotificationsAsync()).Single();
        Assert.Multiple(() =>
        {
            Assert.That(n.GetProperty("kind").GetString(), Is.EqualTo("moderation"));
            Assert.That(n.GetProperty("message").GetString(), Does.Contain("removed your video"));
            Assert.That(n.GetProperty("video").GetProperty("title").GetString(), Is.EqualTo("removed one"));
            Assert.That(n.GetProperty("actors").GetArrayLength(), Is.Zero, "moderators stay anonymous");
        });
        Assert.That(await author.UnreadAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_moderation_notice_cannot_be_switched_off()
    {
        var (author, reporter, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var video = await App.SeedVideoAsync(author);
        await author.Client.PatchAsync("/api/me/notification_settings", new StringContent(
            "{\"like\":false,\"comment\":false,\"follow\":false,\"new_video\":false,\"share\":false}", System.Text.Encoding.UTF8, "application/json"));
        await moderator.ResolveAsync(await reporter.ReportedCaseAsync(moderator, "video", video), "suspend_author");

        Assert.That((await author.NotificationsAsync()).Single().GetProperty("message").GetString(), Does.Contain("suspended"));
    }
}
