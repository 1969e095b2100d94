using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.TrendingVideos;

public sealed record TrendingVideosRequest
{
    /// <summary>Page size, 1..50 (default 20).</summary>
    [QueryParam] public int Limit { get; init; } = 20;
    /// <summary>The previous page's <c>next_cursor</c>; absent for the first page.</summary>
    [QueryParam] public string? Cursor { get; init; }
}

public sealed class TrendingVideosValidator : Validator<TrendingVideosRequest>
{
    public TrendingVideosValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, 50).WithMessage("limit must be between 1 and 50");
        RuleFor(r => r.Cursor).Must(c => ScoreCursor.TryDecode(c, out _, ScoreOrder.Trending))
            .When(r => r.Cursor is not null).WithMessage(ScoreCursor.Invalid);
    }
}

public sealed class TrendingVideosEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<TrendingVideosRequest, Page<VideoDto>>
{
    public override void Configure()
    {
        Get("/api/videos/trending");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Visible videos ranked by recent likes, comments and views";
            s.Description = "The score decays with the age of each like, comment and view; it is recomputed by a background job " +
                            "at least every minute, so a page is read from that ranking, never aggregated on request.";
        });
        Description(b => b.ProducesProblemDetails(400));
    }

    public override async Task HandleAsync(TrendingVideosRequest r, CancellationToken ct)
    {
        ScoreCursor? cursor = ScoreCursor.TryDecode(r.Cursor, out var c, ScoreOrder.Trending) ? c : null;
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<VideoDto, AuthorDto, SortKey, (VideoDto, SortKey)>(new CommandDefinition(
            cursor is null ? TrendingVideosSql.First : TrendingVideosSql.Next,
            new { Now = clock.GetUtcNow(), Viewer = User.UserId(), CursorScore = cursor?.Score, CursorId = cursor?.Id, Take = r.Limit + 1 },
            cancellationToken: ct), RankedPage.Map, splitOn: "id,score");
        await Send.OkAsync(RankedPage.Of(rows.AsList(), r.Limit, ScoreOrder.Trending), ct);
    }
}

/// <summary>
/// Walks trending_videos_rank_idx from the cursor and probes videos_pkey per row, dropping rows that stopped being
/// visible since the last run (expired, removed, blocked): O(page). The cursor's created_at is unused; (score, id) is
/// the key. A run between two pages re-ranks, so a video may then appear twice or be skipped across that boundary.
/// </summary>
internal static class TrendingVideosSql
{
    private const string Head = DiscoveryVideoSql.Columns + """
        , t.score
        FROM (SELECT video_id, score FROM trending_videos
        """;

    private const string After = "  WHERE (score, video_id) < (@CursorScore, @CursorId)";

    private const string Tail = """

              ORDER BY score DESC, video_id DESC) t
        CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
        """ + "\n" + DiscoveryVideoSql.Author + "\nWHERE " + DiscoveryVisibility.ForViewer + """

        ORDER BY t.score DESC, t.video_id DESC
        LIMIT @Take
        """;

    // The ranking's first visible videos; trending_videos_rank_idx, videos_pkey and profiles_pkey per row.
    public const string First = Head + Tail;
    // Same, after a cursor (score, id).
    public const string Next = Head + After + Tail;
}
