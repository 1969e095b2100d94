namespace IgLive.Service.Features.Discovery.ComputeTrending;

/// <summary>Section <c>Discovery</c>: the trending job and the search's candidate cap.</summary>
public sealed class DiscoveryOptions
{
    /// <summary>
    /// Full-text search ranks only the this-many newest matches (the cost of a page is bounded by it, not by how many
    /// videos contain a common word), the visible ones of them; a one-word search widens to 16 times as many when hidden
    /// videos among them leave its first page short. docs/explain.md, "Discovery".
    /// </summary>
    public int SearchCandidates { get; set; } = 200;
    /// <summary>
    /// The word of a one-word search, matched as a prefix, stands for at most this many completions: the word itself and
    /// the most frequent others (as Elasticsearch's max_expansions, default 50). docs/explain.md, "Discovery".
    /// </summary>
    public int SearchPrefixExpansions { get; set; } = 50;
    /// <summary>How long an instance remembers a typo's correction (seconds; 0: never). See SearchCorrections.</summary>
    public int SearchCorrectionSeconds { get; set; } = 60;

    /// <summary>Quartz cron of the trending job (UTC); the contract asks for at least once a minute.</summary>
    public string TrendingCron { get; set; } = "0/30 * * * * ?";
    /// <summary>A like, comment or view counts half as much after this many hours.</summary>
    public double TrendingHalfLifeHours { get; set; } = 6;
    /// <summary>Events older than this are ignored (their weight is below 1/256 at the default half-life).</summary>
    public double TrendingWindowHours { get; set; } = 48;
    /// <summary>How many videos the ranking keeps (reads page through at most this many).</summary>
    public int TrendingSize { get; set; } = 1000;
    /// <summary>
    /// <c>/health/jobs</c> reports the trending job degraded when its last run committed longer ago than this (seconds).
    /// </summary>
    public double TrendingStaleSeconds { get; set; } = 300;
}
