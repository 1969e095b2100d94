using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace IgLive.Service.Tests.Fakes;

/// <summary>
/// A WireMock.Net server speaking Supabase Auth's (GoTrue) documented protocol under <c>/auth/v1</c>: sign-up, password
/// and refresh-token grants, logout with scopes, <c>GET</c>/<c>PUT /user</c>, and a JWKS with an ES256 key generated here;
/// errors in both of GoTrue's shapes (<c>X-Supabase-Api-Version</c>). Every route but the JWKS requires the
/// <c>apikey</c> header (else 401, as the API gateway). Behaviour is chosen by the e-mail's local part:
/// <c>taken*</c> → 422 user_already_exists, <c>confirm*</c> → confirmation required, <c>weak*</c> → 422 weak_password,
/// <c>busy*</c> → 429, <c>unavailable*</c> → 503, <c>broken*</c> → 500, <c>hang*</c> → answers after <see cref="HangDelay"/>.
/// Other addresses sign up for real (<see cref="GoTrueFakeAccounts"/>: taken e-mail, passwords under 6 characters,
/// sessions, single-use refresh tokens); an address that never signed up logs in with <see cref="GoodPassword"/>.
/// </summary>
public sealed class SupabaseAuthFake : IDisposable
{
    public const string AnonKey = "test-anon-key";
    public const string LegacySecret = "legacy-supabase-jwt-secret-0123456789abcdef";
    public const string GoodPassword = "correct-password-1";
    public const string KeyId = "es256-test-key";
    public static readonly TimeSpan HangDelay = TimeSpan.FromSeconds(5);

    private static readonly string[] VerifyOps = ["verify"];
    private static readonly string[] PwnedReason = ["pwned"];
    private static readonly string[] LengthReason = ["length"];
    /// <summary>GoTrue's default minimum password length.</summary>
    private const int MinPasswordLength = 6;
    private static readonly string[] EmailProvider = ["email"];
    private static readonly Guid JwksMapping = Guid.NewGuid();
    private readonly ECDsa ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly GoTrueFakeAccounts accounts = new();

    public WireMockServer Server { get; }
    public string Url => Server.Url!;
    public string Issuer => Url + "/auth/v1";
    public ECDsaSecurityKey SigningKey { get; }

    public SupabaseAuthFake()
    {
        SigningKey = new ECDsaSecurityKey(ecdsa) { KeyId = KeyId };
        Server = WireMockServer.Start();
        PublishKeys(SigningKey);

        // Anything without the apikey header is refused by the gateway, as on hosted projects.
        Server.Given(Request.Create().WithPath("/auth/v1/*").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithCallback(req => req.Headers?.TryGetValue("apikey", out var k) == true && k.Contains(AnonKey)
                ? Route(req)
                : Json(401, new { message = "No API key found in request" })));
        foreach (var method in new[] { "GET", "PUT" })
            Server.Given(Request.Create().WithPath("/auth/v1/user").UsingMethod(method)).AtPriority(1)
                .RespondWith(Response.Create().WithCallback(req => req.Headers?.TryGetValue("apikey", out var k) == true && k.Contains(AnonKey)
                    ? Route(req)
                    : Json(401, new { message = "No API key found in request" })));

        Server.Given(Request.Create().WithPath("/auth/v1/*").UsingPost().WithBody((string? body) => body != null && body.Contains("\"hang", StringComparison.Ordinal)))
            .AtPriority(0)
            .RespondWith(Response.Create().WithDelay(HangDelay).WithStatusCode(200).WithBody("{}"));
    }

