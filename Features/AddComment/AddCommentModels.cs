using FastEndpoints;
using FluentValidation;

namespace IgLive.Service.Features.AddComment;

public sealed record AddCommentRequest
{
    /// <summary>The video's id.</summary>
    [BindFrom("id")] public Guid VideoId { get; init; }
    /// <summary>Comment text, 1..1000 characters after trimming; stored verbatim otherwise (no HTML rewriting).</summary>
    public string? Text { get; init; }
}

public sealed class AddCommentValidator : Validator<AddCommentRequest>
{
    public const int MaxLength = 1000;

    public AddCommentValidator() =>
        RuleFor(r => r.Text)
            .Must(t => t is not null && t.Trim().Length is >= 1 and <= MaxLength)
            .WithMessage($"text must be 1 to {MaxLength} characters (after trimming)");
}
