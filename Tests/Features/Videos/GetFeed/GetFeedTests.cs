using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Videos.GetFeed;

[TestFixture]
public sealed class GetFeedTests : ServiceFixture
{
    private static readonly string[] PagingParameters = ["limit", "cursor"];
    private static readonly string[] CommentParameters = ["id", "limit", "cursor"];

    /// <summary>Walks the whole feed; between pages the callback may insert videos.</summary>
    private static async Task<List<JsonElement>> WalkAsync(HttpClient client, int limit, Func<Task>? betweenPages = null)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        for (var pages = 0; pages < 1000; pages++)
        {
            var url = $"/api/videos/feed?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await (await client.GetAsync(url)).JsonAsync();
            var batch = page.GetProperty("items").EnumerateArray().ToList();
            Assert.That(batch, Has.Count.LessThanOrEqualTo(limit));
            items.AddRange(batch);
            if (page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null) return items;
            cursor = page.GetProperty("next_cursor").GetString();
            if (betweenPages is not null) await betweenPages();
        }
        throw new AssertionException("the feed never ended");
    }

    private static List<Guid> Ids(IEnumerable<JsonElement> items) => items.Select(i => i.GetProperty("id").GetGuid()).ToList();

    [Test]
    public async Task Pages_are_newest_first_and_end_with_a_null_cursor()
    {
        var user = await App.CreateUserAsync();
        var baseTime = App.Clock.GetUtcNow().AddHours(-3);
        var mine = new List<Guid>();
        for (var i = 0; i < 12; i++) mine.Add(await App.SeedVideoAsync(user, createdAt: baseTime.AddSeconds(i)));

        var walked = await WalkAsync(App.CreateClient(), limit: 5);

        var ids = Ids(walked);
        Assert.That(ids, Is.Unique);
        var times = walked.Select(i => i.GetProperty("created_at").GetDateTimeOffset()).ToList();
        Assert.That(times, Is.Ordered.Descending);
        Assert.That(ids.Where(mine.Contains).ToList(), Is.EqualTo(Enumerable.Reverse(mine).ToList()));
    }

    [Test]
    public async Task Paging_while_new_videos_arrive_neither_repeats_nor_skips()
    {
        var user = await App.CreateUserAsync();
        var baseTime = App.Clock.GetUtcNow().AddHours(-2);
        var existing = new List<Guid>();
        for (var i = 0; i < 40; i++) existing.Add(await App.SeedVideoAsync(user, createdAt: baseTime.AddSeconds(i)));

        using var stop = new CancellationTokenSource();
        var inserted = new ConcurrentBag<Guid>();
        var inserter = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) inserted.Add(await App.SeedVideoAsync(user));
        });
        List<JsonElement> walked;
        try
        {
            // Newer videos also land deterministically between every two pages, so the interleaving is guaranteed.
            walked = await WalkAsync(App.CreateClient(), limit: 7, async () => inserted.Add(await App.SeedVideoAsync(user)));
        }
        finally
        {
            await stop.CancelAsync();
            await inserter;
        }

        var ids = Ids(walked);
        Assert.That(ids, Is.Unique, "no video is served twice");
        var seen = ids.Where(existing.Contains).ToList();
        Assert.That(seen, Is.EqualTo(Enumerable.Reverse(existing).ToList()), "every pre-existing video once, in order");
        Assert.That(inserted, Is.Not.Empty);
    }

    [Test]
    public async Task Videos_with_the_same_timestamp_are_paged_by_id_without_loss()
    {
        var user = await App.CreateUserAsync();
        var same = App.Clock.GetUtcNow().AddHours(-1).AddTicks(-7); // sub-microsecond part: truncated by PostgreSQL
        var mine = new List<Guid>();
        for (var i = 0; i < 10; i++) mine.Add(await App.SeedVideoAsync(user, createdAt: same));

        var ids = Ids(await WalkAsync(App.CreateClient(), limit: 3));

        Assert.That(ids, Is.Unique);
        Assert.That(ids.Where(mine.Contains).ToList(), Is.EquivalentTo(mine));
    }

    [Test]
    public async Task Expired_videos_never_appear()
    {
        var user = await App.CreateUserAsync();
        var now = App.Clock.GetUtcNow();
        var live = await App.SeedVideoAsync(user, createdAt: now.AddDays(-13), expiresAt: now.AddMinutes(5));
        var expired = await App.SeedVideoAsync(user, createdAt: now.AddDays(-13), expiresAt: now.AddSeconds(-1));
        var expiresSoon = await App.SeedVideoAsync(user, createdAt: now.AddDays(-13), expiresAt: now.AddMinutes(1));

        var before = Ids(await WalkAsync(App.CreateClient(), limit: 50));
        Assert.That(before, Does.Contain(live).And.Contain(expiresSoon).And.Not.Contain(expired));

        // An operator ending a video's life is honoured at once, before any cleanup.
        await using (var conn = App.OpenConnection())
            await conn.ExecuteAsync("UPDATE videos SET expires_at = @t WHERE id = @id", new { t = now.AddDays(-1), id = live });
        var after = Ids(await WalkAsync(App.CreateClient(), limit: 50));
        Assert.That(after, Does.Contain(expiresSoon).And.Not.Contain(live).And.Not.Contain(expired));
    }

    [Test]
    public async Task Items_embed_the_author_and_liked_by_me_only_for_a_signed_in_viewer()
    {
        var author = await App.CreateUserAsync();
        var viewer = await App.CreateUserAsync();
        var liked = await App.SeedVideoAsync(author, createdAt: App.Clock.GetUtcNow().AddMinutes(10));
        var notLiked = await App.SeedVideoAsync(author, createdAt: App.Clock.GetUtcNow().AddMinutes(9));
        Assert.That((await viewer.Client.PutAsync($"/api/videos/{liked}/like", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var signedIn = (await WalkAsync(viewer.Client, 50)).ToDictionary(i => i.GetProperty("id").GetGuid());
        var anonymous = (await WalkAsync(App.CreateClient(), 50)).ToDictionary(i => i.GetProperty("id").GetGuid());
        var badToken = (await WalkAsync(App.CreateClient("not-a-jwt"), 50)).ToDictionary(i => i.GetProperty("id").GetGuid());

        Assert.Multiple(() =>
        {
            Assert.That(signedIn[liked].GetProperty("liked_by_me").GetBoolean(), Is.True);
            Assert.That(signedIn[notLiked].GetProperty("liked_by_me").GetBoolean(), Is.False);
            Assert.That(signedIn[liked].GetProperty("likes_count").GetInt64(), Is.EqualTo(1));
            Assert.That(anonymous[liked].GetProperty("liked_by_me").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(badToken[liked].GetProperty("liked_by_me").ValueKind, Is.EqualTo(JsonValueKind.Null));
            var a = anonymous[liked].GetProperty("author");
            Assert.That(a.GetProperty("id").GetGuid(), Is.EqualTo(author.Id));
            Assert.That(a.GetProperty("username").GetString(), Is.EqualTo(author.Username));
            Assert.That(anonymous[liked].GetProperty("video_url").GetString(), Does.StartWith("/media/"));
            Assert.That(anonymous[liked].GetProperty("tags").ValueKind, Is.EqualTo(JsonValueKind.Array));
        });
    }

    [TestCase("garbage")]
    [TestCase("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]          // right length, not base64url
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]          // padding inside the fixed length
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]      // decodes, but the wrong length
    [TestCase("f_______________________________")]      // decodes to a timestamp past year 9999
    [TestCase("%00")]
    [TestCase("' OR 1=1 --")]
    [TestCase("")]
    public async Task A_malformed_cursor_is_a_400_with_a_cursor_error(string cursor)
    {
        var rsp = await App.CreateClient().GetAsync($"/api/videos/feed?cursor={Uri.EscapeDataString(cursor)}");
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("cursor"), Is.Not.Empty);
    }

    [Test]
    public async Task Truncated_tampered_and_oversized_cursors_are_400_never_500()
    {
        var user = await App.CreateUserAsync();
        for (var i = 0; i < 3; i++) await App.SeedVideoAsync(user);
        var page = await (await App.CreateClient().GetAsync("/api/videos/feed?limit=1")).JsonAsync();
        var cursor = page.GetProperty("next_cursor").GetString()!;
        Assert.That(cursor, Has.Length.LessThanOrEqualTo(100));

        var outOfRange = "f" + new string('_', 10) + cursor[11..]; // first byte 0x7f…: a timestamp past year 9999
        foreach (var bad in new[] { cursor[..^1], cursor + "A", cursor + cursor, new string('A', 5000), outOfRange })
        {
            var rsp = await App.CreateClient().GetAsync($"/api/videos/feed?cursor={Uri.EscapeDataString(bad)}");
            var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.That(problem.FieldErrors("cursor"), Is.Not.Empty, bad);
        }

        // A cursor that decodes is only a position: a tampered but well-formed one is harmless.
        var flipped = (cursor[^2] == 'A' ? 'B' : 'A') + "";
        var tampered = cursor[..^2] + flipped + cursor[^1];
        Assert.That((await App.CreateClient().GetAsync($"/api/videos/feed?cursor={tampered}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("0")]
    [TestCase("51")]
    [TestCase("-1")]
    [TestCase("abc")]
    [TestCase("99999999999999")]
    public async Task Limit_outside_1_to_50_or_not_a_number_is_a_400(string limit)
    {
        var rsp = await App.CreateClient().GetAsync($"/api/videos/feed?limit={limit}");
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("limit"), Is.Not.Empty);
    }

    [Test]
    public async Task Default_page_size_is_20()
    {
        var user = await App.CreateUserAsync();
        for (var i = 0; i < 21; i++) await App.SeedVideoAsync(user);
        var page = await (await App.CreateClient().GetAsync("/api/videos/feed")).JsonAsync();
        Assert.That(page.GetProperty("items").GetArrayLength(), Is.EqualTo(20));
        Assert.That(page.GetProperty("next_cursor").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task OpenApi_documents_limit_and_cursor_as_query_parameters()
    {
        var doc = await (await App.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();
        var feed = doc.GetProperty("paths").GetProperty("/api/videos/feed").GetProperty("get");
        var query = feed.GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "query")
            .Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.That(query, Is.SupersetOf(PagingParameters));
        var comments = doc.GetProperty("paths").GetProperty("/api/videos/{id}/comments").GetProperty("get");
        Assert.That(comments.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()),
            Is.SupersetOf(CommentParameters));
    }
}
