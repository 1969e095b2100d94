using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using IgLive.Service.Features.Notifications.Inbox;
using IgLive.Service.Infrastructure.Api;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Events.Fanout;

/// <summary>
/// This instance's open streams, indexed by user and by video, and the turning of LISTEN payloads (ids only, see
/// <see cref="LiveEvents"/>) into frames: state is re-read from the database once per change (not once per stream),
/// video counters at most once per <see cref="EventsOptions.CoalesceMilliseconds"/> per video, a user's notifications
/// by their change cursor (so a burst becomes one read and nothing is sent twice).
/// </summary>
public sealed partial class EventHub(NpgsqlDataSource db, TimeProvider clock, IOptions<EventsOptions> options, ILogger<EventHub> log,
    IEnumerable<ILiveEventObserver> observers)
{
    private static readonly JsonSerializerOptions Json = CreateJson();
    private readonly EventsOptions opt = options.Value;
    private readonly ConcurrentDictionary<Guid, Topic> users = new();
    private readonly ConcurrentDictionary<Guid, Topic> videos = new();
    private readonly Lock gate = new();
    private readonly ILiveEventObserver[] observers = [.. observers];

    private int open;

    /// <summary>Open streams on this instance.</summary>
    public int Count => Volatile.Read(ref open);

    /// <summary>Registers a stream; false when its user already holds the maximum on this instance.</summary>
    public bool TryAdd(EventStream s)
    {
        lock (gate)
        {
            if (s.UserId is { } u)
            {
                var t = users.GetOrAdd(u, _ => new Topic());
                if (t.Streams.Length >= opt.MaxStreamsPerUser) return false;
                t.Streams = [.. t.Streams, s];
            }
            foreach (var v in s.Videos)
            {
                var t = videos.GetOrAdd(v, _ => new Topic());
                t.Streams = [.. t.Streams, s];
            }
            open++;
        }
        return true;
    }

    public void Remove(EventStream s)
    {
        lock (gate)
        {
            if (s.UserId is { } u) Detach(users, u, s);
            foreach (var v in s.Videos) Detach(videos, v, s);
            open--;
        }
    }

    private static void Detach(ConcurrentDictionary<Guid, Topic> map, Guid key, EventStream s)
    {
        if (!map.TryGetValue(key, out var t)) return;
        t.Streams = [.. t.Streams.Where(x => x != s)];
        if (t.Streams.Length == 0) map.TryRemove(key, out _);
    }

    /// <summary>Handles one LISTEN payload; returns at once (the reads run in the background).</summary>
    public void Dispatch(string payload)
    {
        if (payload.Length < 38 || payload[1] != ':' || !Guid.TryParse(payload.AsSpan(2, 36), out var id)) return;
        switch (payload[0])
        {
            case 'n' when users.TryGetValue(id, out var t): Schedule(t, TimeSpan.Zero, ct => PullAsync(id, ct)); break;
            case 'v' when videos.TryGetValue(id, out var t): ScheduleVideo(id, t, statusChanged: false); break;
            case 's': _ = Run(ct => SendVideoAsync(id, statusChanged: true, ct)); break;
            case 'c' when payload.Length >= 75 && Guid.TryParse(payload.AsSpan(39, 36), out var video) && videos.ContainsKey(video):
                _ = Run(ct => SendCommentAsync(id, ct)); break;
            default:
                foreach (var o in observers) if (o.Kind == payload[0]) o.OnAnnounced(id);
                break;
        }
    }

    /// <summary>After the listener (re)connected: whatever was announced meanwhile is lost, so re-read everything followed.</summary>
    public void Resync()
    {
        foreach (var (id, t) in users) Schedule(t, TimeSpan.Zero, ct => PullAsync(id, ct));
        foreach (var (id, t) in videos) ScheduleVideo(id, t, statusChanged: false);
        foreach (var o in observers) o.OnResync();
    }

    /// <summary>Starts a user stream: its notifications after <see cref="EventStream.LastSeq"/> and the unread count.</summary>
    public void Catchup(Guid userId)
    {
        if (users.TryGetValue(userId, out var t)) Schedule(t, TimeSpan.Zero, ct => PullAsync(userId, ct));
    }

    /// <summary>Sends a comment line to every stream (keeps proxies and clients from timing the stream out).</summary>
    public void Ping()
    {
        List<EventStream> all;
        lock (gate) all = [.. users.Values.SelectMany(t => t.Streams).Concat(videos.Values.SelectMany(t => t.Streams)).Distinct()];
        foreach (var s in all) s.Send(": ping\n\n");
    }

    /// <summary>Ends every stream (shutdown): each endpoint writes what is queued and returns.</summary>
    public void CompleteAll()
    {
        lock (gate)
            foreach (var s in users.Values.SelectMany(t => t.Streams).Concat(videos.Values.SelectMany(t => t.Streams))) s.Complete();
    }

    private void ScheduleVideo(Guid id, Topic t, bool statusChanged)
        => Schedule(t, TimeSpan.FromMilliseconds(opt.CoalesceMilliseconds), ct => SendVideoAsync(id, statusChanged, ct));

    // At most one run per topic is pending; changes that arrive while one runs schedule exactly one more, no sooner than
    // minInterval after the previous run began (the first change after a quiet spell runs at once).
    private void Schedule(Topic t, TimeSpan minInterval, Func<CancellationToken, Task> work)
    {
        lock (t)
        {
            if (t.Pending) { t.Again = true; return; }
            t.Pending = true;
        }
        _ = Run(async ct =>
        {
            while (true)
            {
                var wait = t.LastRun + minInterval - Stopwatch.GetElapsedTime(0);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
                t.LastRun = Stopwatch.GetElapsedTime(0);
                await work(ct);
                lock (t)
                {
                    if (!t.Again) { t.Pending = false; return; }
                    t.Again = false;
                }
            }
        }, () => { lock (t) { t.Pending = false; t.Again = false; } });
    }

    private async Task Run(Func<CancellationToken, Task> work, Action? onError = null)
    {
        try { await work(CancellationToken.None); }
        catch (Exception e)
        {
            onError?.Invoke();
            Log.ReadFailed(log, e);
        }
    }

    private async Task PullAsync(Guid userId, CancellationToken ct)
    {
        if (!users.TryGetValue(userId, out var t) || t.Streams.Length == 0) return;
        var streams = t.Streams;
        var from = streams.Min(s => s.LastSeq);
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        while (true)
        {
            var changed = await Inbox.ChangedAfterAsync(conn, userId, from, 100, now, ct);
            foreach (var n in changed)
            {
                var frame = $"event: notification\nid: {n.Seq}\ndata: {JsonSerializer.Serialize(n, Json)}\n\n";
                foreach (var s in streams)
                    if (n.Seq > s.LastSeq) { s.Send(frame); s.LastSeq = n.Seq; }
            }
            if (changed.Count < 100) break;
            from = changed[^1].Seq;
        }
        var count = await Inbox.UnreadCountAsync(conn, userId, now, ct);
        var unread = $"event: unread_count\ndata: {{\"count\":{count}}}\n\n";
        foreach (var s in streams) s.Send(unread);
    }

    /// <summary>The current state of a new stream's videos, to that stream only.</summary>
    public async Task SendVideoStatesAsync(EventStream s, CancellationToken ct)
    {
        if (s.Videos.Count == 0) return;
        foreach (var v in await ReadVideosAsync([.. s.Videos], ct))
            if (v.Public) s.Send(VideoFrame(v));
    }

    private async Task<List<VideoState>> ReadVideosAsync(Guid[] ids, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<VideoState>(new CommandDefinition(EventHubSql.Video,
            new { Ids = ids, Now = clock.GetUtcNow() }, cancellationToken: ct))).AsList();
    }

    private static string VideoFrame(VideoState v)
        => $"event: video\ndata: {JsonSerializer.Serialize(new VideoEvent(v.Id, v.LikesCount, v.CommentsCount, v.ViewsCount, v.Status), Json)}\n\n";

    private async Task SendVideoAsync(Guid id, bool statusChanged, CancellationToken ct)
    {
        if ((await ReadVideosAsync([id], ct)).FirstOrDefault() is not { } v) return;
        var frame = VideoFrame(v);
        var targets = new HashSet<EventStream>();
        if (v.Public && videos.TryGetValue(id, out var t)) targets.UnionWith(t.Streams);
        if (statusChanged && users.TryGetValue(v.UserId, out var owner)) targets.UnionWith(owner.Streams);
        foreach (var s in targets) s.Send(frame);
    }

    private async Task SendCommentAsync(Guid commentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var c = (await conn.QueryAsync<CommentDto, AuthorDto, CommentDto>(new CommandDefinition(EventHubSql.Comment, new { Id = commentId },
            cancellationToken: ct), static (c, a) => c with { Author = a }, splitOn: "id")).FirstOrDefault();
        if (c is null || !videos.TryGetValue(c.VideoId, out var t)) return;
        var frame = $"event: comment\ndata: {JsonSerializer.Serialize(c, Json)}\n\n";
        foreach (var s in t.Streams)
            if (!s.HiddenAuthors.Contains(c.Author.Id)) s.Send(frame);
    }

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions();
        ApiExtensions.ConfigureJson(o);
        return o;
    }

    private sealed class Topic
    {
        public EventStream[] Streams = [];
        public bool Pending;
        public bool Again;
        public TimeSpan LastRun = TimeSpan.MinValue / 2;
    }

    private sealed record VideoState(Guid Id, Guid UserId, long LikesCount, long CommentsCount, long ViewsCount, string Status, bool Public);

    /// <summary>The <c>video</c> event.</summary>
    public sealed record VideoEvent(Guid Id, long LikesCount, long CommentsCount, long ViewsCount, string Status);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Reading state for live events failed")]
        public static partial void ReadFailed(ILogger logger, Exception e);
    }
}
