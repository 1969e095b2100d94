using System.Diagnostics;
using IgLive.Service.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;

namespace IgLive.Service.Tests.Infrastructure;

[TestFixture]
public sealed class ConfigurationTests
{
    [Test]
    public async Task Service_refuses_to_start_with_one_clear_line_per_problem()
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "IgLive.Service.dll")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase)).ToArray())
            psi.Environment.Remove(key);
        psi.Environment["Auth__Mode"] = "Supabase";
        psi.Environment["Cleanup__Cron"] = "every now and then";

        using var process = Process.Start(psi)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.EqualTo(2), stderr + stdout);
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
