using System.Text;
using IgLive.Service.Infrastructure.ImageKit;
using IgLive.Service.Infrastructure.Problems;
using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>The ImageKit client and store against the WireMock fake: success paths, 404 semantics, failures, retries.</summary>
[TestFixture]
public sealed class ImageKitTests
{
    private ImageKitFake fake = null!;
    private ServiceProvider sp = null!;
    private ImageKitClient client = null!;
    private ImageKitFileStore store = null!;

    [OneTimeSetUp]
    public void Start()
    {
        fake = new ImageKitFake();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.Configure<ImageKitOptions>(o =>
        {
            o.PublicKey = ImageKitFake.PublicKey;
            o.PrivateKey = ImageKitFake.PrivateKey;
            o.UrlEndpoint = ImageKitFake.UrlEndpoint;
            o.UploadBaseUrl = fake.Url;
            o.ApiBaseUrl = fake.Url;
            o.ApiTimeoutSeconds = 1;
            o.ApiRetries = 2;
            o.UploadTimeoutSeconds = 2;
        });
        services.AddImageKit();
        services.AddSingleton<ImageKitFileStore>();
        sp = services.BuildServiceProvider();
        client = sp.GetRequiredService<ImageKitClient>();
        store = sp.GetRequiredService<ImageKitFileStore>();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await sp.DisposeAsync();
        fake.Dispose();
    }

    [SetUp]
    public void Reset()
    {
        fake.Fault = null;
        fake.FaultCount = null;
    }

    [Test]
    public async Task Upload_streams_the_file_into_the_folder_and_returns_its_id()
    {
        var bytes = Encoding.ASCII.GetBytes("\0\0\0\x18ftypisom video bytes");
        var file = await client.UploadAsync(new NonSeekableStream(bytes), "abc.mp4", "/iglive-test", CancellationToken.None);

        Assert.That(file.FileId, Is.Not.Empty);
        Assert.That(file.FilePath, Is.EqualTo("/iglive-test/abc.mp4"));
        Assert.That(fake.Files[file.FileId!].Content, Is.EqualTo(bytes));
    }

    [Test]
    public async Task Upload_is_never_retried()
    {
        fake.Fault = FakeFault.Of(500);
        var before = fake.Requests.Count(r => r.Contains("upload"));
        var e = await Assert.ThrowsAsync<UpstreamException>(() => client.UploadAsync(new MemoryStream([1, 2, 3]), "x.mp4", "/f", CancellationToken.None));
        Assert.That(e!.StatusCode, Is.EqualTo(503));
        Assert.That(fake.Requests.Count(r => r.Contains("upload")) - before, Is.EqualTo(1));
    }

    [Test]
    public async Task Details_of_an_unknown_file_is_null()
        => Assert.That(await client.GetFileAsync("nosuchfile000000000000000", CancellationToken.None), Is.Null);

    [Test]
    public async Task Single_delete_treats_404_as_already_gone()
    {
        var file = fake.AddFile("/iglive-test/a.mp4");
        var gone = await store.DeleteAsync([file.FileId], CancellationToken.None);
        var again = await store.DeleteAsync([file.FileId], CancellationToken.None);
        Assert.That(gone, Is.EquivalentTo(new[] { file.FileId }));
        Assert.That(again, Is.EquivalentTo(new[] { file.FileId }));
        Assert.That(fake.Files.ContainsKey(file.FileId), Is.False);
    }

    [Test]
    public async Task Bulk_delete_counts_missing_ids_as_gone_and_deletes_the_rest()
    {
        var a = fake.AddFile("/iglive-test/a.mp4");
        var b = fake.AddFile("/iglive-test/b.mp4");
        var gone = await store.DeleteAsync([a.FileId, "missing00000000000000001", b.FileId], CancellationToken.None);
        Assert.That(gone, Is.EquivalentTo(new[] { a.FileId, "missing00000000000000001", b.FileId }));
        Assert.That(fake.Files.ContainsKey(a.FileId) || fake.Files.ContainsKey(b.FileId), Is.False);
    }

    [Test]
    public async Task Bulk_delete_splits_into_calls_of_at_most_100_ids()
    {
        var files = Enumerable.Range(0, 150).Select(i => fake.AddFile($"/iglive-test/bulk{i}.mp4")).ToList();
        var gone = await store.DeleteAsync(files.Select(f => f.FileId).ToList(), CancellationToken.None);
        Assert.That(gone, Has.Count.EqualTo(150));
        Assert.That(files.Any(f => fake.Files.ContainsKey(f.FileId)), Is.False);
    }

    [Test]
    public async Task Rejected_keys_are_a_502()
    {
        fake.Fault = FakeFault.Of(401);
        var e = await Assert.ThrowsAsync<UpstreamException>(() => store.DeleteAsync(["x"], CancellationToken.None));
        Assert.That(e!.StatusCode, Is.EqualTo(502));
    }

    [Test]
    public async Task A_short_rate_limit_is_waited_out_and_retried()
    {
        var file = fake.AddFile("/iglive-test/r.mp4");
        fake.Fault = FakeFault.Of(429, ("X-RateLimit-Reset", "50"));
        fake.FaultCount = 1;
        var gone = await store.DeleteAsync([file.FileId], CancellationToken.None);
        Assert.That(gone, Is.EquivalentTo(new[] { file.FileId }));
        Assert.That(fake.Files.ContainsKey(file.FileId), Is.False);
    }

    [Test]
    public async Task A_long_rate_limit_is_a_503_with_its_reset_as_retry_after()
    {
        fake.Fault = FakeFault.Of(429, ("X-RateLimit-Reset", "30000"));
        var e = await Assert.ThrowsAsync<UpstreamException>(() => client.GetFileAsync("abc", CancellationToken.None));
        Assert.That(e!.StatusCode, Is.EqualTo(503));
        Assert.That(e.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public async Task Persistent_server_errors_are_a_503_after_retries()
    {
        fake.Fault = FakeFault.Of(500);
        var before = fake.Requests.Count;
        var e = await Assert.ThrowsAsync<UpstreamException>(() => client.GetFileAsync("abc", CancellationToken.None));
        Assert.That(e!.StatusCode, Is.EqualTo(503));
        Assert.That(fake.Requests.Count - before, Is.EqualTo(3), "one call and two retries");
    }

    [Test]
    public async Task A_hanging_api_is_a_503_after_the_timeout()
    {
        fake.Fault = FakeFault.Hanging();
        var e = await Assert.ThrowsAsync<UpstreamException>(() => client.DeleteFileAsync("abc", CancellationToken.None));
        Assert.That(e!.StatusCode, Is.EqualTo(503));
    }

    [Test]
    public async Task A_hanging_upload_is_a_503_after_the_upload_timeout()
    {
        fake.Fault = FakeFault.Hanging();
        var e = await Assert.ThrowsAsync<UpstreamException>(() => client.UploadAsync(new MemoryStream([1, 2, 3]), "h.mp4", "/f", CancellationToken.None));
        Assert.That(e!.StatusCode, Is.EqualTo(503));
    }

    /// <summary>A forward-only stream, like a request body: proves the upload does not need to seek or know the length.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }
}
