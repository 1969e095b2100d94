namespace IgLive.Service.Features.Events.Fanout;

/// <summary>Section <c>Events</c>: the live streams (<c>GET /api/events</c>).</summary>
public sealed class EventsOptions
{
    /// <summary>Streams one user may hold open on one instance; the next gets 429.</summary>
    public int MaxStreamsPerUser { get; set; } = 5;
    /// <summary>Seconds between <c>: ping</c> comment lines on every stream (the contract says at most 15).</summary>
    public double PingSeconds { get; set; } = 15;
    /// <summary>Least time between two <c>video</c> events of one video (a like storm is coalesced), in milliseconds.</summary>
    public int CoalesceMilliseconds { get; set; } = 250;
    /// <summary>Frames a stream may have waiting; a client that falls further behind is disconnected (it reconnects with Last-Event-ID).</summary>
    public int StreamBuffer { get; set; } = 256;
    /// <summary>
    /// Connection string of the one LISTEN connection per instance; default: <c>ConnectionStrings:Postgres</c> without
    /// pooling. It must reach PostgreSQL directly or through a session-mode pooler: PgBouncer and Supavisor in
    /// transaction mode do not pass LISTEN.
    /// </summary>
    public string? ListenConnectionString { get; set; }
}
