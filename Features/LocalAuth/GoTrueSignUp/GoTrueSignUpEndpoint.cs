using System.Text.Json;
using IgLive.Service.Features.LocalAuth.GoTrue;
using IgLive.Service.Features.LocalAuth.Store;

namespace IgLive.Service.Features.LocalAuth.GoTrueSignUp;

/// <summary>Body of <c>POST /auth/v1/signup</c> (documentation only: the endpoint reads the JSON itself).</summary>
public sealed record GoTrueSignUpRequest
{
    public string Email { get; init; } = "";
    /// <summary>8 to 72 bytes.</summary>
    public string Password { get; init; } = "";
    /// <summary>Stored as the user's <c>user_metadata</c> (a <c>username</c> key names the profile).</summary>
    public Dictionary<string, object>? Data { get; init; }
}

/// <summary>
/// GoTrue's sign-up with e-mail autoconfirm on: 200 with a session. 422 <c>user_already_exists</c> for a taken e-mail,
/// 422 <c>weak_password</c>, 400 <c>validation_failed</c>, 429 <c>over_request_rate_limit</c> (per address and per
/// e-mail, the same counters as <c>/api/auth/signup</c>). The profile is created on the user's first API call.
/// </summary>
public sealed class GoTrueSignUpEndpoint(LocalAccounts accounts, AuthAttemptLimiter attempts) : GoTrueEndpoint
{
    public override void Configure()
    {
        Post("/auth/v1/signup");
        GoTrueRoute("Sign up (Supabase Auth protocol)");
        Options(b => b.RequireRateLimiting(AuthRateLimiting.PerAddressPolicy).Accepts<GoTrueSignUpRequest>("application/json"));
        Description(b => b.Produces<GoTrueSession>(200).Produces(400).Produces(401).Produces(422).Produces(429));
    }

    protected override async Task HandleGoTrueAsync(CancellationToken ct)
    {
        if (await ReadBodyAsync(ct) is not { } body) return;
        var email = Text(body, "email") ?? "";
        var password = Text(body, "password") ?? "";
        if (password.Length == 0) { await ErrorAsync(400, "validation_failed", "Signup requires a valid password", ct); return; }
        if (email.Length > 0 && !string.IsNullOrEmpty(Text(body, "phone")))
        {
            await ErrorAsync(400, "validation_failed", "Only an email address or phone number should be provided on signup.", ct);
            return;
        }
        if (email.Length == 0 && !string.IsNullOrEmpty(Text(body, "phone"))) { await ErrorAsync(400, "phone_provider_disabled", "Phone signups are disabled", ct); return; }
        if (GoTrueEmail.Problem(email) is { } problem) { await ErrorAsync(400, "validation_failed", problem, ct); return; }
        if (!await PasswordAcceptableAsync(password, ct)) return;
        var data = body.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d.GetRawText() : "{}";

        if (await attempts.TryAcquireAsync(email, ct) is { } wait)
        {
            HttpContext.Response.Headers.RetryAfter = AuthRateLimiting.RetryAfterSeconds(wait);
            await ErrorAsync(429, "over_request_rate_limit", GoTrueRateLimitRejection.Message, ct);
            return;
        }
        var grant = await accounts.SignUpAsync(email, password, data, onCreated: null, ct);
        if (grant.Session is { } session) await Send.OkAsync(GoTrueSession.From(session), ct);
        else await ErrorAsync(422, "user_already_exists", "User already registered", ct);
    }
}
