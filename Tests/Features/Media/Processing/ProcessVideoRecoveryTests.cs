using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Media.Processing;

/// <summary>The queue under failure: killed workers, competing workers, deletes and repeated failures mid-job.</summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProcessVideoRecoveryTests
{
    /// <summary>An "ffmpeg" that answers -version, then runs <paramref name="body"/> (a shell line; "$@" are ffmpeg's arguments).</summary>
    private static string FakeFfmpeg(string body)
    {
        var bin = Directory.CreateTempSubdirectory("iglive-fake-ffmpeg").FullName;
        var path = Path.Combine(bin, "ffmpeg");
        File.WriteAllText(path, $"#!/bin/sh\n[ \"$1\" = -version ] && exec ffmpeg -version\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static async Task<T> ScalarAsync<T>(ServiceFactory app, string sql, object args)
    {
        await using var conn = app.OpenConnection();
        return (await conn.ExecuteScalarAsync<T>(sql, args))!;
    }

    [Test]
    public async Task A_worker_process_killed_mid_job_leaves_the_job_to_another_worker_after_its_lease()
    {
        await using var api = await ServiceFactory.CreateAsync(); // no workers: only the database and the store
        var owner = await api.CreateUserAsync();
        var id = await api.SeedProcessingAsync(owner, await MediaSamples.VideoAsync(640, 360));
        using var process = ServiceProcess.Start(api, null, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}",
            ["Cleanup__SchedulerEnabled"] = "false",
            ["Cleanup__DrainerEnabled"] = "false",
            ["Media__Workers"] = "1",
            ["Media__LeaseSeconds"] = "2",
            ["Media__PollSeconds"] = "0.1",
            ["Media__FfmpegPath"] = FakeFfmpeg("sleep 120"), // hangs in the thumbnail step
        });
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            await Poll.UntilAsync(async () => Directory.Exists(Path.Combine(api.StoragePath, ".processing"))
                && Directory.GetDirectories(Path.Combine(api.StoragePath, ".processing")).Length == 1, TimeSpan.FromSeconds(60), "the process's claim");
        }
        finally
        {
            process.Kill(entireProcessTree: true); // SIGKILL: no shutdown hand-back
            await process.WaitForExitAsync();
        }
        Assert.That(await ScalarAsync<int>(api, "SELECT attempts FROM media_jobs WHERE video_id = @id", new { id }), Is.EqualTo(1));

        var settings = MediaSamples.FastWorkers();
        settings["Storage:LocalPath"] = api.StoragePath;
        await using var worker = await ServiceFactory.CreateAsync(settings, connectionString: api.ConnectionString);
        var video = await owner.WaitUntilProcessedAsync(id);

        Assert.That(video.GetProperty("status").GetString(), Is.EqualTo("ready"), video.ToString());
        await using var conn = api.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM media_jobs WHERE video_id = @id", new { id }), Is.Zero);
        Assert.That((await api.CreateClient().GetAsync($"/media/hls/{id}/master.m3u8")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // The dead worker's job folder is swept once its claim is no longer current (a minute's interval in production).
        Assert.That(Directory.GetDirectories(Path.Combine(api.StoragePath, ".processing")), Has.Length.EqualTo(1), "left by the killed process");
        await worker.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>()
            .OfType<IgLive.Service.Features.Media.Processing.MediaProcessingWorker>().Single().SweepAsync(CancellationToken.None);
        Assert.That(Directory.GetDirectories(Path.Combine(api.StoragePath, ".processing")), Is.Empty);
    }

    [Test]
    public async Task Two_instances_with_two_workers_each_process_every_job_exactly_once()
    {
        await using var first = await ServiceFactory.CreateAsync(MediaSamples.FastWorkers(workers: 2));
        var settings = MediaSamples.FastWorkers(workers: 2);
        settings["Storage:LocalPath"] = first.StoragePath;
        await using var second = await ServiceFactory.CreateAsync(settings, connectionString: first.ConnectionString);
        var owner = await first.CreateUserAsync();
        var source = await MediaSamples.VideoAsync(320, 240, seconds: 0.5, audio: false);
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++) ids.Add(await first.SeedProcessingAsync(owner, source));

        foreach (var id in ids)
            Assert.That((await owner.WaitUntilProcessedAsync(id, seconds: 120)).GetProperty("status").GetString(), Is.EqualTo("ready"));

        // attempts counts claims: one each means no job was ever taken by two workers.
        await using var conn = first.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM media_jobs WHERE video_id = ANY(@ids)", new { ids = ids.ToArray() }), Is.Zero);
        foreach (var id in ids)
            Assert.That(Directory.GetDirectories(Path.Combine(first.StoragePath, "hls"), $"{id:N}.*"), Has.Length.EqualTo(1), "one outputs folder per video");
        Assert.That(first.AllFiles().Count(f => f.Contains(".processing")), Is.Zero);
    }

    [Test]
    public async Task A_video_deleted_while_processing_stops_its_job_and_leaves_no_file()
    {
        var settings = MediaSamples.FastWorkers();
        settings["Media:FfmpegPath"] = FakeFfmpeg("sleep 2; exec ffmpeg \"$@\""); // slow enough to delete mid-job
        await using var app = await ServiceFactory.CreateAsync(settings);
        var owner = await app.CreateUserAsync();
        var id = await app.SeedProcessingAsync(owner, await MediaSamples.VideoAsync(640, 360));
        var hex = id.ToString("N");
        await Poll.UntilAsync(() => Task.FromResult(app.AllFiles().Any(f => f.Contains(".processing")) ||
            Directory.Exists(Path.Combine(app.StoragePath, ".processing")) && Directory.GetDirectories(Path.Combine(app.StoragePath, ".processing")).Length > 0),
            TimeSpan.FromSeconds(30), "the job started");

        Assert.That((await owner.Client.DeleteAsync($"/api/videos/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await Poll.UntilAsync(() => Task.FromResult(!app.AllFiles().Any(f => f.Contains(hex))
            && Directory.GetDirectories(Path.Combine(app.StoragePath, ".processing")).Length == 0), TimeSpan.FromSeconds(30), "nothing left");
        // Long enough for a job that did not notice to have finished and moved its outputs into place.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.That(app.AllFiles().Where(f => f.Contains(hex)), Is.Empty);
        Assert.That(Directory.Exists(Path.Combine(app.StoragePath, "hls")) ? Directory.GetDirectories(Path.Combine(app.StoragePath, "hls")) : [], Is.Empty);
        Assert.That(await ScalarAsync<long>(app, "SELECT count(*) FROM storage_deletions WHERE video_id = @id", new { id }), Is.Zero, "the queue drained");
    }

    [Test]
    public async Task A_job_that_fails_three_times_makes_the_video_failed_and_queues_its_source()
    {
        var settings = MediaSamples.FastWorkers();
        settings["Media:FfmpegPath"] = FakeFfmpeg("echo 'broken encoder' >&2; exit 1");
        await using var app = await ServiceFactory.CreateAsync(settings);
        var owner = await app.CreateUserAsync();
        var id = await app.SeedProcessingAsync(owner, await MediaSamples.VideoAsync(320, 240, seconds: 0.5));

        var video = await owner.WaitUntilProcessedAsync(id);

        Assert.That(video.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(video.GetProperty("failure_reason").GetString(), Is.EqualTo("Processing failed 3 times."));
        await Poll.UntilAsync(() => Task.FromResult(!app.AllFiles().Any(f => f.Contains(id.ToString("N")))),
            TimeSpan.FromSeconds(20), "the source deleted through the queue");
        Assert.That(await ScalarAsync<long>(app, "SELECT count(*) FROM media_jobs WHERE video_id = @id", new { id }), Is.Zero);
    }
}
