namespace IgLive.Service.Features.Social.AddComment;

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

    public AddCommentValidator()
    {
        // Characters are Unicode code points, as PostgreSQL's char_length counts them (an emoji is one).
        RuleFor(r => r.Text)
            .Must(t => t is not null && t.Trim().EnumerateRunes().Count() is >= 1 and <= MaxLength)
            .WithMessage($"text must be 1 to {MaxLength} characters (after trimming)");
        // PostgreSQL text cannot hold NUL, and a lone surrogate cannot be encoded as UTF-8: refuse both as input
        // errors rather than fail in the database.
        RuleFor(r => r.Text)
            .Must(t => t is null || (!t.Contains('\0') && IsWellFormed(t)))
            .WithMessage("text must be valid Unicode text without NUL characters");
    }

    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            else if (char.IsSurrogate(s[i])) return false;
        }
        return true;
    }
}
