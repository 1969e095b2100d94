using System.Buffers.Binary;
using System.Buffers.Text;

namespace IgLive.Service.Features.Common;

/// <summary>
/// Keyset position <c>(created_at, id)</c> of the last row of a page, shared by every newest-first list.
/// Wire form: base64url (no padding) of 24 bytes, microseconds since the Unix epoch (big-endian int64, PostgreSQL's
/// timestamptz precision, so the value round-trips exactly) followed by the 16 bytes of the id. Not signed: any value
/// that decodes is just a position in a public list, so a forged cursor can only skip ahead, never reveal anything.
/// </summary>
public readonly record struct Cursor(DateTimeOffset CreatedAt, Guid Id)
{
    /// <summary>Length of an encoded cursor (24 bytes as unpadded base64url).</summary>
    public const int EncodedLength = 32;
    private const int ByteLength = 24;
    public const string Invalid = "cursor is not a value returned as next_cursor";

    // PostgreSQL's timestamptz range is far wider; refuse what .NET cannot represent instead of throwing.
    private static readonly long MinMicros = (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
    private static readonly long MaxMicros = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        var micros = (CreatedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        BinaryPrimitives.WriteInt64BigEndian(bytes, micros);
        Id.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Decodes a cursor; false for anything that is not exactly what <see cref="Encode"/> produces.</summary>
    public static bool TryDecode(string? text, out Cursor cursor)
    {
        cursor = default;
        if (text is null || text.Length != EncodedLength) return false;
        Span<byte> bytes = stackalloc byte[ByteLength];
        if (Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != EncodedLength || written != ByteLength)
            return false;
        var micros = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (micros < MinMicros || micros > MaxMicros) return false;
        cursor = new Cursor(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), new Guid(bytes[8..], bigEndian: true));
        return true;
    }

    /// <summary>The keyset parameters for SQL: null on the first page.</summary>
    public static (DateTimeOffset? At, Guid? Id) Parameters(string? text)
        => TryDecode(text, out var c) ? (c.CreatedAt, c.Id) : (null, null);
}
