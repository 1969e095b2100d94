using System.Net;
using System.Net.Http.Json;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Notifications.NotificationSettings;

[TestFixture]
public sealed class NotificationSettingsTests : ServiceFixture
{
    [Test]
    public async Task Everything_is_on_by_default_and_a_patch_changes_only_what_it_names()
    {
        var user = await App.CreateUserAsync();
        var initial = await (await user.Client.GetAsync("/api/me/notification_settings")).JsonAsync();
        foreach (var k in new[] { "like", "comment", "follow", "new_video", "share" })
            Assert.That(initial.GetProperty(k).GetBoolean(), Is.True, k);

        await (await user.Client.PatchAsJsonAsync("/api/me/notification_settings", new { like = false, new_video = false })).JsonAsync();
        var patched = await (await user.Client.PatchAsJsonAsync("/api/me/notification_settings", new { like = true, share = false })).JsonAsync();
        var read = await (await user.Client.GetAsync("/api/me/notification_settings")).JsonAsync();

        foreach (var s in new[] { patched, read })
            Assert.Multiple(() =>
            {
                Assert.That(s.GetProperty("like").GetBoolean(), Is.True);
                Assert.That(s.GetProperty("comment").GetBoolean(), Is.True);
                Assert.That(s.GetProperty("follow").GetBoolean(), Is.True);
                Assert.That(s.GetProperty("new_video").GetBoolean(), Is.False);
                Assert.That(s.GetProperty("share").GetBoolean(), Is.False);
            });
    }

    [Test]
    public async Task A_value_that_is_not_a_boolean_is_a_400()
    {
        var user = await App.CreateUserAsync();
        var rsp = await user.Client.PatchAsync("/api/me/notification_settings",
            new StringContent("{\"like\": \"sometimes\"}", System.Text.Encoding.UTF8, "application/json"));
        await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
