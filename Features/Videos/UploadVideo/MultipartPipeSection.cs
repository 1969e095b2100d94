using System.Buffers;
using Microsoft.Net.Http.Headers;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>One part: its headers and its body, read once, forward only.</summary>
public sealed class MultipartPipeSection
{
    private readonly MultipartPipeReader reader;
    private bool ended;

    internal MultipartPipeSection(MultipartPipeReader reader, Dictionary<string, string> headers)
    {
        this.reader = reader;
        Headers = headers;
        Disposition = headers.TryGetValue("Content-Disposition", out var cd) && ContentDispositionHeaderValue.TryParse(cd, out var parsed) ? parsed : null;
        Body = new MultipartPipeSectionStream(this);
    }

    public IReadOnlyDictionary<string, string> Headers { get; }
    public ContentDispositionHeaderValue? Disposition { get; }
    /// <summary>The body as a stream (copies into the caller's buffer; <see cref="CopyToAsync"/> does not).</summary>
    public Stream Body { get; }

    /// <summary>Reading the request failed (client gone, size limit, broken framing), as opposed to the caller's sink.</summary>
    public bool ReadFailed { get; private set; }

    /// <summary>Hands the rest of the body to <paramref name="write"/> as slices of the receive buffers (each valid during its call).</summary>
    public async Task CopyToAsync(Func<ReadOnlySequence<byte>, ValueTask> write, CancellationToken ct)
    {
        while (!ended)
        {
            var body = await PeekAsync(ct);
            if (body.Length == 0) break;
            await write(body);
            reader.Consume(body.Length);
        }
    }

    internal async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct)
    {
        if (ended || buffer.Length == 0) return 0;
        var body = await PeekAsync(ct);
        if (body.Length == 0) return 0;
        var n = (int)Math.Min(body.Length, buffer.Length);
        body.Slice(0, n).CopyTo(buffer.Span);
        reader.Consume(n);
        return n;
    }

    private async ValueTask<ReadOnlySequence<byte>> PeekAsync(CancellationToken ct)
    {
        try
        {
            var body = await reader.PeekBodyAsync(ct);
            if (body.Length == 0)
            {
                await reader.EndBodyAsync(ct);
                ended = true;
            }
            return body;
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            ReadFailed = true;
            throw;
        }
    }
}

/// <summary>A part's body as a forward-only <see cref="Stream"/>.</summary>
public sealed class MultipartPipeSectionStream(MultipartPipeSection section) : Stream
{
    public MultipartPipeSection Section => section;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => section.ReadAsync(buffer, cancellationToken);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
