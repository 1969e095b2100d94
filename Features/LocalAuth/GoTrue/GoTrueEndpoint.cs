using System.Text.Json;
using IgLive.Service.Features.LocalAuth.Store;
using IgLive.Service.Infrastructure.Api;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.LocalAuth.GoTrue;

/// <summary>
/// Base of the <c>/auth/v1</c> endpoints (Supabase Auth's protocol, Local mode only). As Supabase's API gateway, every
/// call needs <c>apikey</c> (header or query) to be the anon or the service-role key; bodies are read here so that bad
/// JSON gets GoTrue's <c>bad_json</c> rather than problem+json; errors are GoTrue's (<see cref="GoTrueErrors"/>).
/// </summary>
public abstract class GoTrueEndpoint : EndpointWithoutRequest
{
    /// <summary>The CORS policy of the /auth/v1 routes (any origin, Supabase's headers).</summary>
    public const string CorsPolicy = "supabase-auth";

    /// <summary>Whether the route is served without an API key (the JWKS, which verifiers fetch).</summary>
    protected virtual bool Open => false;

    /// <summary>Whether the route needs a user's access token too (documented; checked by <see cref="AuthenticateAsync"/>).</summary>
    protected virtual bool NeedsUser => false;

    /// <summary>AllowAnonymous (the endpoint checks the bearer itself, with GoTrue's codes), tag, GoTrue 429 bodies, CORS.</summary>
    protected void GoTrueRoute(string summary)
    {
        AllowAnonymous();
        Tags("Supabase Auth (Local mode)");
        // Documented security: the JWKS is open, the others need the API key, some a user's token as well.
        string[] schemes = Open ? [] : NeedsUser ? [OpenApiSchemes.ApiKey, OpenApiSchemes.Bearer] : [OpenApiSchemes.ApiKey];
        Options(b => b.WithMetadata(new GoTrueRateLimitRejection(), new OpenApiSecurity(schemes)).RequireCors(CorsPolicy));
        Summary(s => s.Summary = summary);
    }

    public sealed override async Task HandleAsync(CancellationToken ct)
    {
        if (Resolve<IOptions<AuthOptions>>().Value.Mode != AuthMode.Local)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(404, "The local auth server runs only with Auth:Mode=Local; use the Supabase project's /auth/v1."));
            return;
        }
        if (!Open)
        {
            var key = HttpContext.Request.Headers["apikey"].ToString() is { Length: > 0 } h ? h : HttpContext.Request.Query["apikey"].ToString();
            var keys = Resolve<ApiKeys>();
            if (key.Length == 0 || !(keys.IsAnon(key) || keys.IsServiceRole(key)))
            {
                await GoTrueErrors.WriteApiKeyRefusalAsync(HttpContext, missing: key.Length == 0, ct);
                return;
            }
        }
        await HandleGoTrueAsync(ct);
    }

    protected abstract Task HandleGoTrueAsync(CancellationToken ct);

    protected Task ErrorAsync(int status, string errorCode, string message, CancellationToken ct)
        => GoTrueErrors.WriteAsync(HttpContext, status, errorCode, message, ct);

    /// <summary>The body as a JSON object; null after answering 400 <c>bad_json</c>.</summary>
    protected async Task<JsonElement?> ReadBodyAsync(CancellationToken ct)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(HttpContext.Request.Body, cancellationToken: ct);
            if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc.RootElement.Clone();
        }
        catch (JsonException) { }
        await ErrorAsync(400, "bad_json", "Could not parse request body as JSON", ct);
        return null;
    }

    /// <summary>
    /// The caller of a route that needs a user's access token, as GoTrue's <c>requireAuthentication</c>: no bearer → 401
    /// <c>no_authorization</c>; a token that fails verification, or has no user → 403 <c>bad_jwt</c>; its user gone → 403
    /// <c>user_not_found</c>; its session ended (logout, rotation abuse, password change) → 403 <c>session_not_found</c>.
    /// Null after answering.
    /// </summary>
    protected async Task<(LocalUser User, Guid? SessionId)?> AuthenticateAsync(CancellationToken ct)
    {
        if (BearerToken.Read(HttpContext.Request) is null)
        {
            await ErrorAsync(401, "no_authorization", "This endpoint requires a valid Bearer token", ct);
            return null;
        }
        if (User.Identity?.IsAuthenticated != true)
        {
            await ErrorAsync(403, "bad_jwt", "invalid JWT: unable to parse or verify signature, token is invalid or expired", ct);
            return null;
        }
        if (User.UserId() is not { } userId)
        {
            await ErrorAsync(403, "bad_jwt", "invalid claim: missing sub claim", ct);
            return null;
        }
        var accounts = Resolve<LocalAccounts>();
        if (await accounts.FindUserAsync(userId, ct) is not { } user)
        {
            await ErrorAsync(403, "user_not_found", "User from sub claim in JWT does not exist", ct);
            return null;
        }
        Guid? sessionId = Guid.TryParse(User.FindFirst("session_id")?.Value, out var sid) ? sid : null;
        if (sessionId is { } id && !await accounts.SessionActiveAsync(userId, id, ct))
        {
            await ErrorAsync(403, "session_not_found", "Session from session_id claim in JWT does not exist", ct);
            return null;
        }
        return (user, sessionId);
    }

    /// <summary>A string property of the body, or null when absent or not a string.</summary>
    protected static string? Text(JsonElement body, string name)
        => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>GoTrue's password rule here: 8 to 72 bytes (as <c>/api/auth/signup</c>); false after answering when it is not.</summary>
    protected async Task<bool> PasswordAcceptableAsync(string password, CancellationToken ct)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(password) > 72)
        {
            await ErrorAsync(400, "validation_failed", "Password cannot be longer than 72 characters", ct);
            return false;
        }
        if (password.Length < MinPasswordLength)
        {
            await GoTrueErrors.WriteAsync(HttpContext, 422, "weak_password", $"Password should be at least {MinPasswordLength} characters.", ["length"], ct);
            return false;
        }
        return true;
    }

    /// <summary>The minimum password length, as <c>/api/auth/signup</c> has it (one user store, one rule).</summary>
    public const int MinPasswordLength = 8;
}
