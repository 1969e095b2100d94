namespace IgLive.Service.Features.Videos.RegisterVideo;

/// <summary>JSON form of <c>POST /api/videos</c>: registers a file the client uploaded directly to ImageKit.</summary>
public sealed record RegisterVideoRequest
{
    /// <summary>The <c>fileId</c> ImageKit returned to the client's upload (in the configured folder).</summary>
    public string? ImagekitFileId { get; init; }
    /// <summary>1..150 characters (trimmed).</summary>
    public string? Title { get; init; }
    /// <summary>Up to 2000 characters.</summary>
    public string? Description { get; init; }
    /// <summary>A JSON array of at most 10 tags, each <c>^[a-z0-9_]{1,30}$</c> after lower-casing.</summary>
    public string[]? Tags { get; init; }
}
