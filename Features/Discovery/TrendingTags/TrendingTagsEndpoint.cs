namespace IgLive.Service.Features.Discovery.TrendingTags;

public sealed record TrendingTagsRequest
{
    /// <summary>How many tags, 1..50 (default 10).</summary>
    [QueryParam] public int Limit { get; init; } = 10;
}

public sealed class TrendingTagsValidator : Validator<TrendingTagsRequest>
{
    public TrendingTagsValidator() =>
        RuleFor(r => r.Limit).InclusiveBetween(1, 50).WithMessage("limit must be between 1 and 50");
}

public sealed record TrendingTagDto
{
    public required string Tag { get; init; }
    /// <summary>Visible videos uploaded in the last 24 hours with this tag, as of the last trending run.</summary>
    public required long VideosCount { get; init; }
}

public sealed record TrendingTagsResponse
{
    public required IReadOnlyList<TrendingTagDto> Items { get; init; }
}

public sealed class TrendingTagsEndpoint(NpgsqlDataSource db) : Endpoint<TrendingTagsRequest, TrendingTagsResponse>
{
    // Filled by the trending job (ComputeTrending); trending_tags_rank_idx.
    private const string Sql = "SELECT tag, videos_count FROM trending_tags ORDER BY videos_count DESC, tag LIMIT @Limit";

    public override void Configure()
    {
        Get("/api/tags/trending");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "The most used tags among visible videos of the last 24 hours";
            s.Description = "Precomputed by the trending job (at least every minute); a read never aggregates.";
        });
        Description(b => b.ProducesProblemDetails(400));
    }

    public override async Task HandleAsync(TrendingTagsRequest r, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<TrendingTagDto>(new CommandDefinition(Sql, new { r.Limit }, cancellationToken: ct));
        await Send.OkAsync(new TrendingTagsResponse { Items = rows.AsList() }, ct);
    }
}
