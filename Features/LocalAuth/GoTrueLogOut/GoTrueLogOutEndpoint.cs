using IgLive.Service.Features.LocalAuth.GoTrue;
using IgLive.Service.Features.LocalAuth.Store;
using IgLive.Service.Features.Moderation.Suspension;

namespace IgLive.Service.Features.LocalAuth.GoTrueLogOut;

/// <summary>
/// GoTrue's logout: <c>scope=global</c> (default) ends all the user's sessions, <c>local</c> this one, <c>others</c> all but
/// this one; 204. Their refresh tokens stop working and their access tokens are refused here (403
/// <c>session_not_found</c>); elsewhere in the API access tokens stay valid until they expire, as with Supabase.
/// </summary>
[AllowedWhileSuspended]
public sealed class GoTrueLogOutEndpoint(LocalAccounts accounts) : GoTrueEndpoint
{
    public override void Configure()
    {
        Post("/auth/v1/logout");
        GoTrueRoute("Sign out (Supabase Auth protocol)");
        Description(b => b.Produces(204).Produces(400).Produces(401).Produces(403));
    }

    protected override async Task HandleGoTrueAsync(CancellationToken ct)
    {
        if (await AuthenticateAsync(ct) is not { } caller) return;
        var raw = HttpContext.Request.Query["scope"].ToString();
        LogoutScope? scope = raw switch
        {
            "" or "global" => LogoutScope.Global,
            "local" => LogoutScope.Local,
            "others" => LogoutScope.Others,
            _ => null,
        };
        if (scope is null) { await ErrorAsync(400, "validation_failed", $"Unsupported logout scope \"{raw}\"", ct); return; }
        await accounts.LogOutAsync(caller.User.Id, caller.SessionId, scope.Value, ct);
        await Send.NoContentAsync(ct);
    }
}
