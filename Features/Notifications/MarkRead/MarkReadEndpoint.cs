using IgLive.Service.Features.Events.Fanout;

namespace IgLive.Service.Features.Notifications.MarkRead;

public sealed record MarkReadRequest
{
    /// <summary>The notifications to mark read (1..100 ids); unknown ids and other users' are ignored.</summary>
    public Guid[]? Ids { get; init; }
    /// <summary>True to mark every notification read (instead of <c>ids</c>).</summary>
    public bool? All { get; init; }
}

public sealed class MarkReadValidator : Validator<MarkReadRequest>
{
    public MarkReadValidator()
    {
        RuleFor(r => r).Must(r => (r.Ids is not null) != (r.All is true))
            .WithName("ids").WithMessage("send either ids or all: true");
        RuleFor(r => r.Ids).Must(ids => ids!.Length is >= 1 and <= 100).When(r => r.Ids is not null)
            .WithMessage("ids must hold 1 to 100 ids");
    }
}

public sealed class MarkReadEndpoint(NpgsqlDataSource db, TimeProvider clock, LiveAnnouncer announcer) : Endpoint<MarkReadRequest>
{
    public override void Configure()
    {
        Post("/api/notifications/read");
        Summary(s => s.Summary = "Mark some or all of the caller's notifications read");
        Description(b => b.Produces(204).ProducesProblemDetails(400).ProducesProblemDetails(401));
    }

    public override async Task HandleAsync(MarkReadRequest r, CancellationToken ct)
    {
        var userId = User.RequiredUserId();
        await using var conn = await db.OpenConnectionAsync(ct);
        var marked = await conn.ExecuteScalarAsync<long>(new CommandDefinition(MarkReadSql.MarkRead,
            new { UserId = userId, r.Ids, All = r.All is true, Now = clock.GetUtcNow() }, cancellationToken: ct));
        // Committed (one statement): the caller's other streams pull the change.
        if (marked > 0) announcer.Announce(LiveEvents.UserNotifications(userId));
        await Send.NoContentAsync(ct);
    }
}

internal static class MarkReadSql
{
    // Marks the caller's unread rows read (a new change cursor each); returns how many (the endpoint announces the
    // change after the commit when any); notifications_unread_idx / notifications_pkey.
    public const string MarkRead = """
        WITH u AS (UPDATE notifications SET read_at = @Now, seq = nextval('notification_change_seq')
                   WHERE user_id = @UserId AND read_at IS NULL AND (@All OR id = ANY (@Ids))
                   RETURNING user_id)
        SELECT count(*) FROM u
        """;
}
