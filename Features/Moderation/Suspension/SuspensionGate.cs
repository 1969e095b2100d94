using Microsoft.Extensions.Caching.Memory;

namespace IgLive.Service.Features.Moderation.Suspension;

/// <summary>
/// Marks a non-GET route a suspended user may still call because it only serves reading (recording a view, keeping
/// the session alive, logging out). Everything else that is not GET/HEAD/OPTIONS is refused by <see cref="SuspensionGate"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AllowedWhileSuspendedAttribute : Attribute;

/// <summary>
/// "A suspended author keeps reading, every write is 403": a global pre-processor on every endpoint, so a write route
/// added later is covered without doing anything. Reads (GET, HEAD, OPTIONS), anonymous calls, tokens without a user
/// (service role) and routes marked <see cref="AllowedWhileSuspendedAttribute"/> pass untouched. The caller's state is
/// remembered per process for <see cref="CacheFor"/>: the hot path of a write costs one cache lookup. The instance that
/// suspends or lifts forgets the entry at once, the others when the announcement reaches them
/// (<see cref="SuspensionObserver"/>), and within <see cref="CacheFor"/> at the latest.
/// </summary>
public sealed class SuspensionGate : IGlobalPreProcessor
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    public const string ProblemTitle = "Account suspended";

    public async Task PreProcessAsync(IPreProcessorContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        if (http.ResponseStarted()) return;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)) return;
        if (http.User.UserId() is not { } userId) return;

        var cache = http.RequestServices.GetRequiredService<IMemoryCache>();
        var key = new Key(userId);
        if (!cache.TryGetValue(key, out bool suspended))
        {
            await using var conn = await http.RequestServices.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
            suspended = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(SuspensionSql.IsSuspended, new { Id = userId }, cancellationToken: ct));
            cache.Set(key, suspended, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 });
        }
        if (!suspended || IsAllowed(context.HttpContext)) return;
        await http.Response.SendResultAsync(ProblemsExtensions.Problem(403,
            "Your account is suspended by a moderator: you can still read, but not upload, comment, like, follow, report, " +
            "share or change anything.", ProblemTitle));
    }

    // Only asked for suspended callers, so the reflection stays off the hot path.
    private static bool IsAllowed(HttpContext http)
        => http.GetEndpoint()?.Metadata.GetMetadata<EndpointDefinition>()?.EndpointType
               .IsDefined(typeof(AllowedWhileSuspendedAttribute), inherit: false) == true;

    /// <summary>Drops this process's remembered state of the user (after suspending or lifting).</summary>
    public static void Forget(IMemoryCache cache, Guid userId) => cache.Remove(new Key(userId));

    private readonly record struct Key(Guid UserId);
}

internal static class SuspensionSql
{
    // Whether the user is suspended (false for an unknown id); profiles_pkey.
    public const string IsSuspended = "SELECT EXISTS (SELECT 1 FROM profiles WHERE id = @Id AND suspended_at IS NOT NULL)";
}
