using System.Diagnostics;
using System.Net;
using System.Text;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>
/// The built service (<c>dotnet IgLive.Service.dll …</c>) as a separate process: to see its console and exit code, to run
/// its commands, or to kill it for real. The one place tests start it.
/// </summary>
public static class ServiceProcess
{
    /// <summary>
    /// The start of the service in <paramref name="workingDirectory"/> with <paramref name="arguments"/>, output redirected;
    /// an <paramref name="environment"/> value of null removes that variable (inherited ones included).
    /// </summary>
    public static ProcessStartInfo Info(string workingDirectory, IDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "IgLive.Service.dll") },
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment)
        {
            if (v is null) start.Environment.Remove(k);
            else start.Environment[k] = v;
        }
        return start;
    }

    /// <summary>What a process on <paramref name="on"/>'s database and storage gets, before the caller's own variables.</summary>
    public static Dictionary<string, string?> EnvironmentOf(ServiceFactory on) => new()
    {
        ["ConnectionStrings__Postgres"] = on.ConnectionString,
        ["Auth__JwtSecret"] = ServiceFactory.JwtSecret,
        ["Storage__LocalPath"] = on.StoragePath,
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>Starts the service on <paramref name="on"/>'s database and storage; the caller drains its output.</summary>
    public static Process Start(ServiceFactory on, string? command, IDictionary<string, string> environment)
    {
        var all = EnvironmentOf(on);
        foreach (var (k, v) in environment) all[k] = v;
        return Process.Start(Info(on.StoragePath, all, command is null ? [] : [command]))!;
    }

    /// <summary>Starts the service with its stdout and stderr collected, line by line, into one buffer.</summary>
    public static (Process Process, StringBuilder Output) StartCollecting(ProcessStartInfo start)
    {
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    /// <summary>Runs a command of the service on <paramref name="on"/>'s database to its exit (at most 60 s).</summary>
    public static Task<(int Code, string Out, string Err)> RunAsync(ServiceFactory on, params string[] arguments)
        => RunAsync(Info(on.StoragePath, EnvironmentOf(on), arguments));

    /// <summary>Runs the service to its exit (at most 60 s): its exit code and both outputs.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Kills the process (and its children) if it still runs, and waits for it.</summary>
    public static async Task StopAsync(Process process)
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>A GET that answers null instead of throwing while nothing listens yet.</summary>
    public static async Task<HttpResponseMessage?> TryGetAsync(HttpClient http, string path)
    {
        try { return await http.GetAsync(path); }
        catch (HttpRequestException) { return null; }
    }

    /// <summary>A TCP port free on loopback right now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
