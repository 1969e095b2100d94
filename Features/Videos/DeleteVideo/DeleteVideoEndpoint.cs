using IgLive.Service.Features.Housekeeping.StorageDeletions;

namespace IgLive.Service.Features.Videos.DeleteVideo;

/// <summary>
/// Deletes the caller's video: the row (likes, comments and views cascade) and, in the same statement, queues its
/// stored file (and local thumbnail) in <c>storage_deletions</c>. The files are deleted by the queue's drainer, not
/// here, so a store outage never leaves a row without a file or a file without a queue entry.
/// </summary>
public sealed class DeleteVideoEndpoint(NpgsqlDataSource db, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Delete("/api/videos/{id}");
        Summary(s =>
        {
            s.Summary = "Delete one of your videos";
            s.Description = "204 when deleted; the stored file is removed shortly after through the durable deletion queue. 403 when the video is someone else's, 404 when unknown or expired.";
        });
        Description(b => b.Produces(204).ProducesProblemDetails(401).ProducesProblemDetails(403).ProducesProblemDetails(404));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        if (!Guid.TryParse(Route<string>("id", isRequired: false), out var id))
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(404, "No such video."));
            return;
        }
        await using var conn = await db.OpenConnectionAsync(ct);
        var outcome = await conn.QuerySingleAsync<string>(new CommandDefinition(DeleteVideoSql.Delete,
            new { Id = id, UserId = User.UserId(), Now = clock.GetUtcNow() }, cancellationToken: ct));
        switch (outcome)
        {
            case "deleted": await Send.NoContentAsync(ct); break;
            case "forbidden": await Send.ResultAsync(ProblemsExtensions.Problem(403, "Only the video's author can delete it.")); break;
            default: await Send.ResultAsync(ProblemsExtensions.Problem(404, "No such video.")); break;
        }
    }
}

internal static class DeleteVideoSql
{
    // Deletes the caller's live video and queues its stored objects in one statement; returns 'deleted', 'forbidden'
    // or 'missing'. videos_pkey; storage_deletions_object_key makes a repeated enqueue a no-op.
    public const string Delete = $"""
        WITH target AS (
            SELECT id, user_id, storage_provider, storage_key, thumbnail_key FROM videos
            WHERE id = @Id AND expires_at > @Now
            FOR UPDATE),
        gone AS (
            DELETE FROM videos v USING target t WHERE v.id = t.id AND t.user_id = @UserId
            RETURNING t.id, t.storage_provider, t.storage_key, t.thumbnail_key),
        to_delete AS (
            SELECT g.storage_provider AS provider, k.key AS storage_key, 'key' AS kind, g.id AS video_id,
                   'video_deleted' AS reason, @Now AS next_attempt_at
            FROM gone g CROSS JOIN LATERAL (VALUES (g.storage_key), (g.thumbnail_key)) AS k(key)
            WHERE k.key IS NOT NULL),
        queued AS (
            {StorageDeletionSql.Enqueue}
            RETURNING 1)
        SELECT CASE WHEN EXISTS (SELECT 1 FROM gone) THEN 'deleted'
                    WHEN EXISTS (SELECT 1 FROM target) THEN 'forbidden'
                    ELSE 'missing' END
        """;
}
