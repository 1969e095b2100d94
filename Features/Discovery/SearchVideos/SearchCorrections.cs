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
/// finds. Entries count 1 toward the shared cache's size limit.
/// </summary>
public sealed class SearchCorrections(IMemoryCache cache, IOptions<DiscoveryOptions> options)
{
    private sealed record Key(string Words);

    public async Task<string[]> CorrectAsync(NpgsqlConnection conn, string[] words, CancellationToken ct)
    {
        var seconds = options.Value.SearchCorrectionSeconds;
        var key = new Key(string.Join('\0', words));
        if (seconds > 0 && cache.TryGetValue(key, out string[]? known) && known is not null) return known;
        var corrected = await conn.QuerySingleAsync<string[]>(new CommandDefinition(SearchVideosSql.Correct, new { Words = words }, cancellationToken: ct));
        if (seconds > 0)
            cache.Set(key, corrected, new MemoryCacheEntryOptions
            {
                // Anonymous callers choose the keys: the first evicted under pressure, before the suspension and profile entries.
                AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(seconds), Size = 1, Priority = CacheItemPriority.Low,
            });
        return corrected;
    }
}
