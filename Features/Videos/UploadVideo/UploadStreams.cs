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
        BytesRead += n;
        if (BytesRead > maxBytes)
        {
            LimitExceeded = true;
            throw new UploadTooLargeException();
        }
        return n;
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
