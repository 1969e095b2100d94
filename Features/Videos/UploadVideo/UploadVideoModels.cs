using System.Text.RegularExpressions;

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
    public string Title { get; init; } = "";
    /// <summary>Up to 2000 characters.</summary>
    public string? Description { get; init; }
    /// <summary>Comma-separated, at most 10, each <c>^[a-z0-9_]{1,30}$</c> after lower-casing (e.g. <c>cats,Funny</c>).</summary>
    public string? Tags { get; init; }
    /// <summary>The video: MP4, MOV, WebM or Matroska (recognised from its bytes), at most <c>Upload:MaxBytes</c>.</summary>
    public IFormFile File { get; init; } = null!;
}

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

/// <summary>The video's descriptive fields, normalised (trimmed title, lower-cased de-duplicated tags).</summary>
public sealed record VideoFields(string Title, string Description, string[] Tags)
{
    /// <summary>Splits a comma-separated tag list; blanks are ignored.</summary>
    public static string[] SplitTags(string? tags)
        => (tags ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static VideoFields From(string? title, string? description, IEnumerable<string>? tags) => new(
        (title ?? "").Trim(),
        description ?? "",
        (tags ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().ToArray());
}

public sealed partial class VideoFieldsValidator : AbstractValidator<VideoFields>
{
    public static readonly VideoFieldsValidator Instance = new();

    public VideoFieldsValidator()
    {
        RuleFor(f => f.Title).Must(t => t.Length is >= 1 and <= 150).WithMessage("title must be 1 to 150 characters");
        RuleFor(f => f.Description).MaximumLength(2000).WithMessage("description must be at most 2000 characters");
        RuleFor(f => f.Tags).Must(t => t.Length <= 10).WithMessage("at most 10 tags")
            .Must(t => t.All(x => TagPattern().IsMatch(x))).WithMessage("each tag must be 1 to 30 characters of a-z, 0-9 or '_'");
    }

    [GeneratedRegex("^[a-z0-9_]{1,30}$")]
    private static partial Regex TagPattern();
}
