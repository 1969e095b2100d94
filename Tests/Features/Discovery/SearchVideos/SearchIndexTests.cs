using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Discovery.SearchVideos;

/// <summary>
/// The search's postings (one row per lexeme and video) and per-lexeme counts (migration 0200) follow the videos'
/// text through inserts, updates and deletes; the search reads them.
/// </summary>
[TestFixture]
public sealed class SearchIndexTests : ServiceFixture
{
    private static string Search(string q, int limit = 20) => $"/api/videos/search?limit={limit}&q={Uri.EscapeDataString(q)}";

    private async Task<long> NdocAsync(string lexeme)
    {
        await using var conn = App.OpenConnection();
        return await conn.ExecuteScalarAsync<long?>("SELECT ndoc FROM search_lexemes WHERE lexeme = @lexeme", new { lexeme }) ?? 0;
    }

    private async Task<bool> LexemeRowAsync(string lexeme)
    {
        await using var conn = App.OpenConnection();
        return await conn.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM search_lexemes WHERE lexeme = @lexeme)", new { lexeme });
    }

    private async Task<List<string>> PostingsAsync(Guid video)
    {
        await using var conn = App.OpenConnection();
        return (await conn.QueryAsync<string>(
            "SELECT p.lexeme FROM search_postings p JOIN videos v ON v.id = p.video_id AND v.created_at = p.created_at WHERE p.video_id = @video ORDER BY 1",
            new { video })).AsList();
    }

    [Test]
    public async Task Postings_and_counts_follow_insert_update_and_delete()
    {
        var user = await App.CreateUserAsync();
        var (a, b, c) = (DiscoveryData.Word(), DiscoveryData.Word(), DiscoveryData.Word());
        var first = await App.VideoAsync(user, $"{a} {b}", tags: [c], description: $"{a} again");
        var second = await App.VideoAsync(user, $"{a} only");

        Assert.That(await PostingsAsync(first), Is.EqualTo(new[] { a, "again", b, c }.Order(StringComparer.Ordinal)));
        Assert.That((await NdocAsync(a), await NdocAsync(b), await NdocAsync(c)), Is.EqualTo((2L, 1L, 1L)), "videos with the word, not occurrences");

        // A counter update touches neither (the row trigger fires only for title, tags, description, created_at).
        await App.ExecAsync("UPDATE videos SET likes_count = likes_count + 1, views_count = views_count + 5 WHERE id = @first", new { first });
        Assert.That(await NdocAsync(a), Is.EqualTo(2));

        var d = DiscoveryData.Word();
        await App.ExecAsync("UPDATE videos SET title = @title, tags = '{}' WHERE id = @first", new { first, title = $"{d} {a}" });
        Assert.That(await PostingsAsync(first), Is.EqualTo(new[] { a, "again", d }.Order(StringComparer.Ordinal)));
        Assert.That((await NdocAsync(a), await NdocAsync(d)), Is.EqualTo((2L, 1L)));
        Assert.That((await LexemeRowAsync(b), await LexemeRowAsync(c)), Is.EqualTo((false, false)), "words no video has any more leave the dictionary");
        var client = App.CreateClient();
        Assert.That((await client.GetJsonAsync(Search(d))).Ids(), Is.EqualTo(new[] { first }));
        Assert.That((await client.GetJsonAsync(Search(b))).Ids(), Is.Empty);

        await App.ExecAsync("UPDATE videos SET created_at = created_at - interval '1 hour' WHERE id = @second", new { second });
        Assert.That(await PostingsAsync(second), Is.EqualTo(new[] { a, "only" }.Order(StringComparer.Ordinal)), "postings carry the new created_at");

        await App.ExecAsync("DELETE FROM videos WHERE id = @first", new { first });
        Assert.That(await PostingsAsync(first), Is.Empty);
        Assert.That((await NdocAsync(a), await LexemeRowAsync(d)), Is.EqualTo((1L, false)));
        Assert.That((await client.GetJsonAsync(Search(a))).Ids(), Is.EqualTo(new[] { second }));
    }

    [Test]
    public async Task A_bulk_insert_and_a_bulk_delete_count_each_video_once()
    {
        var user = await App.CreateUserAsync();
        var w = DiscoveryData.Word();
        await App.ExecAsync("""
            INSERT INTO videos (id, user_id, title, description, tags, storage_provider, storage_key, storage_path, video_url,
                                content_type, size_bytes, created_at, expires_at, status)
            SELECT gen_random_uuid(), @user, @title || ' ' || i, @title, ARRAY[@title], 'local', 'bulk/' || @title || i, 'bulk/' || @title || i,
                   '/media/bulk/' || i, 'video/mp4', 1234, @at - i * interval '1 second', @at + interval '1 day', 'ready'
            FROM generate_series(1, 30) i
            """, new { user = user.Id, title = w, at = App.Clock.GetUtcNow() });
        Assert.That(await NdocAsync(w), Is.EqualTo(30));
        Assert.That((await App.CreateClient().GetJsonAsync(Search(w, 50))).Ids(), Has.Count.EqualTo(30));

        await App.ExecAsync("DELETE FROM videos WHERE title LIKE @prefix", new { prefix = w + " %" });
        Assert.That(await LexemeRowAsync(w), Is.False);
    }
    private async Task<List<(string Lexeme, float Rank, float TsRank)>> RanksAsync(Guid video)
    {
        await using var conn = App.OpenConnection();
        return (await conn.QueryAsync<(string, float, float)>("""
            SELECT p.lexeme, p.rank, ts_rank(v.search_doc, to_tsquery('simple', quote_literal(p.lexeme)))
            FROM search_postings p JOIN videos v ON v.id = p.video_id WHERE p.video_id = @video ORDER BY 1
            """, new { video })).AsList();
    }

    [Test]
    public async Task Each_posting_carries_its_words_rank_in_the_video_and_an_update_ranks_again()
    {
        var user = await App.CreateUserAsync();
        var (a, b) = (DiscoveryData.Word(), DiscoveryData.Word());
        var video = await App.VideoAsync(user, $"{a} clip", tags: [b], description: $"{b} and {a} again");

        var ranks = await RanksAsync(video);
        Assert.That(ranks.Select(r => r.Rank), Is.EqualTo(ranks.Select(r => r.TsRank)), "what ts_rank gives the document for that word");
        var byWord = ranks.ToDictionary(r => r.Lexeme, r => r.Rank);
        Assert.That(byWord[a], Is.GreaterThan(byWord[b]), "a title word ranks above a tag");
        Assert.That(byWord[b], Is.GreaterThan(byWord["again"]), "a tag above a description word");

        await App.ExecAsync("UPDATE videos SET title = 'clip', tags = @tags WHERE id = @video", new { video, tags = new[] { a } });
        ranks = await RanksAsync(video);
        Assert.That(ranks.Select(r => r.Rank), Is.EqualTo(ranks.Select(r => r.TsRank)));
        Assert.That(ranks.Single(r => r.Lexeme == a).Rank, Is.LessThan(byWord[a]), "now a tag and a description word, no longer in the title");
    }

    [Test]
    public async Task A_prefix_ranks_a_video_by_every_completion_it_contains_as_ts_rank_does()
    {
        var user = await App.CreateUserAsync();
        var p = DiscoveryData.Word();
        var at = App.Clock.GetUtcNow().AddMinutes(-10);
        var both = await App.VideoAsync(user, $"{p}set {p}rise", createdAt: at);
        var one = await App.VideoAsync(user, $"{p}set clip", createdAt: at.AddMinutes(1));

        Assert.That((await App.CreateClient().GetJsonAsync(Search(p))).Ids(), Is.EqualTo(new[] { both, one }), "two completions in the title beat one, though older");
        await using var conn = App.OpenConnection();
        var tsRanks = (await conn.QueryAsync<float>(
            "SELECT ts_rank(search_doc, to_tsquery('simple', quote_literal(@p) || ':*')) FROM videos WHERE id = ANY(@ids) ORDER BY created_at",
            new { p, ids = new[] { both, one } })).AsList();
        Assert.That(tsRanks[0], Is.GreaterThan(tsRanks[1]), "ts_rank agrees");
    }
}
