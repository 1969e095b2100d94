using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Discovery;

/// <summary>Rows and requests the Discovery tests share. Every test makes its own words, so tests never see each other's videos.</summary>
public static class DiscoveryData
{
    /// <summary>A word no other test uses: letters only (the search splits on digits-to-nothing, never inside a word).</summary>
    public static string Word()
    {
        var bytes = Guid.NewGuid().ToByteArray();
        return "zq" + new string(bytes.Take(8).Select(b => (char)('a' + b % 26)).ToArray());
    }

    /// <summary><paramref name="word"/> with its last letter changed: no full-text hit, a close trigram match.</summary>
    public static string Typo(string word) => word[..^1] + (word[^1] == 'x' ? 'y' : 'x');

    /// <summary>Inserts a ready video row (no file) with the given text.</summary>
    public static Task<Guid> VideoAsync(this ServiceFactory app, TestUser owner, string title, string[]? tags = null,
        string description = "", DateTimeOffset? createdAt = null, DateTimeOffset? expiresAt = null)
        => app.SeedVideoAsync(owner, expiresAt, createdAt, title, tags, description: description);

    public static async Task ExecAsync(this ServiceFactory app, string sql, object? args = null)
    {
        await using var conn = app.OpenConnection();
        await conn.ExecuteAsync(sql, args);
    }

    /// <summary>A page's item ids, in order.</summary>
    public static List<Guid> Ids(this JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url) => await (await client.GetAsync(url)).JsonAsync();

    /// <summary>Follows next_cursor from <paramref name="url"/> (which has no cursor) to the end; every item, in order.</summary>
    public static async Task<List<Guid>> WalkAsync(this HttpClient client, string url) =>
        await client.WalkAsync(url, await client.GetJsonAsync(url));

    /// <summary>Every item of <paramref name="first"/> (a page of <paramref name="url"/>) and of the pages its next_cursor leads to, in order.</summary>
    public static async Task<List<Guid>> WalkAsync(this HttpClient client, string url, JsonElement first)
    {
        var ids = first.Ids();
        var page = first;
        for (var pages = 0; pages < 200; pages++)
        {
            if (page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null) return ids;
            page = await client.GetJsonAsync(url + "&cursor=" + Uri.EscapeDataString(page.GetProperty("next_cursor").GetString()!));
            ids.AddRange(page.Ids());
        }
        throw new AssertionException("the list never ended");
    }

    /// <summary>Stores a block (the block route belongs to the social graph; visibility only reads the row).</summary>
    public static Task BlockAsync(this ServiceFactory app, TestUser blocker, TestUser blocked)
        => app.ExecAsync("INSERT INTO user_blocks (blocker_id, blocked_id) VALUES (@a, @b)", new { a = blocker.Id, b = blocked.Id });
}
