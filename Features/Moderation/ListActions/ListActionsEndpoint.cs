using IgLive.Service.Features.Moderation.Moderators;

namespace IgLive.Service.Features.Moderation.ListActions;

public sealed record ListActionsRequest
{
    /// <summary>Page size, 1..50 (default 20).</summary>
    [QueryParam] public int Limit { get; init; } = 20;
    /// <summary>The previous page's <c>next_cursor</c>; absent for the first page.</summary>
    [QueryParam] public string? Cursor { get; init; }
}

public sealed class ListActionsValidator : Validator<ListActionsRequest>
{
    public ListActionsValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, 50).WithMessage("limit must be between 1 and 50");
        RuleFor(r => r.Cursor).Must(c => Common.Cursor.TryDecode(c, out _)).When(r => r.Cursor is not null)
            .WithMessage(Common.Cursor.Invalid);
    }
}

/// <summary>One entry of the audit log.</summary>
public sealed record ModerationActionDto
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
        string? next = null;
        if (rows.Count > r.Limit)
        {
            rows.RemoveRange(r.Limit, rows.Count - r.Limit);
            next = new Cursor(rows[^1].CreatedAt, rows[^1].Id).Encode();
        }
        await Send.OkAsync(new Page<ModerationActionDto> { Items = rows, NextCursor = next }, ct);
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
