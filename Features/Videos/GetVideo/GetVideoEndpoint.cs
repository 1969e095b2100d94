namespace IgLive.Service.Features.Videos.GetVideo;

public sealed record GetVideoRequest
{
    /// <summary>The video's id.</summary>
    [BindFrom("id")] public Guid VideoId { get; init; }
}

public sealed class GetVideoEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<GetVideoRequest, VideoDto>
{
    public override void Configure()
    {
        Get("/api/videos/{id}");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "One live video";
            s.Description = "404 for an unknown, expired, removed or not yet ready video (its owner sees it while processing), and across a block; liked_by_me is set when a valid bearer token is sent. Never changes state (views are POST /views).";
        });
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(404));
    }

    public override async Task HandleAsync(GetVideoRequest r, CancellationToken ct)
    {
        var viewer = User.UserId();
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<VideoDto, AuthorDto, VideoDto>(new CommandDefinition(
            viewer is null ? GetVideoSql.Anonymous : GetVideoSql.ForViewer,
            new { r.VideoId, Now = clock.GetUtcNow(), Viewer = viewer }, cancellationToken: ct),
            static (v, a) => v with { Author = a }, splitOn: "id");
        if (rows.FirstOrDefault() is not { } video)
        {
            await Send.ResultAsync(VideoRefusals.NotFound());
            return;
        }
        await Send.OkAsync(video, ct);
    }
}

internal static class GetVideoSql
{
    private const string Select = """
        SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
               v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
        """;

    private const string From = $"""
               v.created_at, v.expires_at, v.status, v.failure_reason, p.id, p.username, p.display_name, p.avatar_url
        FROM videos v JOIN profiles p ON p.id = v.user_id
        WHERE v.id = @VideoId AND {Visibility.VideoToOwner} AND {Visibility.ActiveAuthor}
        """;

    // One visible video (its owner also sees it processing or failed) with its author, liked_by_me null;
    // videos_pkey, profiles_pkey, the caller's block list (user_blocks, once).
    public const string Anonymous = Select + "NULL::boolean AS liked_by_me," + From;

    // Same with liked_by_me; plus video_likes_pkey.
    public const string ForViewer = Select
        + "EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = @Viewer) AS liked_by_me,"
        + From;
}
