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
/// Keyset position <c>(score, created_at, id)</c> of the last row of a ranked page, and for full-text search the
/// created_at window of the page's candidate set (<see cref="WindowFrom"/>..<see cref="WindowTo"/>). Wire form:
/// base64url of 33 bytes — the order (1 byte), the score as an IEEE double (a float4 rank widens to it exactly, so the
/// row comparison in SQL finds the same row again), microseconds since the epoch, the id — plus 16 bytes (two times in
/// microseconds) when there is a window. Like <see cref="Cursor"/>, unsigned: a forged value is only a position in a
/// list the caller may read anyway (a forged window only changes which visible matches are ranked).
/// </summary>
public readonly record struct ScoreCursor(ScoreOrder Order, double Score, DateTimeOffset CreatedAt, Guid Id,
    DateTimeOffset? WindowFrom = null, DateTimeOffset? WindowTo = null)
{
    private const int ByteLength = 33;
    private const int WindowByteLength = ByteLength + 16;
    public const string Invalid = "cursor is not a value returned as next_cursor";

    public string Encode()
    {
        var windowed = WindowFrom is not null && WindowTo is not null;
        Span<byte> bytes = stackalloc byte[windowed ? WindowByteLength : ByteLength];
        bytes[0] = (byte)Order;
        BinaryPrimitives.WriteDoubleBigEndian(bytes[1..], Score);
        BinaryPrimitives.WriteInt64BigEndian(bytes[9..], Micros(CreatedAt));
        Id.TryWriteBytes(bytes[17..33], bigEndian: true, out _);
        if (windowed)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes[33..], Micros(WindowFrom!.Value));
            BinaryPrimitives.WriteInt64BigEndian(bytes[41..], Micros(WindowTo!.Value));
        }
        return Base64Url.EncodeToString(bytes);
    }

    private static long Micros(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static bool TryTime(long micros, out DateTimeOffset at)
    {
        at = default;
        if (micros < MinMicros || micros > MaxMicros) return false;
        at = DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
        return true;
    }

    /// <summary>Decodes a cursor of one of the <paramref name="allowed"/> orders; false for anything else.</summary>
    public static bool TryDecode(string? text, out ScoreCursor cursor, params ScoreOrder[] allowed)
    {
        cursor = default;
        if (text is null || (text.Length != Base64Url.GetEncodedLength(ByteLength) && text.Length != Base64Url.GetEncodedLength(WindowByteLength)))
            return false;
        Span<byte> bytes = stackalloc byte[WindowByteLength];
        if (Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != text.Length || written is not (ByteLength or WindowByteLength))
            return false;
        var order = (ScoreOrder)bytes[0];
        var score = BinaryPrimitives.ReadDoubleBigEndian(bytes[1..]);
        if (!allowed.Contains(order) || !double.IsFinite(score) || !TryTime(BinaryPrimitives.ReadInt64BigEndian(bytes[9..]), out var at)) return false;
        DateTimeOffset? from = null, to = null;
        if (written == WindowByteLength)
        {
            if (order != ScoreOrder.FullText || !TryTime(BinaryPrimitives.ReadInt64BigEndian(bytes[33..]), out var f)
                || !TryTime(BinaryPrimitives.ReadInt64BigEndian(bytes[41..]), out var t) || f > t)
                return false;
            (from, to) = (f, t);
        }
        else if (order == ScoreOrder.FullText) return false; // full-text pages always carry their candidate window
        cursor = new ScoreCursor(order, score, at, new Guid(bytes[17..33], bigEndian: true), from, to);
        return true;
    }

    private static readonly long MinMicros = (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
    private static readonly long MaxMicros = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
