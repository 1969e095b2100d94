using Dapper;
using System.Buffers;
using System.Net;
using IgLive.Service.Infrastructure.Server;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace IgLive.Service.Tests.Features.Videos.UploadVideo;

/// <summary>
/// Uploads over real sockets (Kestrel, not TestServer), so the request body goes through the transport's large-block
/// memory pool (<c>Server:SocketBlockBytes</c>) and the unbuffered file write, with bodies spanning many blocks.
/// The test factory's own <c>UseKestrel</c> runs after Program and registers Kestrel's pool factory again, so the test
/// registers the service's pool factory (counting the pools made) after it, as Program does (<see cref="ServerExtensions"/>).
/// </summary>
[TestFixture]
public sealed class UploadOverKestrelTests
{
    private const long MaxBytes = 8 * 1024 * 1024;
    private ServiceFactory app = null!;
    private readonly CountingFactory pools = new(new LargeBlockMemoryPoolFactory(64 * 1024, ServerExtensions.MaxRetainedBlocks));

    [OneTimeSetUp]
    public async Task Start() => app = await ServiceFactory.CreateOnKestrelAsync(new Dictionary<string, string?> { ["Upload:MaxBytes"] = MaxBytes.ToString() },
        s => s.AddSingleton<IMemoryPoolFactory<byte>>(pools));

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    private static byte[] RandomMp4(int size)
    {
        var bytes = UploadHelpers.FakeMp4(size);
        new Random(size).NextBytes(bytes.AsSpan(24));
        return bytes;
    }

    [Test]
    public async Task The_service_registers_the_64_KiB_block_pool_unless_told_otherwise()
    {
        // Plain factories (TestServer): only Program's own registrations are in play.
        await using var defaults = await ServiceFactory.CreateAsync();
        var factory = defaults.Services.GetRequiredService<IMemoryPoolFactory<byte>>();
        Assert.That(factory, Is.TypeOf<LargeBlockMemoryPoolFactory>());
        Assert.That(((LargeBlockMemoryPoolFactory)factory).BlockSize, Is.EqualTo(64 * 1024));

        await using var off = await ServiceFactory.CreateAsync(new Dictionary<string, string?> { ["Server:SocketBlockBytes"] = "0" });
        Assert.That(off.Services.GetRequiredService<IMemoryPoolFactory<byte>>(), Is.Not.TypeOf<LargeBlockMemoryPoolFactory>());
    }

    [Test]
    public void Kestrel_s_socket_transport_took_its_pools_from_the_registered_factory() =>
        Assert.That(pools.Created, Is.GreaterThan(0));

    private sealed class CountingFactory(IMemoryPoolFactory<byte> inner) : IMemoryPoolFactory<byte>
    {
        public int Created;

        public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
        {
            Interlocked.Increment(ref Created);
            return inner.Create(options);
        }
    }

    [TestCase(false, 5 * 1024 * 1024 + 12345)]
    [TestCase(true, 5 * 1024 * 1024 + 12345)]
    [TestCase(false, 64 * 1024 - 100)] // the file ends near a block boundary
    public async Task Stores_exactly_the_bytes_sent(bool chunked, int size)
    {
        var user = await app.CreateUserAsync();
        Assert.That(user.Client.BaseAddress, Is.EqualTo(app.BaseAddress), "the client talks to Kestrel");
        var bytes = RandomMp4(size);
        HttpContent file = chunked ? new StreamContent(new ChunkedStream(bytes)) : new ByteArrayContent(bytes);

        var rsp = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(file, tags: "kestrel"));

