using IgLive.Service.Features.Events.Fanout;
using IgLive.Service.Features.Graph.Pairs;

namespace IgLive.Service.Features.Graph.FollowUser;

/// <summary>PUT: follow, idempotent.</summary>
public sealed class FollowUserEndpoint(NpgsqlDataSource db, TimeProvider clock, LiveAnnouncer announcer) : FollowUserEndpointBase(db, clock, announcer)
{
    public override void Configure() => ConfigureFollow(Http.PUT, "Follow a user (idempotent)", 400, 401, 403, 404);

    protected override string Operation => FollowUserSql.Follow;
}

/// <summary>DELETE: unfollow, idempotent.</summary>
public sealed class UnfollowUserEndpoint(NpgsqlDataSource db, TimeProvider clock, LiveAnnouncer announcer) : FollowUserEndpointBase(db, clock, announcer)
{
    public override void Configure() => ConfigureFollow(Http.DELETE, "Stop following a user (idempotent)", 400, 401, 404);

    protected override string Operation => FollowUserSql.Unfollow;
}

/// <summary>Both run lock + operation (<see cref="PairStatement"/>) and answer 200, 400 (yourself), 403 (a block) or 404.</summary>
public abstract class FollowUserEndpointBase(NpgsqlDataSource db, TimeProvider clock, LiveAnnouncer announcer) : Endpoint<FollowUserRequest, FollowUserResponse>
{
    protected abstract string Operation { get; }

    private sealed record Outcome(bool Self, bool Blocked, FollowUserResponse Response, Guid? Notified);

    /// <summary>The route both share, with the verb, summary and refusals of each.</summary>
    protected void ConfigureFollow(Http verb, string summary, params int[] problems)
    {
        Verbs(verb);
        Routes("/api/users/{username}/follow");
        Summary(s => s.Summary = summary);
        Description(b => b.ProducesProblems(problems));
    }

    public override async Task HandleAsync(FollowUserRequest r, CancellationToken ct)
    {
        var viewer = User.RequiredUserId();
        await using var conn = await db.OpenConnectionAsync(ct);
        var outcome = await PairStatement.RunAsync(conn, Operation, viewer, r.Username, clock.GetUtcNow(), static row => new Outcome(
            row.GetBoolean(0), row.GetBoolean(1), new FollowUserResponse { Following = row.GetBoolean(2), FollowersCount = row.GetInt64(3) },
            row.IsDBNull(4) ? null : row.GetGuid(4)), ct);
        // The batch has committed (implicit transaction); the followee's notification change is announced outside it.
        if (outcome?.Notified is { } followee) announcer.Announce(LiveEvents.UserNotifications(followee));
        await Send.ResultAsync(outcome switch
        {
            null => ProblemsExtensions.Problem(404, $"No user is named '{r.Username}'."),
            { Self: true } => ProblemsExtensions.Problem(400, "You cannot follow yourself."),
            { Blocked: true } => ProblemsExtensions.Problem(403, Visibility.BlockedDetail, "Blocked"),
            _ => TypedResults.Ok(outcome.Response),
        });
    }
}
