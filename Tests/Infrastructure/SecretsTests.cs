using IgLive.Service.Infrastructure.Auth;
using IgLive.Service.Infrastructure.Configuration;
using IgLive.Service.Infrastructure.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using YamlDotNet.RepresentationModel;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>Generated secret files (0600, one winner when instances start together) and refused placeholder secrets.</summary>
[TestFixture]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretsTests
{
    private sealed class Env(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "IgLive.Service";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static string TempRoot() => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "iglive-secrets", Guid.NewGuid().ToString("N"))).FullName;

    [Test]
    public void Instances_starting_at_once_share_one_generated_jwt_secret_readable_only_by_the_owner()
    {
        var root = TempRoot();
        var env = new Env(root);
        var options = Options.Create(new AuthOptions());
        using var start = new Barrier(12);
        var keys = new byte[12][];
        var kids = new string[12];
        var threads = Enumerable.Range(0, 12).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            var generated = new LocalSigningKeys(options, env);
            (keys[i], kids[i]) = (generated.Legacy.Key, generated.Current.KeyId);
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();

        var path = Path.Combine(root, "data", "jwt-secret");
        Assert.Multiple(() =>
        {
            Assert.That(keys.Select(Convert.ToBase64String).Distinct().Count(), Is.EqualTo(1), "every instance has the same legacy key");
            Assert.That(kids.Distinct().Count(), Is.EqualTo(1), "every instance signs with the same ES256 key");
            Assert.That(keys[0], Has.Length.GreaterThanOrEqualTo(32));
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(Path.Combine(root, "data", LocalSigningKeys.CurrentFile)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(Directory.GetFiles(Path.Combine(root, "data")), Has.Length.EqualTo(2), "the two key files, no temporary files left");
        });
    }

    [Test]
    public void A_secret_file_readable_by_others_is_narrowed_to_the_owner()
    {
        var path = Path.Combine(TempRoot(), "key");
        File.WriteAllText(path, "existing-value\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);

        Assert.That(SecretFile.ReadOrCreate(path, () => "new"), Is.EqualTo("existing-value"));
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void A_new_secret_file_is_owner_only_whatever_the_umask()
    {
        var folder = Path.Combine(TempRoot(), "nested", "data");
        var path = Path.Combine(folder, "generated");
        Assert.That(SecretFile.ReadOrCreate(path, () => "v1"), Is.EqualTo("v1"));
        SecretFile.Write(path, "v2");
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(path), Is.EqualTo("v2"));
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(folder) & (UnixFileMode)0b000_111_111, Is.EqualTo(UnixFileMode.None), "folder closed to others");
        });
    }

    private static IReadOnlyList<string> Validate(string key, string value) => ConfigurationValidator.Validate(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=localhost",
            [key] = value,
        }).Build());

    [TestCase("Auth:JwtSecret", "REPLACE_ME_WITH_AT_LEAST_32_RANDOM_BYTES_BASE64", "Auth__JwtSecret")]
    [TestCase("Auth:JwtSecret", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Auth__JwtSecret")]
    [TestCase("Auth:JwtSecret", "your-super-secret-jwt-token-with-at-least-32-characters-long", "Auth__JwtSecret")]
    [TestCase("Supabase:JwtSecret", "short-secret", "Supabase__JwtSecret")]
    [TestCase("Supabase:JwtSecret", "super-secret-jwt-token-with-at-least-32-characters-long", "Supabase__JwtSecret")]
    [TestCase("Supabase:JwtSecret", "REPLACE_ME_LEGACY_HS256_JWT_SECRET", "Supabase__JwtSecret")]
    [TestCase("ConnectionStrings:Postgres", "Host=db;Username=iglive_app;Password=REPLACE_ME", "ConnectionStrings__Postgres")]
    [TestCase("Auth:PublicBaseUrl", "https://iglive.example.com", "Auth__PublicBaseUrl")]
    public void Placeholder_or_weak_secrets_are_refused(string key, string value, string expected)
        => Assert.That(Validate(key, value), Has.Some.Contains(expected));

    [Test]
    public void A_random_supabase_jwt_secret_is_accepted()
        => Assert.That(Validate("Supabase:JwtSecret", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(40))), Is.Empty);

    [Test]
    public void Every_value_of_the_kubernetes_secret_template_is_refused()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "IgLive.Service.sln"))) root = root.Parent!;
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(root.FullName, "deploy/k8s/secret.template.yaml"))) yaml.Load(reader);
        var data = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("stringData")];

        foreach (var (k, v) in data.Children)
        {
            var key = ((YamlScalarNode)k).Value!.Replace("__", ":", StringComparison.Ordinal);
            var env = ((YamlScalarNode)k).Value!;
            Assert.That(Validate(key, ((YamlScalarNode)v).Value!), Has.Some.Contains(env), env);
        }
    }
}
