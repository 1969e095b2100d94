namespace IgLive.Service.Features.Graph.Pairs;

/// <summary>
/// The shape block and mute (and their undo) share: <c>/api/users/{username}/{action}</c>, 204 without a body, and the
/// refusals each one names. Follow answers a body and configures its own (FollowUserEndpointBase).
/// </summary>
public abstract class PairActionEndpoint<TRequest> : Endpoint<TRequest> where TRequest : notnull
{
    protected void ConfigurePairAction(Http verb, string action, string summary, string? description, params int[] problems)
    {
        Verbs(verb);
        Routes($"/api/users/{{username}}/{action}");
        Summary(s =>
        {
            s.Summary = summary;
            if (description is not null) s.Description = description;
        });
        Description(b => b.Produces(204).ProducesProblems(problems));
    }
}
