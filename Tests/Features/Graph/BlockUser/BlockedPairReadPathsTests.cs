using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using IgLive.Service.Features.Discovery.ComputeTrending;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IgLive.Service.Tests.Features.Graph.BlockUser;

/// <summary>
/// The contract's symmetric block, walked over every read path at once. <see cref="ReadPaths"/> must name every GET
/// operation of the OpenAPI document (a new one fails <see cref="Every_get_operation_of_the_api_is_walked_here"/> until
/// it is added with a probe, or with the reason it can never show another user).
/// </summary>
[TestFixture]
public sealed class BlockedPairReadPathsTests : ServiceFixture
{
    /// <summary>What a read path may show of a user: their profile, their video, their comment on the neutral user's video.</summary>
    private sealed record Person(TestUser User, Guid VideoId, Guid CommentId);

    private sealed record Scene(Person A, Person B, Person Neutral);

    /// <summary>Whether the read path, called by <paramref name="viewer"/>, shows anything of <paramref name="other"/>.</summary>
    private delegate Task<bool> Probe(Scene scene, TestUser viewer, Person other);

    private sealed record ReadPath(Probe? Shows = null, string? NeverShowsAnotherUserBecause = null);

    /// <summary>The tag of every scene video (the tag page's probe).</summary>
    private const string SceneTag = "blockscene";

    private const string MediaFiles = "files by unguessable storage key, handed out only inside videos the caller may see; no listing";

    private const string HlsFiles = "a processed video's HLS files, fetched by players without a token (no caller to probe); the stream_url " +
        "is handed out only inside videos the caller may see, and only visible ready videos are served; no listing";

    private static readonly Dictionary<string, ReadPath> ReadPaths = new()
    {
        ["/api/videos/feed"] = new(static async (s, viewer, other) =>
            (await ItemsAsync(viewer.Client, "/api/videos/feed?limit=50")).Any(v => AuthorOf(v) == other.User.Id)),
        ["/api/videos/{id}"] = new(static async (s, viewer, other) =>
            await OkAsync(viewer.Client, $"/api/videos/{other.VideoId}")),
        ["/api/videos/{id}/comments"] = new(static async (s, viewer, other) =>
            (await ItemsAsync(viewer.Client, $"/api/videos/{s.Neutral.VideoId}/comments?limit=50")).Any(c => AuthorOf(c) == other.User.Id)),
        ["/api/users/{username}"] = new(static async (s, viewer, other) =>
            await OkAsync(viewer.Client, $"/api/users/{other.User.Username}")),
        ["/api/users/{username}/videos"] = new(static async (s, viewer, other) =>
            (await ItemsAsync(viewer.Client, $"/api/users/{other.User.Username}/videos")).Any(v => v.GetProperty("id").GetGuid() == other.VideoId)),
        ["/api/users/{username}/followers"] = new(static async (s, viewer, other) =>
            (await ItemsAsync(viewer.Client, $"/api/users/{s.Neutral.User.Username}/followers?limit=50")).Any(p => IdOf(p) == other.User.Id)),
        ["/api/users/{username}/following"] = new(static async (s, viewer, other) =>
            (await ItemsAsync(viewer.Client, $"/api/users/{s.Neutral.User.Username}/following?limit=50")).Any(p => IdOf(p) == other.User.Id)),
        ["/api/videos/following"] = new(static async (s, viewer, other) =>
            (await ItemsAsync(viewer.Client, "/api/videos/following?limit=50")).Any(v => AuthorOf(v) == other.User.Id)),
        ["/api/me/blocks"] = new(NeverShowsAnotherUserBecause: "the caller's own block list: listing the blocked users is its purpose"),
        ["/api/me"] = new(NeverShowsAnotherUserBecause: "the caller's own profile"),
        ["/api/auth/imagekit"] = new(NeverShowsAnotherUserBecause: "upload credentials for the caller"),
        ["/api/moderation/cases"] = new(NeverShowsAnotherUserBecause:
            "moderators only: the queue shows every reported target, whoever blocked whom"),
        ["/api/moderation/actions"] = new(NeverShowsAnotherUserBecause: "moderators only: the audit log of every action"),
        ["/api/videos/search"] = new(static async (s, viewer, other) =>
            (await ItemsAsync(viewer.Client, "/api/videos/search?q=seeded&limit=50")).Any(v => AuthorOf(v) == other.User.Id)),
        ["/api/users/search"] = new(static async (s, viewer, other) =>
            (await ItemsAsync(viewer.Client, $"/api/users/search?q={other.User.Username}")).Any(p => p.GetProperty("id").GetGuid() == other.User.Id)),
        ["/api/tags/{tag}/videos"] = new(static async (s, viewer, other) =>
            (await ItemsAsync(viewer.Client, $"/api/tags/{SceneTag}/videos?limit=50")).Any(v => AuthorOf(v) == other.User.Id)),
        ["/api/videos/trending"] = new(static async (s, viewer, other) =>
            (await ItemsAsync(viewer.Client, "/api/videos/trending?limit=50")).Any(v => AuthorOf(v) == other.User.Id)),
        ["/api/tags/trending"] = new(NeverShowsAnotherUserBecause: "tag names and counts only: no user, video or comment"),
        ["/api/notifications"] = new(static async (s, viewer, other) =>
        {
            // The other user likes the viewer's video (refused with 403 after the block); does the viewer's list show them?
            var viewersVideo = viewer == s.A.User ? s.A.VideoId : viewer == s.B.User ? s.B.VideoId : s.Neutral.VideoId;
            await other.User.Client.PutAsync($"/api/videos/{viewersVideo}/like", null);
            return (await ItemsAsync(viewer.Client, "/api/notifications?limit=50"))
                .Any(n => n.GetProperty("actors").EnumerateArray().Any(a => a.GetProperty("id").GetGuid() == other.User.Id));
        }),
        ["/api/notifications/unread_count"] = new(NeverShowsAnotherUserBecause:
            "a number: it counts the rows /api/notifications shows (the same SQL visibility, probed above)"),
        ["/api/me/notification_settings"] = new(NeverShowsAnotherUserBecause: "the caller's own settings"),
        ["/api/events"] = new(NeverShowsAnotherUserBecause:
            "a stream of the caller's notifications (the /api/notifications rows) and of videos filtered by visibility when " +
            "it opens; comments of blocked authors are left out (StreamEventsTests)"),
        ["/media/{tree}/{file}"] = new(NeverShowsAnotherUserBecause: MediaFiles),
        ["/media/{tree}/{shard}/{file}"] = new(NeverShowsAnotherUserBecause: MediaFiles),
        ["/media/hls/{id}/{file}"] = new(NeverShowsAnotherUserBecause: HlsFiles),
        ["/media/hls/{id}/{rendition}/{file}"] = new(NeverShowsAnotherUserBecause: HlsFiles),
        ["/auth/v1/user"] = new(NeverShowsAnotherUserBecause: "the caller's own auth user (Supabase Auth protocol)"),
        ["/auth/v1/settings"] = new(NeverShowsAnotherUserBecause: "the auth server's settings, no users"),
        ["/auth/v1/health"] = new(NeverShowsAnotherUserBecause: "the auth server's health, no users"),
        ["/auth/v1/.well-known/jwks.json"] = new(NeverShowsAnotherUserBecause: "public signing keys, no users"),
    };

