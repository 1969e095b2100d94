using System.Diagnostics;
using System.Net;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>The built service as a separate process (to kill it for real), and the polling it needs.</summary>
public static class ServiceProcess
{
    /// <summary>Starts the service on <paramref name="on"/>'s database and storage, output redirected and drained.</summary>
    public static Process Start(ServiceFactory on, string? command, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "IgLive.Service.dll") },
            WorkingDirectory = on.StoragePath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__Postgres"] = on.ConnectionString,
                ["Auth__JwtSecret"] = ServiceFactory.JwtSecret,
                ["Storage__LocalPath"] = on.StoragePath,
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        if (command is not null) start.ArgumentList.Add(command);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        return Process.Start(start)!;
    }

    /// <summary>A TCP port free on loopback right now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms; fails the test after <paramref name="limit"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string? what = null)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{what ?? "condition"} not met within {limit}");
            await Task.Delay(100);
        }
    }
}
