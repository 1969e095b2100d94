using System.Text.RegularExpressions;
using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.ListTagVideos;

public sealed partial record ListTagVideosRequest
{
    /// <summary>The tag, <c>^[a-z0-9_]{1,30}$</c> once lower-cased.</summary>
    public string Tag { get; init; } = "";
    /// <summary>Page size, 1..50 (default 20).</summary>
    [QueryParam] public int Limit { get; init; } = 20;
    /// <summary>The previous page's <c>next_cursor</c>; absent for the first page.</summary>
    [QueryParam] public string? Cursor { get; init; }

    [GeneratedRegex("^[a-z0-9_]{1,30}$")]
    internal static partial Regex TagPattern();
}

public sealed class ListTagVideosValidator : Validator<ListTagVideosRequest>
{
    public ListTagVideosValidator()
    {
        RuleFor(r => r.Tag).Must(t => ListTagVideosRequest.TagPattern().IsMatch(t.ToLowerInvariant()))
            .WithMessage("tag must match ^[a-z0-9_]{1,30}$");
        RuleFor(r => r.Limit).InclusiveBetween(1, 50).WithMessage("limit must be between 1 and 50");
        RuleFor(r => r.Cursor).Must(c => Common.Cursor.TryDecode(c, out _)).When(r => r.Cursor is not null)
            .WithMessage(Common.Cursor.Invalid);
    }
}

public sealed class ListTagVideosEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<ListTagVideosRequest, Page<VideoDto>>
{
    public override void Configure()
    {
        Get("/api/tags/{tag}/videos");
        AllowAnonymous();
        Summary(s => s.Summary = "Visible videos with a tag, newest first");
        Description(b => b.ProducesProblemDetails(400));
    }

    public override async Task HandleAsync(ListTagVideosRequest r, CancellationToken ct)
    {
        var (at, id) = Common.Cursor.Parameters(r.Cursor);
        var viewer = User.UserId();
        var sql = (viewer, at) switch
        {
            (null, null) => ListTagVideosSql.FirstAnonymous,
            (null, _) => ListTagVideosSql.NextAnonymous,
            (_, null) => ListTagVideosSql.FirstForViewer,
            _ => ListTagVideosSql.NextForViewer,
        };
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<VideoDto, AuthorDto, VideoDto>(new CommandDefinition(sql,
            new { Tag = r.Tag.ToLowerInvariant(), Now = clock.GetUtcNow(), Viewer = viewer, CursorAt = at, CursorId = id, Take = r.Limit + 1 },
            cancellationToken: ct), static (v, a) => v with { Author = a }, splitOn: "id");
        await Send.OkAsync(Page.Of(rows.AsList(), r.Limit), ct);
    }
}
