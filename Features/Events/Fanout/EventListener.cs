using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Events.Fanout;

/// <summary>
/// The instance's one LISTEN connection, opened outside the pool (Npgsql's pool reset sends <c>UNLISTEN *</c>, and a
/// pooled connection would hold a pool slot forever). It must reach PostgreSQL directly or through a session-mode
/// pooler: PgBouncer and Supavisor in transaction mode do not pass LISTEN (<see cref="EventsOptions.ListenConnectionString"/>).
/// A lost connection is reopened with exponential back-off (0.5 s doubling to 30 s); NOTIFYs sent meanwhile are lost,
/// so after every (re)connect the hub re-reads everything its streams follow.
/// </summary>
public sealed partial class EventListener(IConfiguration config, IOptions<EventsOptions> options, EventHub hub, ILogger<EventListener> log)
    : BackgroundService
{
    /// <summary>The application name the listener's session shows in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "IgLive.Service events listener";
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(30);

    /// <summary>Whether the LISTEN is in place now.</summary>
    public bool Listening { get; private set; }
    /// <summary>Whether it ever was (an instance is not ready before its first LISTEN).</summary>
    public bool EverListened { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var csb = new NpgsqlConnectionStringBuilder(options.Value.ListenConnectionString ?? config.GetConnectionString("Postgres"))
        {
            Pooling = false,
            ApplicationName = ApplicationName,
        };
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = new NpgsqlConnection(csb.ConnectionString);
                await conn.OpenAsync(stoppingToken);
                conn.Notification += (_, e) => hub.Dispatch(e.Payload);
                await using (var cmd = new NpgsqlCommand("LISTEN " + LiveEvents.Channel, conn))
                    await cmd.ExecuteNonQueryAsync(stoppingToken);
                Listening = EverListened = true;
                Log.Listening(log);
                backoff = TimeSpan.FromMilliseconds(500);
                hub.Resync();
                while (!stoppingToken.IsCancellationRequested)
                {
                    // An idle wait cannot tell a dead peer from a quiet one: probe with a round trip now and then.
                    if (!await conn.WaitAsync(Probe, stoppingToken))
                        await using (var ping = new NpgsqlCommand("SELECT 1", conn)) await ping.ExecuteScalarAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Listening = false;
                Log.Lost(log, e, backoff.TotalSeconds);
                try { await Task.Delay(backoff, stoppingToken); }
                catch (OperationCanceledException) { break; }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
        Listening = false;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        hub.CompleteAll();
        await base.StopAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Listening for live events")]
        public static partial void Listening(ILogger logger);

        [LoggerMessage(2, LogLevel.Warning, "Live events connection lost; reconnecting in {Seconds} s")]
        public static partial void Lost(ILogger logger, Exception e, double seconds);
    }
}
