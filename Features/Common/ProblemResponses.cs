namespace IgLive.Service.Features.Common;

/// <summary>OpenAPI declarations of an endpoint's problem+json refusals.</summary>
public static class ProblemResponses
{
    /// <summary>Declares a problem+json response for each of <paramref name="statuses"/>.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses) builder.ProducesProblemDetails(status);
        return builder;
    }
}
