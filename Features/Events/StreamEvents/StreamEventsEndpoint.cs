using System.Threading.Channels;
using IgLive.Service.Features.Events.Fanout;
using IgLive.Service.Features.Events.IssueTicket;
using IgLive.Service.Features.Notifications.Inbox;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Events.StreamEvents;

/// <summary>
/// <c>GET /api/events</c>: a Server-Sent Events stream. Registered with this instance's <see cref="EventHub"/> before
/// its initial state is read, so nothing committed in between is missed; the hub's change cursor keeps anything from
/// being sent twice. Ends when the client goes, when it falls too far behind, or when the instance shuts down.
/// </summary>
public sealed class StreamEventsEndpoint(NpgsqlDataSource db, TimeProvider clock, EventHub hub, IHostApplicationLifetime lifetime,
    IOptions<EventsOptions> options) : Endpoint<StreamEventsRequest>
{
    public override void Configure()
    {
        Get("/api/events");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Live updates (text/event-stream)";
            s.Description = "With a ticket or Bearer token: the caller's notification and unread_count events; with videos: " +
                            "their video (counters, coalesced to 4/s) and comment events. A ': ping' line at least every 15 s.";
        });
        Description(b => b.Produces(200, contentType: "text/event-stream").ProducesProblemDetails(400).ProducesProblemDetails(401)
            .ProducesProblemDetails(429));
    }

    public override async Task HandleAsync(StreamEventsRequest r, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Guid? userId = User.UserId();
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            if (r.Ticket is not null)
            {
                userId = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(StreamEventsSql.UseTicket,
                    new { Hash = IssueTicketEndpoint.Hash(r.Ticket), Now = now }, cancellationToken: ct));
                if (userId is null)
                {
                    await Send.ResultAsync(ProblemsExtensions.Problem(401, "The ticket is unknown, used or expired; get a new one."));
                    return;
                }
            }
            var asked = r.VideoIds;
            if (userId is null && asked.Length == 0)
            {
                await Send.ResultAsync(ProblemsExtensions.Problem(400, "Send a ticket (or a Bearer token), videos, or both."));
                return;
            }

            var videos = asked.Length == 0 ? [] : (await conn.QueryAsync<Guid>(new CommandDefinition(StreamEventsSql.VisibleVideos,
                new { Ids = asked, Viewer = userId, Now = now }, cancellationToken: ct))).ToHashSet();
            var hidden = userId is null ? [] : (await conn.QueryAsync<Guid>(new CommandDefinition(StreamEventsSql.HiddenAuthors,
                new { UserId = userId }, cancellationToken: ct))).ToHashSet();
            long lastSeq = 0;
            if (userId is { } u)
                lastSeq = long.TryParse(r.LastEventId, out var id) && id >= 0 ? id : await Inbox.LatestSeqAsync(conn, u, ct);

            var stream = new EventStream(userId, videos, hidden, options.Value.StreamBuffer) { LastSeq = lastSeq };
            if (!hub.TryAdd(stream))
            {
                await Send.ResultAsync(ProblemsExtensions.Problem(429,
                    $"At most {options.Value.MaxStreamsPerUser} event streams per user; close one first."));
                return;
            }
            try
            {
                await conn.CloseAsync(); // a stream holds no pooled connection while it waits
                await WriteAsync(stream, ct);
            }
            finally
            {
                hub.Remove(stream);
            }
        }
    }

    private async Task WriteAsync(EventStream stream, CancellationToken ct)
    {
        var res = HttpContext.Response;
        res.StatusCode = 200;
        res.ContentType = "text/event-stream";
        res.Headers.CacheControl = "no-cache";
        res.Headers["X-Accel-Buffering"] = "no"; // nginx: do not buffer the stream
        HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var stopping = lifetime.ApplicationStopping.Register(stream.Complete);
        await res.WriteAsync("retry: 3000\n\n", ct);
        await res.Body.FlushAsync(ct);

        if (stream.UserId is { } user) hub.Catchup(user);
        await hub.SendVideoStatesAsync(stream, ct);
        try
        {
            while (await stream.Reader.WaitToReadAsync(ct))
            {
                while (stream.Reader.TryRead(out var frame)) await res.WriteAsync(frame, ct);
                await res.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { } // the client went away
        catch (StreamOverflowException) { }
        catch (ChannelClosedException) { }
    }
}
