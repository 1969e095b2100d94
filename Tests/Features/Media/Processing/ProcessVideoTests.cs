using System.Net;
using System.Net.Http.Headers;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Media.Processing;

/// <summary>The processing worker with real ffmpeg: renditions, thumbnails, failures, and how the HLS route serves them.</summary>
[TestFixture]
public sealed class ProcessVideoTests
{
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await ServiceFactory.CreateAsync(MediaSamples.FastWorkers());

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task A_720p_video_becomes_ready_with_360p_and_720p_renditions_that_ffprobe_reads_back()
    {
        var owner = await app.CreateUserAsync();
        var id = await app.SeedProcessingAsync(owner, await MediaSamples.VideoAsync(1280, 720));

        var video = await owner.WaitUntilProcessedAsync(id);

        Assert.That(video.GetProperty("status").GetString(), Is.EqualTo("ready"), video.ToString());
        Assert.That(video.GetProperty("stream_url").GetString(), Is.EqualTo($"/media/hls/{id}/master.m3u8"));
        Assert.That(video.GetProperty("height").GetInt32(), Is.EqualTo(720));
        var variants = await VariantsAsync(video.GetProperty("stream_url").GetString()!);
        Assert.That(variants.Keys, Is.EquivalentTo(new[] { "360p/index.m3u8", "720p/index.m3u8" }));
        foreach (var (playlist, info) in variants)
        {
            Assert.That(info, Does.Contain("CODECS=\"avc1.").And.Contain("mp4a.40.2"), "H.264 + AAC");
            var height = int.Parse(playlist[..3]);
            Assert.That(await FirstSegmentHeightAsync(id, playlist), Is.EqualTo(height), playlist);
        }
        var thumbnail = await app.CreateClient().GetAsync(video.GetProperty("thumbnail_url").GetString());
        Assert.That(thumbnail.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
        Assert.That((await thumbnail.Content.ReadAsByteArrayAsync())[..2], Is.EqualTo(new byte[] { 0xFF, 0xD8 }));
        await using var conn = app.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM media_jobs WHERE video_id = @id", new { id }), Is.Zero);
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM storage_deletions WHERE video_id = @id", new { id }), Is.Zero,
            "the outputs' queued deletion went with the completing statement");
        Assert.That(Directory.GetDirectories(Path.Combine(app.StoragePath, ".processing")), Is.Empty, "the job folder was moved away");
    }

    [Test]
    public async Task A_640x360_source_gets_only_the_360p_rendition()
    {
        var owner = await app.CreateUserAsync();
        var id = await app.SeedProcessingAsync(owner, await MediaSamples.VideoAsync(640, 360, audio: false));

        var video = await owner.WaitUntilProcessedAsync(id);

        Assert.That(video.GetProperty("status").GetString(), Is.EqualTo("ready"), video.ToString());
        var variants = await VariantsAsync(video.GetProperty("stream_url").GetString()!);
        Assert.That(variants.Keys, Is.EqualTo(new[] { "360p/index.m3u8" }));
        Assert.That(variants.Values.Single(), Does.Not.Contain("mp4a"), "no audio track is invented");
        Assert.That(await FirstSegmentHeightAsync(id, "360p/index.m3u8"), Is.EqualTo(360));
    }

