using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.LocalAuth;

/// <summary>
/// Password sign-ins count only their failures per e-mail: per e-mail and client address (<c>PerEmailPerMinute</c>) and per
/// e-mail over all addresses (<c>FailedSignInsPerEmailPerMinute</c>). Each test runs with the counters in memory (one host)
/// and in Redis (two hosts of one deployment, requests alternating). Client addresses come from X-Forwarded-For, the
/// test server's peer being a known proxy.
/// </summary>
[TestFixture]
public sealed class SignInFailureLimitTests
{
    private const string Password = "the-right-password-1";
    private const string Attacker = "198.51.100.66";
    private const string Owner = "203.0.113.7";

    private sealed record Deployment(ServiceFactory A, ServiceFactory B) : IAsyncDisposable
    {
        public ServiceFactory Host(int i) => i % 2 == 0 ? A : B;

        public async ValueTask DisposeAsync()
        {
            if (!ReferenceEquals(A, B)) await B.DisposeAsync();
            await A.DisposeAsync();
        }
    }

    private static async Task<Deployment> StartAsync(bool redis, int perEmail, int perEmailAllAddresses)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:RateLimit:PerAddressPerMinute"] = "1000",
            ["Auth:RateLimit:PerEmailPerMinute"] = perEmail.ToString(CultureInfo.InvariantCulture),
            ["Auth:RateLimit:FailedSignInsPerEmailPerMinute"] = perEmailAllAddresses.ToString(CultureInfo.InvariantCulture),
            ["Network:KnownProxies"] = "127.0.0.1",
        };
        if (!redis)
        {
            var single = await ServiceFactory.CreateAsync(settings);
            return new Deployment(single, single);
        }
        settings["Redis:ConnectionString"] = (await RedisServer.Shared).ConnectionString;
        settings["Redis:KeyPrefix"] = "t" + Guid.NewGuid().ToString("N")[..12]; // other fixtures share this Redis
        var a = await ServiceFactory.CreateAsync(settings);
        settings["Storage:LocalPath"] = a.StoragePath;
        return new Deployment(a, await a.CreateSecondInstanceAsync(settings));
    }

    private static async Task<string> SignUpAsync(ServiceFactory app)
    {
        var email = $"victim-{Guid.NewGuid():N}@example.test";
        await (await Send(app, "/auth/v1/signup", Owner, new { email, password = Password })).JsonAsync();
        return email;
    }

    private static Task<HttpResponseMessage> SignInAsync(ServiceFactory app, string from, string email, string password)
        => Send(app, "/auth/v1/token?grant_type=password", from, new { email, password });

    private static Task<HttpResponseMessage> Send(ServiceFactory app, string url, string from, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("apikey", ServiceFactory.AnonKey);
        request.Headers.Add("X-Forwarded-For", from);
        return app.CreateClient().SendAsync(request);
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage rsp)
    {
        var body = await rsp.JsonAsync(HttpStatusCode.TooManyRequests);
        Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo("over_request_rate_limit"));
        Assert.That(rsp.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(61)));
    }

    private static async Task<long> SessionsAsync(ServiceFactory app, string email)
    {
        await using var conn = app.OpenConnection();
        return await conn.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM local_sessions s JOIN local_users u ON u.id = s.user_id WHERE lower(u.email) = lower(@email)", new { email });
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task An_attackers_wrong_passwords_do_not_lock_the_owner_out(bool redis)
    {
        await using var app = await StartAsync(redis, perEmail: 3, perEmailAllAddresses: 100);
        var email = await SignUpAsync(app.A);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add((await SignInAsync(app.Host(i), Attacker, email, "guess-" + i)).StatusCode);
        var fourth = await SignInAsync(app.Host(3), Attacker, email.ToUpperInvariant(), "guess-3");
        var rightButFromTheAttacker = await SignInAsync(app.Host(4), Attacker, email, Password);
        var owner = await SignInAsync(app.B, Owner, email, Password);
        var ownerThroughApi = await app.A.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { email, password = Password }), Headers = { { "X-Forwarded-For", Owner } },
        });

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.BadRequest), "wrong passwords within the attacker's budget");
        await AssertRateLimitedAsync(fourth);
        await AssertRateLimitedAsync(rightButFromTheAttacker); // else the 429/200 difference would confirm a guess
        Assert.That((await owner.JsonAsync()).GetProperty("access_token").GetString(), Is.Not.Empty, "the owner signs in from their address");
        Assert.That((await ownerThroughApi.JsonAsync()).GetProperty("access_token").GetString(), Is.Not.Empty);
        Assert.That(await SessionsAsync(app.A, email), Is.EqualTo(3), "sign-up and the owner's two sign-ins");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_correct_password_after_failures_signs_in_without_counting_until_the_budget_is_spent(bool redis)
    {
        await using var app = await StartAsync(redis, perEmail: 3, perEmailAllAddresses: 100);
        var email = await SignUpAsync(app.A);

        var typos = new[]
        {
            (await SignInAsync(app.A, Owner, email, "typo-1")).StatusCode,
            (await SignInAsync(app.B, Owner, email, "typo-2")).StatusCode,
        };
        for (var i = 0; i < 3; i++) // successes cost nothing: three in a row with two failures counted
            Assert.That((await SignInAsync(app.Host(i), Owner, email, Password)).StatusCode, Is.EqualTo(HttpStatusCode.OK), $"sign-in {i + 1}");
        var third = await SignInAsync(app.A, Owner, email, "typo-3");
        var spent = await SignInAsync(app.B, Owner, email, Password);

        Assert.That(typos, Is.All.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "the third failure is still checked");
        await AssertRateLimitedAsync(spent);
        Assert.That(await SessionsAsync(app.A, email), Is.EqualTo(4), "sign-up and three sign-ins, none while spent");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Failures_from_many_addresses_spend_the_per_email_budget_of_every_address(bool redis)
    {
        await using var app = await StartAsync(redis, perEmail: 2, perEmailAllAddresses: 5);
        var email = await SignUpAsync(app.A);
        var other = await SignUpAsync(app.A);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) statuses.Add((await SignInAsync(app.Host(i), $"198.51.100.{i / 2 + 1}", email, "guess-" + i)).StatusCode);
        var sixth = await SignInAsync(app.B, "198.51.100.3", email, "guess-5");
        var owner = await SignInAsync(app.A, Owner, email, Password);
        var otherAccount = await SignInAsync(app.B, "198.51.100.1", other, Password);

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.BadRequest), "two per address, five in all");
        await AssertRateLimitedAsync(sixth);
        await AssertRateLimitedAsync(owner); // the brake on distributed guessing: the account waits out the minute
        Assert.That(otherAccount.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another e-mail is not affected");
    }
}