    /// <summary>Serves these keys at <c>/auth/v1/.well-known/jwks.json</c> from now on (key rotation).</summary>
    public void PublishKeys(params ECDsaSecurityKey[] keys)
    {
        var jwks = JsonSerializer.Serialize(new
        {
            keys = keys.Select(k =>
            {
                var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(k);
                return new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = k.KeyId, alg = "ES256", use = "sig", key_ops = VerifyOps };
            }),
        });
        Server.Given(Request.Create().WithPath("/auth/v1/.well-known/jwks.json").UsingGet()).WithGuid(JwksMapping)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithHeader("Cache-Control", "public, max-age=600").WithBody(jwks));
    }

    /// <summary>JWKS requests received so far.</summary>
    public int JwksRequests => Server.LogEntries.Count(e => e.RequestMessage.Path == "/auth/v1/.well-known/jwks.json");

    /// <summary>An ES256 access token as Supabase's asymmetric signing keys make them.</summary>
    public string SignEs256(Guid userId, string email, string? kid = KeyId, ECDsaSecurityKey? key = null, string? issuer = null,
        Guid? sessionId = null, IDictionary<string, object>? userMetadata = null)
    {
        var signing = new ECDsaSecurityKey((key ?? SigningKey).ECDsa) { KeyId = kid };
        return Sign(userId, email, new SigningCredentials(signing, SecurityAlgorithms.EcdsaSha256), issuer, sessionId, userMetadata);
    }

    /// <summary>An HS256 access token signed with the project's legacy JWT secret (no kid).</summary>
    public string SignHs256(Guid userId, string email, string secret = LegacySecret)
        => Sign(userId, email, new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256), null, null);

    /// <summary>Requests the fake received on a path (for "Supabase was never called" checks next to HTTP assertions).</summary>
    public int RequestsTo(string path, string bodyContains)
        => Server.LogEntries.Count(e => e.RequestMessage.Path == path && (e.RequestMessage.Body ?? "").Contains(bodyContains, StringComparison.Ordinal));

    /// <summary>
    /// The clock tokens are stamped with (iat, nbf, exp): the service's, once the fixture has it. A fixture set up under
    /// heavy machine load leaves the service's fake clock behind real time by more than the 30 s validation skew, and
    /// real-time stamps would then be "not yet valid".
    /// </summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    private string Sign(Guid userId, string email, SigningCredentials credentials, string? issuer, Guid? sessionId,
        IDictionary<string, object>? userMetadata = null)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = "authenticated",
            IssuedAt = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = userId.ToString(), ["email"] = email, ["role"] = "authenticated", ["aal"] = "aal1",
                ["session_id"] = (sessionId ?? Guid.NewGuid()).ToString(), ["is_anonymous"] = false,
                ["user_metadata"] = userMetadata ?? new Dictionary<string, object>(),
            },
            SigningCredentials = credentials,
        });
    }

    private ResponseMessage Route(IRequestMessage req)
    {
        using var doc = JsonDocument.Parse(string.IsNullOrEmpty(req.Body) ? "{}" : req.Body);
        var body = doc.RootElement;
        string Str(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var email = Str("email").ToLowerInvariant();
        var local = email.Split('@')[0];
        if (local.StartsWith("busy", StringComparison.Ordinal))
            return Error(req, 429, "over_request_rate_limit", "Request rate limit reached", ("Retry-After", "17"));
        if (local.StartsWith("unavailable", StringComparison.Ordinal))
            return Json(503, new { message = "upstream unavailable" });
        if (local.StartsWith("broken", StringComparison.Ordinal))
            return Json(500, new { code = 500, error_code = "unexpected_failure", msg = "Unexpected failure", error_id = "x" });

        var grant = req.Query?.TryGetValue("grant_type", out var g) == true ? g.FirstOrDefault() : null;
        switch (req.Path)
        {
            case "/auth/v1/signup":
                if (local.StartsWith("taken", StringComparison.Ordinal))
                    return Error(req, 422, "user_already_exists", "User already registered");
                if (local.StartsWith("weak", StringComparison.Ordinal))
                    return Error(req, 422, "weak_password", "Password is known to be weak", reasons: PwnedReason);
                if (Str("password").Length < MinPasswordLength)
                    return Error(req, 422, "weak_password", $"Password should be at least {MinPasswordLength} characters.", reasons: LengthReason);
                if (local.StartsWith("confirm", StringComparison.Ordinal))
                    return Json(200, User(Guid.NewGuid(), email, body.TryGetProperty("data", out var cd) ? cd.Clone() : null));
                var metadata = body.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? JsonNode.Parse(d.GetRawText())!.AsObject() : [];
                return accounts.Register(email, Str("password"), metadata) is { } registered
                    ? Json(200, Session(registered.Id, email))
                    : Error(req, 422, "user_already_exists", "User already registered");
            case "/auth/v1/token" when grant == "password":
                var known = accounts.Find(email);
                return (known is null ? Str("password") == GoodPassword : Str("password") == known.Password)
                    ? Json(200, Session(known?.Id ?? GuidFor(email), email))
                    : Error(req, 400, "invalid_credentials", "Invalid login credentials");
            case "/auth/v1/token" when grant == "refresh_token":
                var (session, code) = accounts.UseRefreshToken(Str("refresh_token"));
                return session is not null
                    ? Json(200, Session(session.UserId, session.Email, session))
                    : code == "refresh_token_already_used"
                        ? Error(req, 400, code, "Invalid Refresh Token: Already Used")
                        : Error(req, 400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
            case "/auth/v1/logout":
            case "/auth/v1/user":
                if (req.Path == "/auth/v1/logout" && RefusedLogOut(req) is { } refused) return refused;
                return WithCaller(req, (caller, signedOnly) => req.Path == "/auth/v1/logout" ? LogOut(req, caller, signedOnly) : UserRoute(req, body, caller));
            default:
                return Json(404, new { code = 404, error_code = "not_found", msg = "Not found" });
        }
    }

    /// <summary>The token's e-mail picks GoTrue's logout refusals: a token it does not accept, a session already gone.</summary>
    private static ResponseMessage? RefusedLogOut(IRequestMessage req)
    {
        var auth = req.Headers?.TryGetValue("Authorization", out var a) == true ? a.FirstOrDefault() ?? "" : "";
        var tokenEmail = auth.Length > 20 ? new JsonWebToken(auth["Bearer ".Length..]).GetPayloadValue<string>("email") ?? "" : "";
        if (tokenEmail.StartsWith("refused", StringComparison.Ordinal))
            return Error(req, 401, "bad_jwt", "invalid JWT: unable to parse or verify signature");
        if (tokenEmail.StartsWith("gone", StringComparison.Ordinal))
            return Error(req, 403, "session_not_found", "Session from session_id claim in JWT does not exist");
        return null;
    }

    /// <summary>As GoTrue's requireAuthentication: the caller's session (null for a token we signed but did not issue).</summary>
    private ResponseMessage WithCaller(IRequestMessage req, Func<GoTrueFakeAccounts.Session?, bool, ResponseMessage> next)
    {
        var auth = req.Headers?.TryGetValue("Authorization", out var a) == true ? a.FirstOrDefault() ?? "" : "";
        var token = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : "";
        if (token.Length == 0 || token == AnonKey)
            return Error(req, 401, "no_authorization", "This endpoint requires a valid Bearer token");
        if (accounts.SessionOf(token) is { } session)
            return accounts.IsLive(session.Id) ? next(session, false) : Error(req, 403, "session_not_found", "Session from session_id claim in JWT does not exist");
        return token.Count(c => c == '.') == 2 && token.Length > 20
            ? next(null, true) // signed by a test with this fake's key: accepted, no session to look up
            : Error(req, 403, "bad_jwt", "invalid JWT: unable to parse or verify signature, token is malformed");
    }

    private ResponseMessage LogOut(IRequestMessage req, GoTrueFakeAccounts.Session? caller, bool signedOnly)
    {
        var scope = req.Query?.TryGetValue("scope", out var s) == true ? s.FirstOrDefault() ?? "" : "";
        if (scope is not ("" or "global" or "local" or "others"))
            return Error(req, 400, "validation_failed", $"Unsupported logout scope \"{scope}\"");
        if (caller is not null && !signedOnly)
        {
            if (scope == "local") accounts.EndSessions(caller.UserId, only: caller.Id);
            else accounts.EndSessions(caller.UserId, keep: scope == "others" ? caller.Id : null);
        }
        return new ResponseMessage { StatusCode = 204 };
    }

    private ResponseMessage UserRoute(IRequestMessage req, JsonElement body, GoTrueFakeAccounts.Session? caller)
    {
        if (caller is null) return Error(req, 403, "bad_jwt", "invalid claim: missing sub claim");
        var user = accounts.Find(caller.UserId);
        if (req.Method == "PUT" && user is not null)
        {
            if (body.TryGetProperty("password", out var p) && p.ValueKind == JsonValueKind.String)
            {
                var password = p.GetString()!;
                if (password.Length < MinPasswordLength)
                    return Error(req, 422, "weak_password", $"Password should be at least {MinPasswordLength} characters.", reasons: LengthReason);
                if (password == user.Password)
                    return Error(req, 422, "same_password", "New password should be different from the old password.");
                user.Password = password;
                accounts.EndSessions(user.Id, keep: caller.Id); // GoTrue ends the other sessions on a password change
            }
            if (body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object) accounts.MergeMetadata(user, data);
        }
        return Json(200, User(caller.UserId, caller.Email, user is null ? null : JsonDocument.Parse(user.Metadata.ToJsonString()).RootElement.Clone()));
    }

    /// <summary>Stable user id per e-mail, so logins of one address are one user.</summary>
    private static Guid GuidFor(string email) => new(SHA256.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant()))[..16]);

    private object Session(Guid id, string email, GoTrueFakeAccounts.Session? session = null)
    {
        session ??= accounts.StartSession(id, email);
        var access = SignEs256(id, email, sessionId: session.Id);
        accounts.RememberAccessToken(access, session);
        var now = DateTimeOffset.UtcNow;
        var metadata = accounts.Find(id) is { } user ? JsonDocument.Parse(user.Metadata.ToJsonString()).RootElement.Clone() : (JsonElement?)null;
        return new
        {
            access_token = access, token_type = "bearer", expires_in = 3600, expires_at = now.AddHours(1).ToUnixTimeSeconds(),
            refresh_token = accounts.NewRefreshToken(session), user = User(id, email, metadata),
        };
    }

    private static object User(Guid id, string email, JsonElement? metadata) => new
    {
        id, aud = "authenticated", role = "authenticated", email, phone = "",
        confirmation_sent_at = DateTimeOffset.UtcNow,
        app_metadata = new { provider = "email", providers = EmailProvider },
        user_metadata = metadata is { } m ? (object)m : new { },
        identities = Array.Empty<object>(), created_at = DateTimeOffset.UtcNow, updated_at = DateTimeOffset.UtcNow, is_anonymous = false,
    };

    /// <summary>GoTrue's error body: <c>{code, message}</c> with the version echoed when asked for 2024-01-01, else <c>{code, error_code, msg}</c>.</summary>
    private static ResponseMessage Error(IRequestMessage req, int status, string code, string message, params (string Name, string Value)[] headers)
        => Error(req, status, code, message, null, headers);

    private static ResponseMessage Error(IRequestMessage req, int status, string code, string message, string[]? reasons, params (string Name, string Value)[] headers)
    {
        var v2024 = req.Headers?.TryGetValue("X-Supabase-Api-Version", out var v) == true && string.CompareOrdinal(v.FirstOrDefault(), "2024-01-01") >= 0;
        var weak = reasons is null ? null : new { reasons };
        object body = v2024 ? new { code, message, weak_password = weak } : new { code = status, error_code = code, msg = message, weak_password = weak };
        var extra = v2024 ? headers.Append(("X-Supabase-Api-Version", "2024-01-01")) : headers;
        if (!(v2024 && reasons is not null)) extra = extra.Append(("x-sb-error-code", code));
        return Json(status, body, extra.ToArray());
    }

    private static ResponseMessage Json(int status, object body, params (string Name, string Value)[] headers)
    {
        var rsp = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = JsonSerializer.Serialize(body), DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        };
        rsp.AddHeader("Content-Type", "application/json");
        foreach (var (name, value) in headers) rsp.AddHeader(name, value);
        return rsp;
    }

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
        ecdsa.Dispose();
    }
}
