using IgLive.Service.Features.Graph.Pairs;

namespace IgLive.Service.Features.Graph.FollowUser;

/// <summary>PUT: follow, idempotent.</summary>
public sealed class FollowUserEndpoint(NpgsqlDataSource db, TimeProvider clock) : FollowUserEndpointBase(db, clock)
{
    public override void Configure()
    {
        Put("/api/users/{username}/follow");
        Summary(s => s.Summary = "Follow a user (idempotent)");
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(403).ProducesProblemDetails(404));
    }

    protected override string Operation => FollowUserSql.Follow;
}

/// <summary>DELETE: unfollow, idempotent.</summary>
public sealed class UnfollowUserEndpoint(NpgsqlDataSource db, TimeProvider clock) : FollowUserEndpointBase(db, clock)
{
    public override void Configure()
    {
        Delete("/api/users/{username}/follow");
        Summary(s => s.Summary = "Stop following a user (idempotent)");
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(404));
    }

    protected override string Operation => FollowUserSql.Unfollow;
}

/// <summary>Both run lock + operation (<see cref="PairStatement"/>) and answer 200, 400 (yourself), 403 (a block) or 404.</summary>
public abstract class FollowUserEndpointBase(NpgsqlDataSource db, TimeProvider clock) : Endpoint<FollowUserRequest, FollowUserResponse>
{
    protected abstract string Operation { get; }

    private sealed record Outcome(bool Self, bool Blocked, FollowUserResponse Response);

    public override async Task HandleAsync(FollowUserRequest r, CancellationToken ct)
    {
        var viewer = User.UserId() ?? throw new InvalidOperationException("follow endpoints require an authenticated user");
        await using var conn = await db.OpenConnectionAsync(ct);
        var outcome = await PairStatement.RunAsync(conn, Operation, viewer, r.Username, clock.GetUtcNow(), static row => new Outcome(
            row.GetBoolean(0), row.GetBoolean(1), new FollowUserResponse { Following = row.GetBoolean(2), FollowersCount = row.GetInt64(3) }), ct);
        await Send.ResultAsync(outcome switch
        {
            null => ProblemsExtensions.Problem(404, $"No user is named '{r.Username}'."),
            { Self: true } => ProblemsExtensions.Problem(400, "You cannot follow yourself."),
            { Blocked: true } => ProblemsExtensions.Problem(403, Visibility.BlockedDetail, "Blocked"),
            _ => TypedResults.Ok(outcome.Response),
        });
    }
}
