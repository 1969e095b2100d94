using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IgLive.Service.Tests.Features.Auth;

/// <summary>Auth:Mode=Local end to end: sign-up, login, refresh rotation and reuse, logout, token verification, limits.</summary>
[TestFixture]
public sealed class LocalAuthTests
{
    private const string Issuer = "http://localhost:8080/auth/v1";
    private static readonly string[] SignUpStatuses = ["201", "202", "400", "409", "429", "502", "503"];
    private static readonly string[] SessionFields = ["access_token", "token_type", "expires_in", "expires_at", "refresh_token", "user"];
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
    {
        ["Auth:RateLimit:PerAddressPerMinute"] = "100000",
        ["Auth:RateLimit:PerEmailPerMinute"] = "100000",
    });

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task Sign_up_returns_a_supabase_shaped_session_and_creates_user_and_profile()
    {
        var (email, username, password) = NewAccount();

        var rsp = await app.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email, password, username });

        var session = await rsp.JsonAsync(HttpStatusCode.Created);
        var userId = session.GetProperty("user").GetProperty("id").GetGuid();
        var expiresIn = session.GetProperty("expires_in").GetInt32();
        Assert.Multiple(() =>
        {
            Assert.That(session.GetProperty("token_type").GetString(), Is.EqualTo("bearer"));
            Assert.That(expiresIn, Is.EqualTo(3600));
            Assert.That(session.GetProperty("expires_at").GetInt64(),
                Is.EqualTo(app.Clock.GetUtcNow().ToUnixTimeSeconds() + expiresIn).Within(5), "unix seconds");
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

        await using var conn = app.OpenConnection();
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
        var me = await (await app.CreateClient(AccessToken(session)).GetAsync("/api/me")).JsonAsync();
        Assert.That(me.GetProperty("username").GetString(), Is.EqualTo(username));
    }

    [Test]
    public async Task Taken_email_is_a_409_whatever_its_case()
    {
        var (_, email, _, _) = await SignUpAsync();
        var (_, username, password) = NewAccount();

        var rsp = await app.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email = email.ToUpperInvariant(), password, username });

        await rsp.AssertProblemAsync(HttpStatusCode.Conflict);
        await using var conn = app.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM profiles WHERE username = @username", new { username }), Is.Zero,
            "the profile insert is rolled back with the user");
    }

    [Test]
    public async Task Taken_username_is_a_409_and_creates_no_user()
    {
        var (_, _, username, _) = await SignUpAsync();
        var (email, _, password) = NewAccount();

        var rsp = await app.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email, password, username });

        await rsp.AssertProblemAsync(HttpStatusCode.Conflict);
        await using var conn = app.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM local_users WHERE lower(email) = lower(@email)", new { email }), Is.Zero);
    }

    [Test]
    public async Task Upper_case_username_is_a_400_so_usernames_compare_case_insensitively()
    {
        var (email, username, password) = NewAccount();
        var rsp = await app.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email, password, username = username.ToUpperInvariant() });
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("username"), Is.Not.Empty);
    }

    [Test]
    public async Task Invalid_sign_up_fields_are_400_with_field_errors()
    {
        var rsp = await app.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email = "not-an-email", password = "short", username = "No Spaces!" });

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
        var rsp = await app.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email, password = new string('p', 73), username });
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
        var me = await app.CreateClient(AccessToken(session)).GetAsync("/api/me");
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
    public async Task Refresh_rotates_the_token_within_the_session()
    {
        var (session, _, _, _) = await SignUpAsync();
        var oldToken = RefreshToken(session);

        var next = await (await RefreshAsync(oldToken)).JsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(RefreshToken(next), Is.Not.EqualTo(oldToken));
            Assert.That(SessionId(next), Is.EqualTo(SessionId(session)));
        });
        var me = await app.CreateClient(AccessToken(next)).GetAsync("/api/me");
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await using var conn = app.OpenConnection();
        var rows = (await conn.QueryAsync<(long Id, long? ParentId, DateTime? UsedAt)>(
            "SELECT id, parent_id, used_at FROM local_refresh_tokens WHERE session_id = @s ORDER BY id", new { s = SessionId(session) })).ToList();
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(rows[0].UsedAt, Is.Not.Null, "the presented token is used up");
            Assert.That(rows[1].ParentId, Is.EqualTo(rows[0].Id), "the new token is its child");
            Assert.That(rows[1].UsedAt, Is.Null);
        });
    }

    [Test]
    public async Task Reusing_a_used_refresh_token_revokes_the_whole_session()
    {
        // Outside Supabase's allowance: used more than 10 s ago, and its child was used too (it is no longer the
        // parent of the active token).
        var (session, _, _, _) = await SignUpAsync();
        var used = RefreshToken(session);
        var child = RefreshToken(await (await RefreshAsync(used)).JsonAsync());
        var grandchild = RefreshToken(await (await RefreshAsync(child)).JsonAsync());
        app.Clock.Advance(TimeSpan.FromSeconds(11));

        await (await RefreshAsync(used)).AssertProblemAsync(HttpStatusCode.Unauthorized);

        await (await RefreshAsync(grandchild)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await using var conn = app.OpenConnection();
        var reason = await conn.ExecuteScalarAsync<string>("SELECT revoked_reason FROM local_sessions WHERE id = @s AND revoked_at IS NOT NULL",
            new { s = SessionId(session) });
        Assert.That(reason, Is.EqualTo("refresh_token_reuse"));
    }

    [Test]
    public async Task Concurrent_refreshes_with_one_token_all_get_a_working_session()
    {
        // Two tabs refreshing at once (Supabase's 10 s reuse interval): nobody is logged out.
        var (session, _, _, _) = await SignUpAsync();
        var token = RefreshToken(session);

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RefreshAsync(token)));

        var sessions = new List<JsonElement>();
        foreach (var answer in answers) sessions.Add(await answer.JsonAsync());
        Assert.That(sessions.Select(RefreshToken).Distinct().Count(), Is.EqualTo(1), "one chain: everybody gets the active token");
        foreach (var next in sessions)
        {
            Assert.That(SessionId(next), Is.EqualTo(SessionId(session)));
            Assert.That((await app.CreateClient(AccessToken(next)).GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        Assert.That((await RefreshAsync(RefreshToken(sessions[0]))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_reused_token_gets_the_active_token_so_a_thief_and_the_owner_share_one_chain_and_old_reuse_is_caught()
    {
        var (session, _, _, _) = await SignUpAsync();
        var stolen = RefreshToken(session);
        var owners = RefreshToken(await (await RefreshAsync(stolen)).JsonAsync());

        var thiefs = RefreshToken(await (await RefreshAsync(stolen)).JsonAsync()); // parent of the active token: allowed

        Assert.That(thiefs, Is.EqualTo(owners), "no second chain");
        var latest = RefreshToken(await (await RefreshAsync(owners)).JsonAsync());
        app.Clock.Advance(TimeSpan.FromSeconds(11));
        await (await RefreshAsync(stolen)).AssertProblemAsync(HttpStatusCode.Unauthorized); // two generations old
        await (await RefreshAsync(latest)).AssertProblemAsync(HttpStatusCode.Unauthorized);  // the whole session is revoked
    }

    [Test]
    public async Task The_parent_of_the_active_token_can_be_used_again_later_when_the_answer_was_lost()
    {
        var (session, _, _, _) = await SignUpAsync();
        var token = RefreshToken(session);
        (await RefreshAsync(token)).Dispose(); // the client never read this answer
        app.Clock.Advance(TimeSpan.FromHours(1));

        var retried = await (await RefreshAsync(token)).JsonAsync();

        Assert.That(SessionId(retried), Is.EqualTo(SessionId(session)));
        Assert.That((await RefreshAsync(RefreshToken(retried))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Unknown_refresh_token_is_a_401()
    {
        await (await RefreshAsync("not-a-token-we-issued")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Empty_refresh_token_is_a_400()
    {
        var problem = await (await RefreshAsync("")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("refresh_token"), Is.Not.Empty);
    }

    [Test]
    public async Task Logout_revokes_the_session_so_its_refresh_token_is_a_401()
    {
        var (session, email, _, password) = await SignUpAsync();
        var other = await (await LogInAsync(email, password)).JsonAsync();

        var rsp = await app.CreateClient(AccessToken(session)).PostAsync("/api/auth/logout", null);

        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await (await RefreshAsync(RefreshToken(session))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var stillIn = await RefreshAsync(RefreshToken(other));
        Assert.That(stillIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), "logout ends only the caller's session");
        await using var conn = app.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT revoked_reason FROM local_sessions WHERE id = @s", new { s = SessionId(session) }),
            Is.EqualTo("logout"));
    }

    [Test]
    public async Task Logout_without_a_token_is_a_401()
    {
        var rsp = await app.CreateClient().PostAsync("/api/auth/logout", null);
        await rsp.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(rsp.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
    }

    [TestCase("alg none")]
    [TestCase("unknown kid")]
    [TestCase("another key")]
    [TestCase("wrong audience")]
    [TestCase("wrong issuer")]
    [TestCase("expired beyond the 30 s skew")]
    [TestCase("not yet valid")]
    [TestCase("no expiry")]
    [TestCase("garbage")]
    public async Task Forged_or_stale_token_is_a_401_problem_with_www_authenticate(string forgery)
    {
        var user = await app.CreateUserAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var token = forgery switch
        {
            "alg none" => Unsigned(user.Id),
            "unknown kid" => Sign(user.Id, key: new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ServiceFactory.JwtSecret)) { KeyId = "rotated-away" }),
            "another key" => Sign(user.Id, key: new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(48))),
            "wrong audience" => Sign(user.Id, audience: "anon"),
            "wrong issuer" => Sign(user.Id, issuer: "https://evil.example/auth/v1"),
            "expired beyond the 30 s skew" => Sign(user.Id, expires: now.AddSeconds(-31), issuedAt: now.AddHours(-1)),
            "not yet valid" => Sign(user.Id, notBefore: now.AddMinutes(5), expires: now.AddHours(1)),
            "no expiry" => Sign(user.Id, noExpiry: true),
            "garbage" => "this.is-not.a-jwt",
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        var rsp = await app.CreateClient(token).GetAsync("/api/me");

        await rsp.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(rsp.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer").And.Contains("invalid_token"));
    }

    [Test]
    public async Task Token_expired_within_the_30_s_skew_is_still_accepted()
    {
        var user = await app.CreateUserAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var rsp = await app.CreateClient(Sign(user.Id, expires: now.AddSeconds(-20), issuedAt: now.AddHours(-1))).GetAsync("/api/me");
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_token_accepted_before_still_stops_working_when_it_expires()
    {
        // Validated tokens are remembered (ValidatedTokenCache); the memory must not outlive the token.
        var user = await app.CreateUserAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var client = app.CreateClient(Sign(user.Id, expires: now.AddMinutes(2)));
        Assert.That((await client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "second use, remembered");

        app.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(31)); // past expiry + the 30 s skew

        var rsp = await client.GetAsync("/api/me");
        await rsp.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(rsp.Headers.WwwAuthenticate.ToString(), Does.Contain("invalid_token"));
    }

    [Test]
    public async Task A_remembered_token_with_a_tampered_signature_is_a_401()
    {
        var user = await app.CreateUserAsync();
        var token = Sign(user.Id);
        Assert.That((await app.CreateClient(token).GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var last = token[^2] == 'A' ? 'B' : 'A';
        var tampered = token[..^2] + last + token[^1];

        var rsp = await app.CreateClient(tampered).GetAsync("/api/me");

        await rsp.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_correctly_signed_test_token_is_accepted()
    {
        // The control for the forgeries above: same helper, nothing wrong with it.
        var user = await app.CreateUserAsync();
        var rsp = await app.CreateClient(Sign(user.Id)).GetAsync("/api/me");
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
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
        var doc = await (await app.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();
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

    private static (string Email, string Username, string Password) NewAccount()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        return ($"User.{id}@Example.test", "u_" + id, "correct horse " + id);
    }

    private async Task<(JsonElement Session, string Email, string Username, string Password)> SignUpAsync()
    {
        var (email, username, password) = NewAccount();
        var rsp = await app.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email, password, username });
        return (await rsp.JsonAsync(HttpStatusCode.Created), email, username, password);
    }

    private Task<HttpResponseMessage> LogInAsync(string email, string password)
        => app.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password });

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken)
        => app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refresh_token = refreshToken });

    private static string AccessToken(JsonElement session) => session.GetProperty("access_token").GetString()!;
    private static string RefreshToken(JsonElement session) => session.GetProperty("refresh_token").GetString()!;
    private static Guid SessionId(JsonElement session) => Guid.Parse(new JsonWebToken(AccessToken(session)).GetClaim("session_id").Value);

    /// <summary>A token as the local issuer makes them, with one thing changed.</summary>
    private string Sign(Guid userId, SecurityKey? key = null, string issuer = Issuer, string audience = "authenticated",
        DateTime? expires = default, DateTime? issuedAt = null, DateTime? notBefore = null, bool noExpiry = false)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt ?? now,
            NotBefore = notBefore,
            Expires = noExpiry ? null : expires ?? now.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = userId.ToString(), ["role"] = "authenticated", ["session_id"] = Guid.NewGuid().ToString() },
            SigningCredentials = new SigningCredentials(key ?? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ServiceFactory.JwtSecret)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary><c>{"alg":"none"}</c> with valid claims and an empty signature.</summary>
    private string Unsigned(Guid userId)
    {
        var now = app.Clock.GetUtcNow().ToUnixTimeSeconds();
        static string B64(string json) => Base64UrlEncoder.Encode(json);
        return B64("""{"alg":"none","typ":"JWT"}""") + "." +
               B64($$"""{"sub":"{{userId}}","aud":"authenticated","iss":"{{Issuer}}","role":"authenticated","iat":{{now}},"exp":{{now + 3600}}}""") + ".";
    }
}
