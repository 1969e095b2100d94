using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using IgLive.Service.Features.Videos.Publishing;
using IgLive.Service.Features.Videos.UploadVideo;

namespace IgLive.Service.Tests.Features.Videos.UploadVideo;

/// <summary>
/// The MP4/MOV header reader: real ffmpeg-made files give what ffprobe reads, and crafted files (huge declared sizes,
/// deep nesting, truncation, 64-bit and to-the-end sizes, floods of tiny boxes) are read with a small, fixed amount of
/// memory: measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/> around one read.
/// </summary>
[TestFixture]
public sealed class VideoMetadataTests
{
    /// <summary>What one read may allocate: the file stream's buffer and a few small objects.</summary>
    private const long SmallAllocation = 64 * 1024;

    private const int Huge = 30 * 1024 * 1024; // below the old 32 MiB cap, which copied it at every level

    private string dir = null!;

    [OneTimeSetUp]
    public void Folder() => dir = Directory.CreateTempSubdirectory("iglive-metadata-").FullName;

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(dir, recursive: true);

    [TestCase("mp4", "", 320, 240)]
    [TestCase("mp4", "+faststart", 640, 360)]
    [TestCase("mov", "", 256, 144)]
    [TestCase("mp4", "frag_keyframe+empty_moov", 320, 180)]
    public async Task A_real_ffmpeg_file_gives_what_ffprobe_reads(string extension, string movflags, int width, int height)
    {
        var path = Path.Combine(dir, $"real-{movflags.Trim('+')}-{width}.{extension}");
        string[] args = ["-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc=size={width}x{height}:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"];
        if (movflags.Length > 0) args = [.. args, "-movflags", movflags];
        Assert.That((await RunAsync("ffmpeg", [.. args, path])).Code, Is.Zero, "ffmpeg made the sample");

        var info = VideoMetadata.Read(path, extension == "mov" ? VideoSniffer.QuickTime : VideoSniffer.Mp4);
        Assert.That((info.Width, info.Height), Is.EqualTo(((int?)width, (int?)height)));
        if (movflags.Contains("empty_moov"))
            Assert.That(info.DurationSeconds, Is.Null, "a fragmented file's moov holds no duration (the fragments do): unknown, not 0");
        else
        {
            var probed = await RunAsync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path]);
            Assert.That(info.DurationSeconds, Is.EqualTo(double.Parse(probed.Output.Trim(), CultureInfo.InvariantCulture)).Within(0.05));
        }
    }

    [Test]
    public async Task A_portrait_phone_video_stored_turned_a_quarter_gives_its_displayed_size()
    {
        var landscape = Path.Combine(dir, "turn-source.mp4");
        var portrait = Path.Combine(dir, "turned.mp4");
        Assert.That((await RunAsync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-t", "1",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", landscape])).Code, Is.Zero);
        // What a phone writes: landscape frames and a display matrix of a quarter turn (ffprobe: rotation side data).
        Assert.That((await RunAsync("ffmpeg", ["-v", "error", "-y", "-i", landscape, "-c", "copy", "-metadata:s:v:0", "rotate=90", portrait])).Code, Is.Zero);
        var rotation = (await RunAsync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream_side_data=rotation",
            "-of", "csv=p=0", portrait])).Output.Trim();
        Assert.That(rotation, Does.Contain("90"), "ffmpeg wrote the quarter turn");

        Assert.That((VideoMetadata.Read(portrait, VideoSniffer.Mp4).Width, VideoMetadata.Read(portrait, VideoSniffer.Mp4).Height),
            Is.EqualTo(((int?)180, (int?)320)));
        Assert.That((VideoMetadata.Read(landscape, VideoSniffer.Mp4).Width, VideoMetadata.Read(landscape, VideoSniffer.Mp4).Height),
            Is.EqualTo(((int?)320, (int?)180)));
    }

    [TestCase("tiny.mp4")]
    [TestCase("short.mp4")]
    [TestCase("tiny.mov")]
    public async Task The_checked_in_fixtures_give_what_ffprobe_reads(string name)
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", name);
        var info = VideoMetadata.Read(path, name.EndsWith(".mov") ? VideoSniffer.QuickTime : VideoSniffer.Mp4);
        var probed = (await RunAsync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", path]))
            .Output.Trim().Split(',');
        Assert.That((info.Width, info.Height), Is.EqualTo(((int?)int.Parse(probed[0]), (int?)int.Parse(probed[1]))));
        Assert.That(info.DurationSeconds, Is.GreaterThan(0));
    }

    [Test]
    public void A_moov_declaring_30_MiB_is_read_without_copying_it()
    {
        var path = Write("huge-moov.mp4", Ftyp(), Padded(Box("moov", Mvhd(1000, 2500), VideoTrak(1280, 720)), Huge));
        var (info, allocated) = Measure(path);
        Assert.That(info, Is.EqualTo(new VideoInfo(2.5, 1280, 720)));
        Assert.That(allocated, Is.LessThan(SmallAllocation));
    }

    [Test]
    public void Nesting_of_30_MiB_boxes_in_boxes_costs_no_more_than_one_small_box()
    {
        // moov → trak → mdia, each 30 MiB, with a few thousand levels of udta under the mdia that no reader needs.
        var deep = Enumerable.Range(0, 3000).Aggregate(Box("hdlr", Hdlr("vide")), (inner, _) => Box("udta", inner));
        var trak = Padded(Box("trak", Tkhd(640, 480), Padded(Box("mdia", Box("hdlr", Hdlr("vide")), deep), Huge - 4096)), Huge - 2048);
        var path = Write("deep.mp4", Ftyp(), Padded(Box("moov", Mvhd(600, 1200), trak), Huge));
        var (info, allocated) = Measure(path);
        Assert.That(info, Is.EqualTo(new VideoInfo(2, 640, 480)));
        Assert.That(allocated, Is.LessThan(SmallAllocation));
    }

    [Test]
    public void Sizes_beyond_the_file_and_absurd_64_bit_sizes_are_unknown_not_errors()
    {
        var truncated = Box("moov", Mvhd(1000, 1000), VideoTrak(320, 240));
        BinaryPrimitives.WriteUInt32BigEndian(truncated, 1 << 30); // declares 1 GiB, holds a few hundred bytes
        var (info, allocated) = Measure(Write("truncated.mp4", Ftyp(), truncated));
        Assert.That(info, Is.EqualTo(VideoInfo.Unknown));
        Assert.That(allocated, Is.LessThan(SmallAllocation));

        var absurd = LargeBox("moov", ulong.MaxValue, Mvhd(1000, 1000));
        Assert.That(Measure(Write("absurd.mp4", Ftyp(), absurd)).Info, Is.EqualTo(VideoInfo.Unknown));
        Assert.That(Measure(Write("cut.mp4", Ftyp(), Box("moov", Mvhd(1000, 1000))[..20])).Info, Is.EqualTo(VideoInfo.Unknown),
            "a moov cut inside its first child");
    }

    [Test]
    public void Size_1_and_size_0_mean_a_64_bit_size_and_to_the_end()
    {
        // A large-size free box before a large-size moov; the moov's trak box runs to the moov's end (size 0).
        var trakToEnd = VideoTrak(854, 480);
        BinaryPrimitives.WriteUInt32BigEndian(trakToEnd, 0);
        var moov = Box("moov", Mvhd(90000, 270000), trakToEnd);
        var path = Write("sizes.mp4", Ftyp(), LargeBox("free", 16 + 100, new byte[100]), LargeBox("moov", (ulong)(moov.Length + 8), moov[8..]));
        Assert.That(Measure(path).Info, Is.EqualTo(new VideoInfo(3, 854, 480)));

        // The moov itself runs to the end of the file (size 0), after an mdat.
        var last = Box("moov", Mvhd(1000, 4000), VideoTrak(1920, 1080));
        BinaryPrimitives.WriteUInt32BigEndian(last, 0);
        Assert.That(Measure(Write("to-end.mp4", Ftyp(), Box("mdat", new byte[5000]), last)).Info, Is.EqualTo(new VideoInfo(4, 1920, 1080)));
    }

    [Test]
    public void A_flood_of_tiny_boxes_and_an_audio_track_first_are_walked_within_bounds()
    {
        var flood = Enumerable.Range(0, 200_000).Select(_ => Box("free")).ToArray();
        var audio = Box("trak", Tkhd(0, 0), Box("mdia", Box("hdlr", Hdlr("soun"))));
        var path = Write("flood.mp4", Ftyp(), Box("moov", [Mvhd(1000, 1500), audio, VideoTrak(720, 1280), .. flood]));
        var (info, allocated) = Measure(path);
        Assert.That(info, Is.EqualTo(new VideoInfo(1.5, 720, 1280)), "the video track, not the audio one, gives the size");
        Assert.That(allocated, Is.LessThan(SmallAllocation));
    }

    private static (VideoInfo Info, long Allocated) Measure(string path)
    {
        VideoMetadata.Read(path, VideoSniffer.Mp4); // JIT and statics first
        var before = GC.GetAllocatedBytesForCurrentThread();
        var info = VideoMetadata.Read(path, VideoSniffer.Mp4);
        return (info, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private string Write(string name, params byte[][] parts)
    {
        var path = Path.Combine(dir, name);
        using var file = File.Create(path);
        foreach (var part in parts) file.Write(part);
        return path;
    }

    private static byte[] Box(string type, params byte[][] children)
    {
        var body = children.SelectMany(c => c).ToArray();
        var box = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type, box.AsSpan(4));
        body.CopyTo(box, 8);
        return box;
    }

    /// <summary>A box with size 1 and the given 64-bit size (which may lie).</summary>
    private static byte[] LargeBox(string type, ulong size, byte[] body)
    {
        var box = new byte[16 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, 1);
        Encoding.ASCII.GetBytes(type, box.AsSpan(4));
        BinaryPrimitives.WriteUInt64BigEndian(box.AsSpan(8), size);
        body.CopyTo(box, 16);
        return box;
    }

    /// <summary>The box grown to <paramref name="size"/> bytes with zeros after its children (a zero header = to the end).</summary>
    private static byte[] Padded(byte[] box, int size)
    {
        var grown = new byte[size];
        box.CopyTo(grown, 0);
        BinaryPrimitives.WriteUInt32BigEndian(grown, (uint)size);
        return grown;
    }

    private static byte[] Ftyp() => Box("ftyp", "isom"u8.ToArray(), new byte[4], "isomiso2mp41"u8.ToArray());

    private static byte[] Mvhd(uint timescale, uint duration)
    {
        var body = new byte[100]; // version 0
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(12), timescale);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(16), duration);
        return Box("mvhd", body);
    }

    private static byte[] Tkhd(int width, int height)
    {
        var body = new byte[84]; // version 0: width and height (16.16) at 76 and 80
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(76), (uint)width << 16);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(80), (uint)height << 16);
        return Box("tkhd", body);
    }

    private static byte[] Hdlr(string handler)
    {
        var body = new byte[25];
        Encoding.ASCII.GetBytes(handler, body.AsSpan(8));
        return body;
    }

    private static byte[] VideoTrak(int width, int height) => Box("trak", Tkhd(width, height), Box("mdia", Box("hdlr", Hdlr("vide"))));

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
