using System.Net;
using System.Security.Cryptography;
using System.Text;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace IgLive.Service.Tests.Features.Auth;

/// <summary>How the service verifies a local access token: forgeries, expiry and its skew, the validated-token memory.</summary>
[TestFixture]
public sealed class LocalTokenValidationTests : LocalAuthFixture
{
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
        var user = await App.CreateUserAsync();
        var now = App.Clock.GetUtcNow().UtcDateTime;
        var token = forgery switch
        {
            "alg none" => UnsignedToken(user.Id),
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

        var rsp = await App.CreateClient(token).GetAsync("/api/me");

        await rsp.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(rsp.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer").And.Contains("invalid_token"));
    }

    [Test]
    public async Task Token_expired_within_the_30_s_skew_is_still_accepted()
    {
        var user = await App.CreateUserAsync();
        var now = App.Clock.GetUtcNow().UtcDateTime;
        var rsp = await App.CreateClient(Sign(user.Id, expires: now.AddSeconds(-20), issuedAt: now.AddHours(-1))).GetAsync("/api/me");
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_token_accepted_before_still_stops_working_when_it_expires()
    {
        // Validated tokens are remembered (ValidatedTokenCache); the memory must not outlive the token.
        var user = await App.CreateUserAsync();
        var now = App.Clock.GetUtcNow().UtcDateTime;
        var client = App.CreateClient(Sign(user.Id, expires: now.AddMinutes(2)));
        Assert.That((await client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "second use, remembered");

        App.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(31)); // past expiry + the 30 s skew

        var rsp = await client.GetAsync("/api/me");
        await rsp.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(rsp.Headers.WwwAuthenticate.ToString(), Does.Contain("invalid_token"));
    }

    [Test]
    public async Task A_remembered_token_with_a_tampered_signature_is_a_401()
    {
        var user = await App.CreateUserAsync();
        var token = Sign(user.Id);
        Assert.That((await App.CreateClient(token).GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var last = token[^2] == 'A' ? 'B' : 'A';
        var tampered = token[..^2] + last + token[^1];

        var rsp = await App.CreateClient(tampered).GetAsync("/api/me");

        await rsp.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_correctly_signed_test_token_is_accepted()
    {
        // The control for the forgeries above: same helper, nothing wrong with it.
        var user = await App.CreateUserAsync();
        var rsp = await App.CreateClient(Sign(user.Id)).GetAsync("/api/me");
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
