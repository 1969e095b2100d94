using IgLive.Service.Features.LocalAuth.GoTrue;

namespace IgLive.Service.Features.LocalAuth.GoTrueGetUser;

/// <summary>GoTrue's <c>GET /user</c>: the caller's user object (401 <c>no_authorization</c>, 403 <c>bad_jwt</c> / <c>session_not_found</c>).</summary>
public sealed class GoTrueGetUserEndpoint : GoTrueEndpoint
{
    protected override bool NeedsUser => true;

    public override void Configure()
    {
        Get("/auth/v1/user");
        GoTrueRoute("The signed-in user (Supabase Auth protocol)");
        Description(b => b.Produces<GoTrueUser>(200).Produces(401).Produces(403));
    }

    protected override async Task HandleGoTrueAsync(CancellationToken ct)
    {
        if (await AuthenticateAsync(ct) is not { } caller) return;
        await Send.OkAsync(GoTrueUser.From(caller.User), ct);
    }
}
