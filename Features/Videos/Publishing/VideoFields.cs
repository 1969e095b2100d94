using System.Text.RegularExpressions;

namespace IgLive.Service.Features.Videos.Publishing;

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
