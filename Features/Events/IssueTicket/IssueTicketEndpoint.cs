using System.Buffers.Text;
using System.Security.Cryptography;
using IgLive.Service.Features.Moderation.Suspension;

namespace IgLive.Service.Features.Events.IssueTicket;

/// <summary>A one-use ticket for <c>GET /api/events?ticket=…</c>.</summary>
public sealed record IssueTicketResponse
{
    /// <summary>Opaque, single use.</summary>
    public required string Ticket { get; init; }
    /// <summary>Seconds until the ticket expires (60).</summary>
    public required int ExpiresIn { get; init; }
}

/// <summary>
/// EventSource cannot send an Authorization header, and an access token in a URL lands in proxy logs: the client
/// trades its token for a ticket that opens one stream within a minute. Only the ticket's SHA-256 is stored. A POST that
/// only serves reading: a suspended user keeps their live updates.
/// </summary>
[AllowedWhileSuspended]
public sealed class IssueTicketEndpoint(NpgsqlDataSource db, TimeProvider clock) : EndpointWithoutRequest<IssueTicketResponse>
{
    public const int LifetimeSeconds = 60;

    public override void Configure()
    {
        Post("/api/events/ticket");
        Summary(s => s.Summary = "A one-use ticket (60 s) to open the caller's event stream from a browser");
        Description(b => b.ProducesProblemDetails(401));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var ticket = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(IssueTicketSql.Insert,
            new { Hash = Hash(ticket), UserId = User.UserId(), Now = now, ExpiresAt = now.AddSeconds(LifetimeSeconds) }, cancellationToken: ct));
        await Send.OkAsync(new IssueTicketResponse { Ticket = ticket, ExpiresIn = LifetimeSeconds }, ct);
    }

    /// <summary>What is stored for a ticket.</summary>
    public static byte[] Hash(string ticket) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ticket));
}

internal static class IssueTicketSql
{
    // Stores the ticket and sweeps tickets expired for a while (bounded by event_tickets_expires_idx).
    public const string Insert = """
        WITH gc AS (DELETE FROM event_tickets WHERE expires_at < @Now - interval '10 minutes')
        INSERT INTO event_tickets (ticket_hash, user_id, expires_at) VALUES (@Hash, @UserId, @ExpiresAt)
        """;
}
