using System.Threading.Channels;

namespace IgLive.Service.Features.Events.Fanout;

/// <summary>
/// One open <c>GET /api/events</c> response: what it follows and the frames waiting to be written. Frames are complete
/// SSE text (<c>event:</c>/<c>id:</c>/<c>data:</c> lines and the blank line); the endpoint writes them in order.
/// </summary>
public sealed class EventStream(Guid? userId, IReadOnlySet<Guid> videos, IReadOnlySet<Guid> hiddenAuthors, int buffer)
{
    private readonly Channel<string> frames = Channel.CreateBounded<string>(new BoundedChannelOptions(buffer)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>The caller, when the stream carries their own events.</summary>
    public Guid? UserId { get; } = userId;
    /// <summary>Public video subscriptions (already filtered to what the caller may see).</summary>
    public IReadOnlySet<Guid> Videos { get; } = videos;
    /// <summary>Users the caller blocked or was blocked by when the stream opened: their comments are not sent.</summary>
    public IReadOnlySet<Guid> HiddenAuthors { get; } = hiddenAuthors;
    /// <summary>Newest notification change sent (the SSE id); guarded by the hub's per-user pull.</summary>
    public long LastSeq { get; set; }

    public ChannelReader<string> Reader => frames.Reader;

    /// <summary>Queues a frame; a stream whose client fell too far behind is ended instead (it will reconnect).</summary>
    public void Send(string frame)
    {
        if (!frames.Writer.TryWrite(frame)) frames.Writer.TryComplete(new StreamOverflowException());
    }

    /// <summary>Ends the stream after the frames already queued (shutdown).</summary>
    public void Complete() => frames.Writer.TryComplete();
}

/// <summary>The client read too slowly; its stream was ended.</summary>
public sealed class StreamOverflowException() : Exception("the client fell behind its event stream");
