using IgLive.Service.Features.Events.Fanout;
using IgLive.Service.Features.Moderation.AuditLog;
using IgLive.Service.Features.Moderation.Moderators;
using IgLive.Service.Features.Moderation.Suspension;

namespace IgLive.Service.Features.Moderation.LiftSuspension;

public sealed record LiftSuspensionRequest
{
    /// <summary>The suspended user's username.</summary>
    [BindFrom("username")] public string Username { get; init; } = "";
}

/// <summary>
/// <c>DELETE /api/moderation/suspensions/{username}</c>: the user may write again and their videos show again. Idempotent:
/// lifting a suspension that is not there answers 204 and writes no audit entry.
/// </summary>
public sealed partial class LiftSuspensionEndpoint(NpgsqlDataSource db, TimeProvider clock, SuspensionStates states, ILogger<LiftSuspensionEndpoint> log)
    : Endpoint<LiftSuspensionRequest>
{
    public override void Configure()
    {
        Delete("/api/moderation/suspensions/{username}");
        PreProcessor<ModeratorGate<LiftSuspensionRequest>>();
        Summary(s =>
        {
            s.Summary = "Lift a user's suspension (moderators only)";
            s.Description = "204 when the user is not (or no longer) suspended; the lift is written to the audit log. 404 for an unknown user.";
        });
        Description(b => b.Produces(204).ProducesProblemDetails(401).ProducesProblemDetails(403).ProducesProblemDetails(404));
    }

    public override async Task HandleAsync(LiftSuspensionRequest r, CancellationToken ct)
    {
        var moderator = Moderator.Of(HttpContext);
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var u = await conn.QuerySingleOrDefaultAsync<LiftedUser>(new CommandDefinition(LiftSuspensionSql.Lift,
            new { r.Username }, tx, cancellationToken: ct));
        if (u is null)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(404, "No user has this username."));
            return;
        }
        if (u.Lifted)
        {
            await AuditLogWriter.AppendAsync(conn, tx, new AuditEntry(moderator, ModerationActions.LiftSuspension, null, "user", u.Id, null), now, ct);
            await LiveEvents.AnnounceAsync(conn, LiveEvents.AccountState(u.Id), ct, tx);
        }
        await tx.CommitAsync(ct);
        states.Forget(u.Id);
        if (u.Lifted) Log.Lifted(log, u.Id, moderator.Name);
        await Send.NoContentAsync(ct);
    }

    private sealed record LiftedUser
    {
        public Guid Id { get; init; }
        public bool Lifted { get; init; }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Suspension of {UserId} lifted by {Moderator}")]
        public static partial void Lifted(ILogger logger, Guid userId, string moderator);
    }
}

internal static class LiftSuspensionSql
{
    // The user's id and whether this statement lifted a suspension; nothing for an unknown username
    // (profiles_username_key). The row lock of the UPDATE orders concurrent lifts, so only one writes the audit entry.
    public const string Lift = """
        WITH p AS (SELECT id FROM profiles WHERE lower(username) = lower(@Username)),
             l AS (UPDATE profiles SET suspended_at = NULL
                   WHERE id IN (SELECT id FROM p) AND suspended_at IS NOT NULL RETURNING id)
        SELECT p.id, EXISTS (SELECT 1 FROM l) AS lifted FROM p
        """;
}
