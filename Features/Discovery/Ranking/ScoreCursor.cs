using System.Buffers.Binary;
using System.Buffers.Text;

namespace IgLive.Service.Features.Discovery.Ranking;

/// <summary>Which ordering a <see cref="ScoreCursor"/> continues.</summary>
public enum ScoreOrder : byte
{
    /// <summary>Full-text rank (ts_rank), then newest.</summary>
    FullText = 1,
    /// <summary>Trigram word similarity (the typo fallback), then newest.</summary>
    Fuzzy = 2,
    /// <summary>Trending score, then id.</summary>
    Trending = 3,
}

/// <summary>
/// Keyset position <c>(score, created_at, id)</c> of the last row of a ranked page. Wire form: base64url of 33 bytes —
/// the order (1 byte), the score as an IEEE double (a float4 rank widens to it exactly, so the row comparison in SQL
/// finds the same row again), microseconds since the epoch, the id. Like <see cref="Cursor"/>, unsigned: a forged
/// value is only a position in a list the caller may read anyway.
/// </summary>
public readonly record struct ScoreCursor(ScoreOrder Order, double Score, DateTimeOffset CreatedAt, Guid Id)
{
    private const int ByteLength = 33;
    private const int EncodedLength = 44;
    public const string Invalid = "cursor is not a value returned as next_cursor";

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        bytes[0] = (byte)Order;
        BinaryPrimitives.WriteDoubleBigEndian(bytes[1..], Score);
        BinaryPrimitives.WriteInt64BigEndian(bytes[9..], (CreatedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
        Id.TryWriteBytes(bytes[17..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Decodes a cursor of one of the <paramref name="allowed"/> orders; false for anything else.</summary>
    public static bool TryDecode(string? text, out ScoreCursor cursor, params ScoreOrder[] allowed)
    {
        cursor = default;
        if (text is null || text.Length != EncodedLength) return false;
        Span<byte> bytes = stackalloc byte[ByteLength];
        if (Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != EncodedLength || written != ByteLength)
            return false;
        var order = (ScoreOrder)bytes[0];
        var score = BinaryPrimitives.ReadDoubleBigEndian(bytes[1..]);
        var micros = BinaryPrimitives.ReadInt64BigEndian(bytes[9..]);
        if (!allowed.Contains(order) || !double.IsFinite(score) || micros < MinMicros || micros > MaxMicros) return false;
        cursor = new ScoreCursor(order, score, DateTimeOffset.UnixEpoch.AddTicks(micros * 10), new Guid(bytes[17..], bigEndian: true));
        return true;
    }

    private static readonly long MinMicros = (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
    private static readonly long MaxMicros = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
