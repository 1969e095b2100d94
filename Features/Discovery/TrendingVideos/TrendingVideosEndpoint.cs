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
        var viewer = User.UserId();
        var sql = (viewer, cursor) switch
        {
            (null, null) => TrendingVideosSql.FirstAnonymous,
            (null, _) => TrendingVideosSql.NextAnonymous,
            (_, null) => TrendingVideosSql.FirstForViewer,
            _ => TrendingVideosSql.NextForViewer,
        };
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<VideoDto, AuthorDto, SortKey, (VideoDto, SortKey)>(new CommandDefinition(sql,
            new { Now = clock.GetUtcNow(), Viewer = viewer, CursorScore = cursor?.Score, CursorId = cursor?.Id, Take = r.Limit + 1 },
            cancellationToken: ct), RankedPage.Map, splitOn: "id,score");
        await Send.OkAsync(RankedPage.Of(rows.AsList(), r.Limit, ScoreOrder.Trending), ct);
    }
}
