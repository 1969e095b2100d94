using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Moderation;

/// <summary>Shared steps of the moderation tests: moderators, reports and resolutions over HTTP.</summary>
public static class ModerationHelpers
{
    /// <summary>A new user listed in <c>moderators</c> (as the CLI would add them).</summary>
    public static async Task<TestUser> CreateModeratorAsync(this ServiceFactory app)
    {
        var moderator = await app.CreateUserAsync();
        await using var conn = app.OpenConnection();
        await conn.ExecuteAsync("INSERT INTO moderators (user_id) VALUES (@id)", new { id = moderator.Id });
        return moderator;
    }

    public static Task<HttpResponseMessage> ReportAsync(this TestUser reporter, string type, object id, string reason = "spam", string? note = null)
        => reporter.Client.PostAsJsonAsync("/api/reports", new { target_type = type, target_id = id.ToString(), reason, note });

    /// <summary>Reports and returns the open case of the target (as the moderator sees it).</summary>
    public static async Task<JsonElement> ReportedCaseAsync(this TestUser reporter, TestUser moderator, string type, Guid id, string reason = "spam")
    {
        var rsp = await reporter.ReportAsync(type, id, reason);
        Assert.That(rsp.StatusCode, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.OK), await rsp.Content.ReadAsStringAsync());
        return await moderator.OpenCaseOfAsync(id);
    }

    /// <summary>The open case of a target, walking every page of the queue.</summary>
    public static async Task<JsonElement> OpenCaseOfAsync(this TestUser moderator, Guid targetId)
    {
        string? cursor = null;
        do
        {
            var page = await (await moderator.Client.GetAsync("/api/moderation/cases?limit=50" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            foreach (var c in page.GetProperty("items").EnumerateArray())
                if (c.GetProperty("target_id").GetGuid() == targetId) return c;
            cursor = page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);
        throw new AssertionException($"no open case for {targetId}");
    }

    public static async Task<JsonElement> ResolveAsync(this TestUser moderator, JsonElement @case, string action, string? note = null)
        => await (await moderator.Client.PostAsJsonAsync($"/api/moderation/cases/{@case.GetProperty("id").GetGuid()}/resolve", new { action, note }))
            .JsonAsync();

    /// <summary>Inserts a comment row directly (and counts it), for tests that need one without going through the API.</summary>
    public static async Task<Guid> SeedCommentAsync(this ServiceFactory app, TestUser author, Guid videoId, string text = "a comment")
    {
        var id = Guid.NewGuid();
        await using var conn = app.OpenConnection();
        await conn.ExecuteAsync("""
            WITH c AS (INSERT INTO video_comments (id, video_id, user_id, text, created_at) VALUES (@id, @videoId, @user, @text, @now))
            UPDATE videos SET comments_count = comments_count + 1 WHERE id = @videoId
            """, new { id, videoId, user = author.Id, text, now = app.Clock.GetUtcNow() });
        return id;
    }
}
