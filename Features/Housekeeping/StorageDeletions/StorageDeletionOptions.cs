using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Features.Housekeeping.StorageDeletions;

/// <summary>Section <c>Cleanup</c>, the keys of the deletion queue's drain.</summary>
public sealed class StorageDeletionOptions : ISectionOptions
{
    public string Section => "Cleanup";
    /// <summary>Whether this instance drains the storage deletion queue every <see cref="DrainIntervalSeconds"/>.</summary>
    public bool DrainerEnabled { get; set; } = true;
    /// <summary>Seconds between two drains of the deletion queue, so deleted videos' files go within seconds.</summary>
    public int DrainIntervalSeconds { get; set; } = 5;
    /// <summary>Concurrent store calls per provider while draining (each claims its own chunks).</summary>
    public int DrainParallelism { get; set; } = 4;
    /// <summary>First retry delay of a failed file deletion; doubles per attempt up to <see cref="RetryCapSeconds"/>.</summary>
    public int RetryBaseSeconds { get; set; } = 30;
    public int RetryCapSeconds { get; set; } = 3600;
    /// <summary>A deletion that has failed this many times is logged at Warning and counted as stuck.</summary>
    public int WarnAttempts { get; set; } = 10;

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (DrainIntervalSeconds is < 1 or > 3600) yield return "Cleanup__DrainIntervalSeconds must be between 1 and 3600.";
        if (DrainParallelism is < 1 or > 16) yield return "Cleanup__DrainParallelism must be between 1 and 16.";
        if (RetryBaseSeconds < 1 || RetryCapSeconds < RetryBaseSeconds)
            yield return "Cleanup__RetryBaseSeconds must be at least 1 and Cleanup__RetryCapSeconds at least as large.";
    }
}
