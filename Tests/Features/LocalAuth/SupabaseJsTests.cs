using System.Diagnostics;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Fakes;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.LocalAuth;

/// <summary>
/// The official client drives the local auth server: <c>Tests/SupabaseJs/auth-flow.mjs</c> (@supabase/supabase-js, pinned in
/// its package-lock, installed by test.sh with <c>npm ci</c>) runs under Node against the service on a real Kestrel port, and
/// again against the WireMock GoTrue fake; every step's outcome (error name, code, status, facts) must agree.
/// </summary>
[TestFixture]
[NonParallelizable] // one Node process at a time keeps the 2-core machine's timing sane
public sealed class SupabaseJsTests
{
    private static readonly string ScriptDir = FindScriptDir();
    private ServiceFactory app = null!;
    private SupabaseAuthFake fake = null!;
    private Dictionary<string, JsonElement> service = null!;
    private Dictionary<string, JsonElement> goTrue = null!;

    [OneTimeSetUp]
    public async Task RunTheScriptAgainstBoth()
    {
        Assert.That(Directory.Exists(Path.Combine(ScriptDir, "node_modules", "@supabase", "supabase-js")), Is.True,
            $"run `npm ci` in {ScriptDir} (test.sh does)");
        app = await ServiceFactory.CreateOnKestrelAsync(new Dictionary<string, string?>
        {
            ["Auth:RateLimit:PerAddressPerMinute"] = "100000",
            ["Auth:RateLimit:PerEmailPerMinute"] = "100000",
        });
        fake = new SupabaseAuthFake();
        service = await RunAsync(app.BaseAddress!.ToString().TrimEnd('/'), ServiceFactory.AnonKey, seconds => app.Clock.Advance(TimeSpan.FromSeconds(seconds)));
        goTrue = await RunAsync(fake.Url, SupabaseAuthFake.AnonKey, _ => { });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (app is not null) await app.DisposeAsync();
        fake?.Dispose();
    }

    [TestCase("sign_up", null, null, null)]
    [TestCase("sign_up_taken_email", "AuthApiError", "user_already_exists", 422)]
    [TestCase("sign_up_weak_password", "AuthWeakPasswordError", "weak_password", 422)]
    [TestCase("sign_in_wrong_password", "AuthApiError", "invalid_credentials", 400)]
    [TestCase("sign_in", null, null, null)]
    [TestCase("get_user", null, null, null)]
    [TestCase("get_claims", null, null, null)]
    [TestCase("update_user_metadata", null, null, null)]
    [TestCase("update_user_same_password", "AuthApiError", "same_password", 422)]
    [TestCase("update_user_password", null, null, null)]
    [TestCase("sign_in_old_password", "AuthApiError", "invalid_credentials", 400)]
    [TestCase("sign_in_new_password", null, null, null)]
    [TestCase("refresh_session", null, null, null)]
    [TestCase("refresh_session_again", null, null, null)]
    [TestCase("refresh_with_used_token", "AuthApiError", "refresh_token_already_used", 400)]
    [TestCase("refresh_with_unknown_token", "AuthApiError", "refresh_token_not_found", 400)]
    [TestCase("sign_out_others", null, null, null)]
    [TestCase("sign_out_local", null, null, null)]
    [TestCase("sign_out_global", null, null, null)]
    [TestCase("get_user_bad_jwt", "AuthApiError", "bad_jwt", 403)]
    public void The_sdk_reports_what_gotrue_would_and_the_fake_agrees(string step, string? name, string? code, int? status)
    {
        Assert.That(service, Does.ContainKey(step), "the script reached this step against the service");
        var error = service[step].GetProperty("error");
        if (name is null) Assert.That(error.ValueKind, Is.EqualTo(JsonValueKind.Null), error.ToString());
        else
            Assert.Multiple(() =>
            {
                Assert.That(error.GetProperty("name").GetString(), Is.EqualTo(name));
                Assert.That(error.GetProperty("code").GetString(), Is.EqualTo(code));
                Assert.That(error.GetProperty("status").GetInt32(), Is.EqualTo(status));
            });
        Assert.That(goTrue, Does.ContainKey(step), "the script reached this step against the fake");
        Assert.That(service[step].ToString(), Is.EqualTo(goTrue[step].ToString()), "the service and the GoTrue fake agree");
    }

