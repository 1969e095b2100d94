using IgLive.Service.Features.Events.Fanout;
using IgLive.Service.Features.Moderation.Suspension;

namespace IgLive.Service.Features.Videos.RecordView;

public sealed record RecordViewRequest
{
    /// <summary>The video's id.</summary>
    [BindFrom("id")] public Guid VideoId { get; init; }
}

// Watching is reading: a suspended viewer's views still count.
[AllowedWhileSuspended]
public sealed class RecordViewEndpoint(NpgsqlDataSource db, TimeProvider clock, LiveAnnouncer announcer) : Endpoint<RecordViewRequest>
{
    public override void Configure()
    {
        Post("/api/videos/{id}/views");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Playback started";
            s.Description = "202. Counted at most once per viewer (the user, else the client address) per video per 30 minutes.";
        });
        Description(b => b.Produces(202).ProducesProblemDetails(400).ProducesProblemDetails(403).ProducesProblemDetails(404));
    }

    public override async Task HandleAsync(RecordViewRequest r, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var viewer = User.UserId();
        await using var conn = await db.OpenConnectionAsync(ct);
        var (found, counted) = await conn.QuerySingleAsync<(bool Found, bool Counted)>(new CommandDefinition(RecordViewSql.Record,
            new { r.VideoId, ViewerKey = ViewerKey(HttpContext), Viewer = viewer, Now = now }, cancellationToken: ct));
        if (!found)
        {
            await Send.ResultAsync(await VideoRefusals.ForAsync(conn, r.VideoId, viewer, now, ct));
            return;
        }
        // Committed (one statement): announced outside it, batched per instance.
        if (counted) announcer.Announce(LiveEvents.VideoCounters(r.VideoId));
        await Send.ResultAsync(TypedResults.Accepted((string?)null));
    }

    /// <summary>
    /// "u:{user id}" for a signed-in viewer, else "a:{client address}". Behind a reverse proxy the connection's address
    /// is the proxy's: configure ForwardedHeaders (KnownProxies/KnownNetworks) there, or every anonymous viewer becomes
    /// one. A missing address (in-memory test servers, some transports) is the single viewer "a:unknown".
    /// </summary>
    internal static string ViewerKey(HttpContext ctx)
        => ctx.User.UserId() is { } id ? $"u:{id:N}"
            : "a:" + (ctx.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : "unknown");
}

internal static class RecordViewSql
{
    // True when the video is visible to the caller (a block either way → false); counts the view only when this viewer's row is new or older than 30 minutes.
    // The conflict arm re-checks the latest row version under its lock, so concurrent duplicates count once;
    // video_views_pkey, videos_pkey. (A data-modifying CTE always runs to completion, read or not.) Returns (found,
    // counted): the endpoint announces a counted view to the video's live subscribers after the commit.
    public const string Record = $"""
        WITH v AS (SELECT v.id FROM videos v WHERE v.id = @VideoId AND {Visibility.Video} AND {Visibility.ActiveAuthorProbe}),
             counted AS (
                 INSERT INTO video_views AS vv (video_id, viewer_key, last_counted_at)
                 SELECT id, @ViewerKey, @Now FROM v
                 ON CONFLICT (video_id, viewer_key) DO UPDATE SET last_counted_at = EXCLUDED.last_counted_at
                 WHERE vv.last_counted_at <= EXCLUDED.last_counted_at - interval '30 minutes'
                 RETURNING vv.video_id),
             bumped AS (UPDATE videos SET views_count = views_count + 1 WHERE id IN (SELECT video_id FROM counted))
        SELECT EXISTS (SELECT 1 FROM v) AS found, EXISTS (SELECT 1 FROM counted) AS counted
        """;
}
