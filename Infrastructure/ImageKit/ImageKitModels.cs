using System.Text.Json.Serialization;

namespace IgLive.Service.Infrastructure.ImageKit;

/// <summary>
/// A file as ImageKit describes it (upload response or file details). Every field is nullable: the API documents
/// several as "only for images" or "only when asked for", and we never fail on a missing one.
/// </summary>
public sealed record ImageKitFile
{
    [JsonPropertyName("fileId")] public string? FileId { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("filePath")] public string? FilePath { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    /// <summary>"image" or "non-image" (videos are non-image).</summary>
    [JsonPropertyName("fileType")] public string? FileType { get; init; }
    /// <summary>Only in file details (not in the upload response).</summary>
    [JsonPropertyName("mime")] public string? Mime { get; init; }
    [JsonPropertyName("size")] public long? Size { get; init; }
    [JsonPropertyName("width")] public int? Width { get; init; }
    [JsonPropertyName("height")] public int? Height { get; init; }
    /// <summary>Seconds, videos only.</summary>
    [JsonPropertyName("duration")] public double? Duration { get; init; }
}

internal sealed record ImageKitError
{
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("missingFileIds")] public string[]? MissingFileIds { get; init; }
}

internal sealed record ImageKitBulkDeleteRequest([property: JsonPropertyName("fileIds")] IReadOnlyCollection<string> FileIds);

internal sealed record ImageKitBulkDeleteResponse
{
    [JsonPropertyName("successfullyDeletedFileIds")] public string[]? SuccessfullyDeletedFileIds { get; init; }
}
