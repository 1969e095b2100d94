namespace IgLive.Service.Infrastructure.Telemetry;

/// <summary>
/// A queue's counts for observable gauges, read from the database at most every 30 s and in the background: exporters
/// observe gauges on their own schedule, and a scrape must not turn into a query.
/// </summary>
public abstract class CachedStats<TSnapshot>(TSnapshot initial, TimeProvider clock) where TSnapshot : class
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private TSnapshot last = initial;
    private long lastAtTicks; // 0: year 1, so the first Observe or GetAsync reads (long.MinValue overflowed `now - lastAtTicks`)
    private int refreshing;

    /// <summary>The cached snapshot; starts a background refresh when it is older than 30 s.</summary>
    public TSnapshot Observe()
    {
        var now = clock.GetUtcNow().UtcTicks;
        if (now - Interlocked.Read(ref lastAtTicks) > MaxAge.Ticks && Interlocked.Exchange(ref refreshing, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                try { await RefreshAsync(CancellationToken.None); }
                catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException) { } // keep the last value
                finally { Volatile.Write(ref refreshing, 0); }
            });
        }
        return Volatile.Read(ref last);
    }

    private readonly Lock gate = new();
    private Task<TSnapshot>? reading;

    /// <summary>
    /// The cached snapshot when it is at most <paramref name="maxAge"/> old, else one read that concurrent callers
    /// share: for routes anyone may call (a health check), so that calls do not each become a query.
    /// </summary>
    public Task<TSnapshot> GetAsync(TimeSpan maxAge, CancellationToken ct)
    {
        if (clock.GetUtcNow().UtcTicks - Interlocked.Read(ref lastAtTicks) <= maxAge.Ticks) return Task.FromResult(Volatile.Read(ref last));
        Task<TSnapshot> read;
        lock (gate)
        {
            // Not cancelled by one caller: the others wait for the same read.
            if (reading is null || reading.IsCompleted) reading = RefreshAsync(CancellationToken.None);
            read = reading;
        }
        return read.WaitAsync(ct);
    }

    /// <summary>Makes the next <see cref="GetAsync"/> read (after a change this instance made, e.g. a job's run).</summary>
    public void Invalidate() => Interlocked.Exchange(ref lastAtTicks, 0);

    /// <summary>Reads the counts now and caches them.</summary>
    public async Task<TSnapshot> RefreshAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var snapshot = await ReadAsync(now, ct);
        Volatile.Write(ref last, snapshot);
        Interlocked.Exchange(ref lastAtTicks, now.UtcTicks);
        return snapshot;
    }

    /// <summary>The counts as of <paramref name="now"/>, from the database.</summary>
    protected abstract Task<TSnapshot> ReadAsync(DateTimeOffset now, CancellationToken ct);
}

/// <summary>
/// Which host's stats the process-wide gauges read: the one started last (one host per process outside tests; the test
/// hosts of a run share the meter).
/// </summary>
public sealed class CurrentStats<TStats> where TStats : class
{
    private TStats? value;

    public TStats? Value => Volatile.Read(ref value);

    public void Set(TStats stats) => Volatile.Write(ref value, stats);

    /// <summary>Forgets <paramref name="stats"/> unless another host has taken its place since.</summary>
    public void Clear(TStats stats) => Interlocked.CompareExchange(ref value, null, stats);
}

/// <summary>Points <paramref name="current"/> at this host's stats while it runs, and creates the gauges before the first collection.</summary>
public sealed class StatsGaugeRegistration<TStats>(TStats stats, CurrentStats<TStats> current, Action ensureCreated) : IHostedService
    where TStats : class
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        current.Set(stats);
        ensureCreated();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        current.Clear(stats);
        return Task.CompletedTask;
    }
}
