using IgLive.Service.Features.Moderation.Moderators;

namespace IgLive.Service.Features.Moderation.AuditLog;

/// <summary>The actions the audit log records (<c>moderation_actions.action</c>).</summary>
public static class ModerationActions
{
    public const string Dismiss = "dismiss";
    public const string Remove = "remove";
    public const string SuspendAuthor = "suspend_author";
    public const string LiftSuspension = "lift_suspension";
    public const string AddModerator = "add_moderator";
    public const string RemoveModerator = "remove_moderator";
}

/// <summary>One audit entry, written in the transaction of the action it records.</summary>
public sealed record AuditEntry(Moderator By, string Action, Guid? CaseId, string TargetType, Guid TargetId, string? Note);

/// <summary>
/// Writes the append-only audit log. Callers write the entry in the same transaction as the change it records, so the
/// log holds exactly the actions that happened; the table's triggers refuse UPDATE and DELETE.
/// </summary>
public static class AuditLogWriter
{
    /// <summary>Appends the entry; returns its id.</summary>
    public static async Task<Guid> AppendAsync(NpgsqlConnection conn, NpgsqlTransaction tx, AuditEntry entry, DateTimeOffset now, CancellationToken ct)
    {
        var id = Guid.CreateVersion7(now);
        await conn.ExecuteAsync(new CommandDefinition(AuditLogSql.Insert, new
        {
            Id = id,
            ModeratorId = entry.By.Id,
            ModeratorName = entry.By.Name,
            entry.Action,
            entry.CaseId,
            entry.TargetType,
            entry.TargetId,
            entry.Note,
            Now = now,
        }, tx, cancellationToken: ct));
        return id;
    }
}

internal static class AuditLogSql
{
    // Appends one entry (moderation_actions_pkey).
    public const string Insert = """
        INSERT INTO moderation_actions (id, moderator_id, moderator_name, action, case_id, target_type, target_id, note, created_at)
        VALUES (@Id, @ModeratorId, @ModeratorName, @Action, @CaseId, @TargetType, @TargetId, @Note, @Now)
        """;
}
