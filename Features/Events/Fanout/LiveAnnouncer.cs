using System.Threading.Channels;

namespace IgLive.Service.Features.Events.Fanout;

/// <summary>
/// Announces changes that are already committed, batched per instance: <see cref="Announce"/> queues a payload and
/// never blocks; one loop sends each batch (duplicates dropped) as ONE statement on a pooled connection, so many
/// announcements cost one NOTIFY commit (PostgreSQL serialises notifying commits cluster-wide across the WAL flush).
/// On failure, a full queue or a crash between the change's commit and the send, an event is lost, never data:
/// the hub re-reads state on the next change of the same video/user, and streams resync on reconnect.
/// </summary>
public sealed partial class LiveAnnouncer(NpgsqlDataSource db, ILogger<LiveAnnouncer> log) : BackgroundService
{
    /// <summary>Least time between two batches while there is work (a burst gathers into one statement).</summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);
    private const int MaxBatch = 1000;
    private const string Sql = "SELECT pg_notify('" + LiveEvents.Channel + "', p) FROM unnest(@Payloads::text[]) p";

    private readonly Channel<string> _queue = Channel.CreateBounded<string>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Queues <paramref name="payload"/> (a <see cref="LiveEvents"/> payload) for the next batch; call it after the commit.</summary>
    public void Announce(string payload)
    {
        if (!_queue.Writer.TryWrite(payload)) QueueFull(log, payload);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var p)) batch.Add(p);
                await SendAsync(batch, stoppingToken);
                batch.Clear();
                await Task.Delay(Interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        // Shutting down: what is still queued goes out in one last batch.
        while (_queue.Reader.TryRead(out var p)) batch.Add(p);
        if (batch.Count > 0) await SendAsync(batch, CancellationToken.None);
    }

    private async Task SendAsync(HashSet<string> batch, CancellationToken ct)
    {
        try
        {
            await using var cmd = db.CreateCommand(Sql);
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("Payloads", batch.ToArray()));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Dropped, not retried: the hub re-reads state on the next change and clients resync on reconnect.
            BatchFailed(log, e, batch.Count);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Live announcement queue full; dropped {Payload}")]
    private static partial void QueueFull(ILogger logger, string payload);

    [LoggerMessage(2, LogLevel.Warning, "Live announcement batch of {Count} failed; dropped")]
    private static partial void BatchFailed(ILogger logger, Exception e, int count);
}
