using IgLive.Service.Features.Graph.ProfileLists;
using IgLive.Service.Features.Profiles;

namespace IgLive.Service.Features.Graph.ListBlocks;

public sealed record ListBlocksRequest : PageRequest;

public sealed class ListBlocksValidator : Validator<ListBlocksRequest>
{
    public ListBlocksValidator() => Include(PageRequestValidator.Instance);
}

public sealed class ListBlocksEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<ListBlocksRequest, Page<ProfileDto>>
{
    public override void Configure()
    {
        Get("/api/me/blocks");
        Summary(s => s.Summary = "The users the caller has blocked, newest block first");
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(401));
    }

    public override async Task HandleAsync(ListBlocksRequest r, CancellationToken ct)
    {
        var viewer = User.RequiredUserId();
        await using var conn = await db.OpenConnectionAsync(ct);
        await Send.OkAsync(await ProfilePages.PageAsync(conn, ListBlocksSql.First, ListBlocksSql.Next, r.Limit, r.Cursor, viewer, viewer, clock.GetUtcNow(), ct), ct);
    }
}

internal static class ListBlocksSql
{
    private const string Head = $"""
        SELECT {ProfileSql.Columns}, x.created_at AS listed_at
        FROM (SELECT x.blocked_id AS listed_id, x.created_at FROM user_blocks x
              WHERE x.blocker_id = @Owner
        """;

    private const string Tail = """

              ORDER BY x.created_at DESC, x.blocked_id DESC LIMIT 51) x
        CROSS JOIN LATERAL (SELECT * FROM profiles p WHERE p.id = x.listed_id OFFSET 0) p
        ORDER BY x.created_at DESC, x.listed_id DESC
        LIMIT @Take
        """;

    // Up to limit+1 blocked profiles (the caller's own list shows them: that is its purpose), newest first;
    // user_blocks_recent_idx, then profiles_pkey and ProfileSql.Columns' probes per row.
    public const string First = Head + Tail;
    // Same after a cursor.
    public const string Next = Head + "\n  AND (x.created_at, x.blocked_id) < (@CursorAt, @CursorId)" + Tail;
}
