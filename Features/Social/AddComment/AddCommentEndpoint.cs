using IgLive.Service.Features.Notifications.Writer;

namespace IgLive.Service.Features.Social.AddComment;

public sealed class AddCommentEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<AddCommentRequest, CommentDto>
{
    public override void Configure()
    {
        Verbs(Http.POST);
        // The singular route is the Node prototype's; kept as an alias while its clients migrate.
        Routes("/api/videos/{id}/comments", "/api/videos/{id}/comment");
        Summary(s => s.Summary = "Comment on a live video");
        Description(b => b.Produces<CommentDto>(201).ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(403).ProducesProblemDetails(404).ProducesProblemDetails(429));
        Options(b => b.RequireRateLimiting(CommentsRateLimit.Policy));
    }

    public override async Task HandleAsync(AddCommentRequest r, CancellationToken ct)
    {
        var viewer = User.UserId();
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<CommentDto, AuthorDto, CommentDto>(new CommandDefinition(AddCommentSql.Insert,
            new { Id = Guid.CreateVersion7(), r.VideoId, Viewer = viewer, Text = r.Text!.Trim(), Now = now },
            cancellationToken: ct), static (c, a) => c with { Author = a }, splitOn: "id");
        if (rows.FirstOrDefault() is not { } comment)
        {
            await Send.ResultAsync(await VideoRefusals.ForAsync(conn, r.VideoId, viewer, now, ct));
            return;
        }
        HttpContext.Response.Headers.Location = $"/api/videos/{r.VideoId}/comments/{comment.Id}";
        await Send.ResponseAsync(comment, StatusCodes.Status201Created, ct);
    }
}

internal static class AddCommentSql
{
    // Inserts only when the video is visible to the caller (no block either way), bumping comments_count in the same
    // statement; the video's owner gets a comment notification (unless the rules refuse it) and the change is announced;
    // returns the comment with its author; videos_pkey, profiles_pkey, the caller's block list.
    public const string Insert = $"""
        WITH v AS (UPDATE videos v SET comments_count = v.comments_count + 1
                   WHERE v.id = @VideoId AND {Visibility.Video} AND {Visibility.ActiveAuthorProbe} RETURNING v.id, v.user_id),
             c AS (INSERT INTO video_comments (id, video_id, user_id, text, created_at)
                   SELECT @Id, id, @Viewer, @Text, @Now FROM v
                   RETURNING id, video_id, user_id, text, created_at),
             n AS (INSERT INTO notifications (id, user_id, kind, video_id, comment_id, created_at, updated_at)
                   SELECT gen_random_uuid(), r.recipient_id, r.kind, v.id, @Id, @Now, @Now
                   FROM v CROSS JOIN LATERAL (SELECT v.user_id AS recipient_id, @Viewer::uuid AS actor_id, 'comment'::text AS kind) r
                   WHERE
        {NotificationWriterSql.Allowed}
                   RETURNING id, user_id),
             a AS (INSERT INTO notification_actors (notification_id, actor_id, acted_at) SELECT id, @Viewer, @Now FROM n)
        SELECT c.id, c.video_id, c.text, c.created_at, p.id, p.username, p.display_name, p.avatar_url,
               pg_notify('iglive_events', 'c:' || c.id::text || ':' || c.video_id::text) AS announced_comment,
               pg_notify('iglive_events', 'v:' || c.video_id::text) AS announced_video,
               (SELECT pg_notify('iglive_events', 'n:' || user_id::text) FROM n) AS announced_owner
        FROM c JOIN profiles p ON p.id = c.user_id
        """;
}
