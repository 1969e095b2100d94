using System.Buffers.Binary;
using System.Buffers.Text;

namespace IgLive.Service.Features.Moderation.ListCases;

public sealed record ListCasesRequest
{
    /// <summary><c>open</c> (default; most reports first) or <c>resolved</c> (newest resolution first).</summary>
    [QueryParam] public string Status { get; init; } = "open";
    /// <summary>Page size, 1..50 (default 20).</summary>
    [QueryParam] public int Limit { get; init; } = 20;
    /// <summary>The previous page's <c>next_cursor</c> (of the same status); absent for the first page.</summary>
    [QueryParam] public string? Cursor { get; init; }
}

public sealed class ListCasesValidator : Validator<ListCasesRequest>
{
    public ListCasesValidator()
    {
        RuleFor(r => r.Status).Must(s => s is "open" or "resolved").WithMessage("status must be open or resolved");
        RuleFor(r => r.Limit).InclusiveBetween(1, 50).WithMessage("limit must be between 1 and 50");
        RuleFor(r => r.Cursor)
            .Must((r, c) => r.Status == "resolved" ? Common.Cursor.TryDecode(c, out _) : QueueCursor.TryDecode(c, out _))
            .When(r => r.Cursor is not null).WithMessage(Common.Cursor.Invalid);
    }
}

/// <summary>
/// Keyset position in the open queue, <c>(reports_count, first_reported_at, id)</c>. Wire form: unpadded base64url of
/// 28 bytes, the count (big-endian int32), microseconds since the Unix epoch (int64) and the id's 16 bytes.
/// </summary>
public readonly record struct QueueCursor(int ReportsCount, DateTimeOffset FirstReportedAt, Guid Id)
{
    private const int ByteLength = 28;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        BinaryPrimitives.WriteInt32BigEndian(bytes, ReportsCount);
        BinaryPrimitives.WriteInt64BigEndian(bytes[4..], (FirstReportedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
        Id.TryWriteBytes(bytes[12..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? text, out QueueCursor cursor)
    {
        cursor = default;
        if (text is null || text.Length != 38) return false;
        Span<byte> bytes = stackalloc byte[ByteLength];
        if (Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != text.Length || written != ByteLength)
            return false;
        var micros = BinaryPrimitives.ReadInt64BigEndian(bytes[4..]);
        // Any value PostgreSQL and .NET can both hold; a forged one only moves the position in the queue.
        if (micros is < 0 or > 253_402_300_799_000_000) return false;
        cursor = new QueueCursor(BinaryPrimitives.ReadInt32BigEndian(bytes), DateTimeOffset.UnixEpoch.AddTicks(micros * 10),
            new Guid(bytes[12..], bigEndian: true));
        return true;
    }
}
