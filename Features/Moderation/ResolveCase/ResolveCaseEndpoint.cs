using IgLive.Service.Features.Events.Fanout;
using IgLive.Service.Features.Moderation.AuditLog;
using IgLive.Service.Features.Moderation.Cases;
using IgLive.Service.Features.Moderation.Moderators;
using IgLive.Service.Features.Moderation.Suspension;
using IgLive.Service.Features.Notifications.Writer;

namespace IgLive.Service.Features.Moderation.ResolveCase;

/// <summary>
/// <c>POST /api/moderation/cases/{id}/resolve</c>: a moderator closes an open case. The action, the audit entry, the
/// case's new status and the author's notification are one transaction: either all of it happened or none.
/// </summary>
public sealed partial class ResolveCaseEndpoint(NpgsqlDataSource db, TimeProvider clock, SuspensionStates states, LiveAnnouncer announcer,
    ILogger<ResolveCaseEndpoint> log)
    : Endpoint<ResolveCaseRequest, CaseDto>
{
    public override void Configure()
    {
        Post("/api/moderation/cases/{id}/resolve");
        PreProcessor<ModeratorGate<ResolveCaseRequest>>();
        Summary(s =>
        {
            s.Summary = "Resolve a case: dismiss, remove or suspend_author (moderators only)";
            s.Description = "`remove` hides the video (its files go through the deletion queue) or deletes the comment, at once " +
                            "everywhere; `suspend_author` refuses every write of the author (403) and hides their videos. " +
                            "Each resolution is written to the audit log. 400 for `remove` on a user case, 404 unknown case, " +
                            "409 when the case is already resolved.";
        });
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(403)
            .ProducesProblemDetails(404).ProducesProblemDetails(409));
    }

    public override async Task HandleAsync(ResolveCaseRequest r, CancellationToken ct)
    {
        var moderator = Moderator.Of(HttpContext);
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var target = await conn.QuerySingleOrDefaultAsync<LockedCase>(new CommandDefinition(ResolveCaseSql.Lock, new { Id = r.CaseId }, tx, cancellationToken: ct));
        if (target is null) { await Send.ResultAsync(ProblemsExtensions.Problem(404, "No case has this id.")); return; }
        if (target.Status != "open") { await Send.ResultAsync(ProblemsExtensions.Problem(409, "This case is already resolved.")); return; }
        if (r.Action == ModerationActions.Remove && target.TargetType == "user")
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(400, "A user cannot be removed; use suspend_author."));
            return;
        }

        var args = new { target.TargetId, target.AuthorId, Now = now };
        var changed = r.Action switch
        {
            ModerationActions.Remove => await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                target.TargetType == "video" ? ResolveCaseSql.RemoveVideo : ResolveCaseSql.RemoveComment, args, tx, cancellationToken: ct)),
            ModerationActions.SuspendAuthor => await conn.ExecuteScalarAsync<bool>(new CommandDefinition(ResolveCaseSql.Suspend, args, tx, cancellationToken: ct)),
            _ => false,
        };
        var note = string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim();
        var actionId = await AuditLogWriter.AppendAsync(conn, tx,
            new AuditEntry(moderator, r.Action, target.Id, target.TargetType, target.TargetId, note), now, ct);
        await conn.ExecuteAsync(new CommandDefinition(ResolveCaseSql.Close, new { target.Id, ActionId = actionId, Now = now }, tx, cancellationToken: ct));
        var noticed = await AuthorNotice.SendAsync(conn, tx, new ResolutionOutcome(target.AuthorId, r.Action, target.TargetType, target.TargetId, changed), now, ct);
        // Inside the transaction, unlike the notification's hint: other instances must stop accepting the author's
        // writes once the suspension commits, with no crash window between the two (docs/operations.md).
        if (r.Action == ModerationActions.SuspendAuthor && changed)
            await LiveEvents.AnnounceAsync(conn, LiveEvents.AccountState(target.AuthorId), ct, tx);
        await tx.CommitAsync(ct);
        if (noticed) announcer.Announce(LiveEvents.UserNotifications(target.AuthorId));

        if (r.Action == ModerationActions.SuspendAuthor) states.Forget(target.AuthorId);
        Log.Resolved(log, target.Id, r.Action, target.TargetType, target.TargetId, moderator.Name, changed);
        var resolved = await conn.QuerySingleAsync<CaseRow>(new CommandDefinition(CaseSql.ById, new { target.Id }, cancellationToken: ct));
        await Send.OkAsync(resolved.ToDto(), ct);
    }

    private sealed record LockedCase
    {
        public Guid Id { get; init; }
        public string TargetType { get; init; } = "";
        public Guid TargetId { get; init; }
        public Guid AuthorId { get; init; }
        public string Status { get; init; } = "";
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Case {CaseId} resolved: {Action} {TargetType} {TargetId} by {Moderator} (changed: {Changed})")]
        public static partial void Resolved(ILogger logger, Guid caseId, string action, string targetType, Guid targetId, string moderator, bool changed);
    }
}

/// <summary>
/// The one place a resolution tells the author what happened, inside the resolution's transaction (so a notification
/// exists exactly when the resolution does). Returns whether it wrote one (the endpoint announces it after the commit).
/// </summary>
internal static class AuthorNotice
{
    // A dismissal, or an action that changed nothing (already removed or suspended), sends nothing.
    public static async Task<bool> SendAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ResolutionOutcome outcome, DateTimeOffset now, CancellationToken ct)
    {
        var message = (outcome.Action, outcome.TargetType) switch
        {
            (ModerationActions.Remove, "video") => "A moderator removed your video.",
            (ModerationActions.Remove, "comment") => "A moderator removed your comment.",
            (ModerationActions.SuspendAuthor, _) => "A moderator suspended your account: you can still read, but not post, like, comment, follow or share.",
            _ => null,
        };
        if (message is null || !outcome.Changed) return false;
        // The removed comment is deleted, so only a removed video can be referenced.
        Guid? video = outcome.TargetType == "video" ? outcome.TargetId : null;
        await NotificationWriter.ModerationAsync(conn, tx, outcome.AuthorId, video, commentId: null, message, now, ct);
        return true;
    }
}
