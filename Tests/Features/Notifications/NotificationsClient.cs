using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Notifications;

/// <summary>The notification calls the notification tests make, through HTTP.</summary>
public static class NotificationsClient
{
    public static async Task<JsonElement[]> NotificationsAsync(this TestUser user, int limit = 50)
        => (await (await user.Client.GetAsync($"/api/notifications?limit={limit}")).JsonAsync()).GetProperty("items").EnumerateArray().ToArray();

    public static async Task<long> UnreadAsync(this TestUser user)
        => (await (await user.Client.GetAsync("/api/notifications/unread_count")).JsonAsync()).GetProperty("count").GetInt64();

    public static async Task LikeAsync(this TestUser user, Guid video, bool like = true)
    {
        var rsp = await user.Client.SendAsync(new HttpRequestMessage(like ? HttpMethod.Put : HttpMethod.Delete, $"/api/videos/{video}/like"));
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    public static async Task MarkAllReadAsync(this TestUser user)
        => Assert.That((await user.Client.PostAsJsonAsync("/api/notifications/read", new { all = true })).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

    public static string[] ActorNames(this JsonElement n)
        => n.GetProperty("actors").EnumerateArray().Select(a => a.GetProperty("username").GetString()!).ToArray();

    public static async Task BlockAsync(this ServiceFactory app, TestUser blocker, TestUser blocked)
    {
        await using var conn = app.OpenConnection();
        await conn.ExecuteAsync("INSERT INTO user_blocks (blocker_id, blocked_id) VALUES (@a, @b)", new { a = blocker.Id, b = blocked.Id });
    }
}
