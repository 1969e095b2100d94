using Microsoft.Win32.SafeHandles;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// The upload body as it is forwarded: the already-read <c>head</c> bytes (kept for sniffing), then the rest of the
/// part, counting bytes and failing with <see cref="UploadTooLargeException"/> once more than <c>maxBytes</c> came.
/// Forward-only; it never holds more than the caller's read buffer.
/// </summary>
public sealed class ReplayingLimitedStream(ReadOnlyMemory<byte> head, Stream rest, long maxBytes) : Stream
{
    private int headPosition;

    /// <summary>Bytes handed out so far.</summary>
    public long BytesRead { get; private set; }
    public bool LimitExceeded { get; private set; }
    /// <summary>Reading the request failed (client gone, broken framing): not the store's fault.</summary>
    public bool ReadFailed { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        if (headPosition < head.Length)
        {
            n = Math.Min(buffer.Length, head.Length - headPosition);
            head.Slice(headPosition, n).CopyTo(buffer);
            headPosition += n;
        }
        else
        {
            try { n = await rest.ReadAsync(buffer, cancellationToken); }
            catch { ReadFailed = true; throw; }
        }
        Count(n);
        return n;
    }

    /// <summary>
    /// Writes the rest of the file to <paramref name="file"/> from offset 0. From a <see cref="MultipartPipeSection"/>, each
    /// batch of received bytes goes to the disk in one gather write (pwritev) straight from the server's receive buffers,
    /// with no copy in between; the size limit is checked before each write.
    /// </summary>
    public async Task CopyToFileAsync(SafeFileHandle file, CancellationToken ct)
    {
        long offset = 0;
        if (headPosition < head.Length)
        {
            var remaining = head[headPosition..];
            Count(remaining.Length);
            await RandomAccess.WriteAsync(file, remaining, offset, ct);
            offset += remaining.Length;
            headPosition = head.Length;
        }
        if (rest is not MultipartPipeSectionStream { Section: var section })
        {
            var buffer = new byte[256 * 1024];
            int n;
            while ((n = await ReadAsync(buffer, ct)) > 0)
            {
                await RandomAccess.WriteAsync(file, buffer.AsMemory(0, n), offset, ct);
                offset += n;
            }
            return;
        }
        var segments = new List<ReadOnlyMemory<byte>>(32);
        try
        {
            await section.CopyToAsync(async body =>
            {
                Count(body.Length);
                segments.Clear();
                foreach (var segment in body) segments.Add(segment);
                await RandomAccess.WriteAsync(file, segments, offset, ct);
                offset += body.Length;
            }, ct);
        }
        catch when (section.ReadFailed)
        {
            ReadFailed = true;
            throw;
        }
    }

    private void Count(long n)
    {
        BytesRead += n;
        if (BytesRead <= maxBytes) return;
        LimitExceeded = true;
        throw new UploadTooLargeException();
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>The file part is larger than <c>Upload:MaxBytes</c>.</summary>
public sealed class UploadTooLargeException() : IOException("The uploaded file exceeds Upload:MaxBytes.");
