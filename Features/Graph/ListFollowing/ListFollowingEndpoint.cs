using IgLive.Service.Features.Graph.ProfileLists;
using IgLive.Service.Features.Profiles;

namespace IgLive.Service.Features.Graph.ListFollowing;

public sealed class ListFollowingEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<ProfileListRequest, Page<ProfileDto>>
{
    public override void Configure()
    {
        Get("/api/users/{username}/following");
        AllowAnonymous();
        Summary(s => s.Summary = "Whom a user follows, newest follow first");
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(404));
    }

    public override async Task HandleAsync(ProfileListRequest r, CancellationToken ct)
    {
        var viewer = User.UserId();
        await using var conn = await db.OpenConnectionAsync(ct);
        var owner = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(ProfilePages.VisibleUserId,
            new { r.Username, Viewer = viewer }, cancellationToken: ct));
        if (owner is null) { await Send.ResultAsync(ProblemsExtensions.Problem(404, $"No user is named '{r.Username}'.")); return; }
        await Send.OkAsync(await ProfilePages.PageAsync(conn, ListFollowingSql.First, ListFollowingSql.Next, r.Limit, r.Cursor, viewer, owner.Value,
            clock.GetUtcNow(), ct), ct);
    }
}

internal static class ListFollowingSql
{
    private const string Head = $"""
        SELECT {ProfileSql.Columns}, x.created_at AS listed_at
        FROM (SELECT x.followee_id AS listed_id, x.created_at FROM user_follows x
              WHERE x.follower_id = @Owner AND x.followee_id{Visibility.NotBlockedWithViewer}
        """;

    private const string Tail = """

              ORDER BY x.created_at DESC, x.followee_id DESC LIMIT 51) x
        CROSS JOIN LATERAL (SELECT * FROM profiles p WHERE p.id = x.listed_id OFFSET 0) p
        ORDER BY x.created_at DESC, x.listed_id DESC
        LIMIT @Take
        """;

    // Up to limit+1 profiles, newest follow first, none blocked either way with the caller; user_follows_following_idx from the top,
    // constant inner LIMIT 51 (see GetFeedSql), then profiles_pkey and ProfileSql.Columns' probes per row.
    public const string First = Head + Tail;
    // Same after a cursor: user_follows_following_idx from the (created_at, followee_id) position.
    public const string Next = Head + "\n  AND (x.created_at, x.followee_id) < (@CursorAt, @CursorId)" + Tail;
}
