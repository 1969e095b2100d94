using IgLive.Service.Features.Moderation.Suspension;

namespace IgLive.Service.Features.Auth.RefreshSession;

public sealed record RefreshSessionRequest
{
    /// <summary>The refresh token of the latest session; it is used up by this call.</summary>
    public string RefreshToken { get; init; } = "";
}

public sealed class RefreshSessionValidator : Validator<RefreshSessionRequest>
{
    public RefreshSessionValidator() =>
        RuleFor(r => r.RefreshToken).NotEmpty().WithMessage("refresh_token is required").MaximumLength(1024);
}

// A suspended user keeps reading, so keeps their session.
[AllowedWhileSuspended]
public sealed class RefreshSessionEndpoint(IAuthProvider auth) : Endpoint<RefreshSessionRequest, SessionDto>
{
    public override void Configure()
    {
        Post("/api/auth/refresh");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Exchange a refresh token for a new session";
            s.Description = "Refresh tokens rotate: keep the new one. A used, unknown or revoked token is 401; presenting a "
                            + "used one again revokes its whole session (the token may have been stolen), so log in again.";
        });
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(429)
            .ProducesProblemDetails(502).ProducesProblemDetails(503));
    }

    public override async Task HandleAsync(RefreshSessionRequest r, CancellationToken ct)
    {
        switch (await auth.RefreshAsync(r.RefreshToken, ct))
        {
            case AuthSessionIssued issued: await Send.OkAsync(SessionDto.From(issued.Session), ct); break;
            case AuthRefused refused: await Send.ResultAsync(AuthRefusalProblems.For(refused, HttpContext)); break;
        }
    }
}
