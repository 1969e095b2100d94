using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IgLive.Service.Infrastructure.Api;

/// <summary>Writes timestamps as RFC 3339 in UTC with a <c>Z</c> (<c>2026-11-24T12:00:00.123456Z</c>); reads any offset.</summary>
/// <remarks>
/// Every feed item carries two timestamps, so this is on the hot path: it formats with the round-trip pattern "O"
/// straight into UTF-8 (no string, no custom-format parsing: a custom pattern cost ~2.5% of the service's CPU on the
/// feed) and drops the seventh fractional digit, which is always 0 for PostgreSQL's microsecond timestamps.
/// </remarks>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    // "O" of a UTC DateTime: yyyy-MM-ddTHH:mm:ss.fffffffZ, always 28 bytes for years 1..9999.
    private const int RoundTripLength = 28;

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> utf8 = stackalloc byte[RoundTripLength];
        if (!value.UtcDateTime.TryFormat(utf8, out var written, "O", CultureInfo.InvariantCulture) || written != RoundTripLength)
            throw new JsonException("timestamp out of range");
        utf8[RoundTripLength - 2] = (byte)'Z'; // microseconds, then Z
        writer.WriteStringValue(utf8[..(RoundTripLength - 1)]);
    }
}