    [Test]
    public async Task An_undecodable_file_becomes_failed_with_a_reason_and_leaves_no_files()
    {
        var owner = await app.CreateUserAsync();
        var garbage = Path.Combine(Path.GetTempPath(), $"garbage-{Guid.NewGuid():N}.mp4");
        var bytes = new byte[64 * 1024];
        "\0\0\0\u0018ftypisom\0\0\u0002\0isomiso2"u8.ToArray().CopyTo(bytes, 0); // passes the upload's sniffer, decodes as nothing
        await File.WriteAllBytesAsync(garbage, bytes);
        var id = await app.SeedProcessingAsync(owner, garbage);
        var hex = id.ToString("N");

        var video = await owner.WaitUntilProcessedAsync(id);

        Assert.That(video.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(video.GetProperty("failure_reason").GetString(), Is.EqualTo("The file could not be decoded as a video."));
        await Poll.UntilAsync(() => Task.FromResult(!app.AllFiles().Any(f => f.Contains(hex))), TimeSpan.FromSeconds(20),
            "the source deleted through the queue");
        await (await app.CreateClient().GetAsync($"/api/videos/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await using var conn = app.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM media_jobs WHERE video_id = @id", new { id }), Is.Zero);
    }

    [Test]
    public async Task Hls_playlists_and_segments_have_their_content_types_cache_headers_and_ranges()
    {
        var owner = await app.CreateUserAsync();
        var id = await app.SeedProcessingAsync(owner, await MediaSamples.VideoAsync(320, 240, seconds: 9, audio: false));
        await owner.WaitUntilProcessedAsync(id);
        var anonymous = app.CreateClient();

        var master = await anonymous.GetAsync($"/media/hls/{id}/master.m3u8");
        Assert.That(master.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(master.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/vnd.apple.mpegurl"));
        Assert.That(master.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=60"));
        var playlist = await anonymous.GetAsync($"/media/hls/{id}/360p/index.m3u8");
        Assert.That(playlist.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/vnd.apple.mpegurl"));
        var text = await playlist.Content.ReadAsStringAsync();
        Assert.That(text, Does.Contain("#EXT-X-PLAYLIST-TYPE:VOD").And.Contain("#EXT-X-ENDLIST"));
        var targetDuration = int.Parse(text.Split('\n').First(l => l.StartsWith("#EXT-X-TARGETDURATION:"))["#EXT-X-TARGETDURATION:".Length..]);
        Assert.That(targetDuration, Is.InRange(2, 6));
        var durations = text.Split('\n').Where(l => l.StartsWith("#EXTINF:")).Select(l => double.Parse(l[8..].TrimEnd(','), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(durations, Has.Count.GreaterThan(1));
        Assert.That(durations.SkipLast(1), Has.All.InRange(2.0, 6.0), "segments of 2 to 6 s (the last one may be shorter)");

        var request = new HttpRequestMessage(HttpMethod.Get, $"/media/hls/{id}/360p/seg_000.ts") { Headers = { Range = new RangeHeaderValue(0, 187) } };
        var part = await anonymous.SendAsync(request);
        Assert.That(part.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That(part.Content.Headers.ContentType?.MediaType, Is.EqualTo("video/mp2t"));
        Assert.That(part.Content.Headers.ContentRange?.From, Is.Zero);
        var bytes = await part.Content.ReadAsByteArrayAsync();
        Assert.That(bytes, Has.Length.EqualTo(188));
        Assert.That(bytes[0], Is.EqualTo(0x47), "an MPEG-TS packet starts with the sync byte");

        await (await anonymous.GetAsync($"/media/hls/{id}/360p/seg_999.ts")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync($"/media/hls/{id}/..%2F..%2Fvideos/x.ts")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Hls_of_a_video_that_is_processing_removed_or_deleted_is_404()
    {
        var owner = await app.CreateUserAsync();
        var stranger = await app.CreateUserAsync();
        var processing = await app.SeedProcessingAsync(owner, await MediaSamples.VideoAsync(640, 360, seconds: 0.5));
        // Seen at once, before the worker is done: nobody but the owner sees it.
        var own = await (await owner.Client.GetAsync($"/api/videos/{processing}")).JsonAsync();
        Assert.That(own.GetProperty("status").GetString(), Is.AnyOf("processing", "ready"));
        var ready = await app.SeedProcessingAsync(owner, await MediaSamples.VideoAsync(640, 360, seconds: 0.5));
        await owner.WaitUntilProcessedAsync(ready);
        await owner.WaitUntilProcessedAsync(processing);
        var anonymous = app.CreateClient();
        Assert.That((await anonymous.GetAsync($"/media/hls/{ready}/master.m3u8")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await using var conn = app.OpenConnection();
        await conn.ExecuteAsync("UPDATE videos SET status = 'processing', thumbnail_key = thumbnail_key WHERE id = @processing", new { processing });
        await conn.ExecuteAsync("UPDATE videos SET removed_at = now() WHERE id = @ready", new { ready });
        foreach (var id in new[] { processing, ready })
        {
            await (await anonymous.GetAsync($"/media/hls/{id}/master.m3u8")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await stranger.Client.GetAsync($"/media/hls/{id}/360p/seg_000.ts")).AssertProblemAsync(HttpStatusCode.NotFound);
        }
        await (await stranger.Client.GetAsync($"/api/videos/{processing}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.That((await (await owner.Client.GetAsync($"/api/videos/{processing}")).JsonAsync()).GetProperty("status").GetString(), Is.EqualTo("processing"));
        var feed = await (await stranger.Client.GetAsync("/api/videos/feed?limit=50")).JsonAsync();
        Assert.That(feed.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()), Does.Not.Contain(processing));

        await conn.ExecuteAsync("UPDATE videos SET removed_at = NULL WHERE id = @ready", new { ready });
        Assert.That((await owner.Client.DeleteAsync($"/api/videos/{ready}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await (await anonymous.GetAsync($"/media/hls/{ready}/master.m3u8")).AssertProblemAsync(HttpStatusCode.NotFound);
        await Poll.UntilAsync(() => Task.FromResult(!app.AllFiles().Any(f => f.Contains(ready.ToString("N")))),
            TimeSpan.FromSeconds(20), "the renditions folder deleted through the queue");
    }

    /// <summary>The master playlist's variants: URI → its #EXT-X-STREAM-INF line.</summary>
    private async Task<Dictionary<string, string>> VariantsAsync(string masterUrl)
    {
        var rsp = await app.CreateClient().GetAsync(masterUrl);
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var lines = (await rsp.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("#EXTM3U"));
        return lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("#EXT-X-STREAM-INF:"))
            .ToDictionary(x => lines[x.i + 1], x => x.l);
    }

    /// <summary>Downloads the first segment of a rendition over HTTP and asks ffprobe for its frame height.</summary>
    private async Task<int> FirstSegmentHeightAsync(Guid id, string playlist)
    {
        var folder = playlist[..playlist.IndexOf('/')];
        var text = await app.CreateClient().GetStringAsync($"/media/hls/{id}/{playlist}");
        var segment = text.Split('\n', StringSplitOptions.TrimEntries).First(l => l.EndsWith(".ts"));
        var bytes = await app.CreateClient().GetByteArrayAsync($"/media/hls/{id}/{folder}/{segment}");
        var file = Path.Combine(Path.GetTempPath(), $"seg-{Guid.NewGuid():N}.ts");
        await File.WriteAllBytesAsync(file, bytes);
        try { return await MediaSamples.ProbeHeightAsync(file); }
        finally { File.Delete(file); }
    }
}
