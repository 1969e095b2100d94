using IgLive.Service.Features.LocalAuth.GoTrue;

namespace IgLive.Service.Features.LocalAuth.GoTrueSettings;

/// <summary>GoTrue's <c>GET /health</c> answer.</summary>
public sealed record GoTrueHealthResponse
{
    /// <summary>The service's version.</summary>
    public required string Version { get; init; }
    /// <summary>Always <c>GoTrue</c>: clients that check it see the protocol they expect.</summary>
    public string Name { get; init; } = "GoTrue";
    public string Description { get; init; } = "IgLive.Service's local auth server, speaking GoTrue's API";
}

public sealed class GoTrueHealthEndpoint : GoTrueEndpoint
{
    private static readonly GoTrueHealthResponse Health = new()
    {
        Version = typeof(GoTrueHealthEndpoint).Assembly.GetName().Version?.ToString() ?? "0",
    };

    public override void Configure()
    {
        Get("/auth/v1/health");
        GoTrueRoute("Auth server health (Supabase Auth protocol)");
        Description(b => b.Produces<GoTrueHealthResponse>(200).Produces(401));
    }

    protected override Task HandleGoTrueAsync(CancellationToken ct) => Send.OkAsync(Health, ct);
}
