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
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<VideoDto, AuthorDto, VideoDto>(new CommandDefinition(
            at is null ? ListTagVideosSql.First : ListTagVideosSql.Next,
            new { Tag = r.Tag.ToLowerInvariant(), Now = clock.GetUtcNow(), Viewer = User.UserId(), CursorAt = at, CursorId = id, Take = r.Limit + 1 },
            cancellationToken: ct), static (v, a) => v with { Author = a }, splitOn: "id");
        var list = rows.AsList();
        var more = list.Count > r.Limit;
        if (more) list.RemoveRange(r.Limit, list.Count - r.Limit);
        await Send.OkAsync(new Page<VideoDto> { Items = list, NextCursor = more ? new Common.Cursor(list[^1].CreatedAt, list[^1].Id).Encode() : null }, ct);
    }
}

/// <summary>
/// video_tags keeps (tag, created_at, video_id) in index order, so a page walks video_tags_pkey backward from the cursor
/// and probes videos_pkey per row until @Take visible ones are found: O(page) for any tag size (the GIN index on
/// videos.tags can only return every match unordered).
/// </summary>
internal static class ListTagVideosSql
{
    private const string Head = DiscoveryVideoSql.Columns + """

        FROM (SELECT t.video_id, t.created_at FROM video_tags t WHERE t.tag = @Tag
        """;

    private const string After = "  AND (t.created_at, t.video_id) < (@CursorAt, @CursorId)";

    private const string Tail = """

              ORDER BY t.created_at DESC, t.video_id DESC) t
        CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
        """ + "\n" + DiscoveryVideoSql.Author + "\nWHERE " + DiscoveryVisibility.ForViewer + """

        ORDER BY t.created_at DESC, t.video_id DESC
        LIMIT @Take
        """;

    // A tag's visible videos, newest first; video_tags_pkey backward, videos_pkey and profiles_pkey per row.
    public const string First = Head + Tail;
    // Same, after a cursor (created_at, id).
    public const string Next = Head + After + Tail;
}
