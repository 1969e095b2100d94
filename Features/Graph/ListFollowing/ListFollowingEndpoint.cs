using IgLive.Service.Features.Graph.ProfileLists;

namespace IgLive.Service.Features.Graph.ListFollowing;

public sealed class ListFollowingEndpoint(NpgsqlDataSource db, TimeProvider clock) : FollowListEndpoint(db, clock, FollowListSql.Following)
{
    public override void Configure()
    {
        Get("/api/users/{username}/following");
        AllowAnonymous();
        Summary(s => s.Summary = "Whom a user follows, newest follow first");
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(404));
    }
}
