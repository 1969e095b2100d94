using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IgLive.Service.Infrastructure.Api;

/// <summary>Writes timestamps as RFC 3339 in UTC with a <c>Z</c> (<c>2026-11-24T12:00:00.123456Z</c>); reads any offset.</summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
}
