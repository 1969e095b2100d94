using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IgLive.Service.Tests.Features.Auth;

/// <summary>
/// Base of the Auth:Mode=Local fixtures: one service with the auth rate limits out of the way, and the steps the tests
/// share (an account, sign-up, login, refresh, tokens changed in one thing).
/// </summary>
public abstract class LocalAuthFixture
{
    protected const string Issuer = TestTokens.Issuer;
    protected ServiceFactory App { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task Start() => App = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
    {
        ["Auth:RateLimit:PerAddressPerMinute"] = "100000",
        ["Auth:RateLimit:PerEmailPerMinute"] = "100000",
    });

    [OneTimeTearDown]
    public async Task Stop() => await App.DisposeAsync();

    protected static (string Email, string Username, string Password) NewAccount()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        return ($"User.{id}@Example.test", "u_" + id, "correct horse " + id);
    }

    protected async Task<(JsonElement Session, string Email, string Username, string Password)> SignUpAsync()
    {
        var (email, username, password) = NewAccount();
        var rsp = await App.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email, password, username });
        return (await rsp.JsonAsync(HttpStatusCode.Created), email, username, password);
    }

    protected Task<HttpResponseMessage> LogInAsync(string email, string password)
        => App.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password });

    protected Task<HttpResponseMessage> RefreshAsync(string refreshToken)
        => App.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refresh_token = refreshToken });

    protected static string AccessToken(JsonElement session) => session.GetProperty("access_token").GetString()!;
    protected static string RefreshToken(JsonElement session) => session.GetProperty("refresh_token").GetString()!;
    protected static Guid SessionId(JsonElement session) => Guid.Parse(new JsonWebToken(AccessToken(session)).GetClaim("session_id").Value);

    /// <summary>A token as the local issuer makes them, with one thing changed.</summary>
    protected string Sign(Guid userId, SecurityKey? key = null, string issuer = Issuer, string audience = "authenticated",
        DateTime? expires = default, DateTime? issuedAt = null, DateTime? notBefore = null, bool noExpiry = false)
        => TestTokens.Sign(new Dictionary<string, object> { ["sub"] = userId.ToString(), ["role"] = "authenticated", ["session_id"] = Guid.NewGuid().ToString() },
            App.Clock.GetUtcNow().UtcDateTime, key is null ? null : new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            issuer, audience, expires, issuedAt, notBefore, noExpiry);

    /// <summary><c>{"alg":"none"}</c> with valid claims and an empty signature.</summary>
    protected string UnsignedToken(Guid userId)
    {
        var now = App.Clock.GetUtcNow().ToUnixTimeSeconds();
        static string B64(string json) => Base64UrlEncoder.Encode(json);
        return B64("""{"alg":"none","typ":"JWT"}""") + "." +
               B64($$"""{"sub":"{{userId}}","aud":"authenticated","iss":"{{Issuer}}","role":"authenticated","iat":{{now}},"exp":{{now + 3600}}}""") + ".";
    }
}
