using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Infrastructure.Storage;

/// <summary>Where video files are stored.</summary>
public enum StorageProvider { Local, ImageKit }

/// <summary>Section <c>Storage</c>.</summary>
public sealed class StorageOptions : ISectionOptions
{
    public string Section => "Storage";
    public StorageProvider Provider { get; set; } = StorageProvider.Local;
    public string LocalPath { get; set; } = "./data/media";
    /// <summary>
    /// Age (since its last write) from which an upload's <c>.incoming/*.part</c> file counts as abandoned by a process
    /// that died mid-upload and is removed by the sweep (at start-up and with every cleanup run), in minutes. An upload
    /// in flight writes its part file continuously, so it never gets this old.
    /// </summary>
    public int IncomingMaxAgeMinutes { get; set; } = 60;

    /// <summary>Whether <c>Storage:Provider</c> names ImageKit (false when it is unset or invalid).</summary>
    public static bool UsesImageKit(IConfiguration config)
        => Enum.TryParse<StorageProvider>(config["Storage:Provider"], ignoreCase: true, out var p) && p == StorageProvider.ImageKit;

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (IncomingMaxAgeMinutes is < 1 or > 10_080)
            yield return "Storage__IncomingMaxAgeMinutes must be between 1 and 10080 (a week).";
    }
}
