using IgLive.Service.Features.Moderation.Moderators;

namespace IgLive.Service.Features.Moderation.ListActions;

public sealed record ListActionsRequest : PageRequest;

public sealed class ListActionsValidator : Validator<ListActionsRequest>
{
    public ListActionsValidator() => Include(PageRequestValidator.Instance);
}

/// <summary>One entry of the audit log.</summary>
public sealed record ModerationActionDto : IKeysetRow
{
    public required Guid Id { get; init; }
    /// <summary>Who acted: a moderator's username, <c>service_role</c>, or <c>cli</c> for the moderators command.</summary>
    public required string Moderator { get; init; }
    /// <summary>The moderator's user id; null for service_role and cli.</summary>
    public Guid? ModeratorId { get; init; }
    /// <summary><c>dismiss</c>, <c>remove</c>, <c>suspend_author</c>, <c>lift_suspension</c>, <c>add_moderator</c> or <c>remove_moderator</c>.</summary>
    public required string Action { get; init; }
    /// <summary>The resolved case; null for actions outside a case (lifting a suspension, managing moderators).</summary>
    public Guid? CaseId { get; init; }
    public required string TargetType { get; init; }
    public required Guid TargetId { get; init; }
    public string? Note { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary><c>GET /api/moderation/actions</c>: the append-only audit log, newest first.</summary>
public sealed class ListActionsEndpoint(NpgsqlDataSource db) : Endpoint<ListActionsRequest, Page<ModerationActionDto>>
{
    public override void Configure()
    {
        Get("/api/moderation/actions");
        PreProcessor<ModeratorGate<ListActionsRequest>>();
        Summary(s =>
        {
            s.Summary = "The moderation audit log (moderators only)";
            s.Description = "Every moderator action, newest first, keyset-paginated. Entries are never changed or deleted.";
        });
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(403));
    }

    public override async Task HandleAsync(ListActionsRequest r, CancellationToken ct)
    {
        var hasCursor = Cursor.TryDecode(r.Cursor, out var c);
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<ModerationActionDto>(new CommandDefinition(hasCursor ? ListActionsSql.Next : ListActionsSql.First,
            new { At = c.CreatedAt, c.Id, Take = r.Limit + 1 }, cancellationToken: ct))).AsList();
        await Send.OkAsync(Page.Of(rows, r.Limit), ct);
    }
}

internal static class ListActionsSql
{
    private const string Select = """
        SELECT id, moderator_name AS moderator, moderator_id, action, case_id, target_type, target_id, note, created_at
        FROM moderation_actions
        """;
    private const string Order = " ORDER BY created_at DESC, id DESC LIMIT @Take";

    // The newest entries (moderation_actions_log_idx).
    public const string First = Select + Order;
    // Same after a cursor position.
    public const string Next = Select + " WHERE (created_at, id) < (@At, @Id)" + Order;
}