    [Test]
    public async Task Every_get_operation_of_the_api_is_walked_here()
    {
        var paths = (await (await App.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync()).GetProperty("paths");
        var gets = paths.EnumerateObject().Where(p => p.Value.TryGetProperty("get", out _)).Select(p => p.Name).ToArray();

        Assert.That(gets.Except(ReadPaths.Keys), Is.Empty,
            "GET operations without a blocked-pair probe: add each to ReadPaths (with a probe, or the reason it never shows another user)");
        Assert.That(ReadPaths.Keys.Except(gets), Is.Empty, "ReadPaths names operations the API no longer has");
    }

    [Test]
    public async Task Every_read_path_hides_a_blocked_pair_from_each_other_and_only_from_each_other()
    {
        var scene = await SceneAsync(trending: true);
        var probes = ReadPaths.Where(p => p.Value.Shows is not null).ToArray();

        // Before the block each sees the other everywhere: a probe that cannot see anything proves nothing.
        var wrong = new List<string>();
        async Task ExpectAsync(string route, ReadPath path, TestUser viewer, Person other, bool shows, string what)
        {
            if (await path.Shows!(scene, viewer, other) != shows) wrong.Add($"{route}: {what}");
        }
        foreach (var (route, path) in probes)
        {
            await ExpectAsync(route, path, scene.A.User, scene.B, true, "A does not see B before the block");
            await ExpectAsync(route, path, scene.B.User, scene.A, true, "B does not see A before the block");
        }
        Assert.That(wrong, Is.Empty);

        await BlockAsync(scene.A.User, scene.B.User);

        foreach (var (route, path) in probes)
        {
            await ExpectAsync(route, path, scene.A.User, scene.B, false, "the blocker still sees the blocked user");
            await ExpectAsync(route, path, scene.B.User, scene.A, false, "the blocked user still sees the blocker");
            await ExpectAsync(route, path, scene.Neutral.User, scene.A, true, "a third user no longer sees the blocker");
            await ExpectAsync(route, path, scene.Neutral.User, scene.B, true, "a third user no longer sees the blocked user");
        }
        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public async Task Likes_comments_and_views_across_a_block_are_refused_with_403_and_change_nothing()
    {
        var scene = await SceneAsync();
        await BlockAsync(scene.B.User, scene.A.User); // the author blocked the caller
        var video = scene.B.VideoId;
        var a = scene.A.User.Client;

        await (await a.PutAsync($"/api/videos/{video}/like", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await a.PostAsync($"/api/videos/{video}/like", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await a.PostAsJsonAsync($"/api/videos/{video}/comments", new { text = "across a block" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await a.PostAsync($"/api/videos/{video}/views", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        // The blocker cannot act on the blocked user's video either.
        await (await scene.B.User.Client.PutAsync($"/api/videos/{scene.A.VideoId}/like", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        // Unknown stays 404.
        await (await a.PutAsync($"/api/videos/{Guid.NewGuid()}/like", null)).AssertProblemAsync(HttpStatusCode.NotFound);

        await using var conn = App.OpenConnection();
        var counts = await conn.QuerySingleAsync<(long Likes, long Comments, long Views)>(
            "SELECT likes_count, comments_count, views_count FROM videos WHERE id = @video", new { video });
        Assert.That(counts, Is.EqualTo((0L, 0L, 0L)), "no counter moved");
        Assert.That(await conn.ExecuteScalarAsync<long>(
            "SELECT (SELECT count(*) FROM video_likes WHERE user_id = @a) + (SELECT count(*) FROM video_comments WHERE user_id = @a AND video_id = @video)",
            new { a = scene.A.User.Id, video }), Is.Zero, "no like or comment row was written");
    }

    /// <param name="trending">Also rank A's and B's videos in trending (the neutral user likes them, the job runs).</param>
    private async Task<Scene> SceneAsync(bool trending = false)
    {
        var neutral = await App.CreateUserAsync();
        var neutralVideo = await App.SeedVideoAsync(neutral, tags: [SceneTag]);
        async Task<Person> PersonAsync(TestUser user)
        {
            var video = await App.SeedVideoAsync(user, tags: [SceneTag]);
            var comment = (await (await user.Client.PostAsJsonAsync($"/api/videos/{neutralVideo}/comments", new { text = "hello" }))
                .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
            return new Person(user, video, comment);
        }
        var a = await PersonAsync(await App.CreateUserAsync());
        var b = await PersonAsync(await App.CreateUserAsync());
        // Everyone follows everyone: lists and the following feed have something to hide.
        foreach (var (x, y) in new[] { (a.User, b.User), (b.User, a.User), (a.User, neutral), (b.User, neutral), (neutral, a.User), (neutral, b.User) })
            await (await x.Client.PutAsync($"/api/users/{y.Username}/follow", null)).JsonAsync();
        if (trending)
        {
            // Trending reads a ranking the job computes.
            foreach (var video in new[] { a.VideoId, b.VideoId })
                (await neutral.Client.PutAsync($"/api/videos/{video}/like", null)).EnsureSuccessStatusCode();
            await App.Services.GetRequiredService<ComputeTrendingRunner>().RunAsync(CancellationToken.None);
        }
        return new Scene(a, b, new Person(neutral, neutralVideo, Guid.Empty));
    }

    /// <summary>
    /// Blocks through the API, then puts the pair's follows back behind its back: each read path must hide the pair by
    /// itself, not because the block happened to remove the rows it reads.
    /// </summary>
    private async Task BlockAsync(TestUser blocker, TestUser blocked)
    {
        Assert.That((await blocker.Client.PutAsync($"/api/users/{blocked.Username}/block", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await using var conn = App.OpenConnection();
        await conn.ExecuteAsync("""
            INSERT INTO user_follows (follower_id, followee_id) VALUES (@blocker, @blocked), (@blocked, @blocker) ON CONFLICT DO NOTHING
            """, new { blocker = blocker.Id, blocked = blocked.Id });
    }

    private static async Task<bool> OkAsync(HttpClient client, string url)
    {
        var rsp = await client.GetAsync(url);
        if (rsp.StatusCode == HttpStatusCode.NotFound) return false;
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
        return true;
    }

    private static async Task<JsonElement[]> ItemsAsync(HttpClient client, string url)
    {
        var rsp = await client.GetAsync(url);
        if (rsp.StatusCode == HttpStatusCode.NotFound) return [];
        return (await rsp.JsonAsync()).GetProperty("items").EnumerateArray().ToArray();
    }

    private static Guid AuthorOf(JsonElement item) => item.GetProperty("author").GetProperty("id").GetGuid();

    private static Guid IdOf(JsonElement profile) => profile.GetProperty("id").GetGuid();
}
