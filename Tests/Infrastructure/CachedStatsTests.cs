using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>The gauges' and health checks' cache of queue counts (no database: a counter stands for the query).</summary>
[TestFixture]
public sealed class CachedStatsTests
{
    private sealed class CountingStats(TimeProvider clock, TaskCompletionSource? gate = null) : CachedStats<string>("initial", clock)
    {
        public int Reads;

        protected override async Task<string> ReadAsync(DateTimeOffset now, CancellationToken ct)
        {
            var n = Interlocked.Increment(ref Reads);
            if (gate is not null) await gate.Task;
            return $"read {n}";
        }
    }

    [Test]
    public async Task A_new_instance_s_first_observation_starts_a_read()
    {
        var stats = new CountingStats(new FakeTimeProvider(DateTimeOffset.UtcNow));

        Assert.That(stats.Observe(), Is.EqualTo("initial"), "gauges never wait for the database");
        for (var i = 0; i < 100 && stats.Observe() == "initial"; i++) await Task.Delay(20);

        Assert.That(stats.Observe(), Is.EqualTo("read 1"));
    }

    [Test]
    public async Task GetAsync_reads_once_then_serves_the_cache_until_max_age_or_invalidation()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var stats = new CountingStats(clock);
        var maxAge = TimeSpan.FromSeconds(5);

        var first = await stats.GetAsync(maxAge, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(4));
        var cached = await stats.GetAsync(maxAge, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        var aged = await stats.GetAsync(maxAge, CancellationToken.None);
        stats.Invalidate();
        var invalidated = await stats.GetAsync(maxAge, CancellationToken.None);

        Assert.That(new[] { first, cached, aged, invalidated }, Is.EqualTo(new[] { "read 1", "read 1", "read 2", "read 3" }));
    }

    [Test]
    public async Task Concurrent_callers_share_one_read_and_one_caller_s_cancellation_leaves_the_others_theirs()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stats = new CountingStats(new FakeTimeProvider(DateTimeOffset.UtcNow), gate);
        using var cancelled = new CancellationTokenSource();

        var waiting = Enumerable.Range(0, 10).Select(_ => stats.GetAsync(TimeSpan.FromSeconds(5), CancellationToken.None)).ToArray();
        var gaveUp = stats.GetAsync(TimeSpan.FromSeconds(5), cancelled.Token);
        await cancelled.CancelAsync();
        gate.SetResult();

        Assert.That(await Task.WhenAll(waiting), Is.All.EqualTo("read 1"));
        Assert.That(stats.Reads, Is.EqualTo(1));
        Assert.That(async () => await gaveUp, Throws.InstanceOf<OperationCanceledException>());
    }
}
