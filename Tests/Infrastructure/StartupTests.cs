using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>The built service started as its own process: what an operator sees on the console.</summary>
// Non-parallel: three service processes starting next to the parallel fixtures starve them of CPU on small machines.
[TestFixture, NonParallelizable]
public sealed class StartupTests
{
    /// <summary>The service dll from the test output, in <paramref name="folder"/>, with its output collected.</summary>
    private static (Process Process, StringBuilder Output) Start(string folder, int port, string connectionString, string logLevel = "Information")
        => ServiceProcess.StartCollecting(ServiceProcess.Info(folder, new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = connectionString,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Auth__JwtSecret"] = ServiceFactory.JwtSecret,
            ["Storage__LocalPath"] = Path.Combine(folder, "media"),
            ["Cleanup__SchedulerEnabled"] = "false",
            ["Logging__LogLevel__Default"] = logLevel,
            ["Logging__Console__DisableColors"] = "true",
        }));

    private static string TempFolder() => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "iglive-startup", Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>Polls <paramref name="path"/> until <paramref name="done"/> (60 s at most, 20 ms apart), while the process runs.</summary>
    private static async Task<HttpResponseMessage?> PollAsync(HttpClient http, string path, Process process, Func<HttpResponseMessage, bool> done)
    {
        HttpResponseMessage? last = null;
        var reached = await Poll.TryUntilAsync(async () => (last = await ServiceProcess.TryGetAsync(http, path)) is { } rsp && done(rsp),
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20), stop: () => process.HasExited);
        return reached ? last : null;
    }

    [Test]
    public async Task A_port_in_use_is_one_line_and_exit_code_1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (process, output) = Start(TempFolder(), port, await PostgresFixture.CreateDatabaseAsync(), logLevel: "Warning");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(process.ExitCode, Is.EqualTo(1), text);
            Assert.That(text, Does.Contain("startup error: ").And.Contain("address already in use"));
            Assert.That(text, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), text);
        });
        process.Dispose();
    }

    [Test]
    public async Task A_healthy_first_start_logs_no_failure_while_migrations_run()
    {
        var port = ServiceProcess.FreePort();
        var (process, output) = Start(TempFolder(), port, await PostgresFixture.CreateEmptyDatabaseAsync());
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            // Polled as run.sh and Kubernetes do: readiness is asked for while the migrations are still running.
            var ready = await PollAsync(http, "/health/ready", process, r => r.StatusCode == HttpStatusCode.OK);
            Assert.That(ready, Is.Not.Null, output.ToString());
        }
        finally { await ServiceProcess.StopAsync(process); }
        var text = output.ToString();
        Assert.That(text, Does.Contain("Now listening on"));
        Assert.That(text.Split('\n').Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)),
            Is.Empty, text);
    }

    [Test]
    public async Task Started_from_another_folder_it_serves_the_web_client()
    {
        var port = ServiceProcess.FreePort();
        var (process, output) = Start(TempFolder(), port, await PostgresFixture.CreateDatabaseAsync(), logLevel: "Warning");
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var page = await PollAsync(http, "/", process, r => r.StatusCode != HttpStatusCode.ServiceUnavailable);
            Assert.That(page?.StatusCode, Is.EqualTo(HttpStatusCode.OK), output.ToString());
            Assert.That(await page!.Content.ReadAsStringAsync(), Does.Contain("js/app.js"));
        }
        finally { await ServiceProcess.StopAsync(process); }
    }
}
