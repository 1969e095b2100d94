namespace IgLive.Service.Features.Social.ListComments;

public sealed record ListCommentsRequest : PageRequest
{
    /// <summary>The video's id.</summary>
    [BindFrom("id")] public Guid VideoId { get; init; }
}

public sealed class ListCommentsValidator : Validator<ListCommentsRequest>
{
    public ListCommentsValidator() => Include(PageRequestValidator.Instance);
}

public sealed class ListCommentsEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<ListCommentsRequest, Page<CommentDto>>
{
    public override void Configure()
    {
        Get("/api/videos/{id}/comments");
        AllowAnonymous();
        Summary(s => s.Summary = "Comments of a live video, newest first");
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(404));
    }

    public override async Task HandleAsync(ListCommentsRequest r, CancellationToken ct)
    {
        var (at, id) = Cursor.Parameters(r.Cursor);
        var now = clock.GetUtcNow();
        var viewer = User.UserId();
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<CommentDto, AuthorDto, CommentDto>(new CommandDefinition(
            at is null ? ListCommentsSql.First : ListCommentsSql.Next,
            new { r.VideoId, Now = now, Viewer = viewer, CursorAt = at, CursorId = id, Take = r.Limit + 1 }, cancellationToken: ct),
            static (c, a) => c with { Author = a }, splitOn: "id")).AsList();
        // An empty page is either the end of a live video's comments or an unknown/expired video: ask which.
        if (rows.Count == 0 && !await conn.ExecuteScalarAsync<bool>(new CommandDefinition(ListCommentsSql.Live,
                new { r.VideoId, Now = now, Viewer = viewer }, cancellationToken: ct)))
        {
            await Send.ResultAsync(VideoRefusals.NotFound());
            return;
        }
        await Send.OkAsync(Page.Of(rows, r.Limit), ct);
    }
}

internal static class ListCommentsSql
{
    private const string VisibleVideo = $"""
        SELECT 1 FROM videos v JOIN profiles p ON p.id = v.user_id
        WHERE v.id = @VideoId AND {Visibility.Video} AND {Visibility.ActiveAuthor}
        """;

    // Whether the video is visible to the caller; videos_pkey, profiles_pkey, the caller's block list.
    public const string Live = $"SELECT EXISTS ({VisibleVideo})";

    private const string Select = $"""
        SELECT c.id, c.video_id, c.text, c.created_at, p.id, p.username, p.display_name, p.avatar_url
        FROM (SELECT c.id, c.video_id, c.user_id, c.text, c.created_at FROM video_comments c
              WHERE c.video_id = @VideoId AND {Visibility.Comment}
        """;

    private const string Tail = $"""

              ORDER BY c.created_at DESC, c.id DESC LIMIT 51) c
        CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = c.user_id OFFSET 0) p
        WHERE EXISTS ({VisibleVideo})
        ORDER BY c.created_at DESC, c.id DESC
        LIMIT @Take
        """;

    // The newest comments + 1 with authors, none unless the video is visible (a one-time videos_pkey check), none
    // by a user blocked either way with the caller (their block list, once); video_comments_video_idx, profiles_pkey
    // per row; constant inner LIMIT 51 and the OFFSET 0 fence keep generic plans O(page), see GetFeedSql.
    public const string First = Select + Tail;
    // Same after a cursor: video_comments_video_idx from the (created_at, id) position.
    public const string Next = Select + "\n  AND (c.created_at, c.id) < (@CursorAt, @CursorId)" + Tail;
}
