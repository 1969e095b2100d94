using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Discovery.SearchVideos;

/// <summary>
/// A prefix's first page reads its completions' postings back to a cutoff estimated from their frequencies, and falls
/// back to the exact cutoff when the estimate keeps too few: either way the candidate set is exactly the newest
/// Discovery:SearchCandidates (20 here) matches. Five completions of 16 videos each: the estimate reads the span of
/// the most frequent one's k = (1.25 × 20 + 10) × 16 / 80 = 7 newest postings.
/// </summary>
[TestFixture]
public sealed class SearchPrefixCutoffTests
{
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
    {
        ["Discovery:SearchCandidates"] = "20", ["Discovery:SearchPrefixExpansions"] = "6",
    });

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    private static string Search(string q, int limit) => $"/api/videos/search?limit={limit}&q={Uri.EscapeDataString(q)}";

    /// <summary><paramref name="count"/> title matches of <c>p</c>, the i-th with completion p + ('a' + completionOf(i)), created i minutes after t0; newest first.</summary>
    private async Task<(string Prefix, List<Guid> NewestFirst)> CompletionsAsync(Func<int, int> completionOf, int count = 80)
    {
        var user = await app.CreateUserAsync();
        var p = DiscoveryData.Word();
        var t0 = app.Clock.GetUtcNow().AddHours(-2);
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
            ids.Add(await app.VideoAsync(user, $"{p}{(char)('a' + completionOf(i))} clip", createdAt: t0.AddMinutes(i)));
        ids.Reverse();
        return (p, ids);
    }

    [Test]
    public async Task When_the_most_frequent_completion_is_all_recent_the_exact_cutoff_still_finds_the_newest_matches()
    {
        // p+a's 16 videos are the newest: its 7 newest postings' span holds 7 matches, fewer than 20; p+a has fewer
        // than 20 postings, so the exact walk reads everything.
        var (p, newest) = await CompletionsAsync(i => i >= 64 ? 0 : 1 + i % 4);
        var page = (await app.CreateClient().GetJsonAsync(Search(p, 50))).Ids();
        Assert.That(page, Is.EqualTo(newest.Take(20)), "the 20 newest of the 80, equal ranks, newest first");
    }

    [Test]
    public async Task With_interleaved_completions_the_estimated_cutoff_gives_the_newest_matches_on_every_page()
    {
        var (p, newest) = await CompletionsAsync(i => i % 5);
        var client = app.CreateClient();
        Assert.That((await client.GetJsonAsync(Search(p, 50))).Ids(), Is.EqualTo(newest.Take(20)));
        Assert.That(await client.WalkAsync(Search(p, 3)), Is.EqualTo(newest.Take(20)), "pages of 3 walk the same 20");
    }

    [Test]
    public async Task The_exact_cutoff_is_the_most_frequent_completions_20th_newest_posting()
    {
        // 100 videos, p+a's 24 the newest (k = 35 × 24 / 100 → 9: 9 matches in that span, fewer than 20): the exact
        // cutoff is p+a's 20th newest posting, and the 20 newest matches are p+a's.
        var (p, newest) = await CompletionsAsync(i => i >= 76 ? 0 : 1 + i % 4, count: 100);
        var client = app.CreateClient();
        Assert.That((await client.GetJsonAsync(Search(p, 50))).Ids(), Is.EqualTo(newest.Take(20)));
        Assert.That(await client.WalkAsync(Search(p, 7)), Is.EqualTo(newest.Take(20)), "pages of 7 walk the same 20");
    }
}
