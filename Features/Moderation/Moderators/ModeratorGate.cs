using System.Security.Claims;

namespace IgLive.Service.Features.Moderation.Moderators;

/// <summary>Who is acting on the moderation routes: a listed moderator (id and username) or a service-role token.</summary>
public sealed record Moderator(Guid? Id, string Name)
{
    public const string ServiceRole = "service_role";

    /// <summary>The moderator <see cref="ModeratorGate{TRequest}"/> let through for this request.</summary>
    public static Moderator Of(HttpContext ctx) => ctx.Items[typeof(Moderator)] as Moderator
        ?? throw new InvalidOperationException("the moderation route has no ModeratorGate");

    /// <summary>
    /// The caller as a moderator, or null: a token with <c>role: service_role</c> (Supabase's service key, the local
    /// service-role key), or a user listed in <c>moderators</c>. Looked up on every call (no cache), so removing a
    /// moderator takes effect at once on every instance.
    /// </summary>
    public static async Task<Moderator?> FindAsync(ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken ct)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        if (user.FindFirst("role")?.Value == ServiceRole) return new Moderator(null, ServiceRole);
        if (user.UserId() is not { } id) return null;
        await using var conn = await db.OpenConnectionAsync(ct);
        var name = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(ModeratorsSql.Find, new { Id = id }, cancellationToken: ct));
        return name is null ? null : new Moderator(id, name);
    }
}

/// <summary>
/// Put on every moderation endpoint (<c>PreProcessor&lt;ModeratorGate&lt;TRequest&gt;&gt;()</c>): anyone but a moderator gets 403
/// before the handler runs; a moderator is handed to the handler through <see cref="Moderator.Of"/>.
/// </summary>
public sealed class ModeratorGate<TRequest> : IPreProcessor<TRequest>
{
    public async Task PreProcessAsync(IPreProcessorContext<TRequest> context, CancellationToken ct)
    {
        var http = context.HttpContext;
        if (http.ResponseStarted()) return; // an earlier pre-processor refused the request (a suspended caller)
        var moderator = await Moderator.FindAsync(http.User, http.RequestServices.GetRequiredService<NpgsqlDataSource>(), ct);
        if (moderator is null)
        {
            await http.Response.SendResultAsync(ProblemsExtensions.Problem(403, "Only moderators may use the moderation routes."));
            return;
        }
        http.Items[typeof(Moderator)] = moderator;
    }
}

internal static class ModeratorsSql
{
    // The moderator's current username, or nothing when the user is not a moderator; moderators_pkey, profiles_pkey.
    public const string Find = "SELECT p.username FROM moderators m JOIN profiles p ON p.id = m.user_id WHERE m.user_id = @Id";
}
