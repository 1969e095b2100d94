using IgLive.Service.Features.Profiles;

namespace IgLive.Service.Features.Graph.ProfileLists;

/// <summary>
/// A user's followers or followings, newest follow first: the two lists differ only in which side of
/// <c>user_follows</c> is the owner, so one endpoint shape serves both (the slices name the route and the side).
/// </summary>
public abstract class FollowListEndpoint(NpgsqlDataSource db, TimeProvider clock, FollowListSql list)
    : Endpoint<ProfileListRequest, Page<ProfileDto>>
{
    public override async Task HandleAsync(ProfileListRequest r, CancellationToken ct)
    {
        var viewer = User.UserId();
        await using var conn = await db.OpenConnectionAsync(ct);
        var owner = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(ProfilePages.VisibleUserId,
            new { r.Username, Viewer = viewer }, cancellationToken: ct));
        if (owner is null) { await Send.ResultAsync(ProblemsExtensions.Problem(404, $"No user is named '{r.Username}'.")); return; }
        await Send.OkAsync(await ProfilePages.PageAsync(conn, list.First, list.Next, r.Limit, r.Cursor, viewer, owner.Value,
            clock.GetUtcNow(), ct), ct);
    }
}

/// <summary>
/// The statements of one follow list: up to limit+1 profiles, newest follow first, none blocked either way with the caller.
/// The index on (owner side, created_at, listed side) from the top (or the cursor's position), a constant inner LIMIT 51
/// (see GetFeedSql), then profiles_pkey and ProfileSql.Columns' probes per row.
/// </summary>
public sealed class FollowListSql
{
    /// <summary>Who follows @Owner (user_follows_followers_idx).</summary>
    public static readonly FollowListSql Followers = new(listed: "follower_id", owner: "followee_id");

    /// <summary>Whom @Owner follows (user_follows_following_idx).</summary>
    public static readonly FollowListSql Following = new(listed: "followee_id", owner: "follower_id");

    private FollowListSql(string listed, string owner)
    {
        var head = $"""
            SELECT {ProfileSql.Columns}, x.created_at AS listed_at
            FROM (SELECT x.{listed} AS listed_id, x.created_at FROM user_follows x
                  WHERE x.{owner} = @Owner AND x.{listed}{Visibility.NotBlockedWithViewer}
            """;
        var tail = $"""

                  ORDER BY x.created_at DESC, x.{listed} DESC LIMIT 51) x
            CROSS JOIN LATERAL (SELECT * FROM profiles p WHERE p.id = x.listed_id OFFSET 0) p
            ORDER BY x.created_at DESC, x.listed_id DESC
            LIMIT @Take
            """;
        First = head + tail;
        Next = head + $"\n  AND (x.created_at, x.{listed}) < (@CursorAt, @CursorId)" + tail;
    }

    public string First { get; }
    public string Next { get; }
}
