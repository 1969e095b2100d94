using System.Diagnostics;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// A JPEG frame (at ~1 s, or the first frame of shorter videos) made by <c>ffmpeg</c> when it is installed. Without
/// ffmpeg, local videos have no thumbnail: a warning is logged once per process.
/// </summary>
public static partial class Thumbnailer
{
    private static readonly Lazy<string?> Ffmpeg = new(() => FindOnPath("ffmpeg"));
    private static int warned;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static bool IsAvailable => Ffmpeg.Value is not null;

    /// <summary>Writes the thumbnail to <paramref name="jpegPath"/>; false (and no file) when none could be made.</summary>
    public static async Task<bool> TryCreateAsync(string videoPath, string jpegPath, ILogger log, CancellationToken ct)
    {
        if (Ffmpeg.Value is not { } ffmpeg)
        {
            if (Interlocked.Exchange(ref warned, 1) == 0) Log.NoFfmpeg(log);
            return false;
        }
        var part = jpegPath + ".part";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(jpegPath)!);
            // A video shorter than the seek point yields no frame (ffmpeg still exits 0): then take the first one. A
            // failed run means ffmpeg could not read the file at all, which another seek point does not change.
            foreach (var seek in new[] { "1", "0" })
            {
                if (!await RunAsync(ffmpeg, ["-nostdin", "-v", "error", "-y", "-ss", seek, "-i", videoPath,
                        "-frames:v", "1", "-vf", "scale='min(640,iw)':-2", "-f", "image2", "-c:v", "mjpeg", part], ct))
                    return false;
                if (new FileInfo(part) is { Exists: true, Length: > 0 })
                {
                    File.Move(part, jpegPath, overwrite: true);
                    return true;
                }
            }
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            Log.Failed(log, e);
            return false;
        }
        finally
        {
            File.Delete(part);
        }
    }

    private static async Task<bool> RunAsync(string exe, string[] args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            await Task.WhenAll(stderr, stdout);
            return process.ExitCode == 0;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested) throw;
            return false;
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "ffmpeg is not installed: local videos get no thumbnail (thumbnail_url is null)")]
        public static partial void NoFfmpeg(ILogger logger);

        [LoggerMessage(LogLevel.Warning, "Thumbnail could not be made")]
        public static partial void Failed(ILogger logger, Exception e);
    }
}
