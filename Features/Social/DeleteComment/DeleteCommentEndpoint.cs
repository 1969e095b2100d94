using IgLive.Service.Features.Events.Fanout;

namespace IgLive.Service.Features.Social.DeleteComment;

public sealed record DeleteCommentRequest
{
    /// <summary>The video's id.</summary>
    [BindFrom("id")] public Guid VideoId { get; init; }
    /// <summary>The comment's id.</summary>
    [BindFrom("comment_id")] public Guid CommentId { get; init; }
}

public sealed class DeleteCommentEndpoint(NpgsqlDataSource db, TimeProvider clock, LiveAnnouncer announcer) : Endpoint<DeleteCommentRequest>
{
    public override void Configure()
    {
        Delete("/api/videos/{id}/comments/{comment_id}");
        Summary(s => s.Summary = "Delete a comment (its author or the video's owner)");
        Description(b => b.Produces(204).ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(403).ProducesProblemDetails(404));
    }

    public override async Task HandleAsync(DeleteCommentRequest r, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var outcome = await conn.QuerySingleAsync<DeleteOutcome>(new CommandDefinition(DeleteCommentSql.Delete,
            new { r.VideoId, r.CommentId, UserId = User.UserId(), Now = clock.GetUtcNow() }, cancellationToken: ct));
        switch (outcome)
        {
            case { Deleted: true }:
                // Committed (one statement): the video's counter and the owner's notifications changed.
                announcer.Announce(LiveEvents.VideoCounters(r.VideoId));
                if (outcome.OwnerId is { } owner) announcer.Announce(LiveEvents.UserNotifications(owner));
                await Send.NoContentAsync(ct);
                break;
            case { Found: true, Allowed: false }:
                await Send.ResultAsync(ProblemsExtensions.Problem(403, "Only the comment's author or the video's owner may delete it."));
                break;
            default: // unknown/expired video, unknown comment, or deleted by a concurrent request
                await Send.ResultAsync(ProblemsExtensions.Problem(404, "No such comment on a live video."));
                break;
        }
    }

    private sealed record DeleteOutcome(bool Found, bool Allowed, bool Deleted, Guid? OwnerId);
}

internal static class DeleteCommentSql
{
    // Deletes the comment when the caller wrote it or owns the live video, decrementing comments_count by the rows
    // actually deleted (a concurrent second delete finds nothing); its notification goes with it (ON DELETE CASCADE),
    // and returns the owner's id when it deleted, for the endpoint to announce to the video's subscribers and the owner's
    // streams after the commit; video_comments_pkey, videos_pkey.
    public const string Delete = """
        WITH c AS (SELECT c.id, c.video_id, v.user_id AS owner_id, (c.user_id = @UserId OR v.user_id = @UserId) AS allowed
                   FROM video_comments c JOIN videos v ON v.id = c.video_id
                   WHERE c.id = @CommentId AND c.video_id = @VideoId AND v.expires_at > @Now),
             d AS (DELETE FROM video_comments WHERE id IN (SELECT id FROM c WHERE allowed) RETURNING video_id),
             u AS (UPDATE videos SET comments_count = comments_count - (SELECT count(*) FROM d)
                   WHERE id IN (SELECT video_id FROM d))
        SELECT EXISTS (SELECT 1 FROM c) AS found, COALESCE((SELECT allowed FROM c), false) AS allowed,
               EXISTS (SELECT 1 FROM d) AS deleted,
               (SELECT c.owner_id FROM c WHERE EXISTS (SELECT 1 FROM d)) AS owner_id
        """;
}