        var video = await rsp.JsonAsync(HttpStatusCode.Created);
        Assert.That(video.GetProperty("size_bytes").GetInt64(), Is.EqualTo(size));
        // Not served yet (processing, and this noise would fail it): read the stored file itself.
        await using var conn = app.OpenConnection();
        var key = await conn.ExecuteScalarAsync<string>("SELECT storage_key FROM videos WHERE id = @id", new { id = video.GetProperty("id").GetGuid() });
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(app.StoragePath, key!)), Is.EqualTo(bytes));
        Assert.That(await app.StrayFilesAsync(), Is.Empty);
    }

    [Test]
    public async Task A_file_full_of_near_delimiters_across_block_joins_is_stored_byte_for_byte()
    {
        const string boundary = "iglive-boundary-0123456789";
        var bytes = RandomMp4(3 * 64 * 1024 + 777);
        var near = System.Text.Encoding.ASCII.GetBytes("\r\n--" + boundary[..^1]); // the delimiter but its last byte
        // Near-delimiters everywhere, including across each 64 KiB receive block boundary (headers shift them a little).
        for (var at = 100; at + near.Length + 1 < bytes.Length; at += 64 * 1024 - 7)
        {
            near.CopyTo(bytes, at);
            bytes[at + near.Length] = (byte)'X';
        }
        var user = await app.CreateUserAsync();
        var form = new MultipartFormDataContent(boundary) { { new StringContent("near"), "title" } };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "clip.mp4");

        var video = await (await user.Client.PostAsync("/api/videos", form)).JsonAsync(HttpStatusCode.Created);

        Assert.That(video.GetProperty("size_bytes").GetInt64(), Is.EqualTo(bytes.Length));
        await using var conn = app.OpenConnection();
        var key = await conn.ExecuteScalarAsync<string>("SELECT storage_key FROM videos WHERE id = @id", new { id = video.GetProperty("id").GetGuid() });
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(app.StoragePath, key!)), Is.EqualTo(bytes));
    }

    [Test]
    public async Task Delimiters_that_arrive_one_byte_per_read_still_end_their_parts()
    {
        const string boundary = "iglive-split-boundary";
        var bytes = RandomMp4(200 * 1024 + 3);
        var body = await FormBytesAsync(boundary, bytes);
        // Every delimiter (and a few bytes either side) is sent one byte per flushed write, so the server sees each
        // one split at every offset across its reads.
        var user = await app.CreateUserAsync();

        var rsp = await user.Client.PostAsync("/api/videos", new TrickleContent(body, "\r\n--" + boundary, boundary));

        var video = await rsp.JsonAsync(HttpStatusCode.Created);
        Assert.That(video.GetProperty("title").GetString(), Is.EqualTo("split"));
        await using var conn = app.OpenConnection();
        var key = await conn.ExecuteScalarAsync<string>("SELECT storage_key FROM videos WHERE id = @id", new { id = video.GetProperty("id").GetGuid() });
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(app.StoragePath, key!)), Is.EqualTo(bytes));
    }

    [TestCase(1)]      // inside the closing "--"
    [TestCase(8)]      // inside the closing delimiter's boundary
    [TestCase(50_000)] // inside the file part, whose delimiter never comes
    public async Task A_body_cut_short_of_its_closing_delimiter_is_a_400_and_stores_nothing(int cut)
    {
        const string boundary = "iglive-cut-boundary";
        var body = await FormBytesAsync(boundary, RandomMp4(100 * 1024));
        var user = await app.CreateUserAsync();
        var truncated = new ByteArrayContent(body[..(body.Length - "\r\n".Length - cut)]);
        truncated.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=" + boundary);

        var rsp = await user.Client.PostAsync("/api/videos", truncated);

        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await rsp.Content.ReadAsStringAsync());
        await using var conn = app.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM videos WHERE user_id = @id", new { id = user.Id }), Is.Zero);
        Assert.That(await app.StrayFilesAsync(), Is.Empty);
    }

    private static async Task<byte[]> FormBytesAsync(string boundary, byte[] file)
    {
        var form = new MultipartFormDataContent(boundary) { { new StringContent("split"), "title" } };
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, "file", "clip.mp4");
        form.Add(new StringContent("after"), "description");
        return await form.ReadAsByteArrayAsync();
    }

    /// <summary>A body written in large blocks except around each delimiter, which goes one byte per flushed write.</summary>
    private sealed class TrickleContent : HttpContent
    {
        private readonly byte[] body;
        private readonly bool[] slow;

        public TrickleContent(byte[] body, string delimiter, string boundary)
        {
            this.body = body;
            slow = new bool[body.Length];
            var d = System.Text.Encoding.ASCII.GetBytes(delimiter);
            for (var at = body.AsSpan().IndexOf(d.AsSpan(2)); at >= 0;)
            {
                for (var i = Math.Max(0, at - 4); i < Math.Min(body.Length, at + d.Length + 6); i++) slow[i] = true;
                var next = body.AsSpan(at + 1).IndexOf(d);
                at = next < 0 ? -1 : at + 1 + next;
            }
            Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=" + boundary);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var i = 0;
            while (i < body.Length)
            {
                var n = 1;
                if (!slow[i]) while (i + n < body.Length && !slow[i + n] && n < 32 * 1024) n++;
                await stream.WriteAsync(body.AsMemory(i, n));
                await stream.FlushAsync();
                if (slow[i]) await Task.Delay(2);
                i += n;
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
