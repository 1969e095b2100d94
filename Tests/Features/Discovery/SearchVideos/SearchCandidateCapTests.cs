using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Discovery.SearchVideos;

/// <summary>
/// Full-text search ranks only the newest Discovery:SearchCandidates matches (5 here), the same set on every page; a
/// prefix stands for its Discovery:SearchPrefixExpansions (3 here) most frequent completions.
/// </summary>
[TestFixture]
public sealed class SearchCandidateCapTests
{
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
    {
        ["Discovery:SearchCandidates"] = "5", ["Discovery:SearchPrefixExpansions"] = "3",
    });

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    private static string Search(string q, int limit) => $"/api/videos/search?limit={limit}&q={Uri.EscapeDataString(q)}";

    [Test]
    public async Task Only_the_newest_matches_are_ranked_and_a_title_match_among_them_comes_first()
    {
        var user = await app.CreateUserAsync();
        var w = DiscoveryData.Word();
        var t0 = app.Clock.GetUtcNow().AddHours(-1);
        var oldTitle = await app.VideoAsync(user, $"{w} in the title, but oldest", createdAt: t0);
        var newer = new List<Guid>();
        for (var i = 1; i <= 5; i++)
            newer.Add(await app.VideoAsync(user, "clip", description: $"about {w} {i}", createdAt: t0.AddMinutes(i)));
        var newTitle = await app.VideoAsync(user, $"{w} newest title", createdAt: t0.AddMinutes(10));

        var page = (await app.CreateClient().GetJsonAsync(Search(w, 50))).Ids();

        // The 5 newest matches: the new title match, then the four newest description matches, newest first.
        Assert.That(page, Is.EqualTo(new[] { newTitle, newer[4], newer[3], newer[2], newer[1] }));
        Assert.That(page, Does.Not.Contain(oldTitle), "outside the candidate set, though it would rank first");
    }

    [Test]
    public async Task Pages_walk_the_first_pages_candidate_set_even_when_newer_matches_arrive()
    {
        var user = await app.CreateUserAsync();
        var w = DiscoveryData.Word();
        var t0 = app.Clock.GetUtcNow().AddHours(-1);
        var ids = new List<Guid>();
        for (var i = 0; i < 8; i++)
            ids.Add(i % 2 == 0
                ? await app.VideoAsync(user, $"{w} {i}", createdAt: t0.AddMinutes(i))
                : await app.VideoAsync(user, $"clip {i}", tags: [w], createdAt: t0.AddMinutes(i)));
        var client = app.CreateClient();
        var onePage = (await client.GetJsonAsync(Search(w, 50))).Ids();
        Assert.That(onePage, Is.EquivalentTo(ids.Skip(3)), "the 5 newest of 8");

        var first = await client.GetJsonAsync(Search(w, 2));
        // Newer matches that rank first arrive between pages: they are not part of this walk's candidate set.
        var late = new[]
        {
            await app.VideoAsync(user, $"{w} late", createdAt: t0.AddMinutes(30)),
            await app.VideoAsync(user, $"{w} later", createdAt: t0.AddMinutes(31)),
        };
        var walked = await client.WalkAsync(Search(w, 2), first);

        Assert.That(walked, Is.EqualTo(onePage), "the same set in the same order: nothing repeated, skipped or pushed out");
        Assert.That((await client.GetJsonAsync(Search(w, 50))).Ids().Take(2), Is.EqualTo(late.Reverse()), "a new search sees them");
    }

    [Test]
    public async Task Hidden_videos_among_the_newest_matches_do_not_hide_older_visible_ones()
    {
        var user = await app.CreateUserAsync();
        var w = DiscoveryData.Word();
        var t0 = app.Clock.GetUtcNow().AddHours(-1);
        var visible = new List<Guid>();
        for (var i = 0; i < 5; i++) visible.Add(await app.VideoAsync(user, $"{w} {i}", createdAt: t0.AddMinutes(i)));
        // The newest postings of the word are hidden (still processing, removed): the first walk (the 5 newest postings) meets
        // 4 of them and only 1 visible video.
        var hidden = new List<Guid>();
        for (var i = 0; i < 4; i++) hidden.Add(await app.VideoAsync(user, $"{w} hidden {i}", createdAt: t0.AddMinutes(10 + i)));
        await app.ExecAsync("UPDATE videos SET status = 'processing' WHERE id = ANY(@ids)", new { ids = hidden.Take(2).ToArray() });
        await app.ExecAsync("UPDATE videos SET removed_at = now() WHERE id = ANY(@ids)", new { ids = hidden.Skip(2).ToArray() });
        var client = app.CreateClient();

        Assert.That((await client.GetJsonAsync(Search(w, 50))).Ids(), Is.EquivalentTo(visible), "the 5 visible, newest first");
        // In pages: the widened walk is carried by the cursor, so the pages walk the same 5.
        Assert.That(await client.WalkAsync(Search(w, 2)), Is.EquivalentTo(visible));
    }

    [Test]
    public async Task A_prefix_with_more_completions_than_the_limit_finds_the_typed_word_and_the_most_frequent_others()
    {
        var user = await app.CreateUserAsync();
        var p = DiscoveryData.Word();
        var t0 = app.Clock.GetUtcNow().AddHours(-1);
        // Completions p+"a" (in 4 videos), p+"b" (3), p+"c" (2), p+"d" (1), and the typed word p itself (1), the rarer the newer.
        var byCompletion = new Dictionary<string, List<Guid>>();
        var minute = 0;
        foreach (var (suffix, n) in new[] { ("a", 4), ("b", 3), ("c", 2), ("d", 1), ("", 1) })
        {
            byCompletion[suffix] = [];
            for (var i = 0; i < n; i++)
                byCompletion[suffix].Add(await app.VideoAsync(user, $"clip {p}{suffix}", createdAt: t0.AddMinutes(minute++)));
        }
        var client = app.CreateClient();

        var found = (await client.GetJsonAsync(Search(p, 50))).Ids();

        // Three expansions: the word itself (the rarest, always one of them) and the two most frequent completions; the
        // 5 newest of their 8 videos, newest first (equal rank). Every completion would give p, d, c, c, b.
        Assert.That(found, Is.EqualTo(new[] { byCompletion[""][0], byCompletion["b"][2], byCompletion["b"][1], byCompletion["b"][0], byCompletion["a"][3] }));
        // The rarer completions are still found by name.
        Assert.That((await client.GetJsonAsync(Search(p + "d", 50))).Ids(), Is.EqualTo(byCompletion["d"]));
    }

    [Test]
    public async Task Later_pages_walk_the_first_pages_completions_when_uploads_reorder_them()
    {
        var user = await app.CreateUserAsync();
        var p = DiscoveryData.Word();
        var t0 = app.Clock.GetUtcNow().AddHours(-1);
        // Completions p+"a" (3 videos) and p+"b" (2) are the two chosen; p+"c" (1, the oldest) is not.
        await app.VideoAsync(user, $"{p}c", createdAt: t0);
        var a1 = await app.VideoAsync(user, $"{p}a", createdAt: t0.AddMinutes(1));
        var b1 = await app.VideoAsync(user, $"{p}b", createdAt: t0.AddMinutes(2));
        var a2 = await app.VideoAsync(user, $"{p}a", createdAt: t0.AddMinutes(3));
        var b2 = await app.VideoAsync(user, $"{p}b", createdAt: t0.AddMinutes(4));
        var a3 = await app.VideoAsync(user, $"{p}a", createdAt: t0.AddMinutes(5));
        var client = app.CreateClient();
        var first = await client.GetJsonAsync(Search(p, 2));
        Assert.That(first.Ids(), Is.EqualTo(new[] { a3, b2 }));

        // Between pages p+"c" becomes more frequent than p+"b": a new search would choose p+"a" and p+"c".
        await app.VideoAsync(user, $"{p}c", createdAt: t0.AddMinutes(30));
        await app.VideoAsync(user, $"{p}c", createdAt: t0.AddMinutes(31));
        var walked = await client.WalkAsync(Search(p, 2), first);

        // Chosen again on page 2, p+"b" would be gone: b1 skipped.
        Assert.That(walked, Is.EqualTo(new[] { a3, b2, a2, b1, a1 }), "the first page's completions on every page");
    }
}
