using Microsoft.AspNetCore.Authorization;

namespace IgLive.Service.Features.LocalAuth.ServiceRoleGuard;

/// <summary>
/// The service-role key (and a Supabase service_role token) authenticates without being a user: no <c>sub</c>. It has
/// its rights on the routes that check the role (<c>/api/admin/*</c>, <c>/api/moderation/*</c>); any other route that
/// needs a user answers 403 instead of running without one. Routes open to anonymous callers treat it as anonymous.
/// </summary>
public sealed class ServiceRoleGuardProcessor : IGlobalPreProcessor
{
    private static readonly string[] ServiceRoutes = ["/api/admin", "/api/moderation"];

    public async Task PreProcessAsync(IPreProcessorContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.IsAuthenticated != true || http.User.UserId() is not null) return;
        if (http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null) return;
        if (ServiceRoutes.Any(r => http.Request.Path.StartsWithSegments(r))) return;
        await http.Response.SendResultAsync(ProblemsExtensions.Problem(403,
            "This route acts for a user; the service role is not one. Call it with a user's access token."));
    }
}
