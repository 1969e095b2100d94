using IgLive.Service.Features.Discovery.ComputeTrending;
using IgLive.Service.Features.Discovery.Ranking;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Discovery.SearchVideos;

public sealed class SearchVideosEndpoint(NpgsqlDataSource db, TimeProvider clock, IOptions<DiscoveryOptions> options)
    : Endpoint<SearchVideosRequest, Page<VideoDto>>
{
    /// <summary>Typo fallback only for queries with this many letters (fewer make no useful trigrams).</summary>
    private const int MinFuzzyLength = 3;
    private const int MaxFuzzyLength = 64;

    public override void Configure()
    {
        Get("/api/videos/search");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Search visible videos by title, tags and description";
            s.Description = "Case and accents ignored; the last word also matches as a prefix; when nothing matches, close " +
                            "spellings do (trigram similarity). Ordered by relevance (title, then tags, then description), then newest, " +
                            "among the newest matches (Discovery:SearchCandidates, 200 by default; a search lists at most that many).";
        });
        Description(b => b.ProducesProblemDetails(400));
    }

    public override async Task HandleAsync(SearchVideosRequest r, CancellationToken ct)
    {
        var words = SearchTerms.Words(r.Q);
        if (words.Length == 0) { await Send.OkAsync(new Page<VideoDto> { Items = [] }, ct); return; } // only symbols
        var fuzzy = string.Join(' ', words);
        fuzzy = fuzzy.Length >= MinFuzzyLength ? fuzzy[..Math.Min(fuzzy.Length, MaxFuzzyLength)] : null;
        ScoreCursor? cursor = ScoreCursor.TryDecode(r.Cursor, out var c, ScoreOrder.FullText, ScoreOrder.Fuzzy) ? c : null;
        var cap = options.Value.SearchCandidates;

        var args = new
        {
            Words = words, Prefix = SearchTerms.PrefixLast(words), Fuzzy = fuzzy, Now = clock.GetUtcNow(), Viewer = User.UserId(),
            CursorScore = cursor?.Score, CursorAt = cursor?.CreatedAt, CursorId = cursor?.Id, Take = r.Limit + 1,
            WindowFrom = cursor?.WindowFrom, WindowTo = cursor?.WindowTo,
            // A later page ranks the matches inside the first page's window: normally the same `cap` rows; the slack
            // covers rows sharing the boundary's created_at and uploads committed late into the window.
            Cap = cursor is null ? cap : 2 * cap,
        };
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(SearchVideosSql.CustomPlans, transaction: tx, cancellationToken: ct));
        var order = cursor?.Order ?? ScoreOrder.FullText;
        var rows = order == ScoreOrder.FullText
            ? await QueryAsync(conn, tx, cursor is null ? SearchVideosSql.FullTextFirst : SearchVideosSql.FullTextNext, args, ct)
            : [];
        if (fuzzy is not null && (order == ScoreOrder.Fuzzy || (cursor is null && rows.Count == 0)))
        {
            order = ScoreOrder.Fuzzy;
            rows = await QueryAsync(conn, tx, cursor is null ? SearchVideosSql.FuzzyFirst : SearchVideosSql.FuzzyNext, args, ct);
        }
        await tx.CommitAsync(ct);
        await Send.OkAsync(RankedPage.Of(rows, r.Limit, order), ct);
    }

    private static async Task<List<(VideoDto, SortKey)>> QueryAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, object args, CancellationToken ct)
        => (await conn.QueryAsync<VideoDto, AuthorDto, SortKey, (VideoDto, SortKey)>(
            new CommandDefinition(sql, args, tx, cancellationToken: ct), RankedPage.Map, splitOn: "id,score")).AsList();
}
