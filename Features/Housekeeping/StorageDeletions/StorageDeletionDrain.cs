using System.Diagnostics;
using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Housekeeping.StorageDeletions;

/// <summary>What one drain of the deletion queue did.</summary>
public readonly record struct DrainResult(int Deleted, int Failed);

/// <summary>
/// Deletes the queue's due items from their stores. A queue row is removed only after the store has confirmed the
/// object gone; deleting is idempotent (an already-missing object is reported gone), so a crash between the store's
/// delete and the row's removal only makes the next drain ask again. Drains may run concurrently (periodic drainer,
/// cleanup run, any instance): items are claimed with <c>FOR UPDATE SKIP LOCKED</c> and a lease.
/// </summary>
public sealed partial class StorageDeletionDrain(
    NpgsqlDataSource db,
    IServiceProvider services,
    TimeProvider clock,
    IOptions<StorageDeletionOptions> options,
    ILogger<StorageDeletionDrain> log)
{
    /// <summary>
    /// The stores registered here, by provider. A provider without one (ImageKit not configured) keeps its items
    /// queued; the depth gauge shows them.
    /// </summary>
    private readonly IFileStore[] stores = ((string[])[StorageProviders.Local, StorageProviders.ImageKit])
        .Select(p => services.GetKeyedService<IFileStore>(p)).OfType<IFileStore>().ToArray();

    /// <summary>How long a claimed item is hidden from other drainers; a drainer that dies simply lets it lapse.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private const int MaxErrorLength = 200;
    private const int MaxConsecutiveStoreFailures = 3;

    /// <summary>
    /// Sends every due queue item to its store, per provider in chunks of the store's <see cref="IFileStore.MaxDeleteBatch"/>,
    /// removes the confirmed ones and reschedules the rest with exponential back-off. Safe to run concurrently: each
    /// of the <c>Cleanup:DrainParallelism</c> workers per provider claims its own chunks (SKIP LOCKED + lease), which
    /// overlaps the store's round trips instead of paying them one after another.
    /// </summary>
    public async Task<DrainResult> DrainAsync(CancellationToken ct)
    {
        var workers = stores.SelectMany(store => Enumerable.Range(0, options.Value.DrainParallelism).Select(_ => DrainStoreAsync(store, ct)));
        var results = await Task.WhenAll(workers);
        return new DrainResult(results.Sum(r => r.Deleted), results.Sum(r => r.Failed));
    }

    private async Task<DrainResult> DrainStoreAsync(IFileStore store, CancellationToken ct)
    {
        var deleted = 0;
        var failed = 0;
        var consecutiveStoreFailures = 0;
        await using var conn = await db.OpenConnectionAsync(ct);
        // A store that is down fails every chunk (each after its client's timeouts and retries): after a few in a row,
        // leave the rest of this provider's items due for the next drain instead of trying them all now.
        while (consecutiveStoreFailures < MaxConsecutiveStoreFailures)
        {
            ct.ThrowIfCancellationRequested();
            var now = clock.GetUtcNow();
            var items = (await conn.QueryAsync<ClaimedDeletion>(new CommandDefinition(StorageDeletionSql.Claim,
                new { Now = now, LeaseUntil = now + Lease, store.Provider, Limit = store.MaxDeleteBatch },
                cancellationToken: ct))).AsList();
            if (items.Count == 0) break;
            var (d, f, storeFailed) = await DeleteChunkAsync(conn, store, items, ct);
            deleted += d;
            failed += f;
            consecutiveStoreFailures = storeFailed ? consecutiveStoreFailures + 1 : 0;
        }
        return new DrainResult(deleted, failed);
    }

    private async Task<(int Deleted, int Failed, bool StoreFailed)> DeleteChunkAsync(
        NpgsqlConnection conn, IFileStore store, List<ClaimedDeletion> items, CancellationToken ct)
    {
        IReadOnlyCollection<string> gone;
        // By-path items: the keys found at their path (resolved below); an item is done once all of them are gone.
        var found = new Dictionary<long, string[]>();
        string? error = null;
        TimeSpan? retryAfter = null;
        var storeFailed = false;
        using (var span = IgLiveTelemetry.Source.StartActivity("cleanup.delete_files"))
        {
            span?.SetTag("storage.provider", store.Provider).SetTag("storage.keys", items.Count);
            try
            {
                await FindByPathAsync(conn, store, items, found, ct);
                var keys = items.Where(i => i.Kind != StorageKeyKinds.Path).Select(i => i.StorageKey)
                    .Concat(found.Values.SelectMany(k => k)).Distinct(StringComparer.Ordinal).ToArray();
                gone = keys.Length == 0 ? [] : await store.DeleteAsync(keys, ct);
            }
            catch (UpstreamException e)
            {
                span?.SetStatus(ActivityStatusCode.Error, e.Upstream);
                gone = [];
                storeFailed = true;
                error = Truncate($"{e.Upstream} {e.StatusCode}: {e.Message}");
                retryAfter = e.RetryAfter;
                Log.StoreFailed(log, store.Provider, items.Count, e.StatusCode, e.Message);
            }
        }

        var goneSet = gone as ISet<string> ?? gone.ToHashSet(StringComparer.Ordinal);
        bool IsDone(ClaimedDeletion i) => i.Kind == StorageKeyKinds.Path
            ? !storeFailed && found.TryGetValue(i.Id, out var keys) && keys.All(goneSet.Contains) // nothing found: done
            : goneSet.Contains(i.StorageKey);
        var done = items.Where(IsDone).Select(i => i.Id).ToArray();
        var failedItems = items.Where(i => !IsDone(i)).ToArray();
        if (error is null && failedItems.Length > 0)
        {
            error = "the store did not confirm the deletion";
            Log.NotConfirmed(log, store.Provider, failedItems.Length, items.Count);
        }

        var o = options.Value;
        var stuck = await conn.QueryAsync<(string Key, int Attempts)>(new CommandDefinition(StorageDeletionSql.Record, new
        {
            Done = done,
            Failed = failedItems.Select(i => i.Id).ToArray(),
            Now = clock.GetUtcNow(),
            Error = error,
            MinDelaySeconds = retryAfter?.TotalSeconds ?? 0,
            BaseSeconds = (double)o.RetryBaseSeconds,
            CapSeconds = (double)o.RetryCapSeconds,
            o.WarnAttempts,
        }, cancellationToken: CancellationToken.None)); // the store has acted: record it even when the run is cancelled
        foreach (var (key, attempts) in stuck.Take(20)) Log.Stuck(log, store.Provider, key, attempts);

        var tag = new KeyValuePair<string, object?>("storage.provider", store.Provider);
        if (done.Length > 0) StorageDeletionMetrics.Deleted.Add(done.Length, tag);
        if (failedItems.Length > 0) StorageDeletionMetrics.Failed.Add(failedItems.Length, tag);
        return (done.Length, failedItems.Length, storeFailed);
    }

    /// <summary>
    /// Resolves the chunk's by-path items (uploads that failed ambiguously: the object may exist under a key we never
    /// learnt) into the keys the store holds at each path, leaving out any key a video row owns.
    /// </summary>
    private async Task FindByPathAsync(NpgsqlConnection conn, IFileStore store, List<ClaimedDeletion> items,
        Dictionary<long, string[]> found, CancellationToken ct)
    {
        foreach (var item in items.Where(i => i.Kind == StorageKeyKinds.Path))
            found[item.Id] = (await store.FindByPathAsync(item.StorageKey, ct)).ToArray();
        var all = found.Values.SelectMany(k => k).ToArray();
        if (all.Length == 0) return;
        var owned = (await conn.QueryAsync<string>(new CommandDefinition(StorageDeletionSql.OwnedKeys,
            new { store.Provider, Keys = all }, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        foreach (var item in items.Where(i => found.ContainsKey(i.Id)))
        {
            var keys = found[item.Id];
            if (keys.Length > 0) Log.FoundByPath(log, store.Provider, keys.Length, item.StorageKey, keys.Count(owned.Contains));
            found[item.Id] = keys.Where(k => !owned.Contains(k)).ToArray();
        }
    }

    private static string Truncate(string s) => s.Length <= MaxErrorLength ? s : s[..MaxErrorLength];

    private sealed record ClaimedDeletion(long Id, string StorageKey, string Kind, int Attempts);

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "Deleting {Count} files from {Provider} failed ({StatusCode}), will retry: {Reason}")]
        public static partial void StoreFailed(ILogger logger, string provider, int count, int statusCode, string reason);

        [LoggerMessage(LogLevel.Warning, "{Provider} did not confirm {Count} of {Total} file deletions, will retry")]
        public static partial void NotConfirmed(ILogger logger, string provider, int count, int total);

        [LoggerMessage(LogLevel.Information, "{Provider} holds {Count} file(s) at {Path}, left by an upload that failed ambiguously; deleting them ({Owned} owned by a video and kept)")]
        public static partial void FoundByPath(ILogger logger, string provider, int count, string path, int owned);

        [LoggerMessage(LogLevel.Warning, "Deleting {Provider} file {StorageKey} has failed {Attempts} times; it stays queued")]
        public static partial void Stuck(ILogger logger, string provider, string storageKey, int attempts);
    }
}
