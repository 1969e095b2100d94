using IgLive.Service.Infrastructure.Configuration;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Infrastructure.Storage;

/// <summary>
/// Files under <c>Storage:LocalPath</c>, addressed by a relative key such as <c>videos/ab/abcd….mp4</c>.
/// <see cref="Resolve"/> is the only way from a key to a path and refuses anything that would leave the root.
/// </summary>
public sealed class LocalFileStore(IOptions<StorageOptions> options, IHostEnvironment env) : IFileStore
{
    public string Provider => StorageProviders.Local;
    public int MaxDeleteBatch => 500;

    /// <summary>Absolute root folder of the store.</summary>
    public string Root { get; } = Path.GetFullPath(Path.Combine(env.ContentRootPath, options.Value.LocalPath));

    /// <summary>Absolute path of a key, or null when the key is not a plain relative path inside the root.</summary>
    public string? Resolve(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Contains('\0') || Path.IsPathRooted(key)) return null;
        var full = Path.GetFullPath(Path.Combine(Root, key));
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    public Task<IReadOnlyCollection<string>> DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        var gone = new List<string>(keys.Count);
        foreach (var key in keys)
        {
            ct.ThrowIfCancellationRequested();
            var path = Resolve(key);
            if (path is null) { gone.Add(key); continue; } // nothing inside the store can have that key
            try
            {
                File.Delete(path); // no error when already missing
                gone.Add(key);
            }
            catch (DirectoryNotFoundException) { gone.Add(key); }
            catch (IOException) { } // in use or disk error: stays queued, retried later
            catch (UnauthorizedAccessException) { }
        }
        return Task.FromResult<IReadOnlyCollection<string>>(gone);
    }
}
