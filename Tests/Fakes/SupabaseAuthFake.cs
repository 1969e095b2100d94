using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
/// and refresh-token grants, logout, and a JWKS with an ES256 key generated here. Every route requires the
/// <c>apikey</c> header (else 401, as the API gateway). Behaviour is chosen by the e-mail's local part:
/// <c>taken*</c> → 422 user_already_exists, <c>confirm*</c> → confirmation required, <c>weak*</c> → 422 weak_password,
/// <c>busy*</c> → 429, <c>unavailable*</c> → 503, <c>broken*</c> → 500, <c>hang*</c> → answers after <see cref="HangDelay"/>. Login succeeds only
/// with <see cref="GoodPassword"/>; refresh only with tokens this fake issued and not yet used.
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
    private static readonly string[] EmailProvider = ["email"];
    private static readonly Guid JwksMapping = Guid.NewGuid();
    private readonly ECDsa ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly Dictionary<string, (Guid Id, string Email)> liveRefreshTokens = [];
    private readonly Lock gate = new();

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
    public string SignEs256(Guid userId, string email, string? kid = KeyId, ECDsaSecurityKey? key = null, string? issuer = null)
    {
        var signing = new ECDsaSecurityKey((key ?? SigningKey).ECDsa) { KeyId = kid };
        return Sign(userId, email, new SigningCredentials(signing, SecurityAlgorithms.EcdsaSha256), issuer);
    }

    /// <summary>An HS256 access token signed with the project's legacy JWT secret (no kid).</summary>
    public string SignHs256(Guid userId, string email, string secret = LegacySecret)
        => Sign(userId, email, new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256), null);

    /// <summary>Requests the fake received on a path (for "Supabase was never called" checks next to HTTP assertions).</summary>
    public int RequestsTo(string path, string bodyContains)
        => Server.LogEntries.Count(e => e.RequestMessage.Path == path && (e.RequestMessage.Body ?? "").Contains(bodyContains, StringComparison.Ordinal));

    /// <summary>
    /// The clock tokens are stamped with (iat, nbf, exp): the service's, once the fixture has it. A fixture set up under
    /// heavy machine load leaves the service's fake clock behind real time by more than the 30 s validation skew, and
    /// real-time stamps would then be "not yet valid".
    /// </summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    private string Sign(Guid userId, string email, SigningCredentials credentials, string? issuer)
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
                ["session_id"] = Guid.NewGuid().ToString(), ["is_anonymous"] = false,
            },
            SigningCredentials = credentials,
        });
    }

    private ResponseMessage Route(IRequestMessage req)
    {
        using var doc = JsonDocument.Parse(string.IsNullOrEmpty(req.Body) ? "{}" : req.Body);
        var body = doc.RootElement;
        string Str(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var email = Str("email");
        var local = email.Split('@')[0];
        if (local.StartsWith("busy", StringComparison.Ordinal))
            return Json(429, new { code = 429, error_code = "over_request_rate_limit", msg = "Request rate limit reached" }, ("Retry-After", "17"));
        if (local.StartsWith("unavailable", StringComparison.Ordinal))
            return Json(503, new { message = "upstream unavailable" });
        if (local.StartsWith("broken", StringComparison.Ordinal))
            return Json(500, new { code = 500, error_code = "unexpected_failure", msg = "Unexpected failure", error_id = "x" });

        var grant = req.Query?.TryGetValue("grant_type", out var g) == true ? g.FirstOrDefault() : null;
        switch (req.Path)
        {
            case "/auth/v1/signup":
                if (local.StartsWith("taken", StringComparison.Ordinal))
                    return Json(422, new { code = 422, error_code = "user_already_exists", msg = "User already registered" });
                if (local.StartsWith("weak", StringComparison.Ordinal))
                    return Json(422, new { code = 422, error_code = "weak_password", msg = "Password is known to be weak", weak_password = new { reasons = PwnedReason } });
                if (local.StartsWith("confirm", StringComparison.Ordinal))
                    return Json(200, User(Guid.NewGuid(), email, body));
                return Json(200, Session(Guid.NewGuid(), email, body));
            case "/auth/v1/token" when grant == "password":
                return Str("password") == GoodPassword
                    ? Json(200, Session(GuidFor(email), email, body))
                    : Json(400, new { code = 400, error_code = "invalid_credentials", msg = "Invalid login credentials" });
            case "/auth/v1/token" when grant == "refresh_token":
                (Guid Id, string Email) owner;
                lock (gate)
                {
                    if (!liveRefreshTokens.Remove(Str("refresh_token"), out owner))
                        return Json(400, new { code = 400, error_code = "refresh_token_not_found", msg = "Invalid Refresh Token: Refresh Token Not Found" });
                }
                return Json(200, Session(owner.Id, owner.Email, body));
            case "/auth/v1/logout":
                var auth = req.Headers?.TryGetValue("Authorization", out var a) == true ? a.FirstOrDefault() ?? "" : "";
                return auth.StartsWith("Bearer ", StringComparison.Ordinal) && auth.Length > 20
                    ? new ResponseMessage { StatusCode = 204 }
                    : Json(401, new { code = 401, error_code = "no_authorization", msg = "This endpoint requires a Bearer token" });
            default:
                return Json(404, new { code = 404, error_code = "not_found", msg = "Not found" });
        }
    }

    /// <summary>Stable user id per e-mail, so logins of one address are one user.</summary>
    private static Guid GuidFor(string email) => new(SHA256.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant()))[..16]);

    private object Session(Guid id, string email, JsonElement body)
    {
        var refresh = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        lock (gate) liveRefreshTokens[refresh] = (id, email);
        var now = DateTimeOffset.UtcNow;
        return new
        {
            access_token = SignEs256(id, email), token_type = "bearer", expires_in = 3600, expires_at = now.AddHours(1).ToUnixTimeSeconds(),
            refresh_token = refresh, user = User(id, email, body),
        };
    }

    private static object User(Guid id, string email, JsonElement body) => new
    {
        id, aud = "authenticated", role = "authenticated", email, phone = "",
        confirmation_sent_at = DateTimeOffset.UtcNow,
        app_metadata = new { provider = "email", providers = EmailProvider },
        user_metadata = body.TryGetProperty("data", out var d) ? (object)d.Clone() : new { },
        identities = Array.Empty<object>(), created_at = DateTimeOffset.UtcNow, updated_at = DateTimeOffset.UtcNow, is_anonymous = false,
    };

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
