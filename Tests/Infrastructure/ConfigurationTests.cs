using IgLive.Service.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;

namespace IgLive.Service.Tests.Infrastructure;

[TestFixture]
public sealed class ConfigurationTests
{
    [Test]
    public async Task Service_refuses_to_start_with_one_clear_line_per_problem()
    {
        var environment = new Dictionary<string, string?> { ["Auth__Mode"] = "Supabase", ["Cleanup__Cron"] = "every now and then" };
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>()
                     .Where(k => k.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase)))
            environment[key] = null;

        var (code, stdout, stderr) = await ServiceProcess.RunAsync(ServiceProcess.Info(AppContext.BaseDirectory, environment));

        Assert.That(code, Is.EqualTo(2), stderr + stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Some.Contains("ConnectionStrings__Postgres"));
            Assert.That(lines, Has.Some.Contains("Supabase__Url"));
            Assert.That(lines, Has.Some.Contains("Cleanup__Cron"));
            Assert.That(lines, Has.All.StartWith("configuration error: "));
            Assert.That(stderr + stdout, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public void Defaults_are_valid_with_a_connection_string()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=localhost",
        }).Build();
        Assert.That(ConfigurationValidator.Validate(config), Is.Empty);
    }

    [TestCase("Storage:Provider", "ImageKit", "ImageKit__PrivateKey")]
    [TestCase("Storage:Provider", "Dropbox", "Storage")]
    [TestCase("Auth:JwtSecret", "short", "Auth__JwtSecret")]
    [TestCase("Upload:MaxBytes", "0", "Upload__MaxBytes")]
    [TestCase("Server:SocketBlockBytes", "1000", "Server__SocketBlockBytes")]
    [TestCase("Server:SocketBlockBytes", "4194304", "Server__SocketBlockBytes")]
    [TestCase("Cleanup:BatchSize", "0", "Cleanup__BatchSize")]
    [TestCase("Cleanup:RetentionDays", "-1", "Cleanup__RetentionDays")]
    public void Each_bad_setting_is_named(string key, string value, string expected)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=localhost",
            [key] = value,
        }).Build();
        Assert.That(ConfigurationValidator.Validate(config), Has.Some.Contains(expected));
    }
}