    [Test]
    public void Each_step_shows_the_facts_the_sdk_saw()
    {
        string Fact(string step, string fact) => service[step].GetProperty("facts").GetProperty(fact).ToString();
        Assert.Multiple(() =>
        {
            Assert.That(Fact("sign_up", "session"), Is.EqualTo("True"), "autoconfirm: sign-up answers a session");
            Assert.That(Fact("sign_up", "token_type"), Is.EqualTo("bearer"));
            Assert.That(Fact("sign_up", "refresh_token_opaque"), Is.EqualTo("True"));
            Assert.That(Fact("sign_up_weak_password", "reasons"), Does.Contain("length"));
            Assert.That(Fact("get_user", "same_user"), Is.EqualTo("True"));
            Assert.That(Fact("get_claims", "sub_is_user"), Is.EqualTo("True"), "getClaims verified the token with the JWKS");
            Assert.That(Fact("get_claims", "alg"), Is.EqualTo("ES256"));
            Assert.That(Fact("get_claims", "aud"), Is.EqualTo("authenticated"));
            Assert.That(Fact("update_user_metadata", "bio"), Is.EqualTo("hello"));
            Assert.That(Fact("update_user_metadata", "username_kept"), Is.EqualTo("True"), "merged, not replaced");
            Assert.That(Fact("refresh_session", "rotated"), Is.EqualTo("True"));
            Assert.That(Fact("sign_out_others", "own_session_kept"), Is.EqualTo("True"));
            Assert.That(Fact("sign_out_others", "other_session_ended"), Is.EqualTo("AuthSessionMissingError"));
            Assert.That(Fact("sign_out_others", "other_refresh"), Is.EqualTo("refresh_token_not_found"));
            Assert.That(Fact("sign_out_local", "own_token_refused"), Is.EqualTo("AuthSessionMissingError"));
            Assert.That(Fact("sign_out_local", "other_session_kept"), Is.EqualTo("True"));
            Assert.That(Fact("sign_out_global", "other_session_ended"), Is.EqualTo("AuthSessionMissingError"));
        });
    }

    [Test]
    public async Task The_user_the_sdk_made_is_one_row_with_its_metadata_and_every_session_ended()
    {
        var email = service["_email"].GetString();
        await using var db = app.OpenConnection();
        var metadata = await db.ExecuteScalarAsync<string>("SELECT user_metadata::text FROM local_users WHERE email = @email", new { email });
        Assert.That(metadata, Does.Contain("\"bio\": \"hello\"").And.Contain("\"username\""));
        var live = await db.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM local_sessions s JOIN local_users u ON u.id = s.user_id WHERE u.email = @email AND s.revoked_at IS NULL", new { email });
        Assert.That(live, Is.Zero, "the global sign-out ended the last sessions");
    }

    /// <summary>Runs the script; answers its clock requests; returns its steps by name.</summary>
    private static async Task<Dictionary<string, JsonElement>> RunAsync(string url, string anonKey, Action<int> advanceClock)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = ScriptDir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "auth-flow.mjs", url, anonKey }) start.ArgumentList.Add(arg);
        using var node = Process.Start(start)!;
        var stderr = node.StandardError.ReadToEndAsync();
        var steps = new Dictionary<string, JsonElement>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await node.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (!line.StartsWith('{')) continue;
            var json = JsonDocument.Parse(line).RootElement.Clone();
            if (json.TryGetProperty("advance_clock", out var seconds))
            {
                advanceClock(seconds.GetInt32());
                await node.StandardInput.WriteLineAsync();
                await node.StandardInput.FlushAsync();
            }
            else if (json.TryGetProperty("step", out var step)) steps[step.GetString()!] = json;
            else if (json.TryGetProperty("email", out var email)) steps["_email"] = email;
        }
        await node.WaitForExitAsync(timeout.Token);
        Assert.That(node.ExitCode, Is.Zero, await stderr);
        return steps;
    }

    private static string FindScriptDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tests", "SupabaseJs", "auth-flow.mjs"))) return Path.Combine(dir.FullName, "Tests", "SupabaseJs");
        throw new InvalidOperationException("Tests/SupabaseJs/auth-flow.mjs not found above " + AppContext.BaseDirectory);
    }
}
