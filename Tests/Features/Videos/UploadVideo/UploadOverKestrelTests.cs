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
}
