using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dapper;
using IgLive.Service.Tests.Fakes;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace IgLive.Service.Tests.Features.Auth;

/// <summary>Auth:Mode=Supabase against a fake GoTrue (WireMock): token verification by JWKS and legacy secret, and the
/// sign-up/login/refresh/logout calls with every upstream answer mapped to the contract.</summary>
[TestFixture]
public sealed class SupabaseAuthTests
{
    private SupabaseAuthFake supabase = null!;
    private ServiceFactory app = null!;
    private readonly LogCapture logs = new();

    [OneTimeSetUp]
    public async Task Start()
    {
        supabase = new SupabaseAuthFake();
        app = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Supabase",
            ["Supabase:Url"] = supabase.Url,
            ["Supabase:AnonKey"] = SupabaseAuthFake.AnonKey,
            ["Supabase:JwtSecret"] = SupabaseAuthFake.LegacySecret,
            ["Supabase:TimeoutSeconds"] = "60", // on a loaded machine a fixture's first call has taken over 10 s
            ["Auth:RateLimit:PerAddressPerMinute"] = "100000",
            ["Auth:RateLimit:PerEmailPerMinute"] = "100000",
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Debug", // appsettings.json quietens these
            ["Logging:LogLevel:Polly"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        }, services => services.AddSingleton<ILoggerProvider>(logs));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await app.DisposeAsync();
        supabase.Dispose();
    }

    [Test]
    public async Task Es256_token_signed_with_a_jwks_key_is_accepted_on_me()
    {
        var id = Guid.NewGuid();
        var me = await (await app.CreateClient(supabase.SignEs256(id, "es.user@example.test")).GetAsync("/api/me")).JsonAsync();
        Assert.That(me.GetProperty("id").GetGuid(), Is.EqualTo(id));
    }

    [Test]
    public async Task Hs256_token_signed_with_the_legacy_secret_is_accepted_on_me()
    {
        var id = Guid.NewGuid();
        var me = await (await app.CreateClient(supabase.SignHs256(id, "hs.user@example.test")).GetAsync("/api/me")).JsonAsync();
        Assert.That(me.GetProperty("id").GetGuid(), Is.EqualTo(id));
    }

    [TestCase("unknown kid")]
    [TestCase("another es256 key with the known kid")]
    [TestCase("another hs256 secret")]
    [TestCase("the local issuer")]
    public async Task Token_not_from_the_project_is_a_401(string forgery)
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var id = Guid.NewGuid();
        var token = forgery switch
        {
            "unknown kid" => supabase.SignEs256(id, "x@example.test", kid: "not-in-jwks"),
            "another es256 key with the known kid" => supabase.SignEs256(id, "x@example.test", key: new ECDsaSecurityKey(other)),
            "another hs256 secret" => supabase.SignHs256(id, "x@example.test", secret: "some-other-secret-0123456789-0123456789"),
            "the local issuer" => supabase.SignEs256(id, "x@example.test", issuer: "http://localhost:8080/auth/v1"),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        var rsp = await app.CreateClient(token).GetAsync("/api/me");

        await rsp.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(rsp.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
    }

    [Test]
    public async Task Rotated_in_key_is_fetched_on_its_unknown_kid_at_most_once_a_minute()
    {
        var id = Guid.NewGuid();
        Assert.That((await app.CreateClient(supabase.SignEs256(id, "rot@example.test")).GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // An unknown kid now: whether or not it refetched, the JWKS was fetched less than a minute ago (the clock is fake).
        await (await app.CreateClient(supabase.SignEs256(id, "rot@example.test", kid: "nobody")).GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var nextKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rotated = new ECDsaSecurityKey(nextKey) { KeyId = "next-key" };
        supabase.PublishKeys(supabase.SigningKey, rotated);
        var token = supabase.SignEs256(id, "rot@example.test", kid: "next-key", key: rotated);
        var fetchesBefore = supabase.JwksRequests;

        var throttled = await app.CreateClient(token).GetAsync("/api/me");
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var refetched = await app.CreateClient(token).GetAsync("/api/me");

        await throttled.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(refetched.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a minute later the unknown kid triggers a refetch");
        Assert.That(supabase.JwksRequests, Is.EqualTo(fetchesBefore + 1));
    }

    [Test]
    public async Task Sign_up_returns_the_session_and_creates_the_profile_with_the_requested_username()
    {
        var username = NewUsername();
        var rsp = await PostAsync("/api/auth/signup", new { email = $"new.{username}@example.test", password = "long-enough-1", username });

        var session = await rsp.JsonAsync(HttpStatusCode.Created);
        var id = session.GetProperty("user").GetProperty("id").GetGuid();
        Assert.That(session.GetProperty("token_type").GetString(), Is.EqualTo("bearer"));
        await using (var conn = app.OpenConnection())
            Assert.That(await conn.ExecuteScalarAsync<string>("SELECT username FROM profiles WHERE id = @id", new { id }), Is.EqualTo(username));
        var me = await (await app.CreateClient(session.GetProperty("access_token").GetString()).GetAsync("/api/me")).JsonAsync();
        Assert.That(me.GetProperty("username").GetString(), Is.EqualTo(username));
    }

    [Test]
    public async Task Sign_up_needing_email_confirmation_is_a_202_without_a_session()
    {
        var username = NewUsername();
        var rsp = await PostAsync("/api/auth/signup", new { email = $"confirm.{username}@example.test", password = "long-enough-1", username });

        var body = await rsp.JsonAsync(HttpStatusCode.Accepted);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("confirmation_required").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("user").GetProperty("email").GetString(), Is.EqualTo($"confirm.{username}@example.test"));
            Assert.That(body.TryGetProperty("access_token", out _), Is.False);
        });
    }

    [Test]
    public async Task Email_supabase_already_knows_is_a_409()
    {
        var rsp = await PostAsync("/api/auth/signup", new { email = "taken@example.test", password = "long-enough-1", username = NewUsername() });
        await rsp.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Taken_username_is_a_409_before_supabase_is_called()
    {
        var existing = await app.CreateUserAsync();
        var email = $"fresh.{NewUsername()}@example.test";

        var rsp = await PostAsync("/api/auth/signup", new { email, password = "long-enough-1", username = existing.Username });

        await rsp.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.That(supabase.RequestsTo("/auth/v1/signup", email), Is.Zero, "no Supabase user was created");
    }

    [Test]
    public async Task Weak_password_is_a_400_on_the_password_field()
    {
        var rsp = await PostAsync("/api/auth/signup", new { email = "weak@example.test", password = "password1", username = NewUsername() });
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("password"), Is.Not.Empty);
    }

    [Test]
    public async Task Login_returns_the_supabase_session()
    {
        var rsp = await PostAsync("/api/auth/login", new { email = "login.ok@example.test", password = SupabaseAuthFake.GoodPassword });
        var session = await rsp.JsonAsync();
        var me = await app.CreateClient(session.GetProperty("access_token").GetString()).GetAsync("/api/me");
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Wrong_credentials_are_a_401_with_the_same_message_for_unknown_email()
    {
        var wrong = await (await PostAsync("/api/auth/login", new { email = "login.ok@example.test", password = "nope-nope" }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
        var unknown = await (await PostAsync("/api/auth/login", new { email = "nobody@example.test", password = "nope-nope" }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(unknown.GetProperty("detail").GetString(), Is.EqualTo(wrong.GetProperty("detail").GetString()));
    }

    [Test]
    public async Task Refresh_rotates_and_a_used_token_is_a_401()
    {
        var session = await (await PostAsync("/api/auth/login", new { email = "refresh@example.test", password = SupabaseAuthFake.GoodPassword })).JsonAsync();
        var first = session.GetProperty("refresh_token").GetString();

        var next = await (await PostAsync("/api/auth/refresh", new { refresh_token = first })).JsonAsync();
        Assert.That(next.GetProperty("refresh_token").GetString(), Is.Not.EqualTo(first));

        await (await PostAsync("/api/auth/refresh", new { refresh_token = first })).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Logout_forwards_the_callers_token_and_answers_204()
    {
        var session = await (await PostAsync("/api/auth/login", new { email = "logout@example.test", password = SupabaseAuthFake.GoodPassword })).JsonAsync();
        var token = session.GetProperty("access_token").GetString()!;

        var rsp = await app.CreateClient(token).PostAsync("/api/auth/logout", null);

        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var call = supabase.Server.LogEntries.Last(e => e.RequestMessage.Path == "/auth/v1/logout");
        Assert.That(call.RequestMessage.Headers!["Authorization"].Single(), Is.EqualTo("Bearer " + token));
        Assert.That(call.ResponseMessage.StatusCode, Is.EqualTo(204));
    }

    [Test]
    public async Task Upstream_429_is_a_429_with_retry_after()
    {
        var rsp = await PostAsync("/api/auth/login", new { email = "busy@example.test", password = "whatever-1" });
        await rsp.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(rsp.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(17)));
    }

    [Test]
    public async Task Upstream_500_is_a_502()
    {
        var rsp = await PostAsync("/api/auth/signup", new { email = "broken@example.test", password = "long-enough-1", username = NewUsername() });
        await rsp.AssertProblemAsync(HttpStatusCode.BadGateway);
    }

    [Test]
    public async Task Upstream_503_is_retried_twice_then_a_503_with_retry_after()
    {
        var rsp = await PostAsync("/api/auth/login", new { email = "unavailable@example.test", password = "whatever-1" });
        await rsp.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.That(rsp.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(supabase.RequestsTo("/auth/v1/token", "unavailable@example.test"), Is.EqualTo(3), "one call and two retries");
    }

    [Test]
    public async Task Upstream_that_hangs_past_the_timeout_is_a_503_with_retry_after()
    {
        await using var impatient = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Supabase",
            ["Supabase:Url"] = supabase.Url,
            ["Supabase:AnonKey"] = SupabaseAuthFake.AnonKey,
            ["Supabase:TimeoutSeconds"] = "1", // the fake answers after 5 s
        });

        var rsp = await impatient.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = "hang@example.test", password = "whatever-1" });
        await rsp.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.That(rsp.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
    }

    [Test]
    public async Task Passwords_tokens_and_keys_never_reach_the_logs()
    {
        var username = NewUsername();
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var signedUp = await (await PostAsync("/api/auth/signup", new { email = $"{username}@example.test", password, username })).JsonAsync(HttpStatusCode.Created);
        var loggedIn = await (await PostAsync("/api/auth/login", new { email = $"{username}@example.test", password })).JsonAsync();
        var refreshed = await (await PostAsync("/api/auth/refresh", new { refresh_token = loggedIn.GetProperty("refresh_token").GetString() })).JsonAsync();
        var logout = await app.CreateClient(refreshed.GetProperty("access_token").GetString()).PostAsync("/api/auth/logout", null);
        Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var text = logs.Text;
        Assert.That(text, Does.Contain("/auth/v1/token"), "HttpClient calls are logged (so the check below looks at them)");
        foreach (var secret in new[]
                 {
                     password, SupabaseAuthFake.GoodPassword, SupabaseAuthFake.AnonKey, SupabaseAuthFake.LegacySecret,
                     signedUp.GetProperty("refresh_token").GetString()!, loggedIn.GetProperty("refresh_token").GetString()!,
                     refreshed.GetProperty("refresh_token").GetString()!, refreshed.GetProperty("access_token").GetString()!.Split('.')[2],
                 })
            Assert.That(text, Does.Not.Contain(secret));
    }

    private Task<HttpResponseMessage> PostAsync(string path, object body) => app.CreateClient().PostAsJsonAsync(path, body);

    private static string NewUsername() => "s_" + Guid.NewGuid().ToString("N")[..12];
}
