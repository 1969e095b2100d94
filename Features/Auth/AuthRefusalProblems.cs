namespace IgLive.Service.Features.Auth;

/// <summary>The contract's answers to the auth provider's refusals (shared by sign-up, login and refresh).</summary>
internal static class AuthRefusalProblems
{
    /// <summary>One message for unknown e-mail and wrong password alike.</summary>
    public const string InvalidCredentials = "Invalid login credentials.";

    public static IResult For(AuthRefused refusal, HttpContext http)
    {
        switch (refusal.Reason)
        {
            case AuthRefusal.EmailTaken:
                return ProblemsExtensions.Problem(409, "An account with this e-mail address already exists.", "E-mail taken");
            case AuthRefusal.InvalidCredentials:
                return ProblemsExtensions.Problem(401, InvalidCredentials);
            case AuthRefusal.InvalidRefreshToken:
                return ProblemsExtensions.Problem(401, "The refresh token is invalid, used or revoked; log in again.");
            case AuthRefusal.EmailNotConfirmed:
                return ProblemsExtensions.Problem(403, "Confirm your e-mail address before logging in.");
            case AuthRefusal.SignUpDisabled:
                return ProblemsExtensions.Problem(403, "Sign-ups are disabled.");
            case AuthRefusal.WeakPassword:
                var problem = TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["password"] = ["password is too weak; choose a longer, less common one"] },
                    detail: "password is too weak; choose a longer, less common one", title: "Invalid request");
                return problem;
            case AuthRefusal.RateLimited:
            default:
                http.Response.Headers.RetryAfter = AuthRateLimiting.RetryAfterSeconds(refusal.RetryAfter ?? TimeSpan.FromMinutes(1));
                return ProblemsExtensions.Problem(429, "Too many attempts; retry later.");
        }
    }

    /// <summary>429 with Retry-After for the per-e-mail limits (sign-up attempts, failed sign-ins).</summary>
    public static IResult TooManyAttempts(HttpContext http, TimeSpan wait)
    {
        http.Response.Headers.RetryAfter = AuthRateLimiting.RetryAfterSeconds(wait);
        return ProblemsExtensions.Problem(429, "Too many attempts for this e-mail address; retry later.");
    }
}
