using IgLive.Service.Features.Moderation.Suspension;

namespace IgLive.Service.Features.Auth.LogOut;

// Ending a session is not a write a suspension refuses.
[AllowedWhileSuspended]
public sealed class LogOutEndpoint(IAuthProvider auth) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/api/auth/logout");
        Summary(s =>
        {
            s.Summary = "Log out: revoke the caller's session";
            s.Description = "The session's refresh tokens stop working. As with Supabase, access tokens already issued stay "
                            + "valid until they expire (at most Auth:AccessTokenSeconds); clients drop them.";
        });
        Description(b => b.Produces(204).ProducesProblemDetails(401).ProducesProblemDetails(502).ProducesProblemDetails(503));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var token = BearerToken.Read(HttpContext.Request) ?? "";
        var sessionId = Guid.TryParse(User.FindFirst("session_id")?.Value, out var sid) ? sid : (Guid?)null;
        if (await auth.LogOutAsync(new AuthCaller(User.RequiredUserId(), sessionId, token), ct) is { } refused)
        {
            await Send.ResultAsync(AuthRefusalProblems.For(refused, HttpContext));
            return;
        }
        await Send.NoContentAsync(ct);
    }
}
