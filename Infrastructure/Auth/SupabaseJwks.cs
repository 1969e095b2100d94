using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>
/// The Supabase project's public signing keys (<c>{Supabase:Url}/auth/v1/.well-known/jwks.json</c>, ES256/RS256), cached.
/// JwtBearer's key resolver is synchronous, so the fetch happens earlier, in <c>OnMessageReceived</c>
/// (<see cref="EnsureKeyAsync"/>), and the resolver only reads the cache (<see cref="Find"/>). Keys are refetched when
/// older than 10 minutes (GoTrue's <c>max-age</c>) or when a token names an unknown <c>kid</c> — at most once a minute
/// (every 5 s after a failed fetch), so garbage kids cannot make us hammer Supabase.
/// </summary>
public sealed partial class SupabaseJwks(IHttpClientFactory clients, IOptions<SupabaseOptions> options, TimeProvider clock, ILogger<SupabaseJwks> log) : IDisposable
{
    public const string HttpClientName = "supabase-jwks";
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan UnknownKidInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FailureInterval = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile IReadOnlyList<SecurityKey> keys = [];
    private DateTimeOffset fetchedAt = DateTimeOffset.MinValue;
    private DateTimeOffset nextAttemptAt = DateTimeOffset.MinValue;

    /// <summary>Keys for the token's <c>kid</c> (all keys when it has none); empty = unknown key, the token fails.</summary>
    public IEnumerable<SecurityKey> Find(string? kid)
    {
        var current = keys;
        return string.IsNullOrEmpty(kid) ? current : current.Where(k => k.KeyId == kid).ToArray();
    }

    /// <summary>Makes sure the cache is fresh and, when allowed, knows <paramref name="kid"/>.</summary>
    public async ValueTask EnsureKeyAsync(string? kid, CancellationToken ct)
    {
        if (!NeedsFetch(kid)) return;
        await gate.WaitAsync(ct);
        try
        {
            if (!NeedsFetch(kid)) return; // another request fetched meanwhile
            await FetchAsync(ct);
        }
        finally { gate.Release(); }
    }

    private bool NeedsFetch(string? kid)
    {
        var now = clock.GetUtcNow();
        if (now < nextAttemptAt) return false;
        if (now - fetchedAt > MaxAge) return true;
        return !string.IsNullOrEmpty(kid) && !keys.Any(k => k.KeyId == kid);
    }

    private async Task FetchAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        try
        {
            var http = clients.CreateClient(HttpClientName);
            var json = await http.GetStringAsync(new Uri(options.Value.AuthBaseUrl + "/.well-known/jwks.json"), ct);
            var fetched = new JsonWebKeySet(json).GetSigningKeys().ToArray();
            keys = fetched;
            fetchedAt = now;
            nextAttemptAt = now + UnknownKidInterval;
            Log.Fetched(log, fetched.Length);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ArgumentException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
        {
            nextAttemptAt = now + FailureInterval; // keep the old keys
            Log.FetchFailed(log, e.GetType().Name);
        }
    }

    public void Dispose() => gate.Dispose();

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Fetched {Count} signing keys from the Supabase JWKS")]
        public static partial void Fetched(ILogger logger, int count);

        [LoggerMessage(LogLevel.Warning, "Fetching the Supabase JWKS failed ({Error}); keeping the cached keys")]
        public static partial void FetchFailed(ILogger logger, string error);
    }
}
