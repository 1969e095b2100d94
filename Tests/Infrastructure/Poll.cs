namespace IgLive.Service.Tests.Infrastructure;

/// <summary>
/// Bounded polling for what the service reaches on its own (a background worker, a scheduler, a process starting). The one
/// place tests wait: every wait has a limit, and the callers assert on the outcome, so none is a timing assertion.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan DefaultEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>True as soon as <paramref name="condition"/> holds; false once <paramref name="limit"/> has passed or <paramref name="stop"/> says so.</summary>
    public static async Task<bool> TryUntilAsync(Func<Task<bool>> condition, TimeSpan limit, TimeSpan? every = null, Func<bool>? stop = null)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline || stop?.Invoke() == true) return false;
            await Task.Delay(every ?? DefaultEvery);
        }
        return true;
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test after <paramref name="limit"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan limit, string? what = null, TimeSpan? every = null)
    {
        if (!await TryUntilAsync(condition, limit, every)) Assert.Fail($"{what ?? "condition"} not met within {limit}");
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, TimeSpan, string?, TimeSpan?)"/>
    public static Task UntilAsync(Func<bool> condition, TimeSpan limit, string? what = null, TimeSpan? every = null)
        => UntilAsync(() => Task.FromResult(condition()), limit, what, every);
}
