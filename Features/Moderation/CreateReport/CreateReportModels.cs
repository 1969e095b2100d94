using System.Text.RegularExpressions;

namespace IgLive.Service.Features.Moderation.CreateReport;

public sealed record CreateReportRequest
{
    /// <summary><c>video</c>, <c>comment</c> or <c>user</c>.</summary>
    public string TargetType { get; init; } = "";
    /// <summary>The video's or comment's id; for a user, the id or the username.</summary>
    public string TargetId { get; init; } = "";
    /// <summary><c>spam</c>, <c>harassment</c>, <c>hate</c>, <c>violence</c>, <c>nudity</c>, <c>copyright</c> or <c>other</c>.</summary>
    public string Reason { get; init; } = "";
    /// <summary>Optional details for the moderators, up to 1000 characters.</summary>
    public string? Note { get; init; }
}

/// <summary>A report, as its reporter sees it.</summary>
public sealed record ReportDto
{
    public required Guid Id { get; init; }
    public required string TargetType { get; init; }
    public required Guid TargetId { get; init; }
    public required string Reason { get; init; }
    public string? Note { get; init; }
    /// <summary>The status of the report's case: <c>open</c>, or <c>resolved</c> once a moderator has acted.</summary>
    public required string Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed partial class CreateReportValidator : Validator<CreateReportRequest>
{
    public static readonly string[] TargetTypes = ["video", "comment", "user"];
    public static readonly string[] Reasons = ["spam", "harassment", "hate", "violence", "nudity", "copyright", "other"];

    public CreateReportValidator()
    {
        RuleFor(r => r.TargetType).Must(t => TargetTypes.Contains(t)).WithMessage("target_type must be video, comment or user");
        RuleFor(r => r.Reason).Must(t => Reasons.Contains(t)).WithMessage("reason must be one of " + string.Join(", ", Reasons));
        RuleFor(r => r.Note).Must(n => n!.Trim().Length <= 1000).When(r => r.Note is not null).WithMessage("note must be at most 1000 characters");
        RuleFor(r => r.TargetId)
            .Must((r, id) => Guid.TryParse(id, out _) || (r.TargetType == "user" && Username().IsMatch(id)))
            .WithMessage(r => r.TargetType == "user" ? "target_id must be a user id or a username" : $"target_id must be a {r.TargetType} id");
    }

    [GeneratedRegex("^[A-Za-z0-9_.]{3,30}$")]
    private static partial Regex Username();
}
