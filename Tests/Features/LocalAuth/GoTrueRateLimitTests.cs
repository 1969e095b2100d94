using System.Net;
using System.Net.Http.Json;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.LocalAuth;

/// <summary>The per-address and per-e-mail limits count /auth/v1 and /api/auth alike (one set of counters, one abstraction).</summary>
[TestFixture]
public sealed class GoTrueRateLimitTests
{
    private static Task<ServiceFactory> StartAsync(int perAddress, int perEmail) => ServiceFactory.CreateAsync(new Dictionary<string, string?>
    {
        ["Auth:RateLimit:PerAddressPerMinute"] = perAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Auth:RateLimit:PerEmailPerMinute"] = perEmail.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private static HttpClient GoTrue(ServiceFactory app)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("apikey", ServiceFactory.AnonKey);
        return client;
    }

    [Test]
    public async Task Attempts_for_one_email_through_auth_v1_use_up_the_limit_of_api_login_too()
    {
        await using var app = await StartAsync(perAddress: 1000, perEmail: 3);
        var email = $"limited-{Guid.NewGuid():N}@example.test";
        for (var i = 0; i < 3; i++)
            await (await GoTrue(app).PostAsJsonAsync("/auth/v1/token?grant_type=password", new { email, password = "wrong-password" })).JsonAsync(HttpStatusCode.BadRequest);

        await (await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = "wrong-password" })).AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var rsp = await GoTrue(app).PostAsJsonAsync("/auth/v1/token?grant_type=password", new { email, password = "wrong-password" });
        var body = await rsp.JsonAsync(HttpStatusCode.TooManyRequests);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo("over_request_rate_limit"));
            Assert.That(rsp.Headers.RetryAfter, Is.Not.Null);
        });
        var other = await GoTrue(app).PostAsJsonAsync("/auth/v1/token?grant_type=password", new { email = "other-" + email, password = "wrong-password" });
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "other e-mails go on");
    }

    [Test]
    public async Task Calls_from_one_address_to_both_front_doors_share_one_limit()
    {
        await using var app = await StartAsync(perAddress: 3, perEmail: 1000);
        await GoTrue(app).PostAsJsonAsync("/auth/v1/signup", new { email = $"a-{Guid.NewGuid():N}@example.test", password = "a-good-password-1" });
        await GoTrue(app).PostAsJsonAsync("/auth/v1/token?grant_type=password", new { email = "nobody@example.test", password = "x" });
        await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.test", password = "x" });

        var goTrue = await GoTrue(app).PostAsJsonAsync("/auth/v1/signup", new { email = $"b-{Guid.NewGuid():N}@example.test", password = "a-good-password-1" });
        var body = await goTrue.JsonAsync(HttpStatusCode.TooManyRequests);
        Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo("over_request_rate_limit"), "GoTrue's shape on its routes");
        await (await app.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email = "c@example.test", password = "a-good-password-1", username = "limited_c" }))
            .AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }
}
