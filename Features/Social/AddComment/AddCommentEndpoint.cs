using IgLive.Service.Features.Events.Fanout;
using IgLive.Service.Features.Notifications.Writer;

namespace IgLive.Service.Features.Social.AddComment;

public sealed class AddCommentEndpoint(NpgsqlDataSource db, TimeProvider clock, LiveAnnouncer announcer) : Endpoint<AddCommentRequest, CommentDto>
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
        var rows = await conn.QueryAsync<CommentDto, AuthorDto, NotifiedOwner, (CommentDto Comment, Guid? Owner)>(new CommandDefinition(AddCommentSql.Insert,
            new { Id = Guid.CreateVersion7(), r.VideoId, Viewer = viewer, Text = r.Text!.Trim(), Now = now },
            cancellationToken: ct), static (c, a, n) => (c with { Author = a }, n?.Notified), splitOn: "id,notified");
        if (rows.FirstOrDefault() is not { Comment: { } comment, Owner: var owner })
        {
            await Send.ResultAsync(await VideoRefusals.ForAsync(conn, r.VideoId, viewer, now, ct));
            return;
        }
        // The statement has committed (implicit transaction); announced outside it, batched per instance.
        announcer.Announce(LiveEvents.CommentAdded(comment.Id, comment.VideoId));
        announcer.Announce(LiveEvents.VideoCounters(comment.VideoId));
        if (owner is { } o) announcer.Announce(LiveEvents.UserNotifications(o));
        HttpContext.Response.Headers.Location = $"/api/videos/{r.VideoId}/comments/{comment.Id}";
        await Send.ResponseAsync(comment, StatusCodes.Status201Created, ct);
    }

    private sealed record NotifiedOwner(Guid? Notified);
}

internal static class AddCommentSql
{
    // Inserts only when the video is visible to the caller (no block either way), bumping comments_count in the same
    // statement; the video's owner gets a comment notification (unless the rules refuse it); returns the comment with its
    // author and `notified` (the owner's id when a notification was written), which the endpoint announces after the
    // commit (no pg_notify here: a notifying commit takes the cluster-wide NOTIFY lock); videos_pkey, profiles_pkey,
    // the caller's block list.
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
               (SELECT user_id FROM n) AS notified
        FROM c JOIN profiles p ON p.id = c.user_id
        """;
}
