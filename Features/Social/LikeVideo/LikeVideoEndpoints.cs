using IgLive.Service.Features.Events.Fanout;

namespace IgLive.Service.Features.Social.LikeVideo;

/// <summary>PUT: like, idempotent.</summary>
public sealed class LikeVideoEndpoint(NpgsqlDataSource db, TimeProvider clock, LiveAnnouncer announcer)
    : LikeVideoEndpointBase(db, clock, announcer)
{
    public override void Configure() => ConfigureLike(Http.PUT, "Like a live video (idempotent)");

    protected override string Operation => LikeVideoSql.Like;
}

/// <summary>DELETE: unlike, idempotent.</summary>
public sealed class UnlikeVideoEndpoint(NpgsqlDataSource db, TimeProvider clock, LiveAnnouncer announcer)
    : LikeVideoEndpointBase(db, clock, announcer)
{
    public override void Configure() => ConfigureLike(Http.DELETE, "Remove the caller's like (idempotent)");

    protected override string Operation => LikeVideoSql.Unlike;
}

/// <summary>POST: toggle, as the prototype did.</summary>
public sealed class ToggleLikeVideoEndpoint(NpgsqlDataSource db, TimeProvider clock, LiveAnnouncer announcer)
    : LikeVideoEndpointBase(db, clock, announcer)
{
    public override void Configure() => ConfigureLike(Http.POST, "Toggle the caller's like (the prototype's behaviour)");

    protected override string Operation => LikeVideoSql.Toggle;
}

/// <summary>
/// The three like endpoints differ only in route and operation: each sends lock + operation as one batch
/// (see <see cref="LikeVideoSql"/>), announces the change after it commits (<see cref="LiveAnnouncer"/>) and answers 200, 403 (a block either way), 404, or 429 past the caller's likes per minute.
/// </summary>
public abstract class LikeVideoEndpointBase(NpgsqlDataSource db, TimeProvider clock, LiveAnnouncer announcer) : Endpoint<LikeVideoRequest, LikeVideoResponse>
{
    protected abstract string Operation { get; }

    /// <summary>The route, summary and refusals the three share; only the verb and the summary differ.</summary>
    protected void ConfigureLike(Http verb, string summary)
    {
        Verbs(verb);
        Routes("/api/videos/{id}/like");
        Summary(s => s.Summary = summary);
        Description(b => b.ProducesProblems(400, 401, 403, 404, 429));
        Options(b => b.RequireRateLimiting(LikesRateLimit.Policy)); // one budget for like, unlike and toggle
    }

    public override async Task HandleAsync(LikeVideoRequest r, CancellationToken ct)
    {
        var userId = User.RequiredUserId();
        var now = clock.GetUtcNow();
        LikeVideoResponse? result = null;
        var changed = false;
        Guid? notified = null;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var batch = new NpgsqlBatch(conn))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(LikeVideoSql.LockVideo)
            {
                Parameters = { new NpgsqlParameter<Guid>("VideoId", r.VideoId), new NpgsqlParameter<DateTimeOffset>("Now", now) },
            });
            batch.BatchCommands.Add(new NpgsqlBatchCommand(Operation)
            {
                Parameters =
                {
                    new NpgsqlParameter<Guid>("VideoId", r.VideoId),
                    new NpgsqlParameter<Guid>("Viewer", userId),
                    new NpgsqlParameter<DateTimeOffset>("Now", now),
                },
            });
            await using var reader = await batch.ExecuteReaderAsync(ct);
            if (await reader.NextResultAsync(ct) && await reader.ReadAsync(ct))
            {
                result = new LikeVideoResponse { Liked = reader.GetBoolean(0), LikesCount = reader.GetInt64(1) };
                changed = reader.GetBoolean(2);
                notified = reader.IsDBNull(3) ? null : reader.GetGuid(3);
            }
        }

        if (result is null)
        {
            await Send.ResultAsync(await VideoRefusals.ForAsync(conn, r.VideoId, userId, now, ct));
            return;
        }
        // The batch has committed (implicit transaction); announced outside it, batched per instance.
        if (changed) announcer.Announce(LiveEvents.VideoCounters(r.VideoId));
        if (notified is { } owner) announcer.Announce(LiveEvents.UserNotifications(owner));
        await Send.OkAsync(result, ct);
    }
}
