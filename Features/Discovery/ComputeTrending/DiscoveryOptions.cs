namespace IgLive.Service.Features.Discovery.ComputeTrending;

/// <summary>Section <c>Discovery</c>: the trending job.</summary>
public sealed class DiscoveryOptions
{
    /// <summary>Quartz cron of the trending job (UTC); the contract asks for at least once a minute.</summary>
    public string TrendingCron { get; set; } = "0/30 * * * * ?";
    /// <summary>A like, comment or view counts half as much after this many hours.</summary>
    public double TrendingHalfLifeHours { get; set; } = 6;
    /// <summary>Events older than this are ignored (their weight is below 1/256 at the default half-life).</summary>
    public double TrendingWindowHours { get; set; } = 48;
    /// <summary>How many videos the ranking keeps (reads page through at most this many).</summary>
    public int TrendingSize { get; set; } = 1000;
}
