namespace IgLive.Service.Features.Moderation.ResolveCase;

public sealed record ResolveCaseRequest
{
    /// <summary>The case's id.</summary>
    [BindFrom("id")] public Guid CaseId { get; init; }
    /// <summary>
    /// <c>dismiss</c> (nothing wrong), <c>remove</c> (the video or comment disappears everywhere) or
    /// <c>suspend_author</c> (the author keeps reading, every write is refused, their videos are hidden).
    /// </summary>
    public string Action { get; init; } = "";
    /// <summary>Optional note for the audit log, up to 1000 characters.</summary>
    public string? Note { get; init; }
}

public sealed class ResolveCaseValidator : Validator<ResolveCaseRequest>
{
    public ResolveCaseValidator()
    {
        RuleFor(r => r.Action).Must(a => a is "dismiss" or "remove" or "suspend_author")
            .WithMessage("action must be dismiss, remove or suspend_author");
        RuleFor(r => r.Note).Must(n => n!.Trim().Length <= 1000).When(r => r.Note is not null).WithMessage("note must be at most 1000 characters");
    }
}

/// <summary>What a resolution did, for the author's notification.</summary>
/// <param name="AuthorId">The author of the reported content (or the reported user).</param>
/// <param name="Action">The resolution's action.</param>
/// <param name="TargetType">video, comment or user.</param>
/// <param name="TargetId">The content's (or user's) id.</param>
/// <param name="Changed">False when nothing changed (already removed or suspended, a dismissal).</param>
public sealed record ResolutionOutcome(Guid AuthorId, string Action, string TargetType, Guid TargetId, bool Changed);
