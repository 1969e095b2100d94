using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IgLive.Service.Tests.Features.LocalAuth;

/// <summary>Local access tokens are ES256 under a kid published at /auth/v1/.well-known/jwks.json; HS256 tokens from before still work until they expire.</summary>
[TestFixture]
public sealed class JwksTests
{
    private const string Issuer = TestTokens.Issuer;
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
    {
        ["Auth:RateLimit:PerAddressPerMinute"] = "100000",
        ["Auth:RateLimit:PerEmailPerMinute"] = "100000",
    });

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    private static async Task<string> SignUpAsync(ServiceFactory on)
    {
        var client = on.CreateClient();
        client.DefaultRequestHeaders.Add("apikey", ServiceFactory.AnonKey);
        var session = await (await client.PostAsJsonAsync("/auth/v1/signup", new { email = $"jwks-{Guid.NewGuid():N}@example.test", password = "a-good-password-1" })).JsonAsync();
        return session.GetProperty("access_token").GetString()!;
    }

    [Test]
    public async Task A_token_from_auth_v1_verifies_with_the_published_key_alone()
    {
        var token = await SignUpAsync(app);
        var rsp = await app.CreateClient().GetAsync("/auth/v1/.well-known/jwks.json");
        var json = await rsp.Content.ReadAsStringAsync();
        var jwks = new JsonWebKeySet(json);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer, ValidAudience = "authenticated", ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            IssuerSigningKeys = jwks.GetSigningKeys(), ValidateLifetime = false, // the service runs on a test clock
        });
        var header = new JsonWebToken(token);
        Assert.Multiple(() =>
        {
            Assert.That(result.IsValid, Is.True, result.Exception?.Message);
            Assert.That(header.Alg, Is.EqualTo("ES256"));
            Assert.That(jwks.Keys.Select(k => k.Kid), Does.Contain(header.Kid));
            Assert.That(jwks.Keys.All(k => k.Kty == "EC" && k.Crv == "P-256" && string.IsNullOrEmpty(k.D)), Is.True, "public EC keys only");
            Assert.That(json, Does.Not.Contain("\"k\""), "no HS256 secret is ever published");
            Assert.That(rsp.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=600"));
            Assert.That(header.GetClaim("role").Value, Is.EqualTo("authenticated"));
            Assert.That(header.GetClaim("aal").Value, Is.EqualTo("aal1"));
        });
    }

    [Test]
    public async Task A_token_signed_by_another_key_under_the_published_kid_is_a_401()
    {
        var genuine = new JsonWebToken(await SignUpAsync(app));
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Sign(new SigningCredentials(new ECDsaSecurityKey(other) { KeyId = genuine.Kid }, SecurityAlgorithms.EcdsaSha256), Guid.Parse(genuine.Subject));

        await (await app.CreateClient(forged).GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var client = app.CreateClient(forged);
        client.DefaultRequestHeaders.Add("apikey", ServiceFactory.AnonKey);
        var goTrue = await (await client.GetAsync("/auth/v1/user")).JsonAsync(HttpStatusCode.Forbidden);
        Assert.That(goTrue.GetProperty("error_code").GetString(), Is.EqualTo("bad_jwt"));
    }

    [Test]
    public async Task An_hs256_token_signed_before_the_switch_works_until_it_expires()
    {
        await using var own = await ServiceFactory.CreateAsync(); // its clock moves
        var user = Guid.NewGuid();
        var expires = own.Clock.GetUtcNow().AddMinutes(10);
        var legacy = Sign(TestTokens.SharedSecret(),
            user, expires.UtcDateTime, own.Clock.GetUtcNow().UtcDateTime);

        Assert.That((await own.CreateClient(legacy).GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        own.Clock.SetUtcNow(expires.AddSeconds(31)); // past exp and the 30 s skew
        await (await own.CreateClient(legacy).GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task With_hs256_turned_off_a_legacy_token_is_a_401()
    {
        await using var strict = await ServiceFactory.CreateAsync(new Dictionary<string, string?> { ["Auth:AcceptHs256"] = "false" });
        var legacy = Sign(TestTokens.SharedSecret(),
            Guid.NewGuid(), strict.Clock.GetUtcNow().AddMinutes(10).UtcDateTime, strict.Clock.GetUtcNow().UtcDateTime);
        await (await strict.CreateClient(legacy).GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That((await strict.CreateClient(await SignUpAsync(strict)).GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private string Sign(SigningCredentials credentials, Guid user, DateTime? expires = null, DateTime? issued = null)
        => TestTokens.User(user, issued ?? app.Clock.GetUtcNow().UtcDateTime, credentials: credentials, expires: expires);
}
