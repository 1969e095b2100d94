namespace IgLive.Service.Infrastructure.Storage;

/// <summary>
/// A place where video files (and local thumbnails) live. Implementations: <see cref="LocalFileStore"/> ("local")
/// and the ImageKit store ("imagekit"). Each is registered as a keyed singleton under its <see cref="Provider"/>
/// name, the value stored in <c>videos.storage_provider</c> and <c>storage_deletions.provider</c>; the store that
/// receives new uploads is also registered unkeyed, per <c>Storage:Provider</c>.
/// </summary>
public interface IFileStore
{
    /// <summary>"local" or "imagekit".</summary>
    string Provider { get; }

    /// <summary>Most keys one <see cref="DeleteAsync"/> call should carry (ImageKit's bulk delete takes 100).</summary>
    int MaxDeleteBatch { get; }

    /// <summary>
    /// Deletes the objects and returns the keys that are now gone: deleted, or already missing (deleting is
    /// idempotent). Keys not returned were not deleted and must be retried. Throws
    /// <see cref="Problems.UpstreamException"/> when the store itself fails (auth, rate limit, 5xx, timeout).
    /// </summary>
    Task<IReadOnlyCollection<string>> DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken ct);

    /// <summary>
    /// The keys of the objects stored at <paramref name="path"/>, for deletions queued by path (<c>kind = 'path'</c>):
    /// objects whose key was never learnt. Empty when there is none. Throws <see cref="Problems.UpstreamException"/>
    /// when the store fails.
    /// </summary>
    Task<IReadOnlyCollection<string>> FindByPathAsync(string path, CancellationToken ct);
}

/// <summary>What <c>storage_deletions.storage_key</c> holds (column <c>kind</c>).</summary>
public static class StorageKeyKinds
{
    /// <summary>The store's key: an ImageKit fileId, a local relative path.</summary>
    public const string Key = "key";
    /// <summary>A path the store is searched for (<see cref="IFileStore.FindByPathAsync"/>).</summary>
    public const string Path = "path";
}

public static class StorageProviders
{
    public const string Local = "local";
    public const string ImageKit = "imagekit";
}
