using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IgLive.Service.Tests.Features.Auth;

/// <summary>Auth:Mode=Local sign-up and login: the Supabase-shaped session, the refusals, the limits and their OpenAPI description.</summary>
[TestFixture]
public sealed class LocalSignUpTests : LocalAuthFixture
{
    private static readonly string[] SignUpStatuses = ["201", "202", "400", "409", "429", "502", "503"];
    private static readonly string[] SessionFields = ["access_token", "token_type", "expires_in", "expires_at", "refresh_token", "user"];

    [Test]
    public async Task Sign_up_returns_a_supabase_shaped_session_and_creates_user_and_profile()
    {
        var (email, username, password) = NewAccount();

        var rsp = await App.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email, password, username });

        var session = await rsp.JsonAsync(HttpStatusCode.Created);
        var userId = session.GetProperty("user").GetProperty("id").GetGuid();
        var expiresIn = session.GetProperty("expires_in").GetInt32();
        Assert.Multiple(() =>
        {
            Assert.That(session.GetProperty("token_type").GetString(), Is.EqualTo("bearer"));
            Assert.That(expiresIn, Is.EqualTo(3600));
            Assert.That(session.GetProperty("expires_at").GetInt64(),
                Is.EqualTo(App.Clock.GetUtcNow().ToUnixTimeSeconds() + expiresIn).Within(5), "unix seconds");
            Assert.That(session.GetProperty("refresh_token").GetString(), Has.Length.GreaterThanOrEqualTo(43));
            Assert.That(session.GetProperty("user").GetProperty("email").GetString(), Is.EqualTo(email.ToLowerInvariant()), "stored lower-case, as GoTrue");
        });
        var claims = new JsonWebToken(session.GetProperty("access_token").GetString());
        Assert.Multiple(() =>
        {
            Assert.That(claims.Subject, Is.EqualTo(userId.ToString()));
            Assert.That(claims.GetClaim("aud").Value, Is.EqualTo("authenticated"));
            Assert.That(claims.Issuer, Is.EqualTo(Issuer));
            Assert.That(Guid.TryParse(claims.GetClaim("session_id").Value, out _), Is.True, "session_id claim");
        });

        await using var conn = App.OpenConnection();
        var hash = await conn.ExecuteScalarAsync<string>("SELECT password_hash FROM local_users WHERE id = @userId", new { userId });
        Assert.That(hash, Is.Not.Null.And.Not.Contain(password));
        Assert.That(Convert.FromBase64String(hash!)[0], Is.EqualTo(0x01), "Identity V3 format (PBKDF2)");
        var stored = await conn.QuerySingleAsync<byte[]>("SELECT token_hash FROM local_refresh_tokens t JOIN local_sessions s ON s.id = t.session_id WHERE s.user_id = @userId", new { userId });
        Assert.That(stored, Is.EqualTo(SHA256.HashData(Encoding.UTF8.GetBytes(session.GetProperty("refresh_token").GetString()!))), "only the hash is stored");
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT username FROM profiles WHERE id = @userId", new { userId }), Is.EqualTo(username));
    }

    [Test]
    public async Task Access_token_from_sign_up_works_on_me()
    {
        var (session, _, username, _) = await SignUpAsync();
        var me = await (await App.CreateClient(AccessToken(session)).GetAsync("/api/me")).JsonAsync();
        Assert.That(me.GetProperty("username").GetString(), Is.EqualTo(username));
    }

    [Test]
    public async Task Taken_email_is_a_409_whatever_its_case()
    {
        var (_, email, _, _) = await SignUpAsync();
        var (_, username, password) = NewAccount();

        var rsp = await App.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email = email.ToUpperInvariant(), password, username });

        await rsp.AssertProblemAsync(HttpStatusCode.Conflict);
        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM profiles WHERE username = @username", new { username }), Is.Zero,
            "the profile insert is rolled back with the user");
    }

    [Test]
    public async Task Taken_username_is_a_409_and_creates_no_user()
    {
        var (_, _, username, _) = await SignUpAsync();
        var (email, _, password) = NewAccount();

        var rsp = await App.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email, password, username });

        await rsp.AssertProblemAsync(HttpStatusCode.Conflict);
        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM local_users WHERE lower(email) = lower(@email)", new { email }), Is.Zero);
    }

    [Test]
    public async Task Upper_case_username_is_a_400_so_usernames_compare_case_insensitively()
    {
        var (email, username, password) = NewAccount();
        var rsp = await App.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email, password, username = username.ToUpperInvariant() });
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("username"), Is.Not.Empty);
    }

    [Test]
    public async Task Invalid_sign_up_fields_are_400_with_field_errors()
    {
        var rsp = await App.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email = "not-an-email", password = "short", username = "No Spaces!" });

        var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(problem.FieldErrors("email"), Is.Not.Empty);
            Assert.That(problem.FieldErrors("password"), Is.Not.Empty);
            Assert.That(problem.FieldErrors("username"), Is.Not.Empty);
        });
    }

    [Test]
    public async Task Password_longer_than_72_bytes_is_a_400()
    {
        var (email, username, _) = NewAccount();
        var rsp = await App.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email, password = new string('p', 73), username });
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("password"), Is.Not.Empty);
    }

    [Test]
    public async Task Login_returns_a_new_session()
    {
        var (first, email, _, password) = await SignUpAsync();

        var session = await (await LogInAsync(email.ToUpperInvariant(), password)).JsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(session.GetProperty("user").GetProperty("id").GetGuid(), Is.EqualTo(first.GetProperty("user").GetProperty("id").GetGuid()));
            Assert.That(session.GetProperty("refresh_token").GetString(), Is.Not.EqualTo(first.GetProperty("refresh_token").GetString()));
            Assert.That(SessionId(session), Is.Not.EqualTo(SessionId(first)), "each login is its own session");
        });
        var me = await App.CreateClient(AccessToken(session)).GetAsync("/api/me");
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Wrong_password_and_unknown_email_get_the_same_401()
    {
        var (_, email, _, _) = await SignUpAsync();

        var wrongPassword = await (await LogInAsync(email, "wrong-password")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var unknownEmail = await (await LogInAsync("nobody-" + Guid.NewGuid().ToString("N")[..8] + "@example.test", "wrong-password"))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.That(unknownEmail.GetProperty("detail").GetString(), Is.EqualTo(wrongPassword.GetProperty("detail").GetString()));
        Assert.That(unknownEmail.GetProperty("title").GetString(), Is.EqualTo(wrongPassword.GetProperty("title").GetString()));
    }

    [Test]
    public async Task Too_many_logins_from_one_address_are_429_with_retry_after()
    {
        await using var limited = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
        {
            ["Auth:RateLimit:PerAddressPerMinute"] = "3",
            ["Auth:RateLimit:PerEmailPerMinute"] = "100",
        });
        var client = limited.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            var ok = await client.PostAsJsonAsync("/api/auth/login", new { email = $"a{i}@example.test", password = "whatever-password" });
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"attempt {i + 1} is within the limit");
        }

        var rsp = await client.PostAsJsonAsync("/api/auth/signup", new { email = "new@example.test", password = "long-enough-pw", username = "newuser" });

        await rsp.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(rsp.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public async Task Too_many_logins_for_one_email_are_429_while_other_emails_go_on()
    {
        await using var limited = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
        {
            ["Auth:RateLimit:PerAddressPerMinute"] = "100",
            ["Auth:RateLimit:PerEmailPerMinute"] = "2",
        });
        var client = limited.CreateClient();
        for (var i = 0; i < 2; i++)
            await (await client.PostAsJsonAsync("/api/auth/login", new { email = "target@example.test", password = "guess-" + i }))
                .AssertProblemAsync(HttpStatusCode.Unauthorized);

        var blocked = await client.PostAsJsonAsync("/api/auth/login", new { email = "TARGET@example.test", password = "guess-3" });
        var other = await client.PostAsJsonAsync("/api/auth/login", new { email = "someone-else@example.test", password = "guess-1" });

        await blocked.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(blocked.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        await other.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task OpenApi_document_describes_the_auth_endpoints_and_their_refusals()
    {
        var doc = await (await App.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = doc.GetProperty("paths");
        var signUp = paths.GetProperty("/api/auth/signup").GetProperty("post");
        var signUpResponses = signUp.GetProperty("responses");
        Assert.Multiple(() =>
        {
            foreach (var status in SignUpStatuses)
                Assert.That(signUpResponses.TryGetProperty(status, out _), Is.True, $"sign-up documents {status}");
            Assert.That(signUp.GetProperty("description").GetString(), Does.Contain("confirmation_required"));
            Assert.That(paths.GetProperty("/api/auth/login").GetProperty("post").GetProperty("responses").TryGetProperty("401", out _), Is.True);
            Assert.That(paths.GetProperty("/api/auth/refresh").GetProperty("post").GetProperty("responses").TryGetProperty("401", out _), Is.True);
            Assert.That(paths.GetProperty("/api/auth/logout").GetProperty("post").GetProperty("responses").TryGetProperty("204", out _), Is.True);
            var session = doc.GetProperty("components").GetProperty("schemas").GetProperty("SessionDto").GetProperty("properties");
            foreach (var field in SessionFields)
                Assert.That(session.TryGetProperty(field, out _), Is.True, $"Session has {field}");
        });
    }
}
