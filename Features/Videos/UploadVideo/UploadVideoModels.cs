namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// Multipart form of <c>POST /api/videos</c> (documentation only: the body is streamed, never bound). Send the
/// fields <c>title</c>, <c>description</c>, <c>tags</c> BEFORE the <c>file</c> part, so that invalid fields are refused
/// before any byte is stored; fields sent after the file are still accepted and validated once the file is stored
/// (an invalid request then leaves nothing behind).
/// </summary>
public sealed record UploadVideoForm
{
    /// <summary>1..150 characters (trimmed).</summary>
    public required string Title { get; init; }
    /// <summary>Up to 2000 characters.</summary>
    public string? Description { get; init; }
    /// <summary>Comma-separated, at most 10, each <c>^[a-z0-9_]{1,30}$</c> after lower-casing (e.g. <c>cats,Funny</c>).</summary>
    public string? Tags { get; init; }
    /// <summary>The video: MP4, MOV, WebM or Matroska (recognised from its bytes), at most <c>Upload:MaxBytes</c>.</summary>
    public required IFormFile File { get; init; }
}
