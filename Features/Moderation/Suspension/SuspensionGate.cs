using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

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
/// remembered per process for <see cref="SuspensionOptions.SuspensionCacheSeconds"/>: the hot path of a write costs one
/// cache lookup. The instance that suspends or lifts forgets the entry at once, the others when the announcement reaches
/// them (<see cref="SuspensionObserver"/>); one that missed announcements forgets everything when its listener reconnects.
/// </summary>
public sealed class SuspensionGate : IGlobalPreProcessor
{
    public const string ProblemTitle = "Account suspended";

    public async Task PreProcessAsync(IPreProcessorContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        if (http.ResponseStarted()) return;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)) return;
        if (http.User.UserId() is not { } userId) return;

        var states = http.RequestServices.GetRequiredService<SuspensionStates>();
        if (states.TryGet(userId) is not { } suspended)
        {
            var seen = states.Generation;
            await using var conn = await http.RequestServices.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
            suspended = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(SuspensionSql.IsSuspended, new { Id = userId }, cancellationToken: ct));
            states.Remember(userId, suspended, seen);
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
}

/// <summary>
/// This instance's remembered suspension states (one singleton per host). A lookup that started before a
/// <see cref="Forget"/> may have read the old state: <see cref="Remember"/> drops what it wrote when the generation moved.
/// </summary>
public sealed class SuspensionStates(IMemoryCache cache, IOptions<SuspensionOptions> options) : IDisposable
{
    private long generation;
    private CancellationTokenSource everything = new();

    public long Generation => Interlocked.Read(ref generation);

    public bool? TryGet(Guid userId) => cache.TryGetValue(new Key(userId), out bool suspended) ? suspended : null;

    /// <summary>Caches a state read after <paramref name="seen"/> was the generation, unless a Forget came in between.</summary>
    public void Remember(Guid userId, bool suspended, long seen)
    {
        var entry = new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(options.Value.SuspensionCacheSeconds), Size = 1,
        };
        entry.ExpirationTokens.Add(new CancellationChangeToken(Volatile.Read(ref everything).Token));
        cache.Set(new Key(userId), suspended, entry);
        if (Generation != seen) cache.Remove(new Key(userId)); // written after the check: take it back
    }

    /// <summary>Drops the user's remembered state (after suspending or lifting, or when announced).</summary>
    public void Forget(Guid userId)
    {
        Interlocked.Increment(ref generation);
        cache.Remove(new Key(userId));
    }

    /// <summary>Drops every remembered state (the announcements of a while may have been missed).</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref generation);
        // Not disposed: a lookup may still be reading its token; cancelled, it only expires what it guards.
        Interlocked.Exchange(ref everything, new CancellationTokenSource()).Cancel();
    }

    public void Dispose() => everything.Dispose();

    private readonly record struct Key(Guid UserId);
}

internal static class SuspensionSql
{
    // Whether the user is suspended (false for an unknown id); profiles_pkey.
    public const string IsSuspended = "SELECT EXISTS (SELECT 1 FROM profiles WHERE id = @Id AND suspended_at IS NOT NULL)";
}
