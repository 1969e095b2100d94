using IgLive.Service.Features.Discovery.ComputeTrending;
using IgLive.Service.Features.Discovery.Ranking;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Discovery.SearchVideos;

public sealed class SearchVideosEndpoint(NpgsqlDataSource db, TimeProvider clock, IOptions<DiscoveryOptions> options, SearchCorrections corrections)
    : Endpoint<SearchVideosRequest, Page<VideoDto>>
{
    /// <summary>Typo fallback only for queries with this many letters (fewer make no useful trigrams).</summary>
    private const int MinFuzzyLength = 3;

    public override void Configure()
    {
        Get("/api/videos/search");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Search visible videos by title, tags and description";
            s.Description = "Case and accents ignored; the last word also matches as a prefix (in a one-word search from 2 letters, standing for its most " +
                            "frequent completions, Discovery:SearchPrefixExpansions, 50 by default, the typed word always among them; after other words from 3 letters); when nothing matches, each word is " +
                            "replaced by the closest indexed word (trigram similarity) and searched again, and later pages keep that correction. " +
                            "Ordered by relevance (title, then tags, then description), then newest, among the newest matches " +
                            "(Discovery:SearchCandidates, 200 by default, a one-word search 16 times as many when hidden videos among them leave its first page short).";
        });
        Description(b => b.ProducesProblemDetails(400));
    }

    public override async Task HandleAsync(SearchVideosRequest r, CancellationToken ct)
    {
        var words = SearchTerms.Words(r.Q);
        if (words.Length == 0) { await Send.OkAsync(new Page<VideoDto> { Items = [] }, ct); return; } // only symbols
        var fuzzy = string.Join(' ', words).Length >= MinFuzzyLength;
        ScoreCursor? cursor = ScoreCursor.TryDecode(r.Cursor, out var c, ScoreOrder.FullText, ScoreOrder.Fuzzy,
            ScoreOrder.FullTextWide, ScoreOrder.FuzzyWide) ? c : null;

        await using var conn = await db.OpenConnectionAsync(ct);
        var isFuzzy = cursor?.Order.IsFuzzy() ?? false;
        var cursorWide = cursor?.Order.IsWide() ?? false;
        var wide = cursorWide;
        List<(VideoDto, SortKey)> rows = [];
        string[]? corrected = null;
        if (!isFuzzy) (rows, wide) = await PageAsync(conn, words, cursor, r.Limit, cursorWide, ct);
        if (fuzzy && (isFuzzy || (cursor is null && rows.Count == 0)))
        {
            // Later pages search the first page's correction (carried in the cursor), not a new one.
            corrected = cursor?.Words ?? await corrections.CorrectAsync(conn, words, ct);
            // Nothing closer than what was typed (no word changed: an empty correction): the search stays empty. The
            // corrected words' walk is the cursor's (narrow on a first page: the typed words' widening says nothing of theirs).
            (rows, wide) = corrected.Length == 0 ? ([], false) : await PageAsync(conn, corrected, cursor, r.Limit, cursorWide, ct);
            isFuzzy = true;
        }
        // A one-word prefix search's later pages walk the first page's completions (carried on from cursor to cursor).
        await Send.OkAsync(RankedPage.Of(rows, r.Limit, ScoreOrders.Search(isFuzzy, wide), corrected, cursor?.Lexemes), ct);
    }

    /// <summary>
    /// One page; for one word, when the first page comes back incomplete (it holds every visible candidate) and shows
    /// fewer videos than the walk ranked, hidden videos (still processing, removed, a suspended or blocked author) took
    /// places among the word's newest postings: the page is read again with a walk <see cref="WideWalkFactor"/> times as
    /// long (its newest 16 × Discovery:SearchCandidates matches), and the cursor says so, so later pages walk the same
    /// way. Bounded either way; a word with few matches, all shown, is read once.
    /// </summary>
    private async Task<(List<(VideoDto, SortKey)> Rows, bool Wide)> PageAsync(NpgsqlConnection conn, string[] words, ScoreCursor? cursor, int limit,
        bool wide, CancellationToken ct)
    {
        var rows = await PageAsync(conn, words, cursor, limit, wide ? WideWalkFactor : 1, ct);
        if (words.Length > 1 || wide || cursor is not null || rows.Count > limit) return (rows, wide);
        // Short because the word has no more matches (every candidate is on the page): nothing to widen.
        // Nor when the walk was not full: it already saw every match of the word.
        if (rows.Count > 0 && (rows.Count >= rows[0].Item2.Candidates || rows[0].Item2.Candidates < options.Value.SearchCandidates)) return (rows, false);
        return (await PageAsync(conn, words, cursor, limit, WideWalkFactor, ct), true);
    }

    /// <summary>How much longer a widened one-word walk is.</summary>
    private const int WideWalkFactor = 16;

    private async Task<List<(VideoDto, SortKey)>> PageAsync(NpgsqlConnection conn, string[] words, ScoreCursor? cursor, int limit, int walkFactor,
        CancellationToken ct)
    {
        var o = options.Value;
        var viewer = User.UserId();
        // One set of parameters for both statement families (Dapper binds only those a statement names).
        var args = new
        {
            Word = words[0], Words = words, Prefix = SearchTerms.PrefixLast(words), Now = clock.GetUtcNow(), Viewer = viewer,
            CursorScore = cursor?.Score, CursorAt = cursor?.CreatedAt, CursorId = cursor?.Id, Take = limit + 1,
            WindowFrom = cursor?.WindowFrom, WindowTo = cursor?.WindowTo, Cap = o.SearchCandidates,
            // Empty, not null, when none ride in the cursor: a typed text[] either way, so the auto-prepared statement is
            // reused (an untyped null would differ in its parameter types and run unprepared). More than a prefix stands
            // for (the setting lowered between pages, or forged) are chosen again: no more walked than a prefix does.
            Lexemes = cursor?.Lexemes is { } l && l.Length <= o.SearchPrefixExpansions ? l : [],
            Expansions = o.SearchPrefixExpansions, Walk = o.SearchCandidates * walkFactor,
        };
        if (words.Length == 1)
        {
            // One word: its (or its completions') newest postings, ranked from the index (SearchVideosSql).
            var sql = (cursor is null, viewer is null) switch
            {
                (true, true) => SearchVideosSql.FirstAnonymous, (true, false) => SearchVideosSql.FirstForViewer,
                (false, true) => SearchVideosSql.NextAnonymous, (false, false) => SearchVideosSql.NextForViewer,
            };
            return await QueryAsync(conn, sql, args, ct);
        }
        // Several words: the GIN index (SearchSeveralWordsSql), planned with the words known.
        return await QueryAsync(conn, cursor is null ? SearchSeveralWordsSql.First : SearchSeveralWordsSql.Next, args, ct);
    }

    private static async Task<List<(VideoDto, SortKey)>> QueryAsync(NpgsqlConnection conn, string sql, object args, CancellationToken ct)
        => (await conn.QueryAsync<VideoDto, AuthorDto, SortKey, (VideoDto, SortKey)>(
            new CommandDefinition(sql, args, cancellationToken: ct), RankedPage.Map, splitOn: "id,score")).AsList();
}
