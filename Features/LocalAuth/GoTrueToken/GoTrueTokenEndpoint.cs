using IgLive.Service.Features.LocalAuth.GoTrue;
using IgLive.Service.Features.LocalAuth.Store;
using IgLive.Service.Features.Moderation.Suspension;

namespace IgLive.Service.Features.LocalAuth.GoTrueToken;

/// <summary>Body of <c>POST /auth/v1/token</c> (documentation only: the endpoint reads the JSON itself).</summary>
public sealed record GoTrueTokenRequest
{
    /// <summary><c>grant_type=password</c>.</summary>
    public string? Email { get; init; }
    /// <summary><c>grant_type=password</c>.</summary>
    public string? Password { get; init; }
    /// <summary><c>grant_type=refresh_token</c>: single-use; the answer carries the next one.</summary>
    public string? RefreshToken { get; init; }
}

/// <summary>
/// GoTrue's token endpoint, <c>grant_type</c> in the query: <c>password</c> (400 <c>invalid_credentials</c> for an unknown
/// e-mail and a wrong password alike) and <c>refresh_token</c> (rotation with Supabase's reuse allowance: 400
/// <c>refresh_token_not_found</c>, <c>refresh_token_already_used</c>). Per-address limit on both grants; password
/// sign-ins also have failure budgets per e-mail (<see cref="SignInFailureLimiter"/>: only refused credentials count) —
/// the counters <c>/api/auth/login</c> uses. A suspended user may still sign in and refresh (they keep reading), as with
/// <c>/api/auth/refresh</c>.
/// </summary>
[AllowedWhileSuspended]
public sealed class GoTrueTokenEndpoint(LocalAccounts accounts, LocalRefreshTokens refreshTokens, SignInFailureLimiter failures) : GoTrueEndpoint
{
    public override void Configure()
    {
        Post("/auth/v1/token");
        GoTrueRoute("Sign in with a password or a refresh token (Supabase Auth protocol)");
        Options(b => b.RequireRateLimiting(AuthRateLimiting.PerAddressPolicy).Accepts<GoTrueTokenRequest>("application/json"));
        Description(b => b.Produces<GoTrueSession>(200).Produces(400).Produces(401).Produces(429));
    }

    protected override async Task HandleGoTrueAsync(CancellationToken ct)
    {
        var grantType = HttpContext.Request.Query["grant_type"].ToString();
        if (grantType is not ("password" or "refresh_token"))
        {
            await ErrorAsync(400, "invalid_credentials", "unsupported_grant_type", ct);
            return;
        }
        if (await ReadBodyAsync(ct) is not { } body) return;
        if (grantType == "refresh_token")
        {
            if (Text(body, "refresh_token") is not { Length: > 0 } token)
            {
                await GoTrueErrors.WriteOAuthAsync(HttpContext, "invalid_request", "refresh_token required", ct);
                return;
            }
            await AnswerAsync(await refreshTokens.RefreshAsync(token, ct), ct);
            return;
        }

        var email = Text(body, "email") ?? "";
        var phone = Text(body, "phone") ?? "";
        if (email.Length > 0 && phone.Length > 0)
        {
            await ErrorAsync(400, "validation_failed", "Only an email address or phone number should be provided on login.", ct);
            return;
        }
        if (phone.Length > 0) { await ErrorAsync(422, "phone_provider_disabled", "Phone logins are disabled", ct); return; }
        if (email.Length == 0) { await ErrorAsync(400, "validation_failed", "missing email or phone", ct); return; }
        if (await failures.CheckAsync(HttpContext, email, ct) is { } wait)
        {
            HttpContext.Response.Headers.RetryAfter = AuthRateLimiting.RetryAfterSeconds(wait);
            await ErrorAsync(429, "over_request_rate_limit", GoTrueRateLimitRejection.Message, ct);
            return;
        }
        var grant = await accounts.PasswordGrantAsync(email, Text(body, "password") ?? "", ct);
        // Only refused credentials count (never a correct password); counted even if the caller hangs up now.
        if (grant.Refusal == LocalRefusal.InvalidCredentials) await failures.FailedAsync(HttpContext, email, CancellationToken.None);
        await AnswerAsync(grant, ct);
    }

    private Task AnswerAsync(LocalGrant grant, CancellationToken ct) => grant switch
    {
        { Session: { } s } => Send.OkAsync(GoTrueSession.From(s), ct),
        { Refusal: LocalRefusal.RefreshTokenAlreadyUsed } => ErrorAsync(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used", ct),
        { Refusal: LocalRefusal.RefreshTokenNotFound } => ErrorAsync(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found", ct),
        _ => ErrorAsync(400, "invalid_credentials", "Invalid login credentials", ct),
    };
}
