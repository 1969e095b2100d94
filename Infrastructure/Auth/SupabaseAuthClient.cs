using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IgLive.Service.Infrastructure.Problems;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly.Timeout;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>
/// <c>Auth:Mode=Supabase</c>: a thin typed HttpClient over Supabase Auth (GoTrue) — <c>POST /signup</c>,
/// <c>POST /token?grant_type=password|refresh_token</c>, <c>POST /logout</c> — sending <c>apikey</c>. GoTrue's
/// answers become <see cref="AuthOutcome"/>s; 5xx become 502, timeouts and connection failures 503 (both via
/// <see cref="UpstreamException"/>). Secrets travel only in bodies and headers, never in URLs (HttpClient spans and
/// logs record URLs; the factory's logging redacts header values and never logs bodies).
/// </summary>
public sealed partial class SupabaseAuthClient(
    HttpClient http, IOptions<SupabaseOptions> options, NpgsqlDataSource db, TimeProvider clock, ILogger<SupabaseAuthClient> log)
    : IAuthProvider
{
    private const string Upstream = "Supabase Auth";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<AuthOutcome> SignUpAsync(SignUpCommand command, UserCreatedHook onCreated, CancellationToken ct)
    {
        var rsp = await PostAsync("signup", "signup", new { email = command.Email, password = command.Password, data = command.UserMetadata }, null, ct);
        if (rsp.IsSuccess)
        {
            var body = rsp.Read<GoTrueSession>();
            if (body.AccessToken is null)
            {
                // E-mail confirmation is on: GoTrue answers with just the user (or, for a taken e-mail, a fake one).
                var user = new AuthUser(body.Id ?? throw BadAnswer("signup without a user id"), body.Email ?? command.Email);
                return new AuthConfirmationRequired(user);
            }
            var session = ToSession(body);
            await using (var conn = await db.OpenConnectionAsync(ct))
                await onCreated(session.User.Id, conn, null, ct);
            return new AuthSessionIssued(session);
        }
        return rsp.ErrorCode switch
        {
            "user_already_exists" or "email_exists" => new AuthRefused(AuthRefusal.EmailTaken),
            "weak_password" => new AuthRefused(AuthRefusal.WeakPassword),
            "signup_disabled" or "email_provider_disabled" => new AuthRefused(AuthRefusal.SignUpDisabled),
            _ => Unexpected(rsp),
        };
    }

    public async Task<AuthOutcome> LogInAsync(string email, string password, CancellationToken ct)
    {
        var rsp = await PostAsync("login", "token?grant_type=password", new { email, password }, null, ct);
        if (rsp.IsSuccess) return new AuthSessionIssued(ToSession(rsp.Read<GoTrueSession>()));
        return rsp.ErrorCode switch
        {
            "invalid_credentials" or "invalid_grant" or "user_not_found" or "user_banned" => new AuthRefused(AuthRefusal.InvalidCredentials),
            "email_not_confirmed" => new AuthRefused(AuthRefusal.EmailNotConfirmed),
            _ => Unexpected(rsp),
        };
    }

    public async Task<AuthOutcome> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        var rsp = await PostAsync("refresh", "token?grant_type=refresh_token", new { refresh_token = refreshToken }, null, ct);
        if (rsp.IsSuccess) return new AuthSessionIssued(ToSession(rsp.Read<GoTrueSession>()));
        return rsp.ErrorCode switch
        {
            "refresh_token_not_found" or "refresh_token_already_used" or "session_not_found" or "session_expired"
                or "invalid_grant" or "invalid_credentials" or "invalid_request" or "user_not_found" or "user_banned"
                => new AuthRefused(AuthRefusal.InvalidRefreshToken),
            _ => Unexpected(rsp),
        };
    }

    public async Task<AuthRefused?> LogOutAsync(AuthCaller caller, CancellationToken ct)
    {
        // scope=local: only the caller's session, as the contract says (supabase-js defaults to global).
        var rsp = await PostAsync("logout", "logout?scope=local", new { }, caller.AccessToken, ct);
        if (rsp.IsSuccess) return null;
        // GoTrue no longer knows the session or its user: logged out already. Any other refusal (a token GoTrue does
        // not accept, say) leaves the session alive, so it is not reported as success.
        if (rsp.ErrorCode is "session_not_found" or "user_not_found") return null;
        return Unexpected(rsp);
    }

    private async Task<GoTrueResponse> PostAsync(string operation, string path, object body, string? bearer, CancellationToken ct)
    {
        using var activity = IgLiveTelemetry.Source.StartActivity("supabase.auth." + operation);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Add("apikey", options.Value.AnonKey);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            return new GoTrueResponse(response.StatusCode, text, response.Headers, operation);
        }
        catch (TimeoutRejectedException e)
        {
            Log.Failed(log, operation, "timeout");
            throw UpstreamException.Unavailable(Upstream, $"{operation} timed out", inner: e);
        }
        catch (HttpRequestException e)
        {
            Log.Failed(log, operation, e.HttpRequestError.ToString());
            throw UpstreamException.Unavailable(Upstream, $"{operation} failed: {e.HttpRequestError}", inner: e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            Log.Failed(log, operation, "timeout");
            throw UpstreamException.Unavailable(Upstream, $"{operation} timed out", inner: e);
        }
    }

    /// <summary>429 → retry later; 503 → unavailable; other 5xx and unknown 4xx (our key or request is wrong) → 502.</summary>
    private AuthRefused Unexpected(GoTrueResponse rsp)
    {
        switch ((int)rsp.Status)
        {
            case 429:
                return new AuthRefused(AuthRefusal.RateLimited, rsp.RetryAfter ?? TimeSpan.FromSeconds(60));
            case 503:
                throw UpstreamException.Unavailable(Upstream, $"{rsp.Operation} answered 503", rsp.RetryAfter);
            default:
                Log.Unexpected(log, rsp.Operation, (int)rsp.Status, rsp.ErrorCode);
                throw UpstreamException.BadGateway(Upstream, $"{rsp.Operation} answered {(int)rsp.Status} {rsp.ErrorCode}");
        }
    }

    private AuthSession ToSession(GoTrueSession s)
    {
        if (s.AccessToken is null || s.RefreshToken is null || s.User?.Id is not { } id) throw BadAnswer("session without tokens or user");
        var expiresIn = s.ExpiresIn ?? 3600;
        var expiresAt = s.ExpiresAt is { } at ? DateTimeOffset.FromUnixTimeSeconds(at) : clock.GetUtcNow().AddSeconds(expiresIn);
        return new AuthSession(s.AccessToken, expiresIn, expiresAt, s.RefreshToken, new AuthUser(id, s.User.Email ?? ""));
    }

    private static UpstreamException BadAnswer(string what) => UpstreamException.BadGateway(Upstream, "unexpected answer: " + what);

    private sealed record GoTrueResponse(HttpStatusCode Status, string Body, HttpResponseHeaders Headers, string Operation)
    {
        public bool IsSuccess => (int)Status is >= 200 and < 300;

        public T Read<T>()
        {
            try { return JsonSerializer.Deserialize<T>(Body, Json) ?? throw BadAnswer("empty body"); }
            catch (JsonException e) { throw UpstreamException.BadGateway(Upstream, "unreadable answer", e); }
        }

        /// <summary>GoTrue's error code in any of its shapes: <c>error_code</c>, string <c>code</c>, OAuth <c>error</c>, header.</summary>
        public string? ErrorCode
        {
            get
            {
                try
                {
                    using var doc = JsonDocument.Parse(Body);
                    var root = doc.RootElement;
                    if (root.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var name in (string[])["error_code", "code", "error"])
                            if (root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } code)
                                return code;
                    }
                }
                catch (JsonException) { }
                return Headers.TryGetValues("x-sb-error-code", out var values) ? values.FirstOrDefault() : null;
            }
        }

        public TimeSpan? RetryAfter => RetryAfterHeader.Read(Headers);
    }

    private sealed record GoTrueSession
    {
        public string? AccessToken { get; init; }
        public int? ExpiresIn { get; init; }
        public long? ExpiresAt { get; init; }
        public string? RefreshToken { get; init; }
        public GoTrueUser? User { get; init; }
        /// <summary>Sign-up with confirmation required returns the user itself at the root.</summary>
        public Guid? Id { get; init; }
        public string? Email { get; init; }
    }

    private sealed record GoTrueUser
    {
        public Guid? Id { get; init; }
        public string? Email { get; init; }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "Supabase Auth {Operation} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string operation, string reason);

        [LoggerMessage(LogLevel.Warning, "Supabase Auth {Operation} answered {Status} {ErrorCode}")]
        public static partial void Unexpected(ILogger logger, string operation, int status, string? errorCode);
    }
}
