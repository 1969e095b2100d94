using IgLive.Service.Features.Graph.ProfileLists;

namespace IgLive.Service.Features.Graph.ListFollowers;

public sealed class ListFollowersEndpoint(NpgsqlDataSource db, TimeProvider clock) : FollowListEndpoint(db, clock, FollowListSql.Followers)
{
    public override void Configure()
    {
        Get("/api/users/{username}/followers");
        AllowAnonymous();
        Summary(s => s.Summary = "Who follows a user, newest follow first");
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(404));
    }
}
