using Microsoft.Extensions.Options;

namespace IgLive.Service.Infrastructure.Storage;

/// <summary>
/// Files under <c>Storage:LocalPath</c>, addressed by a relative key such as <c>videos/ab/abcd….mp4</c>. A key ending
/// in <c>/</c> names a folder and everything in it (a video's HLS renditions), deleted as one object.
/// <see cref="Resolve"/> is the only way from a key to a path and refuses anything that would leave the root.
/// Uploads are written to <see cref="IncomingPath"/> first and moved into place when complete;
/// <see cref="SweepIncoming"/> removes the part files of uploads whose process died.
/// </summary>
public sealed partial class LocalFileStore(IOptions<StorageOptions> options, IHostEnvironment env, ILogger<LocalFileStore> log) : IFileStore
{
    public string Provider => StorageProviders.Local;
    public int MaxDeleteBatch => 500;

    /// <summary>Suffix of an upload being written to <see cref="IncomingPath"/>.</summary>
    public const string PartSuffix = ".part";

    /// <summary>Absolute root folder of the store.</summary>
    public string Root { get; } = Path.GetFullPath(Path.Combine(env.ContentRootPath, options.Value.LocalPath));

    /// <summary>Where uploads are written until complete (no key resolves there; nothing serves it).</summary>
    public string IncomingPath => Path.Combine(Root, ".incoming");

    /// <summary>How old an unfinished upload's leftovers must be before they are removed (<c>Storage:IncomingMaxAgeMinutes</c>).</summary>
    public TimeSpan IncomingMaxAge => TimeSpan.FromMinutes(options.Value.IncomingMaxAgeMinutes);

    /// <summary>
    /// Deletes the <c>*.part</c> files in <see cref="IncomingPath"/> not written to for <c>Storage:IncomingMaxAgeMinutes</c>:
    /// what uploads left behind when their process was killed (a live upload removes its own on any failure, and keeps
    /// writing, hence touching, its file while in flight). Ages are wall-clock file times, compared with the system
    /// clock. Returns how many were removed; a file that cannot be deleted now is left for the next sweep.
    /// </summary>
    public int SweepIncoming()
    {
        var cutoff = TimeProvider.System.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(options.Value.IncomingMaxAgeMinutes);
        var removed = 0;
        try
        {
            foreach (var file in new DirectoryInfo(IncomingPath).EnumerateFiles("*" + PartSuffix))
            {
                try
                {
                    if (file.LastWriteTimeUtc >= cutoff) continue; // in flight, or only just abandoned
                    file.Delete();
                    removed++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Log.SweepFailed(log, file.Name, e.Message);
                }
            }
        }
        catch (DirectoryNotFoundException) { } // nothing was ever uploaded here
        if (removed > 0) Log.Swept(log, removed, options.Value.IncomingMaxAgeMinutes);
        return removed;
    }

    /// <summary>Absolute path of a key, or null when the key is not a plain relative path inside the root.</summary>
    public string? Resolve(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Contains('\0') || Path.IsPathRooted(key)) return null;
        var full = Path.GetFullPath(Path.Combine(Root, key));
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>A local key is its path: the key itself when a file is there.</summary>
    public Task<IReadOnlyCollection<string>> FindByPathAsync(string path, CancellationToken ct)
        => Task.FromResult<IReadOnlyCollection<string>>(Resolve(path) is { } full && (IsFolderKey(path) ? Directory.Exists(full) : File.Exists(full)) ? [path] : []);

    /// <summary>Whether the key names a folder tree rather than one file.</summary>
    public static bool IsFolderKey(string key) => key.EndsWith('/');

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
                if (!IsFolderKey(key)) File.Delete(path); // no error when already missing
                else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                gone.Add(key);
            }
            catch (DirectoryNotFoundException) { gone.Add(key); }
            catch (IOException) { } // in use or disk error: stays queued, retried later
            catch (UnauthorizedAccessException) { }
        }
        return Task.FromResult<IReadOnlyCollection<string>>(gone);
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Removed {Count} abandoned upload part files older than {MaxAgeMinutes} min from the incoming folder")]
        public static partial void Swept(ILogger logger, int count, int maxAgeMinutes);

        [LoggerMessage(LogLevel.Warning, "Could not remove the abandoned upload part file {File}, will retry at the next sweep: {Reason}")]
        public static partial void SweepFailed(ILogger logger, string file, string reason);
    }
}
