using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// <c>multipart/form-data</c> read straight off the request's <see cref="PipeReader"/> (RFC 7578 / RFC 2046): the
/// delimiter is searched with the vectorised span <c>IndexOf</c>, one buffer segment at a time (plus the joins between
/// segments), and a part's bytes are handed out as slices of the server's own receive buffers, so the file part reaches
/// the disk without passing through another buffer (<see cref="MultipartPipeSection.CopyToAsync"/>).
/// Broken framing throws <see cref="InvalidDataException"/>.
/// </summary>
public sealed class MultipartPipeReader(PipeReader pipe, string boundary)
{
    private const int MaxHeaderBytes = 16 * 1024;
    private const int MaxDelimiterLineBytes = 1024;
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] HeadersEnd = "\r\n\r\n"u8.ToArray();

    private readonly byte[] delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
    private bool started, finished;
    private MultipartPipeSection? current;

    /// <summary>The next part, or null after the closing delimiter. The previous part's unread bytes are skipped.</summary>
    public async Task<MultipartPipeSection?> ReadNextSectionAsync(CancellationToken ct)
    {
        if (current is { } previous)
        {
            await previous.CopyToAsync(static _ => ValueTask.CompletedTask, ct);
            current = null;
        }
        if (!started)
        {
            started = true;
            await SkipPreambleAsync(ct);
        }
        if (finished) return null;
        var headers = await ReadHeadersAsync(ct);
        current = new MultipartPipeSection(this, headers);
        return current;
    }

    /// <summary>Up to the first delimiter (which may open the body without the CRLF in front of it).</summary>
    private async Task SkipPreambleAsync(CancellationToken ct)
    {
        var result = await pipe.ReadAtLeastAsync(delimiter.Length - 2, ct);
        var buffer = result.Buffer;
        if (buffer.Length >= delimiter.Length - 2 && StartsWith(buffer, delimiter.AsSpan(2)))
        {
            pipe.AdvanceTo(buffer.GetPosition(delimiter.Length - 2));
            await ReadDelimiterLineAsync(ct);
            return;
        }
        pipe.AdvanceTo(buffer.Start);
        while ((await PeekBodyAsync(ct)) is { Length: > 0 } preamble) Consume(preamble.Length);
        await EndBodyAsync(ct);
    }

    private ReadOnlySequence<byte> lastBuffer;
    private long lastOffered;
    private bool lastWasSafePrefix;

    /// <summary>
    /// The next bytes of the current body, up to the delimiter or to what cannot be its start; a slice of the pipe's
    /// buffer, valid until <see cref="Consume"/>. Empty at the delimiter (then <see cref="EndBodyAsync"/>).
    /// </summary>
    internal async ValueTask<ReadOnlySequence<byte>> PeekBodyAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await pipe.ReadAsync(ct);
            var buffer = result.Buffer;
            var index = IndexOf(buffer, delimiter);
            lastBuffer = buffer;
            if (index >= 0)
            {
                (lastOffered, lastWasSafePrefix) = (index, false);
                if (index == 0) pipe.AdvanceTo(buffer.Start); // nothing to hand out: leave the delimiter for EndBodyAsync
                return buffer.Slice(0, index);
            }
            // No delimiter starts before the last (length - 1) bytes: everything in front of them is body.
            var safe = buffer.Length - (delimiter.Length - 1);
            if (safe > 0)
            {
                (lastOffered, lastWasSafePrefix) = (safe, true);
                return buffer.Slice(0, safe);
            }
            if (result.IsCompleted) throw new InvalidDataException("The multipart body ended inside a part.");
            pipe.AdvanceTo(buffer.Start, buffer.End); // a possible delimiter start: wait for more bytes
        }
    }

    /// <summary>Marks <paramref name="count"/> bytes of the last peek as read.</summary>
    internal void Consume(long count)
    {
        // All of a safe prefix was taken: the kept tail was examined too, so the next read waits for new bytes.
        if (count == lastOffered && lastWasSafePrefix) pipe.AdvanceTo(lastBuffer.GetPosition(count), lastBuffer.End);
        else pipe.AdvanceTo(lastBuffer.GetPosition(count));
    }

    /// <summary>At the delimiter: consumes it and the rest of its line; notes the closing delimiter.</summary>
    internal async Task EndBodyAsync(CancellationToken ct)
    {
        var result = await pipe.ReadAtLeastAsync(delimiter.Length, ct);
        if (result.Buffer.Length < delimiter.Length) throw new InvalidDataException("The multipart body ended inside a delimiter.");
        pipe.AdvanceTo(result.Buffer.GetPosition(delimiter.Length));
        await ReadDelimiterLineAsync(ct);
    }

    /// <summary>After "--boundary": "--" closes the body; otherwise optional padding and CRLF start the next part.</summary>
    private async Task ReadDelimiterLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await pipe.ReadAsync(ct);
            var buffer = result.Buffer;
            if (buffer.Length >= 2 && StartsWith(buffer, "--"u8))
            {
                finished = true;
                pipe.AdvanceTo(buffer.End); // the epilogue is ignored
                if (!result.IsCompleted) await DrainEpilogueAsync(ct);
                return;
            }
            var end = IndexOf(buffer, Crlf);
            if (end >= 0)
            {
                foreach (var b in buffer.Slice(0, end).ToArray())
                    if (b is not ((byte)' ' or (byte)'\t')) throw new InvalidDataException("Garbage after a multipart delimiter.");
                pipe.AdvanceTo(buffer.GetPosition(end + 2));
                return;
            }
            if (result.IsCompleted || buffer.Length > MaxDelimiterLineBytes) throw new InvalidDataException("A multipart delimiter line is broken.");
            pipe.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private async Task DrainEpilogueAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await pipe.ReadAsync(ct);
            pipe.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted) return;
        }
    }

    private async Task<Dictionary<string, string>> ReadHeadersAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await pipe.ReadAsync(ct);
            var buffer = result.Buffer;
            if (buffer.Length >= 2 && StartsWith(buffer, Crlf))
            {
                pipe.AdvanceTo(buffer.GetPosition(2));
                return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }
            var end = IndexOf(buffer, HeadersEnd);
            if (end >= 0)
            {
                if (end > MaxHeaderBytes) throw new InvalidDataException("Multipart part headers are too long.");
                var text = Encoding.UTF8.GetString(buffer.Slice(0, end));
                pipe.AdvanceTo(buffer.GetPosition(end + 4));
                return ParseHeaders(text);
            }
            if (buffer.Length > MaxHeaderBytes) throw new InvalidDataException("Multipart part headers are too long.");
            if (result.IsCompleted) throw new InvalidDataException("The multipart body ended inside part headers.");
            pipe.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static Dictionary<string, string> ParseHeaders(string text)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in text.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) throw new InvalidDataException("A multipart part header is malformed.");
            if (headers.Count >= 16) throw new InvalidDataException("Too many multipart part headers.");
            headers.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        return headers;
    }

    private static bool StartsWith(in ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> prefix)
    {
        if (buffer.FirstSpan.Length >= prefix.Length) return buffer.FirstSpan.StartsWith(prefix);
        Span<byte> head = stackalloc byte[prefix.Length];
        buffer.Slice(0, prefix.Length).CopyTo(head);
        return head.SequenceEqual(prefix);
    }

    /// <summary>
    /// The offset of <paramref name="value"/> in the buffer, or -1: span IndexOf per segment, and a small copy of each
    /// join between segments for a match that straddles it.
    /// </summary>
    internal static long IndexOf(in ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> value)
    {
        if (buffer.IsSingleSegment) return buffer.FirstSpan.IndexOf(value);
        var n = value.Length;
        Span<byte> join = stackalloc byte[2 * (n - 1)];
        long offset = 0;
        ReadOnlyMemory<byte> previous = default;
        foreach (var segment in buffer)
        {
            if (segment.Length == 0) continue;
            if (!previous.IsEmpty)
            {
                if (previous.Length < n - 1 || segment.Length < n - 1) return IndexOfSlow(buffer, value);
                previous.Span[^(n - 1)..].CopyTo(join);
                segment.Span[..(n - 1)].CopyTo(join[(n - 1)..]);
                var j = join.IndexOf(value);
                if (j >= 0) return offset - (n - 1) + j;
            }
            var i = segment.Span.IndexOf(value);
            if (i >= 0) return offset + i;
            offset += segment.Length;
            previous = segment;
        }
        return -1;
    }

    private static long IndexOfSlow(in ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> value)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> before, value, advancePastDelimiter: false) ? before.Length : -1;
    }
}
