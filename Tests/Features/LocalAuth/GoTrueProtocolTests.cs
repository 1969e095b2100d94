using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.LocalAuth;

/// <summary>/auth/v1 over HTTP: the API key gate, GoTrue's two error shapes, the shared user store, the service-role key.</summary>
[TestFixture]
public sealed class GoTrueProtocolTests
{
    private const string Password = "a-good-password-1";
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
    {
        ["Auth:RateLimit:PerAddressPerMinute"] = "100000",
        ["Auth:RateLimit:PerEmailPerMinute"] = "100000",
    });

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    private HttpClient Client(string? apiKey = ServiceFactory.AnonKey, string? version = null, string? bearer = null)
    {
        var client = app.CreateClient(bearer);
        if (apiKey is not null) client.DefaultRequestHeaders.Add("apikey", apiKey);
        if (version is not null) client.DefaultRequestHeaders.Add("X-Supabase-Api-Version", version);
        return client;
    }

    private static string NewEmail() => $"gt-{Guid.NewGuid():N}@example.test";

    private async Task<JsonElement> SignUpAsync(string email, object? data = null)
        => await (await Client().PostAsJsonAsync("/auth/v1/signup", new { email, password = Password, data })).JsonAsync();

    [Test]
    public async Task Without_an_api_key_every_route_but_the_jwks_is_a_401_as_from_the_gateway()
    {
        var missing = await Client(apiKey: null).GetAsync("/auth/v1/settings");
        var wrong = await Client(apiKey: "sb_publishable_not-the-key-0123456789abcdef").PostAsJsonAsync("/auth/v1/signup", new { email = NewEmail(), password = Password });
        var jwks = await Client(apiKey: null).GetAsync("/auth/v1/.well-known/jwks.json");
        Assert.Multiple(async () =>
        {
            Assert.That((await missing.JsonAsync(HttpStatusCode.Unauthorized)).GetProperty("message").GetString(), Is.EqualTo("No API key found in request"));
            Assert.That((await wrong.JsonAsync(HttpStatusCode.Unauthorized)).GetProperty("message").GetString(), Is.EqualTo("Invalid API key"));
            Assert.That(jwks.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task The_service_role_key_is_an_api_key_too_and_apikey_may_come_in_the_query()
    {
        var asServiceRole = await Client(apiKey: ServiceFactory.ServiceRoleKey).GetAsync("/auth/v1/health");
        var inQuery = await Client(apiKey: null).GetAsync($"/auth/v1/settings?apikey={Uri.EscapeDataString(ServiceFactory.AnonKey)}");
        var health = await asServiceRole.JsonAsync();
        var settings = await inQuery.JsonAsync();
        Assert.Multiple(() =>
        {
            Assert.That(health.GetProperty("name").GetString(), Is.EqualTo("GoTrue"));
            Assert.That(settings.GetProperty("external").GetProperty("email").GetBoolean(), Is.True);
            Assert.That(settings.GetProperty("external").GetProperty("google").GetBoolean(), Is.False);
            Assert.That(settings.GetProperty("mailer_autoconfirm").GetBoolean(), Is.True);
            Assert.That(settings.GetProperty("disable_signup").GetBoolean(), Is.False);
        });
    }

    [Test]
    public async Task Errors_are_legacy_shaped_without_the_version_header()
    {
        var rsp = await Client().PostAsJsonAsync("/auth/v1/token?grant_type=password", new { email = NewEmail(), password = "wrong-password" });
        var body = await rsp.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("code").GetInt32(), Is.EqualTo(400));
            Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo("invalid_credentials"));
            Assert.That(body.GetProperty("msg").GetString(), Is.EqualTo("Invalid login credentials"));
            Assert.That(rsp.Headers.GetValues("x-sb-error-code"), Is.EqualTo(new[] { "invalid_credentials" }));
            Assert.That(rsp.Headers.Contains("X-Supabase-Api-Version"), Is.False);
            Assert.That(rsp.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        });
    }

    [Test]
    public async Task Errors_are_2024_shaped_and_the_version_echoed_when_the_client_asks()
    {
        var rsp = await Client(version: "2024-01-01").PostAsJsonAsync("/auth/v1/token?grant_type=password", new { email = NewEmail(), password = "wrong-password" });
        var body = await rsp.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("code").GetString(), Is.EqualTo("invalid_credentials"));
            Assert.That(body.GetProperty("message").GetString(), Is.EqualTo("Invalid login credentials"));
            Assert.That(body.TryGetProperty("msg", out _), Is.False);
            Assert.That(rsp.Headers.GetValues("X-Supabase-Api-Version"), Is.EqualTo(new[] { "2024-01-01" }));
            Assert.That(rsp.Headers.GetValues("x-sb-error-code"), Is.EqualTo(new[] { "invalid_credentials" }));
        });
    }

    [TestCase(null, "weak_password", 422)]
    [TestCase("2024-01-01", "weak_password", 422)]
    public async Task A_short_password_is_weak_password_with_its_reasons_in_both_shapes(string? version, string code, int status)
    {
        var rsp = await Client(version: version).PostAsJsonAsync("/auth/v1/signup", new { email = NewEmail(), password = "short" });
        var body = await rsp.JsonAsync((HttpStatusCode)status);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty(version is null ? "error_code" : "code").GetString(), Is.EqualTo(code));
            Assert.That(body.GetProperty("weak_password").GetProperty("reasons")[0].GetString(), Is.EqualTo("length"));
        });
    }

    [TestCase("/auth/v1/signup", "{not json", 400, "bad_json")]
    [TestCase("/auth/v1/signup", """{"email":"nobody","password":"a-good-password-1"}""", 400, "validation_failed")]
    [TestCase("/auth/v1/signup", """{"email":"x@example.test"}""", 400, "validation_failed")]
    [TestCase("/auth/v1/signup", """{"email":"x@example.test","password":"0123456789012345678901234567890123456789012345678901234567890123456789abc"}""", 400, "validation_failed")]
    [TestCase("/auth/v1/token?grant_type=magic", "{}", 400, "invalid_credentials")]
    [TestCase("/auth/v1/token?grant_type=password", """{"password":"x"}""", 400, "validation_failed")]
    [TestCase("/auth/v1/token?grant_type=password", """{"phone":"+15550100","password":"x"}""", 422, "phone_provider_disabled")]
    [TestCase("/auth/v1/token?grant_type=refresh_token", """{"refresh_token":"unknown"}""", 400, "refresh_token_not_found")]
    public async Task Bad_requests_get_gotrue_codes_never_a_500(string path, string json, int status, string code)
    {
        var rsp = await Client().PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = await rsp.JsonAsync((HttpStatusCode)status);
        Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo(code));
    }

    [Test]
    public async Task A_refresh_grant_without_a_token_gets_the_oauth_shaped_error()
    {
        var body = await (await Client().PostAsJsonAsync("/auth/v1/token?grant_type=refresh_token", new { })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("error").GetString(), Is.EqualTo("invalid_request"));
            Assert.That(body.GetProperty("error_description").GetString(), Is.EqualTo("refresh_token required"));
        });
    }

    [Test]
    public async Task User_routes_need_a_bearer_401_and_a_valid_one_403()
    {
        var none = await (await Client().GetAsync("/auth/v1/user")).JsonAsync(HttpStatusCode.Unauthorized);
        var bad = await (await Client(bearer: "not.a.jwt").GetAsync("/auth/v1/user")).JsonAsync(HttpStatusCode.Forbidden);
        var anonAsBearer = await (await Client(bearer: ServiceFactory.AnonKey).PostAsync("/auth/v1/logout", null)).JsonAsync(HttpStatusCode.Forbidden);
        Assert.Multiple(() =>
        {
            Assert.That(none.GetProperty("error_code").GetString(), Is.EqualTo("no_authorization"));
            Assert.That(bad.GetProperty("error_code").GetString(), Is.EqualTo("bad_jwt"));
            Assert.That(anonAsBearer.GetProperty("error_code").GetString(), Is.EqualTo("bad_jwt"), "the anon key is no user");
        });
    }

    [Test]
    public async Task Sign_up_answers_a_gotrue_session_and_user()
    {
        var email = NewEmail();
        var session = await SignUpAsync(email, new { username = "someone", nested = new { a = 1 } });
        var user = session.GetProperty("user");
        Assert.Multiple(() =>
        {
            Assert.That(session.GetProperty("token_type").GetString(), Is.EqualTo("bearer"));
            Assert.That(session.GetProperty("expires_in").GetInt32(), Is.EqualTo(3600));
            Assert.That(user.GetProperty("aud").GetString(), Is.EqualTo("authenticated"));
            Assert.That(user.GetProperty("email").GetString(), Is.EqualTo(email));
            Assert.That(user.GetProperty("email_confirmed_at").GetString(), Is.Not.Empty);
            Assert.That(user.GetProperty("app_metadata").GetProperty("provider").GetString(), Is.EqualTo("email"));
            Assert.That(user.GetProperty("user_metadata").GetProperty("nested").GetProperty("a").GetInt32(), Is.EqualTo(1));
            Assert.That(user.GetProperty("identities")[0].GetProperty("provider").GetString(), Is.EqualTo("email"));
            Assert.That(user.GetProperty("is_anonymous").GetBoolean(), Is.False);
        });
    }

    [Test]
    public async Task Metadata_updates_merge_and_a_null_removes_a_key()
    {
        var session = await SignUpAsync(NewEmail(), new { username = "merge_me", keep = true });
        var client = Client(bearer: session.GetProperty("access_token").GetString());
        var user = await (await client.PutAsJsonAsync("/auth/v1/user", new { data = new Dictionary<string, object?> { ["keep"] = null, ["bio"] = "hi" } })).JsonAsync();
        var metadata = user.GetProperty("user_metadata");
        Assert.Multiple(() =>
        {
            Assert.That(metadata.GetProperty("username").GetString(), Is.EqualTo("merge_me"));
            Assert.That(metadata.GetProperty("bio").GetString(), Is.EqualTo("hi"));
            Assert.That(metadata.TryGetProperty("keep", out _), Is.False);
        });
        var refused = await (await client.PutAsJsonAsync("/auth/v1/user", new { email = NewEmail() })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.That(refused.GetProperty("error_code").GetString(), Is.EqualTo("validation_failed"), "no mail to confirm a new address with");
    }

    [Test]
    public async Task A_user_made_through_auth_v1_logs_in_through_the_api_and_gets_a_profile_from_its_metadata()
    {
        var email = NewEmail();
        var username = "v1_" + Guid.NewGuid().ToString("N")[..10];
        await SignUpAsync(email, new { username });
        var session = await (await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = Password })).JsonAsync();
        var me = await (await app.CreateClient(session.GetProperty("access_token").GetString()).GetAsync("/api/me")).JsonAsync();
        Assert.That(me.GetProperty("username").GetString(), Is.EqualTo(username));
    }

    [Test]
    public async Task A_user_made_through_the_api_signs_in_through_auth_v1_with_its_username_in_metadata()
    {
        var email = NewEmail();
        var username = "api_" + Guid.NewGuid().ToString("N")[..10];
        await (await app.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email, password = Password, username })).JsonAsync(HttpStatusCode.Created);
        var session = await (await Client().PostAsJsonAsync("/auth/v1/token?grant_type=password", new { email, password = Password })).JsonAsync();
        var user = await (await Client(bearer: session.GetProperty("access_token").GetString()).GetAsync("/auth/v1/user")).JsonAsync();
        Assert.That(user.GetProperty("user_metadata").GetProperty("username").GetString(), Is.EqualTo(username));
        await using var db = app.OpenConnection();
        Assert.That(await db.ExecuteScalarAsync<int>("SELECT count(*) FROM local_users WHERE email = @email", new { email }), Is.EqualTo(1));
    }

    [Test]
    public async Task The_service_role_key_as_a_bearer_runs_admin_routes_but_acts_for_no_user()
    {
        var serviceRole = app.CreateClient(ServiceFactory.ServiceRoleKey);
        var cleanup = await serviceRole.PostAsync("/api/admin/cleanup", null);
        Assert.That(cleanup.StatusCode, Is.EqualTo(HttpStatusCode.OK), await cleanup.Content.ReadAsStringAsync());
        await (await serviceRole.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var owner = await app.CreateUserAsync();
        var video = await app.SeedVideoAsync(owner);
        await (await serviceRole.PostAsJsonAsync($"/api/videos/{video}/comments", new { text = "hi" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await serviceRole.PostAsync($"/api/videos/{video}/like", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task The_anon_key_as_a_bearer_is_anonymous()
    {
        var anon = app.CreateClient(ServiceFactory.AnonKey);
        Assert.That((await anon.GetAsync("/api/videos/feed")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await (await anon.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anon.PostAsync("/api/admin/cleanup", null)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_browser_app_on_another_origin_may_call_auth_v1_but_not_the_api()
    {
        HttpRequestMessage Preflight(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, path);
            request.Headers.Add("Origin", "http://localhost:5173");
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "apikey,content-type,x-supabase-api-version,authorization");
            return request;
        }
        var auth = await app.CreateClient().SendAsync(Preflight("/auth/v1/token?grant_type=password"));
        var api = await app.CreateClient().SendAsync(Preflight("/api/auth/login"));
        Assert.Multiple(() =>
        {
            Assert.That(auth.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(auth.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "*" }));
            Assert.That(string.Join(",", auth.Headers.GetValues("Access-Control-Allow-Headers")), Does.Contain("apikey"));
            Assert.That(api.Headers.Contains("Access-Control-Allow-Origin"), Is.False, "the API itself stays same-origin");
        });
    }
}
