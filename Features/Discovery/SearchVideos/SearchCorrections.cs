using IgLive.Service.Features.Discovery.ComputeTrending;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Discovery.SearchVideos;

/// <summary>
/// The typo fallback's corrections (<see cref="SearchVideosSql.Correct"/>), remembered per instance for
/// Discovery:SearchCorrectionSeconds (60; 0 turns it off). The trigram probe of the dictionary is the dearest step of a
/// misspelt or no-hit search (~1.7 ms of PostgreSQL on the 1M-video seed, docs/benchmarks.md), and a correction is a
/// function of the typed words and a dictionary that changes slowly: a word uploaded meanwhile only starts correcting
/// typos up to that long after, and a remembered correction to a word that has since left finds what the word still
/// finds. Anonymous callers choose the keys, so the corrections live in a cache of their own, at most
/// <see cref="MaxEntries"/> (the oldest-used evicted first): a flood of random words evicts only corrections, never the
/// shared cache's suspension and profile entries.
/// </summary>
public sealed class SearchCorrections(IOptions<DiscoveryOptions> options) : IDisposable
{
    /// <summary>Corrections an instance keeps at most (each a few short strings: a few MB in all).</summary>
    public const int MaxEntries = 10_000;

    private readonly MemoryCache cache = new(new MemoryCacheOptions
    {
        SizeLimit = MaxEntries, CompactionPercentage = 0.25,
    });

    public async Task<string[]> CorrectAsync(NpgsqlConnection conn, string[] words, CancellationToken ct)
    {
        var seconds = options.Value.SearchCorrectionSeconds;
        var key = string.Join('\0', words);
        if (seconds > 0 && cache.TryGetValue(key, out string[]? known) && known is not null) return known;
        var corrected = await conn.QuerySingleAsync<string[]>(new CommandDefinition(SearchVideosSql.Correct, new { Words = words }, cancellationToken: ct));
        if (seconds > 0)
            cache.Set(key, corrected, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(seconds), Size = 1 });
        return corrected;
    }

    public void Dispose() => cache.Dispose();
}
