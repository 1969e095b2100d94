using System.Net;
using IgLive.Service.Features.Discovery.Ranking;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Discovery.SearchVideos;

/// <summary>Search input is data: every one of these is a 400 or a result, never a 500 or a tsquery syntax error.</summary>
[TestFixture]
public sealed class SearchHostileInputTests : ServiceFixture
{
    private static readonly string[] Hostile =
    [
        "&|!():*'\"\\<>", "a & b", "!sunset", "sun:*", "a:* | b", "'", "''", "\\", "\\'", "(((", "NOT", "not sunset", "sunset NOT",
        "<->", "a <-> b", "😀", "😀🔥 sunset 🌅", "\u0000", "sun\u0000set", "\u0000\u0000abc", new string('x', 200),
        string.Concat(Enumerable.Repeat("ab ", 66)), "é\u0301", "\u200b", "\ufffd", "%", "_", "%_%", "--", "; DROP TABLE videos; --",
        "a'); SELECT pg_sleep(10); --", "日本語の動画", "Ünïcödé", "ß", "İ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "１２３", "a\tb\nc",
    ];

    private static IEnumerable<string> Routes(string q)
    {
        var e = Uri.EscapeDataString(q);
        yield return $"/api/videos/search?q={e}";
        yield return $"/api/users/search?q={e}";
    }

    [Test]
    public async Task Hostile_queries_answer_200_or_400_and_never_500()
    {
        var user = await App.CreateUserAsync();
        await App.VideoAsync(user, "Sunset & friends (\"quoted\") it's 100% fun: a*b", tags: ["sunset"], description: "NOT a test \\ <tag>");
        foreach (var client in new[] { App.CreateClient(), user.Client })
        foreach (var q in Hostile)
        foreach (var url in Routes(q))
        {
            var rsp = await client.GetAsync(url);
            if (rsp.StatusCode == HttpStatusCode.BadRequest) { await rsp.AssertProblemAsync(HttpStatusCode.BadRequest); continue; }
            var page = await rsp.JsonAsync();
            Assert.That(page.GetProperty("items").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Array), url);
        }
    }

    [Test]
    public async Task Symbols_around_words_are_separators()
    {
        var user = await App.CreateUserAsync();
        var w = DiscoveryData.Word();
        var video = await App.VideoAsync(user, $"{w} sunset");
        var client = App.CreateClient();

        foreach (var q in new[] { $"!{w} & sunset", $"({w}) | sunset:*", $"'{w}' \"sunset\"", $"{w}\u0000sunset", $"😀{w}😀" })
            Assert.That((await client.GetJsonAsync($"/api/videos/search?q={Uri.EscapeDataString(q)}")).Ids(), Is.EqualTo(new[] { video }), q);
    }

    [Test]
    public async Task Only_spaces_an_empty_query_and_201_characters_are_a_400()
    {
        foreach (var q in new[] { "", "   ", "\t \n", new string('a', 201) })
        {
            var problem = await (await App.CreateClient().GetAsync($"/api/videos/search?q={Uri.EscapeDataString(q)}")).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.That(problem.FieldErrors("q"), Is.Not.Empty, q);
        }
        await (await App.CreateClient().GetAsync("/api/videos/search")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Only_symbols_is_an_empty_page()
    {
        var page = await App.CreateClient().GetJsonAsync("/api/videos/search?q=" + Uri.EscapeDataString("&|!():*'\"\\<> 😀"));
        Assert.That(page.Ids(), Is.Empty);
    }

    [Test]
    public async Task A_cursor_carrying_words_is_checked_like_a_search()
    {
        var at = App.Clock.GetUtcNow();
        string Cursor(ScoreOrder order, string[]? words) => new ScoreCursor(order, 0.5, at, Guid.NewGuid(), at.AddMinutes(-1), at, words).Encode();
        var client = App.CreateClient();
        async Task<HttpStatusCode> StatusAsync(string cursor) => (await client.GetAsync($"/api/videos/search?q=sunst&cursor={cursor}")).StatusCode;

        Assert.That(await StatusAsync(Cursor(ScoreOrder.Fuzzy, ["sunset", "golden"])), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StatusAsync(Cursor(ScoreOrder.Fuzzy, null)), Is.EqualTo(HttpStatusCode.OK), "an older build's cursor: corrected again");
        Assert.That(await StatusAsync(Cursor(ScoreOrder.Fuzzy, ["sun\u0002set"])), Is.EqualTo(HttpStatusCode.BadRequest), "a control character");
        Assert.That(await StatusAsync(Cursor(ScoreOrder.Fuzzy, [new string('a', 65)])), Is.EqualTo(HttpStatusCode.BadRequest), "a word too long");
        Assert.That(await StatusAsync(Cursor(ScoreOrder.Fuzzy, [string.Concat(Enumerable.Repeat("𝔘", 64))])), Is.EqualTo(HttpStatusCode.OK),
            "64 letters outside the BMP (128 UTF-16 units): characters are counted");
        Assert.That(await StatusAsync(Cursor(ScoreOrder.Fuzzy, [string.Concat(Enumerable.Repeat("𝔘", 65))])), Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await StatusAsync(Cursor(ScoreOrder.Fuzzy, Enumerable.Repeat("a", 17).ToArray())), Is.EqualTo(HttpStatusCode.BadRequest), "too many words");
        Assert.That(await StatusAsync(Cursor(ScoreOrder.FullText, ["sunset"])), Is.EqualTo(HttpStatusCode.BadRequest), "only the fallback carries words");
    }

    [Test]
    public async Task A_cursor_score_no_rank_widens_from_is_a_400_and_any_finite_trending_score_pages()
    {
        var at = App.Clock.GetUtcNow();
        var client = App.CreateClient();
        string Search(double score) => "/api/videos/search?q=sunset&cursor=" + new ScoreCursor(ScoreOrder.FullText, score, at, Guid.NewGuid(), at.AddMinutes(-1), at).Encode();

        // A search's rank is a float4 widened to double; PostgreSQL raises on narrowing these back (overflow, underflow).
        foreach (var score in new[] { 1e300, -1e300, 1e-300, 0.1 })
            await (await client.GetAsync(Search(score))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That((await client.GetAsync(Search(0.1f))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a float4 rank");
        Assert.That((await client.GetAsync(Search(1e-40f))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a subnormal float4");
        // Trending scores are double precision: any finite value is a position.
        var trending = new ScoreCursor(ScoreOrder.Trending, 1e300, at, Guid.NewGuid()).Encode();
        Assert.That((await client.GetAsync("/api/videos/trending?cursor=" + trending)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("limit=0")]
    [TestCase("limit=51")]
    [TestCase("limit=abc")]
    [TestCase("cursor=nope")]
    [TestCase("cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Bad_paging_is_a_400(string query)
    {
        await (await App.CreateClient().GetAsync($"/api/videos/search?q=sunset&{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await App.CreateClient().GetAsync($"/api/videos/trending?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
