using System.Net;
using System.Net.Http.Json;
using IgLive.Service.Infrastructure.Auth;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IgLive.Service.Tests.Features.LocalAuth;

/// <summary>Keys generated once into the data folder (0600, through SecretFile), kept across restarts, and a signing-key rotation.</summary>
[TestFixture]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalKeysTests
{
    private static Dictionary<string, string?> Generated(string folder) => new()
    {
        ["Auth:KeysPath"] = folder,
        ["Auth:AnonKey"] = "",
        ["Auth:ServiceRoleKey"] = "",
        ["Auth:JwtSecret"] = "",
    };

    private static string NewFolder() => Path.Combine(Path.GetTempPath(), "iglive-keys-tests", Guid.NewGuid().ToString("N"));

    private static async Task<(string Kid, string[] Kids)> JwksAsync(ServiceFactory app)
    {
        var jwks = await (await app.CreateClient().GetAsync("/auth/v1/.well-known/jwks.json")).JsonAsync();
        var kids = jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToArray();
        return (kids[0], kids);
    }

    private static async Task<string> SignUpAsync(ServiceFactory app, string anonKey)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("apikey", anonKey);
        var session = await (await client.PostAsJsonAsync("/auth/v1/signup", new { email = $"keys-{Guid.NewGuid():N}@example.test", password = "a-good-password-1" })).JsonAsync();
        return session.GetProperty("access_token").GetString()!;
    }

    [Test]
    public async Task Unset_keys_are_generated_once_0600_and_kept_across_restarts()
    {
        var folder = NewFolder();
        string anon, kid;
        await using (var first = await ServiceFactory.CreateAsync(Generated(folder)))
        {
            anon = File.ReadAllText(Path.Combine(folder, ApiKeys.AnonFile)).Trim();
            kid = (await JwksAsync(first)).Kid;
            var client = first.CreateClient();
            client.DefaultRequestHeaders.Add("apikey", anon);
            Assert.That((await client.GetAsync("/auth/v1/settings")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the generated anon key is the key");
        }
        Assert.Multiple(() =>
        {
            Assert.That(anon, Does.StartWith("sb_publishable_").And.Length.GreaterThanOrEqualTo(32));
            Assert.That(File.ReadAllText(Path.Combine(folder, ApiKeys.ServiceRoleFile)).Trim(), Does.StartWith("sb_secret_"));
            foreach (var file in new[] { ApiKeys.AnonFile, ApiKeys.ServiceRoleFile, LocalSigningKeys.CurrentFile, LocalSigningKeys.LegacyFile })
                Assert.That(File.GetUnixFileMode(Path.Combine(folder, file)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), file);
            Assert.That(Directory.GetFiles(folder, "*.tmp"), Is.Empty);
        });

        await using var second = await ServiceFactory.CreateAsync(Generated(folder));
        Assert.Multiple(async () =>
        {
            Assert.That(File.ReadAllText(Path.Combine(folder, ApiKeys.AnonFile)).Trim(), Is.EqualTo(anon));
            Assert.That((await JwksAsync(second)).Kid, Is.EqualTo(kid), "the same signing key after a restart");
        });
    }

    [Test]
    public async Task After_a_rotation_both_keys_are_published_and_tokens_of_the_previous_one_still_verify()
    {
        var folder = NewFolder();
        string oldToken, oldKid, anon;
        string connection;
        await using (var before = await ServiceFactory.CreateAsync(Generated(folder)))
        {
            anon = File.ReadAllText(Path.Combine(folder, ApiKeys.AnonFile)).Trim();
            oldToken = await SignUpAsync(before, anon);
            oldKid = (await JwksAsync(before)).Kid;
            connection = before.ConnectionString;
        }
        File.Move(Path.Combine(folder, LocalSigningKeys.CurrentFile), Path.Combine(folder, LocalSigningKeys.PreviousFile)); // docs/auth.md's rotation

        await using var after = await ServiceFactory.CreateAsync(Generated(folder), connectionString: connection);
        var (newKid, kids) = await JwksAsync(after);
        var newToken = await SignUpAsync(after, anon);
        Assert.Multiple(async () =>
        {
            Assert.That(kids, Is.EqualTo(new[] { newKid, oldKid }), "current first, previous still published");
            Assert.That(newKid, Is.Not.EqualTo(oldKid));
            Assert.That(new JsonWebToken(newToken).Kid, Is.EqualTo(newKid));
            Assert.That((await after.CreateClient(oldToken).GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "signed before the rotation");
        });
    }

    [Test]
    public void A_configured_key_shorter_than_32_characters_is_a_configuration_error()
    {
        var problems = IgLive.Service.Infrastructure.Configuration.ConfigurationValidator.Validate(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = "Host=x", ["Auth:AnonKey"] = "short", ["Auth:ServiceRoleKey"] = new string('s', 40),
            }).Build());
        Assert.That(problems, Has.Some.Contains("Auth__AnonKey"));
    }
}
