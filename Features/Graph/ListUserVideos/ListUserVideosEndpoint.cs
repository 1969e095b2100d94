using IgLive.Service.Features.Graph.ProfileLists;

namespace IgLive.Service.Features.Graph.ListUserVideos;

public sealed class ListUserVideosEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<ProfileListRequest, Page<VideoDto>>
{
    public override void Configure()
    {
        Get("/api/users/{username}/videos");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "A user's visible videos, newest first";
            s.Description = "The owner also sees their processing and failed videos. 404 for an unknown user and across a block.";
        });
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(404));
    }

    public override async Task HandleAsync(ProfileListRequest r, CancellationToken ct)
    {
        var viewer = User.UserId();
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        var owner = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(ProfilePages.VisibleUserId,
            new { r.Username, Viewer = viewer }, cancellationToken: ct));
        if (owner is null) { await Send.ResultAsync(ProblemsExtensions.Problem(404, $"No user is named '{r.Username}'.")); return; }
        var (at, id) = Cursor.Parameters(r.Cursor);
        var rows = await conn.QueryAsync<VideoDto, AuthorDto, VideoDto>(new CommandDefinition(
            at is null ? ListUserVideosSql.First : ListUserVideosSql.Next,
            new { Owner = owner, Viewer = viewer, Now = now, CursorAt = at, CursorId = id, Take = r.Limit + 1 }, cancellationToken: ct),
            static (v, a) => v with { Author = a }, splitOn: "id");
        await Send.OkAsync(Page.Of(rows.AsList(), r.Limit), ct);
    }
}

internal static class ListUserVideosSql
{
    private const string Head = $"""
        SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
               v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
               CASE WHEN @Viewer::uuid IS NULL THEN NULL
                    ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = @Viewer) END AS liked_by_me,
               v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
        FROM (SELECT * FROM videos v
              WHERE v.user_id = @Owner AND {Visibility.VideoToOwner}
                AND (v.user_id = @Viewer OR {Visibility.ActiveAuthorProbe})
        """;

    private const string Tail = """

              ORDER BY v.created_at DESC, v.id DESC
              LIMIT 51) v
        CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
        ORDER BY v.created_at DESC, v.id DESC
        LIMIT @Take
        """;

    // The owner's visible videos + 1 (their own processing/failed ones too when they ask), newest first;
    // videos_user_feed_idx from the top, profiles_pkey and video_likes_pkey per row (shape of GetFeedSql).
    public const string First = Head + Tail;
    // Same after a cursor: videos_user_feed_idx from the (created_at, id) position.
    public const string Next = Head + "\n  AND (v.created_at, v.id) < (@CursorAt, @CursorId)" + Tail;
}
