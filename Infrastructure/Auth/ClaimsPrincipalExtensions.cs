using System.Security.Claims;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>Reads the caller's identity from the verified token's claims.</summary>
public static class ClaimsPrincipalExtensions
{
    /// <summary>The token's <c>sub</c> as a user id, or null when anonymous or not a UUID.</summary>
    public static Guid? UserId(this ClaimsPrincipal user)
        => user.Identity?.IsAuthenticated == true && Guid.TryParse(user.FindFirst("sub")?.Value, out var id) ? id : null;

    /// <summary>
    /// The caller's user id on an endpoint that requires a user: the authorization policy has already refused anonymous
    /// callers, so a missing id is a bug in the endpoint's configuration, not a client error.
    /// </summary>
    public static Guid RequiredUserId(this ClaimsPrincipal user)
        => user.UserId() ?? throw new InvalidOperationException("this endpoint requires an authenticated user");
}
