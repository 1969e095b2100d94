using IgLive.Service.Features.Notifications.Inbox;

namespace IgLive.Service.Features.Notifications.ListNotifications;

public sealed record ListNotificationsRequest
{
    /// <summary>Page size, 1..50 (default 20).</summary>
    [QueryParam] public int Limit { get; init; } = 20;
    /// <summary>The previous page's <c>next_cursor</c>; absent for the first page.</summary>
    [QueryParam] public string? Cursor { get; init; }
}

public sealed class ListNotificationsValidator : Validator<ListNotificationsRequest>
{
    public ListNotificationsValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, 50).WithMessage("limit must be between 1 and 50");
        RuleFor(r => r.Cursor).Must(c => Common.Cursor.TryDecode(c, out _)).When(r => r.Cursor is not null)
            .WithMessage(Common.Cursor.Invalid);
    }
}

public sealed class ListNotificationsEndpoint(NpgsqlDataSource db, TimeProvider clock)
    : Endpoint<ListNotificationsRequest, Page<NotificationDto>>
{
    public override void Configure()
    {
        Get("/api/notifications");
        Summary(s => s.Summary = "The caller's notifications, most recently updated first");
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(401));
    }

    public override async Task HandleAsync(ListNotificationsRequest r, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await Send.OkAsync(await Inbox.Inbox.PageAsync(conn, User.RequiredUserId(), r.Cursor, r.Limit, clock.GetUtcNow(), ct), ct);
    }
}
