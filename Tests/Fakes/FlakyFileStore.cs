using System.Collections.Concurrent;
using IgLive.Service.Infrastructure.Problems;
using IgLive.Service.Infrastructure.Storage;

namespace IgLive.Service.Tests.Fakes;

/// <summary>
/// An in-memory store for a provider that fails every <see cref="FailEvery"/>-th call (or every call) with an
/// <see cref="UpstreamException"/>, and records which keys each successful call deleted.
/// </summary>
public sealed class FlakyFileStore(string provider, int maxDeleteBatch = 100) : IFileStore
{
    private readonly ConcurrentDictionary<string, byte> objects = new(StringComparer.Ordinal);
    private int calls;

    public string Provider => provider;
    public int MaxDeleteBatch => maxDeleteBatch;

    /// <summary>0: never fail; 1: fail every call; 2: fail every second call (the first included); …</summary>
    public int FailEvery { get; set; }
    public int Calls => Volatile.Read(ref calls);
    public ConcurrentQueue<IReadOnlyCollection<string>> SuccessfulDeletes { get; } = new();

    public void Add(string key) => objects[key] = 0;
    public bool Contains(string key) => objects.ContainsKey(key);

    public Task<IReadOnlyCollection<string>> DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        var n = Interlocked.Increment(ref calls);
        if (FailEvery > 0 && (n - 1) % FailEvery == 0)
            throw UpstreamException.Unavailable(provider, "fake store: 503 from upstream");
        var deleted = keys.Where(k => objects.TryRemove(k, out _)).ToArray();
        SuccessfulDeletes.Enqueue(deleted);
        return Task.FromResult<IReadOnlyCollection<string>>(keys.ToArray()); // missing keys count as gone
    }
}
