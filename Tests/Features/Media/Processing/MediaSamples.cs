using System.Diagnostics;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Media.Processing;

/// <summary>Small real videos made once per run with ffmpeg (test.sh installs it), and helpers to watch processing.</summary>
public static class MediaSamples
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("iglive-media-samples").FullName;
    private static readonly Dictionary<string, Lazy<Task<string>>> Made = [];

    /// <summary>
    /// Settings of a service whose worker picks jobs up at once, retries without back-off and uses short leases (and,
    /// with <paramref name="drainer"/>, whose deletion queue drains every second).
    /// </summary>
    public static Dictionary<string, string?> FastWorkers(int workers = 1, bool drainer = true) => new()
    {
        ["Media:Workers"] = workers.ToString(),
        ["Media:LeaseSeconds"] = "2",
        ["Media:PollSeconds"] = "0.1",
        ["Media:RetryBaseSeconds"] = "0",
        ["Media:X264Preset"] = "ultrafast",
        ["Cleanup:DrainerEnabled"] = drainer ? "true" : "false",
        ["Cleanup:DrainIntervalSeconds"] = "1",
    };

    /// <summary>An MP4 of the test pattern (H.264, with a sine tone unless <paramref name="audio"/> is false).</summary>
    public static Task<string> VideoAsync(int width, int height, double seconds = 1, bool audio = true)
    {
        var name = $"{width}x{height}-{seconds}-{(audio ? "a" : "s")}.mp4";
        Lazy<Task<string>> lazy;
        lock (Made)
        {
            if (!Made.TryGetValue(name, out lazy!)) Made[name] = lazy = new Lazy<Task<string>>(() => MakeAsync(name, width, height, seconds, audio));
        }
        return lazy.Value;
    }

    private static async Task<string> MakeAsync(string name, int width, int height, double seconds, bool audio)
    {
        var path = Path.Combine(Folder, name);
        var s = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        List<string> args = ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc=size={width}x{height}:rate=25:duration={s}"];
        if (audio) args.AddRange(["-f", "lavfi", "-i", $"sine=frequency=440:duration={s}", "-c:a", "aac"]);
        args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path]);
        var (code, errors) = await RunAsync("ffmpeg", args);
        Assert.That(code, Is.Zero, $"ffmpeg could not make the sample {name}: {errors}");
        return path;
    }

    /// <summary>The frame height ffprobe reads from a file (of its first video stream).</summary>
    public static async Task<int> ProbeHeightAsync(string path)
    {
        var (code, output) = await RunAsync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=height", "-of", "csv=p=0", path], stdout: true);
        Assert.That(code, Is.Zero, output);
        // MPEG-TS lists the stream under its program too: the same height on more than one line.
        return int.Parse(output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<(int Code, string Text)> RunAsync(string exe, IEnumerable<string> args, bool stdout = false)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, stdout ? await output : await errors);
    }

    /// <summary>
    /// A local video as an upload leaves it: the source file in the store, the row 'processing', its job queued.
    /// </summary>
    public static async Task<Guid> SeedProcessingAsync(this ServiceFactory app, TestUser owner, string source)
    {
        var id = Guid.NewGuid();
        var hex = id.ToString("N");
        var key = $"videos/{hex[..2]}/{hex}.mp4";
        Directory.CreateDirectory(Path.Combine(app.StoragePath, "videos", hex[..2]));
        File.Copy(source, Path.Combine(app.StoragePath, key));
        await using var conn = app.OpenConnection();
        var now = app.Clock.GetUtcNow();
        await conn.ExecuteAsync("""
            WITH v AS (
                INSERT INTO videos (id, user_id, title, storage_provider, storage_key, storage_path, video_url, content_type,
                                    size_bytes, created_at, expires_at, status)
                VALUES (@id, @owner, 'processing sample', 'local', @key, @key, '/media/' || @key, 'video/mp4', @size, @now, @expires, 'processing')
                RETURNING id)
            INSERT INTO media_jobs (video_id) SELECT id FROM v
            """, new { id, owner = owner.Id, key, size = new FileInfo(source).Length, now, expires = now.AddDays(14) });
        return id;
    }

    /// <summary>Polls the owner's GET until the video is no longer processing; returns its body.</summary>
    public static async Task<System.Text.Json.JsonElement> WaitUntilProcessedAsync(this TestUser owner, Guid id, int seconds = 60)
    {
        System.Text.Json.JsonElement video = default;
        await Poll.UntilAsync(async () =>
        {
            video = await (await owner.Client.GetAsync($"/api/videos/{id}")).JsonAsync();
            return video.GetProperty("status").GetString() != "processing";
        }, TimeSpan.FromSeconds(seconds), $"video {id} processed");
        return video;
    }

    /// <summary>Every file under the store's root (the incoming, processing and output folders included).</summary>
    public static string[] AllFiles(this ServiceFactory app) =>
        Directory.Exists(app.StoragePath) ? Directory.GetFiles(app.StoragePath, "*", SearchOption.AllDirectories) : [];
}
