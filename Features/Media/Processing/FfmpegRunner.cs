using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Media.Processing;

/// <summary>What one ffmpeg/ffprobe run gave: its exit code (null when it was stopped), standard output and the tail of stderr.</summary>
public sealed record FfmpegResult(int? ExitCode, string Output, string Errors)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Runs ffmpeg and ffprobe as child processes with an argument list (never a shell string), hardened: no standard
/// input, only the file and pipe protocols, a wall-clock time limit after which the process tree is killed, and at
/// most <c>Media:MaxFfmpegProcesses</c> of them at once on this instance.
/// </summary>
public sealed class FfmpegRunner(IOptions<MediaOptions> options) : IDisposable
{
    private const int MaxErrorChars = 4000;
    private readonly SemaphoreSlim slots = new(options.Value.MaxFfmpegProcesses, options.Value.MaxFfmpegProcesses);

    public void Dispose() => slots.Dispose();

    /// <summary>Whether both executables start here.</summary>
    public async Task<bool> IsAvailableAsync(CancellationToken ct)
    {
        try
        {
            return (await RunAsync(options.Value.FfmpegPath, ["-version"], TimeSpan.FromSeconds(20), ct)).Succeeded
                   && (await RunAsync(options.Value.FfprobePath, ["-version"], TimeSpan.FromSeconds(20), ct)).Succeeded;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }

    /// <summary>ffprobe with hardening flags before <paramref name="args"/>.</summary>
    public Task<FfmpegResult> ProbeAsync(IEnumerable<string> args, TimeSpan limit, CancellationToken ct)
        => RunAsync(options.Value.FfprobePath, ["-v", "error", "-protocol_whitelist", "file,pipe", .. args], limit, ct);

    /// <summary>ffmpeg with hardening flags before <paramref name="args"/> (which start with the input options).</summary>
    public Task<FfmpegResult> FfmpegAsync(IEnumerable<string> args, TimeSpan limit, CancellationToken ct)
        => RunAsync(options.Value.FfmpegPath, ["-nostdin", "-hide_banner", "-v", "error", "-y", "-protocol_whitelist", "file,pipe", .. args], limit, ct);

    private async Task<FfmpegResult> RunAsync(string exe, string[] args, TimeSpan limit, CancellationToken ct)
    {
        await slots.WaitAsync(ct);
        try
        {
            var psi = new ProcessStartInfo(exe)
            {
                RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false,
            };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            process.StandardInput.Close(); // belt and braces with -nostdin: nothing can ever be read from us
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(limit);
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = ReadTailAsync(process.StandardError);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                ct.ThrowIfCancellationRequested();
                return new FfmpegResult(null, "", $"stopped after the time limit of {limit.TotalSeconds:0} s");
            }
            return new FfmpegResult(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Reads stderr to its end keeping only the last few KB (a broken file can make ffmpeg log without end).</summary>
    private static async Task<string> ReadTailAsync(StreamReader reader)
    {
        var tail = new StringBuilder();
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            tail.Append(buffer, 0, n);
            if (tail.Length > 2 * MaxErrorChars) tail.Remove(0, tail.Length - MaxErrorChars);
        }
        return tail.Length > MaxErrorChars ? tail.ToString(tail.Length - MaxErrorChars, MaxErrorChars) : tail.ToString();
    }
}
