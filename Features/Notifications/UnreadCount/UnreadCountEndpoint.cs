using IgLive.Service.Features.Notifications.Inbox;

namespace IgLive.Service.Features.Notifications.UnreadCount;

/// <summary>How many of the caller's notifications are unread.</summary>
public sealed record UnreadCountResponse
{
    public required long Count { get; init; }
}

public sealed class UnreadCountEndpoint(NpgsqlDataSource db, TimeProvider clock) : EndpointWithoutRequest<UnreadCountResponse>
{
    public override void Configure()
    {
        Get("/api/notifications/unread_count");
        Summary(s => s.Summary = "Number of unread notifications");
        Description(b => b.ProducesProblemDetails(401));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var count = await Inbox.Inbox.UnreadCountAsync(conn, User.RequiredUserId(), clock.GetUtcNow(), ct);
        await Send.OkAsync(new UnreadCountResponse { Count = count }, ct);
    }
}
